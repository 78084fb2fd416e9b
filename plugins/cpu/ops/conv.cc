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
    if (w.dtype != x.dtype || (b.present() && b.dtype != x.dtype)) {
      fail_input("X, W and B must have the same type");
    }
    const ConvPlan plan =
        plan_conv(params_, x.shape, w.shape, b.present() ? std::optional(b.shape) : std::nullopt);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      conv<T>(plan, x.as<T>(), w.as<T>(), b.present() ? b.as<T>() : nullptr,
              ctx.output<T>(0, plan.y_shape));
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
  return std::make_unique<ConvKernel>(std::move(p));
}

}  // namespace

constinit const OpDesc kOpConv = {.op_type = "Conv",
                                  .min_inputs = 2,
                                  .max_inputs = 3,
                                  .input_dtypes = {kFloats, kFloats, kFloats},
                                  .create = &create,
                                  .check = &check_window_rank};

}  // namespace infer::cpu
