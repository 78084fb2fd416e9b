#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class LpPoolKernel final : public Kernel {
 public:
  LpPoolKernel(WindowParams params, float p) : params_(std::move(params)), p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const PoolPlan plan = plan_pool(params_, x.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      lp_pool<T>(plan, p_, x.as<T>(), ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  WindowParams params_;
  float p_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t p = attr_int(ctx, "p", 2);
  if (p <= 0) fail_attr(str_cat("attribute 'p' must be > 0, got ", p));
  return std::make_unique<LpPoolKernel>(read_window_attrs(ctx, /*kernel_shape_required=*/true),
                                        static_cast<float>(p));
}

}  // namespace

constinit const OpDesc kOpLpPool = {
    .op_type = "LpPool", .input_dtypes = {kFloats}, .create = &create, .check = &check_window_rank};

}  // namespace infer::cpu
