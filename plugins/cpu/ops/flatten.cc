#include "kernels/layout.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class FlattenKernel final : public Kernel {
 public:
  explicit FlattenKernel(int64_t axis) : axis_(axis) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    copy_to_output(ctx, x, flatten_shape(x.shape, axis_));
  }

 private:
  int64_t axis_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", 1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) flatten_shape(Shape(*rank, 1), axis);
  return std::make_unique<FlattenKernel>(axis);
}

}  // namespace

constinit const OpDesc kOpFlatten = {
    .op_type = "Flatten", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
