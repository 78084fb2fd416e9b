#include "kernels/generate.h"
#include "ops/constant_value.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class ConstantOfShapeKernel final : public Kernel {
 public:
  explicit ConstantOfShapeKernel(ConstantValue value) : value_(std::move(value)) {}

  void run(KernelContext& ctx) const override {
    const Shape shape = ints_of(ctx.input(0), "shape");
    for (int64_t d : shape) {
      if (d < 0) fail_input(str_cat("shape ", shape_str(shape), " has a negative dimension"));
    }
    void* out = ctx.allocate_output(0, value_.dtype, shape);
    fill_elements(value_.bytes.data(), value_.bytes.size(), numel(shape), out);
  }

 private:
  ConstantValue value_;  // one element
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConstantValue v{INFER_DTYPE_FLOAT32, {1}, std::vector<std::byte>(sizeof(float))};  // 0.0f
  if (has_attr(ctx, "value")) {
    v = tensor_attr_value(ctx, "value");
    if (numel(v.shape) != 1) {
      fail_attr(str_cat("attribute 'value' must have one element, got shape ", shape_str(v.shape)));
    }
  }
  return std::make_unique<ConstantOfShapeKernel>(std::move(v));
}

}  // namespace

constinit const OpDesc kOpConstantOfShape = {
    .op_type = "ConstantOfShape", .input_dtypes = {kI64}, .create = &create};

}  // namespace infer::cpu
