#include "kernels/quantize.h"
#include "ops/quant_common.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kQ = kI8 | kU8;
// x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
constexpr std::initializer_list<DtypeMask> kTypes = {kQ, kF32, kQ, kQ, kF32, kQ, kF32, kQ, kI32};

class QLinearConvKernel final : public Kernel {
 public:
  explicit QLinearConvKernel(ConvParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    check_input_types(ctx, kTypes);
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(3);
    const Tensor& y_zp = ctx.input(7);
    const Tensor* bias = ctx.input_count() > 8 && ctx.input(8).present() ? &ctx.input(8) : nullptr;
    if (ctx.input(2).dtype != x.dtype || ctx.input(5).dtype != w.dtype) {
      fail_input("zero points must have the types of their operands");
    }
    const ConvPlan plan =
        plan_conv(params_, x.shape, w.shape, bias ? std::optional(bias->shape) : std::nullopt);
    const int64_t mc = plan.out_channels;
    const std::vector<double> xs = quant_values(ctx.input(1), 1, QuantLayout::kChannels, "x_scale");
    const std::vector<double> xzp =
        quant_values(ctx.input(2), 1, QuantLayout::kChannels, "x_zero_point");
    const std::vector<double> ws =
        quant_values(ctx.input(4), mc, QuantLayout::kChannels, "w_scale");
    const std::vector<double> wzp =
        quant_values(ctx.input(5), mc, QuantLayout::kChannels, "w_zero_point");
    const std::vector<double> ys = quant_values(ctx.input(6), 1, QuantLayout::kChannels, "y_scale");
    const std::vector<double> yzp = quant_values(y_zp, 1, QuantLayout::kChannels, "y_zero_point");
    const int64_t per_channel = numel(w.shape) / std::max<int64_t>(mc, 1);
    const std::vector<int32_t> x32 = minus_zero_point(x, xzp, [](size_t) { return 0; });
    const std::vector<int32_t> w32 =
        minus_zero_point(w, wzp, [&](size_t i) { return static_cast<int64_t>(i) / per_channel; });
    std::vector<int32_t> acc(static_cast<size_t>(numel(plan.y_shape)));
    int_conv(plan, x32.data(), w32.data(), bias ? bias->as<int32_t>() : nullptr, acc.data());
    // Requantize per output channel with float32 x_scale * w_scale / y_scale.
    const auto [lo, hi] = int_range(y_zp.dtype);
    const auto zp = static_cast<int64_t>(yzp[0]);
    const int64_t out_size = plan.geo.out_size();
    void* out = ctx.allocate_output(0, y_zp.dtype, plan.y_shape);
    visit_dtype<kQ>(y_zp.dtype, [&]<typename T>(T) {
      T* y = static_cast<T*>(out);
      for (size_t i = 0; i < acc.size(); ++i) {
        const auto ch = static_cast<size_t>((static_cast<int64_t>(i) / out_size) % mc);
        const float f = static_cast<float>(xs[0]) *
                        static_cast<float>(ws[ws.size() == 1 ? 0 : ch]) / static_cast<float>(ys[0]);
        y[i] = static_cast<T>(quantize_value(acc[i] * static_cast<double>(f), zp, lo, hi));
      }
    });
  }

 private:
  ConvParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = read_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, p.window.kernel_shape.size());
  return std::make_unique<QLinearConvKernel>(std::move(p));
}

void check(const OpContext& ctx) {
  check_input_types(ctx, kTypes);
  check_window_rank(ctx);
}

}  // namespace

// Inputs share type relations the masks cannot express: inputs 4 to 8 are checked by
// check_input_types.
constinit const OpDesc kOpQLinearConv = {.op_type = "QLinearConv",
                                         .min_inputs = 8,
                                         .max_inputs = 9,
                                         .input_dtypes = {kQ, kF32, kQ, kQ, kF32 | kQ | kI32},
                                         .create = &create,
                                         .check = &check};

}  // namespace infer::cpu
