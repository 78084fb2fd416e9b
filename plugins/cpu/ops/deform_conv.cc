#include "kernels/deform_conv.h"

#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class DeformConvKernel final : public Kernel {
 public:
  explicit DeformConvKernel(DeformConvParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    auto opt = [&](size_t i) -> const Tensor* {
      return i < ctx.input_count() && ctx.input(i).present() ? &ctx.input(i) : nullptr;
    };
    const Tensor& x = ctx.input(0);
    for (size_t i = 1; i < 5; ++i) {
      if (opt(i) && opt(i)->dtype != x.dtype) fail_input("all inputs must have X's type");
    }
    const Tensor &w = ctx.input(1), &offset = ctx.input(2);
    const Tensor *bias = opt(3), *mask = opt(4);
    const DeformConvPlan plan = plan_deform_conv(params_, x.shape, w.shape, offset.shape,
                                                 bias ? std::optional(bias->shape) : std::nullopt,
                                                 mask ? std::optional(mask->shape) : std::nullopt);
    visit_compute_type(x.dtype, [&]<typename T>(T) {
      const std::vector<T> xv = to_vector<T>(x), wv = to_vector<T>(w), ov = to_vector<T>(offset);
      const std::vector<T> bv = bias ? to_vector<T>(*bias) : std::vector<T>{};
      const std::vector<T> mv = mask ? to_vector<T>(*mask) : std::vector<T>{};
      std::vector<T> y(static_cast<size_t>(numel(plan.y_shape)));
      deform_conv(plan, xv.data(), wv.data(), ov.data(), bias ? bv.data() : nullptr,
                  mask ? mv.data() : nullptr, y.data());
      write_output(ctx, 0, x.dtype, plan.y_shape, y);
    });
  }

 private:
  DeformConvParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  DeformConvParams p;
  p.kernel_shape = attr_ints(ctx, "kernel_shape");
  p.strides = attr_ints(ctx, "strides");
  p.dilations = attr_ints(ctx, "dilations");
  p.pads = attr_ints(ctx, "pads");
  p.group = attr_int(ctx, "group", 1);
  p.offset_group = attr_int(ctx, "offset_group", 1);
  validate_deform_conv_params(p);
  return std::make_unique<DeformConvKernel>(std::move(p));
}

void check(const OpContext& ctx) {
  if (std::optional<size_t> r = ctx.input_rank(0); r && *r != 4) {
    fail(INFER_UNIMPLEMENTED, str_cat("DeformConv supports 2-D inputs only, got rank ", *r));
  }
}

}  // namespace

constinit const OpDesc kOpDeformConv = {
    .op_type = "DeformConv",
    .min_inputs = 3,
    .max_inputs = 5,
    .input_dtypes = {kFloats, kFloats, kFloats, kFloats, kFloats},
    .create = &create,
    .check = &check};

}  // namespace infer::cpu
