#include "kernels/fused_activation.h"

#include "kernels/vector_math.h"

namespace infer::cpu {

FusedActivation parse_fused_activation(std::string_view name, std::span<const float> params) {
  struct Entry {
    std::string_view name;
    FusedActivationKind kind;
    size_t params;
  };
  static constexpr Entry kTable[] = {
      {"", FusedActivationKind::kNone, 0},
      {"Relu", FusedActivationKind::kRelu, 0},
      {"Clip", FusedActivationKind::kClip, 2},
      {"Sigmoid", FusedActivationKind::kSigmoid, 0},
      {"Tanh", FusedActivationKind::kTanh, 0},
      {"LeakyRelu", FusedActivationKind::kLeakyRelu, 1},
      {"HardSigmoid", FusedActivationKind::kHardSigmoid, 2},
      {"Gelu", FusedActivationKind::kGelu, 0},
      {"HardSwish", FusedActivationKind::kHardSwish, 0},
      {"Silu", FusedActivationKind::kSilu, 0},
  };
  for (const Entry& e : kTable) {
    if (e.name != name) continue;
    if (params.size() != e.params) {
      fail_attr(str_cat("activation '", name, "' takes ", e.params, " activation_params, got ",
                        params.size()));
    }
    FusedActivation a{e.kind};
    if (e.params > 0) a.alpha = params[0];
    if (e.params > 1) a.beta = params[1];
    return a;
  }
  fail_attr(str_cat("unsupported fused activation '", name, "'"));
}

// Both run vectorised for the CPU's widest ISA and split over the intra-op pool
// (kernels/vector_math.h).
void fused_epilogue(const FusedActivation& act, float* y, int64_t outer, int64_t channels,
                    int64_t inner, const float* bias, const float* z) {
  vmath::epilogue(simd::best_isa(), act, y, outer, channels, inner, bias, z);
}

void fused_activation(const FusedActivation& act, const float* x, float* y, int64_t n) {
  vmath::activation(simd::best_isa(), act, x, y, n);
}

}  // namespace infer::cpu
