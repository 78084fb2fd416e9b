#include "kernels/gather.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class GatherNDKernel final : public Kernel {
 public:
  explicit GatherNDKernel(int64_t batch_dims) : batch_dims_(batch_dims) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& idx = ctx.input(1);
    if (idx.shape.empty()) fail_input("GatherND needs indices of rank >= 1");
    void* out = ctx.allocate_output(0, x.dtype, gather_nd_shape(x.shape, idx.shape, batch_dims_));
    gather_nd(x.data, x.shape, idx.as<int64_t>(), idx.shape, batch_dims_, out,
              plugin::dtype_size(x.dtype));
  }

 private:
  int64_t batch_dims_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // batch_dims arrived in opset 12.
  const int64_t batch_dims = ctx.opset >= 12 ? attr_int(ctx, "batch_dims", 0) : 0;
  if (batch_dims < 0) fail_attr(str_cat("attribute 'batch_dims' must be >= 0, got ", batch_dims));
  return std::make_unique<GatherNDKernel>(batch_dims);
}

}  // namespace

constinit const OpDesc kOpGatherND = {.op_type = "GatherND",
                                      .min_inputs = 2,
                                      .max_inputs = 2,
                                      .input_dtypes = {kAnyFixed, kI64},
                                      .create = &create};

}  // namespace infer::cpu
