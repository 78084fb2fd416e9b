// ArgMax and ArgMin: identical but for the comparison.
#include "kernels/reduce.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class ArgReduceKernel final : public Kernel {
 public:
  ArgReduceKernel(bool is_max, int64_t axis, bool keepdims, bool select_last_index)
      : is_max_(is_max), axis_(axis), keepdims_(keepdims), select_last_(select_last_index) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const ArgPlan plan = plan_arg_reduce(x.shape, axis_, keepdims_);
    int64_t* y = ctx.output<int64_t>(0, plan.y_shape);
    visit_dtype<kNumeric>(
        x.dtype, [&]<typename T>(T) { arg_reduce<T>(is_max_, select_last_, plan, x.as<T>(), y); });
  }

 private:
  bool is_max_;
  int64_t axis_;
  bool keepdims_, select_last_;
};

template <bool IsMax>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", 0);
  if (std::optional<size_t> rank = ctx.input_rank(0)) {
    if (axis < -static_cast<int64_t>(*rank) || axis >= static_cast<int64_t>(*rank)) {
      fail_attr(str_cat("attribute 'axis' ", axis, " is out of range for rank ", *rank));
    }
  }
  // select_last_index exists from opset 12; earlier nodes cannot set it.
  return std::make_unique<ArgReduceKernel>(IsMax, axis, attr_bool(ctx, "keepdims", true),
                                           attr_bool(ctx, "select_last_index", false));
}

}  // namespace

constinit const OpDesc kOpArgMax = {
    .op_type = "ArgMax", .input_dtypes = {kNumeric}, .create = &create<true>};
constinit const OpDesc kOpArgMin = {
    .op_type = "ArgMin", .input_dtypes = {kNumeric}, .create = &create<false>};

}  // namespace infer::cpu
