#include "kernels/conv.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class ConvKernel final : public Kernel {
 public:
  explicit ConvKernel(ConvParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    const Tensor& b = ctx.input(2);
    const ConvPlan plan =
        plan_conv(params_, x.shape, w.shape, b.present() ? std::optional(b.shape) : std::nullopt);
    float* y = ctx.output<float>(0, plan.y_shape);
    conv(plan, x.as<float>(), w.as<float>(), b.present() ? b.as<float>() : nullptr, y);
  }

 private:
  ConvParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = read_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, p.window.kernel_shape.size());
  return std::make_unique<ConvKernel>(std::move(p));
}

}  // namespace

constinit const OpDesc kOpConv = {.op_type = "Conv",
                                  .min_inputs = 2,
                                  .max_inputs = 3,
                                  .input_dtypes = {kF32, kF32, kF32},
                                  .create = &create,
                                  .check = &check_window_rank};

}  // namespace infer::cpu
