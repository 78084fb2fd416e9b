// gemm_activation_fusion: Gemm + activation becomes com.infer.FusedGemm (the Gemm's
// attributes plus `activation` / `activation_params`).
#include "pattern.h"

namespace infer::cpu_passes {
namespace {

size_t fuse(GraphEditor& g, size_t gemm) {
  const plugin::NodeView n = g.node(gemm);
  const bool f32 = is_float32(g, n.input(0)) ||
                   (float32_or_unknown(g, n.input(0)) && float_constant(g, n.input(1)));
  if (n.output_count() != 1 || !f32) return 0;
  std::optional<ActivationMatch> act = activation_after(g, n.output(0));
  if (!act) return 0;
  std::vector<size_t> inputs;
  for (size_t i = 0; i < n.input_count(); ++i) inputs.push_back(n.input(i));
  std::vector<size_t> nodes{gemm};
  nodes.insert(nodes.end(), act->nodes.begin(), act->nodes.end());
  const size_t fused =
      replace_nodes(g, nodes, "FusedGemm", kInferDomain, inputs, act->output, gemm);
  set_activation_attrs(g, fused, act->spec);
  return nodes.size();
}

}  // namespace

size_t gemm_activation_fusion(GraphEditor& g, const infer_config*) {
  return for_each_cpu_op(g, "Gemm", fuse);
}

}  // namespace infer::cpu_passes
