// NegativeLogLikelihoodLoss, also the second half of SoftmaxCrossEntropyLoss.
#ifndef INFER_PLUGINS_CPU_KERNELS_LOSS_H_
#define INFER_PLUGINS_CPU_KERNELS_LOSS_H_

#include <optional>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class LossReduction { kNone, kSum, kMean };
// "none", "sum" or "mean"; throws (INFER_INVALID_MODEL) otherwise.
LossReduction parse_reduction(std::string_view s);

// Input [N, C] or [N, C, D1...], target [N] or [N, D1...], optional weight [C].
struct NllPlan {
  int64_t n = 0, c = 0, d = 0;  // the input viewed as [N, C, D]
  Shape target_shape;
};
NllPlan plan_nll(ShapeSpan input, ShapeSpan target, const ShapeSpan* weight);
// The output shape: the target's for kNone, else a scalar.
inline Shape nll_output_shape(const NllPlan& plan, LossReduction r) {
  return r == LossReduction::kNone ? plan.target_shape : Shape{};
}

// loss = -input[n, target, d] * weight[target] (weight 1 when null), 0 where target equals
// ignore_index. kMean divides the sum by the sum of the weights used. A target outside
// [0, C) that is not ignore_index is an error. T: the float types; I: int32_t or int64_t.
template <typename T, typename I>
void nll_loss(const NllPlan& plan, LossReduction reduction, std::optional<int64_t> ignore_index,
              const T* input, const I* target, const T* weight, T* y);

#define INFER_CPU_LOSS_EXTERN(T)                                                                   \
  extern template void nll_loss<T, int32_t>(const NllPlan&, LossReduction, std::optional<int64_t>, \
                                            const T*, const int32_t*, const T*, T*);               \
  extern template void nll_loss<T, int64_t>(const NllPlan&, LossReduction, std::optional<int64_t>, \
                                            const T*, const int64_t*, const T*, T*);
INFER_CPU_LOSS_EXTERN(float)
INFER_CPU_LOSS_EXTERN(double)
INFER_CPU_LOSS_EXTERN(Float16)
INFER_CPU_LOSS_EXTERN(BFloat16)
#undef INFER_CPU_LOSS_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_LOSS_H_
