#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

// GroupNormalization with one group per channel.
class InstanceNormKernel final : public Kernel {
 public:
  explicit InstanceNormKernel(float epsilon) : epsilon_(epsilon) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& bias = ctx.input(2);
    if (scale.dtype != x.dtype || bias.dtype != x.dtype) {
      fail_input("scale and B must have the type of the input");
    }
    if (x.shape.size() < 3)
      fail_input(str_cat("input must be [N, C, D1, ...], got ", shape_str(x.shape)));
    const GroupNormPlan plan = plan_group_norm(x.shape, x.shape[1], false, scale.shape, bias.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      group_norm<T>(plan, epsilon_, x.as<T>(), scale.as<T>(), bias.as<T>(),
                    ctx.output<T>(0, x.shape));
    });
  }

 private:
  float epsilon_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<InstanceNormKernel>(attr_float(ctx, "epsilon", 1e-5f));
}

}  // namespace

constinit const OpDesc kOpInstanceNormalization = {.op_type = "InstanceNormalization",
                                                   .min_inputs = 3,
                                                   .max_inputs = 3,
                                                   .input_dtypes = {kFloats, kFloats, kFloats},
                                                   .create = &create};

}  // namespace infer::cpu
