#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class GroupNormKernel final : public Kernel {
 public:
  GroupNormKernel(int64_t groups, bool per_group_params, float epsilon)
      : groups_(groups), per_group_params_(per_group_params), epsilon_(epsilon) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& bias = ctx.input(2);
    if (scale.dtype != x.dtype || bias.dtype != x.dtype) {
      fail_input("scale and bias must have the type of X");
    }
    const GroupNormPlan plan =
        plan_group_norm(x.shape, groups_, per_group_params_, scale.shape, bias.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      group_norm<T>(plan, epsilon_, x.as<T>(), scale.as<T>(), bias.as<T>(),
                    ctx.output<T>(0, x.shape));
    });
  }

 private:
  int64_t groups_;
  bool per_group_params_;
  float epsilon_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (!has_attr(ctx, "num_groups")) fail_attr("attribute 'num_groups' is required");
  const int64_t groups = attr_int(ctx, "num_groups", 1);
  if (groups <= 0) fail_attr(str_cat("attribute 'num_groups' must be > 0, got ", groups));
  // stash_type (opset 21) sets the precision of the statistics, computed in double here.
  const int64_t stash = attr_int(ctx, "stash_type", INFER_DTYPE_FLOAT32);
  if (stash != INFER_DTYPE_FLOAT32 && stash != INFER_DTYPE_FLOAT64 &&
      stash != INFER_DTYPE_FLOAT16 && stash != INFER_DTYPE_BFLOAT16) {
    fail_attr(str_cat("attribute 'stash_type' has unsupported value ", stash));
  }
  // Opset 18 gives scale and bias per group, opset 21 per channel.
  return std::make_unique<GroupNormKernel>(groups, ctx.opset < 21,
                                           attr_float(ctx, "epsilon", 1e-5f));
}

}  // namespace

constinit const OpDesc kOpGroupNormalization = {.op_type = "GroupNormalization",
                                                .min_inputs = 3,
                                                .max_inputs = 3,
                                                .input_dtypes = {kFloats, kFloats, kFloats},
                                                .create = &create};

}  // namespace infer::cpu
