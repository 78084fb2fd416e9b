#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class LpNormKernel final : public Kernel {
 public:
  LpNormKernel(int64_t axis, int64_t p) : axis_(axis), p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.shape.empty()) fail_input("input must have rank >= 1");
    const size_t a = normalize_axis(axis_, x.shape.size());
    const int64_t outer = dims_product(x.shape, 0, a);
    const int64_t inner = dims_product(x.shape, a + 1, x.shape.size());
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      lp_normalize<T>(p_, outer, x.shape[a], inner, x.as<T>(), ctx.output<T>(0, x.shape));
    });
  }

 private:
  int64_t axis_, p_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", -1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) {
    if (axis < -static_cast<int64_t>(*rank) || axis >= static_cast<int64_t>(*rank)) {
      fail_attr(str_cat("attribute 'axis' ", axis, " is out of range for rank ", *rank));
    }
  }
  const int64_t p = attr_int(ctx, "p", 2);
  if (p != 1 && p != 2) fail_attr(str_cat("attribute 'p' must be 1 or 2, got ", p));
  return std::make_unique<LpNormKernel>(axis, p);
}

}  // namespace

constinit const OpDesc kOpLpNormalization = {
    .op_type = "LpNormalization", .input_dtypes = {kFloats}, .create = &create};

}  // namespace infer::cpu
