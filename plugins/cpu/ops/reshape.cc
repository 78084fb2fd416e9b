#include "kernels/layout.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class ReshapeKernel final : public Kernel {
 public:
  // legacy_shape: opset < 5 gives the shape as an attribute instead of input 1.
  ReshapeKernel(bool allowzero, std::optional<Shape> legacy_shape)
      : allowzero_(allowzero), legacy_shape_(std::move(legacy_shape)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::span<const int64_t> requested;
    if (legacy_shape_) {
      requested = *legacy_shape_;
    } else {
      const Tensor& shape = ctx.input(1);
      if (shape.shape.size() != 1) {
        fail_input(str_cat("shape input must be 1-D, got ", shape_str(shape.shape)));
      }
      requested = {shape.as<int64_t>(), static_cast<size_t>(shape.shape[0])};
    }
    copy_to_output(ctx, x, reshape_shape(x.shape, requested, allowzero_));
  }

 private:
  bool allowzero_;
  std::optional<Shape> legacy_shape_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const bool allowzero = attr_bool(ctx, "allowzero", false);
  std::optional<Shape> legacy_shape;
  if (!ctx.node.has_input(1)) {
    if (ctx.opset >= 5 || !has_attr(ctx, "shape")) fail_attr("the shape input is missing");
    legacy_shape = attr_ints(ctx, "shape");
  }
  return std::make_unique<ReshapeKernel>(allowzero, std::move(legacy_shape));
}

}  // namespace

constinit const OpDesc kOpReshape = {.op_type = "Reshape",
                                     .min_inputs = 1,
                                     .max_inputs = 2,
                                     .input_dtypes = {kAnyFixed, kI64},
                                     .create = &create};

}  // namespace infer::cpu
