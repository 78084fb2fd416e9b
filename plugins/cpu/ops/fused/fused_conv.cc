// com.infer FusedConv: Y = act(Conv(X, W, B) + Z), made by conv_activation_fusion. The conv
// kernel writes Conv(X, W, B); one more pass over Y adds the residual Z and applies act.
#include "kernels/conv.h"
#include "ops/fused/activation_attrs.h"

namespace infer::cpu {
namespace {

class FusedConvKernel final : public Kernel {
 public:
  FusedConvKernel(ConvParams params, FusedActivation act) : params_(std::move(params)), act_(act) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    const Tensor& b = ctx.input(2);
    const Tensor& z = ctx.input(3);
    const ConvPlan plan =
        plan_conv(params_, x.shape, w.shape, b.present() ? std::optional(b.shape) : std::nullopt);
    if (z.present() && !std::ranges::equal(z.shape, plan.y_shape)) {
      fail_input(str_cat("Z must have the output shape ", shape_str(plan.y_shape), ", got ",
                         shape_str(z.shape)));
    }
    float* y = ctx.output<float>(0, plan.y_shape);
    conv<float>(plan, x.as<float>(), w.as<float>(), b.present() ? b.as<float>() : nullptr, y);
    fused_epilogue(act_, y, 1, 1, numel(plan.y_shape), nullptr,
                   z.present() ? z.as<float>() : nullptr);
  }

 private:
  ConvParams params_;
  FusedActivation act_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = read_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, p.window.kernel_shape.size());
  return std::make_unique<FusedConvKernel>(std::move(p), read_fused_activation(ctx));
}

}  // namespace

constinit const OpDesc kOpFusedConv = {.op_type = "FusedConv",
                                       .domain = kInferDomain,
                                       .min_inputs = 2,
                                       .max_inputs = 4,
                                       .input_dtypes = {kF32, kF32, kF32, kF32},
                                       .create = &create,
                                       .check = &check_window_rank};

}  // namespace infer::cpu
