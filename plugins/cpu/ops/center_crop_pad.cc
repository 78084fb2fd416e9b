#include <array>

#include "kernels/pad.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class CenterCropPadKernel final : public Kernel {
 public:
  explicit CenterCropPadKernel(std::optional<Shape> axes) : axes_(std::move(axes)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape shape = ints_of(ctx.input(1), "shape");
    const size_t rank = x.shape.size();
    // The target shape of every axis: the input's except for the listed axes.
    Shape target(x.shape.begin(), x.shape.end());
    const size_t n = axes_ ? axes_->size() : rank;
    if (shape.size() != n) {
      fail_input(str_cat("shape ", shape_str(shape), " must have ", n, " entries"));
    }
    std::vector<bool> seen(rank, false);
    for (size_t i = 0; i < n; ++i) {
      const size_t a = axes_ ? normalize_axis((*axes_)[i], rank) : i;
      if (seen[a]) fail_input(str_cat("axes ", shape_str(*axes_), " repeat axis ", a));
      seen[a] = true;
      target[a] = shape[i];
    }
    const Shape pads = center_crop_pad_pads(x.shape, target);
    const std::array<std::byte, 16> zero{};
    void* out = ctx.allocate_output(0, x.dtype, pad_shape(x.shape, pads));
    pad(x.data, x.shape, pads, PadMode::kConstant, zero.data(), out, plugin::dtype_size(x.dtype));
  }

 private:
  std::optional<Shape> axes_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<Shape> axes;
  if (has_attr(ctx, "axes")) axes = attr_ints(ctx, "axes");
  return std::make_unique<CenterCropPadKernel>(std::move(axes));
}

}  // namespace

constinit const OpDesc kOpCenterCropPad = {.op_type = "CenterCropPad",
                                           .min_inputs = 2,
                                           .max_inputs = 2,
                                           .input_dtypes = {kAnyFixed, kI32 | kI64},
                                           .create = &create};

}  // namespace infer::cpu
