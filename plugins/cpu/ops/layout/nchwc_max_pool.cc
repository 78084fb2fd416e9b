// com.infer NchwcMaxPool: MaxPool (2-D, no Indices) on a blocked tensor.
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class NchwcMaxPoolKernel final : public Kernel {
 public:
  explicit NchwcMaxPoolKernel(WindowParams params) : params_(std::move(params)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const NchwcPoolPlan plan = plan_nchwc_pool(params_, x.shape);
    nchwc_max_pool(plan, x.shape, x.as<float>(), ctx.output<float>(0, plan.y_shape));
  }

 private:
  WindowParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  nchwc_block_attr(ctx);
  return std::make_unique<NchwcMaxPoolKernel>(nchwc_window_attrs(ctx));
}

}  // namespace

constinit const OpDesc kOpNchwcMaxPool = {
    .op_type = "NchwcMaxPool", .domain = kInferDomain, .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
