#include "kernels/quantize.h"
#include "ops/quant_common.h"

namespace infer::cpu {
namespace {

class ConvIntegerKernel final : public Kernel {
 public:
  explicit ConvIntegerKernel(ConvParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    const ConvPlan plan = plan_conv(params_, x.shape, w.shape, std::nullopt);
    auto zero_point = [&](size_t i, size_t of, int64_t count, const char* what) {
      if (ctx.input_count() <= i || !ctx.input(i).present()) return std::vector<double>{0.0};
      if (ctx.input(i).dtype != ctx.input(of).dtype) {
        fail_input(str_cat(what, " must have the type of its operand"));
      }
      return quant_values(ctx.input(i), count, QuantLayout::kChannels, what);
    };
    // x has one zero point; w one, or one per output channel.
    const std::vector<double> xzp = zero_point(2, 0, 1, "x_zero_point");
    const std::vector<double> wzp = zero_point(3, 1, plan.out_channels, "w_zero_point");
    const int64_t per_channel = numel(w.shape) / std::max<int64_t>(plan.out_channels, 1);
    const std::vector<int32_t> x32 = minus_zero_point(x, xzp, [](size_t) { return 0; });
    const std::vector<int32_t> w32 =
        minus_zero_point(w, wzp, [&](size_t i) { return static_cast<int64_t>(i) / per_channel; });
    int_conv(plan, x32.data(), w32.data(), nullptr, ctx.output<int32_t>(0, plan.y_shape));
  }

 private:
  ConvParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = read_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, p.window.kernel_shape.size());
  return std::make_unique<ConvIntegerKernel>(std::move(p));
}

}  // namespace

constinit const OpDesc kOpConvInteger = {
    .op_type = "ConvInteger",
    .min_inputs = 2,
    .max_inputs = 4,
    .input_dtypes = {kI8 | kU8, kI8 | kU8, kI8 | kU8, kI8 | kU8},
    .create = &create,
    .check = &check_window_rank};

}  // namespace infer::cpu
