#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class MaxPoolKernel final : public Kernel {
 public:
  explicit MaxPoolKernel(WindowParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const PoolPlan plan = plan_pool(params_, x.shape);
    max_pool(plan, x.as<float>(), ctx.output<float>(0, plan.y_shape));
  }

 private:
  WindowParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<MaxPoolKernel>(read_window_attrs(ctx, /*kernel_shape_required=*/true));
}

}  // namespace

// The optional Indices output is not implemented: max_outputs = 1 refuses nodes that use it.
constinit const OpDesc kOpMaxPool = {
    .op_type = "MaxPool", .input_dtypes = {kF32}, .create = &create, .check = &check_window_rank};

}  // namespace infer::cpu
