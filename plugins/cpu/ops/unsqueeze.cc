#include "kernels/shape_ops.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class UnsqueezeKernel final : public Kernel {
 public:
  // attr_axes: the axes attribute of opset < 13; from 13 on they are input 1.
  explicit UnsqueezeKernel(std::optional<Shape> attr_axes) : attr_axes_(std::move(attr_axes)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape axes = attr_axes_ ? *attr_axes_ : ints_of(ctx.input(1), "axes");
    copy_to_output(ctx, x, unsqueeze_shape(x.shape, axes));
  }

 private:
  std::optional<Shape> attr_axes_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<Shape> axes;
  if (ctx.opset < 13) {
    if (!has_attr(ctx, "axes")) fail_attr("attribute 'axes' is required");
    axes = attr_ints(ctx, "axes");
  } else if (!ctx.node.has_input(1)) {
    fail_attr("the axes input is missing");
  }
  return std::make_unique<UnsqueezeKernel>(std::move(axes));
}

}  // namespace

constinit const OpDesc kOpUnsqueeze = {.op_type = "Unsqueeze",
                                       .min_inputs = 1,
                                       .max_inputs = 2,
                                       .input_dtypes = {kAnyFixed, kI64},
                                       .create = &create};

}  // namespace infer::cpu
