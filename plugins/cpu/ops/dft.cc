#include "kernels/signal.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class DftKernel final : public Kernel {
 public:
  // axis: the attribute before opset 20; from opset 20 it is input 2 (default -2).
  DftKernel(std::optional<int64_t> axis_attr, bool inverse, bool onesided)
      : axis_attr_(axis_attr), inverse_(inverse), onesided_(onesided) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::optional<int64_t> length;
    if (ctx.input_count() > 1 && ctx.input(1).present()) {
      length = scalar_int(ctx.input(1), "dft_length");
    }
    int64_t axis = axis_attr_.value_or(-2);
    if (!axis_attr_ && ctx.input_count() > 2 && ctx.input(2).present()) {
      axis = scalar_int(ctx.input(2), "axis");
    }
    const DftPlan plan = plan_dft(x.shape, axis, length, inverse_, onesided_);
    const std::vector<double> in = to_vector<double>(x);
    std::vector<double> out(static_cast<size_t>(numel(plan.y_shape)));
    dft(plan, in.data(), out.data());
    write_output(ctx, 0, x.dtype, plan.y_shape, out);
  }

 private:
  std::optional<int64_t> axis_attr_;
  bool inverse_, onesided_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<int64_t> axis;
  if (ctx.opset < 20) {
    axis = attr_int(ctx, "axis", 1);
  } else if (has_attr(ctx, "axis")) {
    fail_attr("attribute 'axis' was replaced by an input in opset 20");
  }
  return std::make_unique<DftKernel>(axis, attr_bool(ctx, "inverse", false),
                                     attr_bool(ctx, "onesided", false));
}

}  // namespace

constinit const OpDesc kOpDFT = {.op_type = "DFT",
                                 .min_inputs = 1,
                                 .max_inputs = 3,
                                 .input_dtypes = {kFloats, kI32 | kI64, kI64},
                                 .create = &create};

}  // namespace infer::cpu
