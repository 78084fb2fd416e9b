// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, which is LogSoftmax over the class
// axis (optionally returned as log_prob) followed by the same loss.
#include "kernels/loss.h"

#include "kernels/softmax.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class LossKernel final : public Kernel {
 public:
  LossKernel(bool softmax_first, LossReduction reduction, std::optional<int64_t> ignore_index,
             bool with_log_prob)
      : softmax_first_(softmax_first),
        reduction_(reduction),
        ignore_index_(ignore_index),
        with_log_prob_(with_log_prob) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& target = ctx.input(1);
    const Tensor& weight = ctx.input(2);
    if (weight.present() && weight.dtype != x.dtype) {
      fail_input("weight must have the type of the input");
    }
    const NllPlan plan =
        plan_nll(x.shape, target.shape, weight.present() ? &weight.shape : nullptr);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      const T* input = x.as<T>();
      std::vector<T> scratch;
      if (softmax_first_) {
        T* log_prob = nullptr;
        if (with_log_prob_) {
          log_prob = ctx.output<T>(1, x.shape);
        } else {
          scratch.resize(static_cast<size_t>(numel(x.shape)));
          log_prob = scratch.data();
        }
        softmax_kind<T>(SoftmaxKind::kLogSoftmax, input, log_prob, {plan.n, plan.c, plan.d});
        input = log_prob;
      }
      T* y = ctx.output<T>(0, nll_output_shape(plan, reduction_));
      const T* w = weight.present() ? weight.as<T>() : nullptr;
      if (target.dtype == INFER_DTYPE_INT32) {
        nll_loss<T>(plan, reduction_, ignore_index_, input, target.as<int32_t>(), w, y);
      } else {
        nll_loss<T>(plan, reduction_, ignore_index_, input, target.as<int64_t>(), w, y);
      }
    });
  }

 private:
  bool softmax_first_;
  LossReduction reduction_;
  std::optional<int64_t> ignore_index_;
  bool with_log_prob_;
};

template <bool SoftmaxFirst>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const LossReduction reduction = parse_reduction(attr_string(ctx, "reduction", "mean"));
  std::optional<int64_t> ignore_index;
  if (has_attr(ctx, "ignore_index")) ignore_index = attr_int(ctx, "ignore_index", 0);
  const bool with_log_prob = ctx.node.output_count() > 1 && ctx.node.output(1) != INFER_NO_VALUE;
  return std::make_unique<LossKernel>(SoftmaxFirst, reduction, ignore_index, with_log_prob);
}

}  // namespace

constinit const OpDesc kOpNegativeLogLikelihoodLoss = {
    .op_type = "NegativeLogLikelihoodLoss",
    .min_inputs = 2,
    .max_inputs = 3,
    .input_dtypes = {kFloats, kI32 | kI64, kFloats},
    .create = &create<false>};
constinit const OpDesc kOpSoftmaxCrossEntropyLoss = {
    .op_type = "SoftmaxCrossEntropyLoss",
    .min_inputs = 2,
    .max_inputs = 3,
    .input_dtypes = {kFloats, kI32 | kI64, kFloats},
    .max_outputs = 2,
    .create = &create<true>};

}  // namespace infer::cpu
