#include "kernels/conv_transpose.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class ConvTransposeKernel final : public Kernel {
 public:
  explicit ConvTransposeKernel(ConvTransposeParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    const Tensor& b = ctx.input(2);
    if (w.dtype != x.dtype || (b.present() && b.dtype != x.dtype)) {
      fail_input("X, W and B must have the same type");
    }
    const ConvTransposePlan plan = plan_conv_transpose(
        params_, x.shape, w.shape, b.present() ? std::optional(b.shape) : std::nullopt);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      conv_transpose<T>(plan, x.as<T>(), w.as<T>(), b.present() ? b.as<T>() : nullptr,
                        ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  ConvTransposeParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvTransposeParams p;
  p.kernel_shape = attr_ints(ctx, "kernel_shape");
  p.strides = attr_ints(ctx, "strides");
  p.dilations = attr_ints(ctx, "dilations");
  p.pads = attr_ints(ctx, "pads");
  p.output_padding = attr_ints(ctx, "output_padding");
  p.output_shape = attr_ints(ctx, "output_shape");
  p.auto_pad = parse_auto_pad(attr_string(ctx, "auto_pad", "NOTSET"));
  p.group = attr_int(ctx, "group", 1);
  validate_conv_transpose_params(p, spatial_rank(ctx, p.kernel_shape));
  return std::make_unique<ConvTransposeKernel>(std::move(p));
}

}  // namespace

constinit const OpDesc kOpConvTranspose = {.op_type = "ConvTranspose",
                                           .min_inputs = 2,
                                           .max_inputs = 3,
                                           .input_dtypes = {kFloats, kFloats, kFloats},
                                           .create = &create,
                                           .check = &check_window_rank};

}  // namespace infer::cpu
