#include "kernels/generate.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class OneHotKernel final : public Kernel {
 public:
  explicit OneHotKernel(int64_t axis) : axis_(axis) {}

  void run(KernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& depth_t = ctx.input(1);
    const Tensor& values = ctx.input(2);
    if (numel(depth_t.shape) != 1) {
      fail_input(str_cat("depth must have one element, got shape ", shape_str(depth_t.shape)));
    }
    if (values.shape.size() != 1 || values.shape[0] != 2) {
      fail_input(
          str_cat("values must be [off_value, on_value], got shape ", shape_str(values.shape)));
    }
    double d = 0;
    visit_dtype<kNumeric>(depth_t.dtype,
                          [&]<typename T>(T) { d = static_cast<double>(load(*depth_t.as<T>())); });
    // Non-integral depths truncate, as the spec casts them to int64.
    if (!(d >= 1 && d < 9.0e18)) fail_input(str_cat("depth must be positive, got ", d));
    const auto depth = static_cast<int64_t>(d);
    void* out = ctx.allocate_output(0, values.dtype, one_hot_shape(indices.shape, depth, axis_));
    one_hot(indices.data, indices.dtype, indices.shape, depth, axis_, values.data,
            plugin::dtype_size(values.dtype), out);
  }

 private:
  int64_t axis_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", -1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) normalize_axis(axis, *rank + 1);
  return std::make_unique<OneHotKernel>(axis);
}

}  // namespace

constinit const OpDesc kOpOneHot = {.op_type = "OneHot",
                                    .min_inputs = 3,
                                    .max_inputs = 3,
                                    .input_dtypes = {kNumeric, kNumeric, kAnyFixed},
                                    .create = &create};

}  // namespace infer::cpu
