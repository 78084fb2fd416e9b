#include "kernels/movement.h"
#include "kernels/shape_ops.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class ExpandKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape out_shape = expand_shape(x.shape, ints_of(ctx.input(1), "shape"));
    void* out = ctx.allocate_output(0, x.dtype, out_shape);
    broadcast_to(x.data, x.shape, out, out_shape, plugin::dtype_size(x.dtype));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<ExpandKernel>(); }

}  // namespace

constinit const OpDesc kOpExpand = {.op_type = "Expand",
                                    .min_inputs = 2,
                                    .max_inputs = 2,
                                    .input_dtypes = {kAnyFixed, kI64},
                                    .create = &create};

}  // namespace infer::cpu
