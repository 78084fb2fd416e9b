// matmul_add_to_gemm: MatMul(A [M, K], B constant [K, N]) + Add(constant C) becomes
// Gemm(A, B, C) when C broadcasts unidirectionally onto [M, N] (the Gemm bias). N-D MatMuls
// are left to matmul_bias_activation_fusion.
#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// C's shape broadcasts onto [m, n] (m may be unknown, -1) without growing it.
bool gemm_bias_shape(const std::vector<int64_t>& c, int64_t m, int64_t n) {
  if (c.size() > 2) return false;
  const int64_t target[2] = {m, n};
  for (size_t i = 0; i < c.size(); ++i) {
    const int64_t want = target[2 - c.size() + i];
    if (c[i] != 1 && c[i] != want) return false;  // an unknown m only takes 1
  }
  return true;
}

bool fuse(GraphEditor& g, size_t mm) {
  const plugin::NodeView n = g.node(mm);
  const size_t a = n.input(0), b = n.input(1);
  if (!float32_or_unknown(g, a) || known_rank(g, a) != 2) return false;
  std::optional<plugin::ConstantView> bc = g.constant(b);
  if (!bc || bc->dtype != INFER_DTYPE_FLOAT32 || bc->shape.size() != 2) return false;
  std::optional<size_t> add = sole_cpu_consumer(g, n.output(0), "Add");
  if (!add) return false;
  std::optional<size_t> ci = other_input_index(g, *add, n.output(0));
  if (!ci) return false;
  const size_t c = g.node(*add).input(*ci);
  std::optional<plugin::ConstantView> cc = g.constant(c);
  const int64_t m = g.value(a).dims[0];
  if (!cc || cc->dtype != INFER_DTYPE_FLOAT32 || !gemm_bias_shape(cc->shape, m, bc->shape[1])) {
    return false;
  }
  const size_t y = g.node(*add).output(0);
  const size_t nodes[] = {mm, *add};
  replace_nodes(g, nodes, "Gemm", "", {a, b, c}, y);
  return true;
}

}  // namespace

size_t matmul_add_to_gemm(GraphEditor& g, const infer_config*) {
  // Two nodes become one.
  return for_each_cpu_op(
      g, "MatMul", [](GraphEditor& e, size_t node) -> size_t { return fuse(e, node) ? 2 : 0; });
}

}  // namespace infer::cpu_passes
