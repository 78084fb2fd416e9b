#include "kernels/select.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class CompressKernel final : public Kernel {
 public:
  explicit CompressKernel(std::optional<int64_t> axis) : axis_(axis) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& cond = ctx.input(1);
    if (cond.shape.size() != 1) {
      fail_input(str_cat("condition must be 1-D, got shape ", shape_str(cond.shape)));
    }
    if (axis_ && x.shape.empty()) fail_input("cannot compress a scalar along an axis");
    const Shape out_shape = compress_shape(x.shape, cond.as<bool>(), cond.shape[0], axis_);
    void* out = ctx.allocate_output(0, x.dtype, out_shape);
    compress(x.data, x.shape, cond.as<bool>(), cond.shape[0], axis_, out,
             plugin::dtype_size(x.dtype));
  }

 private:
  std::optional<int64_t> axis_;  // nullopt: flatten
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<int64_t> axis;
  if (has_attr(ctx, "axis")) {
    axis = attr_int(ctx, "axis", 0);
    if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
      normalize_axis(*axis, *rank);
    }
  }
  return std::make_unique<CompressKernel>(axis);
}

}  // namespace

constinit const OpDesc kOpCompress = {.op_type = "Compress",
                                      .min_inputs = 2,
                                      .max_inputs = 2,
                                      .input_dtypes = {kAnyFixed, kBool},
                                      .create = &create};

}  // namespace infer::cpu
