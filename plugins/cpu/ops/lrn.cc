#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class LrnKernel final : public Kernel {
 public:
  explicit LrnKernel(LrnParams p) : p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    check_lrn_shape(x.shape);
    visit_dtype<kFloats>(
        x.dtype, [&]<typename T>(T) { lrn<T>(p_, x.shape, x.as<T>(), ctx.output<T>(0, x.shape)); });
  }

 private:
  LrnParams p_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (!has_attr(ctx, "size")) fail_attr("attribute 'size' is required");
  LrnParams p;
  p.size = attr_int(ctx, "size", 1);
  if (p.size <= 0) fail_attr(str_cat("attribute 'size' must be > 0, got ", p.size));
  p.alpha = attr_float(ctx, "alpha", 1e-4f);
  p.beta = attr_float(ctx, "beta", 0.75f);
  p.bias = attr_float(ctx, "bias", 1.0f);
  return std::make_unique<LrnKernel>(p);
}

}  // namespace

constinit const OpDesc kOpLRN = {.op_type = "LRN", .input_dtypes = {kFloats}, .create = &create};

}  // namespace infer::cpu
