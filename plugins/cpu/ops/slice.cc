#include "kernels/slice.h"

#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

// Before opset 10 starts/ends/axes were attributes.
struct LegacyAttrs {
  Shape starts, ends;
  std::optional<Shape> axes;
};

class SliceKernel final : public Kernel {
 public:
  explicit SliceKernel(std::optional<LegacyAttrs> legacy) : legacy_(std::move(legacy)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    SlicePlan plan;
    if (legacy_) {
      plan = plan_slice(x.shape, legacy_->starts, legacy_->ends, legacy_->axes, std::nullopt);
    } else {
      const Tensor& starts = ctx.input(1);
      if (ctx.input(2).dtype != starts.dtype ||
          (ctx.input(3).present() && ctx.input(3).dtype != starts.dtype) ||
          (ctx.input(4).present() && ctx.input(4).dtype != starts.dtype)) {
        fail_input("starts, ends, axes and steps must have the same type");
      }
      plan = plan_slice(x.shape, ints_of(starts, "starts"), ints_of(ctx.input(2), "ends"),
                        optional_ints(ctx, 3, "axes"), optional_ints(ctx, 4, "steps"));
    }
    void* out = ctx.allocate_output(0, x.dtype, plan.out_shape);
    slice(x.data, plan, out, plugin::dtype_size(x.dtype));
  }

 private:
  std::optional<LegacyAttrs> legacy_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (ctx.opset >= 10) {
    if (!ctx.node.has_input(1) || !ctx.node.has_input(2)) {
      fail_attr("inputs 'starts' and 'ends' are required");
    }
    return std::make_unique<SliceKernel>(std::nullopt);
  }
  if (!has_attr(ctx, "starts") || !has_attr(ctx, "ends")) {
    fail_attr("attributes 'starts' and 'ends' are required");
  }
  LegacyAttrs a{attr_ints(ctx, "starts"), attr_ints(ctx, "ends"), std::nullopt};
  if (has_attr(ctx, "axes")) a.axes = attr_ints(ctx, "axes");
  if (a.starts.size() != a.ends.size() || (a.axes && a.axes->size() != a.starts.size())) {
    fail_attr("attributes 'starts', 'ends' and 'axes' must have the same length");
  }
  return std::make_unique<SliceKernel>(std::move(a));
}

constexpr DtypeMask kIndexTypes = kI32 | kI64;

}  // namespace

constinit const OpDesc kOpSlice = {
    .op_type = "Slice",
    .min_inputs = 1,
    .max_inputs = 5,
    .input_dtypes = {kAnyFixed, kIndexTypes, kIndexTypes, kIndexTypes, kIndexTypes},
    .create = &create};

}  // namespace infer::cpu
