#include "kernels/scatter.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class TensorScatterKernel final : public Kernel {
 public:
  TensorScatterKernel(int64_t axis, bool circular) : axis_(axis), circular_(circular) {}

  void run(KernelContext& ctx) const override {
    const Tensor& cache = ctx.input(0);
    const Tensor& update = ctx.input(1);
    const Tensor& write = ctx.input(2);
    if (update.dtype != cache.dtype) {
      fail_input(str_cat("update has type ", plugin::dtype_name(update.dtype), ", past_cache ",
                         plugin::dtype_name(cache.dtype)));
    }
    void* out = ctx.allocate_output(0, cache.dtype, cache.shape);
    tensor_scatter(cache.data, cache.shape, update.data, update.shape,
                   write.present() ? write.as<int64_t>() : nullptr, write.shape, axis_, circular_,
                   out, plugin::dtype_size(cache.dtype));
  }

 private:
  int64_t axis_;
  bool circular_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const std::string mode = attr_string(ctx, "mode", "linear");
  if (mode != "linear" && mode != "circular") {
    fail_attr(str_cat("attribute 'mode' must be linear or circular, got '", mode, "'"));
  }
  return std::make_unique<TensorScatterKernel>(attr_int(ctx, "axis", -2), mode == "circular");
}

}  // namespace

constinit const OpDesc kOpTensorScatter = {.op_type = "TensorScatter",
                                           .min_inputs = 2,
                                           .max_inputs = 3,
                                           .input_dtypes = {kAnyFixed, kAnyFixed, kI64},
                                           .create = &create};

}  // namespace infer::cpu
