// Gemm and MatMul on the tiled GEMM kernel of kernels/gemm_conv.h (built through the
// session's program cache).
#include "kernels/gemm_conv.h"
#include "ops/op.h"

namespace infer::opencl {
namespace {

class GemmLaunch : public ExternalLaunch {
 public:
  GemmLaunch(std::unique_ptr<GemmKernel> k, bool has_bias)
      : kernel_(std::move(k)), has_bias_(has_bias) {}
  // buffers: A, B, [bias,] Y
  void enqueue(cl_command_queue queue, const std::vector<cl_mem>& b,
               std::vector<cl_event>& events) const override {
    cl_mem bias = has_bias_ ? b[2] : nullptr;
    events.push_back(
        kernel_->enqueue(queue, b[0], 0, b[1], 0, bias, 0, b[has_bias_ ? 3 : 2], 0, {}));
  }

 private:
  std::unique_ptr<GemmKernel> kernel_;
  bool has_bias_;
};

void add_launch(Lowering& l, const GemmDesc& desc, std::vector<Arg> args) {
  Launch launch;
  auto kernel = GemmKernel::create(l.context, l.device, l.program_builder(), desc);
  launch.kernel = kernel->name();
  launch.external = std::make_shared<GemmLaunch>(std::move(kernel), desc.bias != BiasKind::kNone);
  launch.args = std::move(args);
  l.launch(std::move(launch));
}

std::string check_gemm(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 3); !why.empty()) return why;
  if (node.inputs[0].dims.size() != 2 || node.inputs[1].dims.size() != 2)
    return "A and B must be 2-D";
  if (node.has_input(2)) {
    const auto& c = node.inputs[2].dims;
    const auto& y = node.outputs[0].dims;
    const int64_t m = y[0], n = y[1];
    const bool ok = c.empty() || (c.size() == 1 && (c[0] == n || c[0] == 1)) ||
                    (c.size() == 2 && (c[0] == 1 || c[0] == m) && (c[1] == 1 || c[1] == n));
    if (!ok) return "C does not broadcast to [M, N]";
  }
  return "";
}

BiasKind bias_kind(const std::vector<int64_t>& c, int64_t m, int64_t n) {
  int64_t rows = 1, cols = 1;
  if (c.size() == 1) cols = c[0];
  if (c.size() == 2) rows = c[0], cols = c[1];
  if (rows == m && cols == n && (m != 1 || n != 1)) {
    return m == 1 ? BiasKind::kPerN : n == 1 ? BiasKind::kPerM : BiasKind::kFull;
  }
  if (rows == 1 && cols == n && n != 1) return BiasKind::kPerN;
  if (rows == m && cols == 1 && m != 1) return BiasKind::kPerM;
  return BiasKind::kScalar;
}

void lower_gemm(Lowering& l) {
  const NodeSnapshot& n = l.node();
  GemmDesc d;
  d.trans_a = n.attr_int("transA", 0) != 0;
  d.trans_b = n.attr_int("transB", 0) != 0;
  d.alpha = n.attr_float("alpha", 1.0f);
  d.beta = n.attr_float("beta", 1.0f);
  d.M = n.outputs[0].dims[0];
  d.N = n.outputs[0].dims[1];
  const auto& a = n.inputs[0].dims;
  d.K = d.trans_a ? a[0] : a[1];
  std::vector<Arg> args = {l.input(0), l.input(1)};
  if (n.has_input(2)) {
    d.bias = bias_kind(n.inputs[2].dims, d.M, d.N);
    args.push_back(l.input(2));
  }
  args.push_back(l.output(0));
  add_launch(l, d, std::move(args));
}

std::string check_matmul(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 2); !why.empty()) return why;
  const auto& a = node.inputs[0].dims;
  const auto& b = node.inputs[1].dims;
  if (a.size() < 2 || b.size() < 2) return "1-D MatMul operands are not supported";
  // Batch dims of B must be all ones (broadcast) or equal to A's trailing batch dims.
  if (b.size() > a.size()) return "B has more batch dims than A";
  bool b_batched = false;
  for (size_t i = 0; i + 2 < b.size(); ++i) b_batched = b_batched || b[i] != 1;
  if (b_batched) {
    for (size_t i = 0; i + 2 < b.size(); ++i)
      if (b[b.size() - 3 - i] != a[a.size() - 3 - i]) return "batch broadcasting of this shape";
  }
  return "";
}

void lower_matmul(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& a = n.inputs[0].dims;
  const auto& b = n.inputs[1].dims;
  GemmDesc d;
  d.M = a[a.size() - 2];
  d.K = a[a.size() - 1];
  d.N = b[b.size() - 1];
  int64_t batch = 1, b_batch = 1;
  for (size_t i = 0; i + 2 < a.size(); ++i) batch *= a[i];
  for (size_t i = 0; i + 2 < b.size(); ++i) b_batch *= b[i];
  // batch = {outer, b_batch}: A and Y packed; B repeats across the outer level.
  d.batch = {b_batch > 1 ? batch / b_batch : batch, b_batch};
  const int64_t inner = b_batch;
  d.stride_a = {inner * d.M * d.K, d.M * d.K};
  d.stride_b = {0, b_batch > 1 ? d.K * d.N : 0};
  d.stride_c = {inner * d.M * d.N, d.M * d.N};
  add_launch(l, d, {l.input(0), l.input(1), l.output(0)});
}

constexpr OpDef kOps[] = {{"Gemm", check_gemm, lower_gemm}, {"MatMul", check_matmul, lower_matmul}};

}  // namespace

std::span<const OpDef> gemm_ops() { return kOps; }

}  // namespace infer::opencl
