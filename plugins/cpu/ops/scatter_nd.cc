#include "ops/scatter_common.h"

namespace infer::cpu {
namespace {

class ScatterNDKernel final : public Kernel {
 public:
  explicit ScatterNDKernel(ScatterReduction reduction) : reduction_(reduction) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& idx = ctx.input(1);
    const Tensor& upd = ctx.input(2);
    if (upd.dtype != x.dtype) {
      fail_input(str_cat("updates have type ", plugin::dtype_name(upd.dtype), ", data ",
                         plugin::dtype_name(x.dtype)));
    }
    void* out = ctx.allocate_output(0, x.dtype, x.shape);
    scatter_nd(x.dtype, x.data, x.shape, idx.as<int64_t>(), idx.shape, upd.data, upd.shape,
               reduction_, out);
  }

 private:
  ScatterReduction reduction_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<ScatterNDKernel>(read_scatter_reduction(ctx));
}

}  // namespace

constinit const OpDesc kOpScatterND = {.op_type = "ScatterND",
                                       .min_inputs = 3,
                                       .max_inputs = 3,
                                       .input_dtypes = {kAnyFixed, kI64, kAnyFixed},
                                       .create = &create};

}  // namespace infer::cpu
