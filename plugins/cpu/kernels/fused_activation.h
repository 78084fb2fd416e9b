// The epilogue of the fused operators (com.infer FusedConv, FusedGemm, FusedMatMul): an
// activation chosen by name, applied together with a per-channel bias and a residual in one
// pass over the output of the underlying Conv / Gemm / MatMul kernel.
#ifndef INFER_PLUGINS_CPU_KERNELS_FUSED_ACTIVATION_H_
#define INFER_PLUGINS_CPU_KERNELS_FUSED_ACTIVATION_H_

#include <span>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class FusedActivationKind {
  kNone,
  kRelu,
  kClip,  // params: min, max
  kSigmoid,
  kTanh,
  kLeakyRelu,    // params: alpha
  kHardSigmoid,  // params: alpha, beta
  kGelu,         // exact (erf) form
  kHardSwish,
  kSilu,  // x * sigmoid(x) (Swish), EfficientNet's activation
};

struct FusedActivation {
  FusedActivationKind kind = FusedActivationKind::kNone;
  float alpha = 0, beta = 0;  // the parameters, in the order listed above
};

// Parses the `activation` / `activation_params` attributes ("" = none); the names are the ONNX
// op types ("Relu", "Clip", ...). Throws (attribute error) for an unknown name or a wrong
// parameter count.
FusedActivation parse_fused_activation(std::string_view name, std::span<const float> params);

// y = act(y + bias[c] + z) where y is viewed as [outer, channels, inner] and c is the middle
// index. bias (channels values) and z (same shape as y) may be null.
void fused_epilogue(const FusedActivation& act, float* y, int64_t outer, int64_t channels,
                    int64_t inner, const float* bias, const float* z);

// y = act(x), elementwise; y may equal x.
void fused_activation(const FusedActivation& act, const float* x, float* y, int64_t n);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_FUSED_ACTIVATION_H_
