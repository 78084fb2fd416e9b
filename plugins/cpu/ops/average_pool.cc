#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class AveragePoolKernel final : public Kernel {
 public:
  AveragePoolKernel(WindowParams params, bool count_include_pad)
      : params_(std::move(params)), count_include_pad_(count_include_pad) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const PoolPlan plan = plan_pool(params_, x.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      average_pool<T>(plan, count_include_pad_, x.as<T>(), ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  WindowParams params_;
  bool count_include_pad_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<AveragePoolKernel>(read_window_attrs(ctx, /*kernel_shape_required=*/true),
                                             attr_bool(ctx, "count_include_pad", false));
}

}  // namespace

constinit const OpDesc kOpAveragePool = {.op_type = "AveragePool",
                                         .input_dtypes = {kFloats},
                                         .create = &create,
                                         .check = &check_window_rank};

}  // namespace infer::cpu
