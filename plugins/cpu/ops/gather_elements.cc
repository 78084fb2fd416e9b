#include "kernels/gather.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class GatherElementsKernel final : public Kernel {
 public:
  explicit GatherElementsKernel(int64_t axis) : axis_(axis) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& idx = ctx.input(1);
    check_gather_elements(x.shape, idx.shape, axis_);
    void* out = ctx.allocate_output(0, x.dtype, idx.shape);
    gather_elements(x.data, x.shape, idx.data, idx.dtype, idx.shape, axis_, out,
                    plugin::dtype_size(x.dtype));
  }

 private:
  int64_t axis_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", 0);
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
    normalize_axis(axis, *rank);
  }
  return std::make_unique<GatherElementsKernel>(axis);
}

}  // namespace

constinit const OpDesc kOpGatherElements = {.op_type = "GatherElements",
                                            .min_inputs = 2,
                                            .max_inputs = 2,
                                            .input_dtypes = {kAnyFixed, kI32 | kI64},
                                            .create = &create};

}  // namespace infer::cpu
