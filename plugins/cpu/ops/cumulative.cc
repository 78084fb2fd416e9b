#include "ops/cumulative.h"

#include "kernels/cumulative.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class CumulativeKernel final : public Kernel {
 public:
  explicit CumulativeKernel(CumulativeParams p) : p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.shape.empty()) fail_input("the input must have rank >= 1");
    const int64_t axis = int_scalar_of(ctx.input(1), "axis");
    normalize_axis(axis, x.shape.size());
    cumulative(x.dtype, x.data, x.shape, axis, p_, ctx.allocate_output(0, x.dtype, x.shape));
  }

 private:
  CumulativeParams p_;
};

}  // namespace

std::unique_ptr<Kernel> create_cumulative(const OpContext& ctx, bool product) {
  CumulativeParams p;
  p.product = product;
  p.exclusive = attr_bool(ctx, "exclusive", false);
  p.reverse = attr_bool(ctx, "reverse", false);
  return std::make_unique<CumulativeKernel>(p);
}

}  // namespace infer::cpu
