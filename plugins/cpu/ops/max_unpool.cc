#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class MaxUnpoolKernel final : public Kernel {
 public:
  explicit MaxUnpoolKernel(WindowParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    const Tensor& output_shape = ctx.input(2);
    std::optional<std::span<const int64_t>> os;
    if (output_shape.present()) {
      if (output_shape.shape.size() != 1) {
        fail_input(str_cat("output_shape must be 1-D, got ", shape_str(output_shape.shape)));
      }
      os = std::span(output_shape.as<int64_t>(), static_cast<size_t>(output_shape.shape[0]));
    }
    const UnpoolPlan plan = plan_max_unpool(params_, x.shape, indices.shape, os);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      max_unpool<T>(plan, x.as<T>(), indices.as<int64_t>(), ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  WindowParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  WindowParams p;
  p.kernel_shape = attr_ints(ctx, "kernel_shape");
  if (p.kernel_shape.empty()) fail_attr("attribute 'kernel_shape' is required");
  p.strides = attr_ints(ctx, "strides");
  p.pads = attr_ints(ctx, "pads");
  validate_window(p, p.kernel_shape.size());
  return std::make_unique<MaxUnpoolKernel>(std::move(p));
}

}  // namespace

constinit const OpDesc kOpMaxUnpool = {.op_type = "MaxUnpool",
                                       .min_inputs = 2,
                                       .max_inputs = 3,
                                       .input_dtypes = {kFloats, kI64, kI64},
                                       .create = &create};

}  // namespace infer::cpu
