#include "kernels/loss.h"

#include <algorithm>
#include <vector>

namespace infer::cpu {

LossReduction parse_reduction(std::string_view s) {
  if (s == "none") return LossReduction::kNone;
  if (s == "sum") return LossReduction::kSum;
  if (s == "mean") return LossReduction::kMean;
  fail_attr(str_cat("attribute 'reduction' must be none, sum or mean, got '", s, "'"));
}

NllPlan plan_nll(ShapeSpan input, ShapeSpan target, const ShapeSpan* weight) {
  if (input.size() < 2) fail_input(str_cat("input must be [N, C, ...], got ", shape_str(input)));
  const bool ok = target.size() + 1 == input.size() && target[0] == input[0] &&
                  std::equal(target.begin() + 1, target.end(), input.begin() + 2);
  if (!ok) {
    fail_input(str_cat("target ", shape_str(target), " must be the input ", shape_str(input),
                       " without its class dimension"));
  }
  NllPlan p;
  p.n = input[0];
  p.c = input[1];
  p.d = dims_product(input, 2, input.size());
  numel(input);
  p.target_shape.assign(target.begin(), target.end());
  if (weight && (weight->size() != 1 || (*weight)[0] != p.c)) {
    fail_input(str_cat("weight must have shape [", p.c, "], got ", shape_str(*weight)));
  }
  return p;
}

template <typename T, typename I>
void nll_loss(const NllPlan& p, LossReduction reduction, std::optional<int64_t> ignore_index,
              const T* input, const I* target, const T* weight, T* y) {
  double sum = 0, weight_sum = 0;
  for (int64_t n = 0; n < p.n; ++n) {
    for (int64_t d = 0; d < p.d; ++d) {
      const int64_t i = n * p.d + d;
      const auto t = static_cast<int64_t>(target[i]);
      double loss = 0;
      if (!ignore_index || t != *ignore_index) {
        if (t < 0 || t >= p.c) {
          fail_input(
              str_cat("target ", t, " at position ", i, " is out of range for ", p.c, " classes"));
        }
        const double w = weight ? static_cast<double>(load(weight[t])) : 1.0;
        loss = -static_cast<double>(load(input[(n * p.c + t) * p.d + d])) * w;
        weight_sum += w;
      }
      if (reduction == LossReduction::kNone) {
        y[i] = store<T>(static_cast<compute_t<T>>(loss));
      } else {
        sum += loss;
      }
    }
  }
  if (reduction == LossReduction::kSum) *y = store<T>(static_cast<compute_t<T>>(sum));
  // All targets ignored: 0 / 0, NaN like the reference.
  if (reduction == LossReduction::kMean) {
    *y = store<T>(static_cast<compute_t<T>>(sum / weight_sum));
  }
}

#define INFER_CPU_LOSS_INSTANTIATE(T)                                                       \
  template void nll_loss<T, int32_t>(const NllPlan&, LossReduction, std::optional<int64_t>, \
                                     const T*, const int32_t*, const T*, T*);               \
  template void nll_loss<T, int64_t>(const NllPlan&, LossReduction, std::optional<int64_t>, \
                                     const T*, const int64_t*, const T*, T*);
INFER_CPU_LOSS_INSTANTIATE(float)
INFER_CPU_LOSS_INSTANTIATE(double)
INFER_CPU_LOSS_INSTANTIATE(Float16)
INFER_CPU_LOSS_INSTANTIATE(BFloat16)
#undef INFER_CPU_LOSS_INSTANTIATE

}  // namespace infer::cpu
