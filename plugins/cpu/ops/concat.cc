#include "kernels/layout.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class ConcatKernel final : public Kernel {
 public:
  explicit ConcatKernel(int64_t axis) : axis_(axis) {}

  void run(KernelContext& ctx) const override {
    const size_t n = ctx.input_count();
    std::vector<ShapeSpan> shapes(n);
    std::vector<const void*> data(n);
    const infer_dtype dtype = ctx.input(0).dtype;
    for (size_t i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      if (!t.present()) fail_input(str_cat("input ", i, " is missing"));
      if (t.dtype != dtype) {
        fail_input(str_cat("input ", i, " has type ", plugin::dtype_name(t.dtype), ", input 0 has ",
                           plugin::dtype_name(dtype)));
      }
      shapes[i] = t.shape;
      data[i] = t.data;
    }
    const Shape out_shape = concat_shape(shapes, axis_);
    void* out = ctx.allocate_output(0, dtype, out_shape);
    concat(data, shapes, axis_, plugin::dtype_size(dtype), out);
  }

 private:
  int64_t axis_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // axis became required in opset 4; it defaulted to 1 before.
  if (ctx.opset >= 4 && !has_attr(ctx, "axis")) fail_attr("attribute 'axis' is required");
  const int64_t axis = attr_int(ctx, "axis", 1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) normalize_axis(axis, *rank);
  return std::make_unique<ConcatKernel>(axis);
}

}  // namespace

constinit const OpDesc kOpConcat = {.op_type = "Concat",
                                    .min_inputs = 1,
                                    .max_inputs = SIZE_MAX,
                                    .input_dtypes = {kAnyFixed},
                                    .create = &create};

}  // namespace infer::cpu
