#include "kernels/shape_ops.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class SqueezeKernel final : public Kernel {
 public:
  // attr_axes: the axes attribute of opset < 13; from 13 on they are the optional input 1.
  explicit SqueezeKernel(std::optional<Shape> attr_axes) : attr_axes_(std::move(attr_axes)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const std::optional<Shape> axes = attr_axes_ ? attr_axes_ : optional_ints(ctx, 1, "axes");
    copy_to_output(ctx, x, squeeze_shape(x.shape, axes));
  }

 private:
  std::optional<Shape> attr_axes_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<Shape> axes;
  if (ctx.opset < 13) {
    if (ctx.node.has_input(1)) fail_attr("axes is an attribute before opset 13, not an input");
    if (has_attr(ctx, "axes")) axes = attr_ints(ctx, "axes");
  }
  return std::make_unique<SqueezeKernel>(std::move(axes));
}

}  // namespace

constinit const OpDesc kOpSqueeze = {.op_type = "Squeeze",
                                     .min_inputs = 1,
                                     .max_inputs = 2,
                                     .input_dtypes = {kAnyFixed, kI64},
                                     .create = &create};

}  // namespace infer::cpu
