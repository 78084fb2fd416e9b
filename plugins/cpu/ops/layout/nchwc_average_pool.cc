// com.infer NchwcAveragePool: AveragePool (2-D) on a blocked tensor.
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class NchwcAveragePoolKernel final : public Kernel {
 public:
  NchwcAveragePoolKernel(WindowParams params, bool count_include_pad)
      : params_(std::move(params)), count_include_pad_(count_include_pad) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const NchwcPoolPlan plan = plan_nchwc_pool(params_, x.shape);
    nchwc_average_pool(plan, x.shape, count_include_pad_, x.as<float>(),
                       ctx.output<float>(0, plan.y_shape));
  }

 private:
  WindowParams params_;
  bool count_include_pad_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  nchwc_block_attr(ctx);
  return std::make_unique<NchwcAveragePoolKernel>(nchwc_window_attrs(ctx),
                                                  attr_bool(ctx, "count_include_pad", false));
}

}  // namespace

constinit const OpDesc kOpNchwcAveragePool = {.op_type = "NchwcAveragePool",
                                              .domain = kInferDomain,
                                              .input_dtypes = {kF32},
                                              .create = &create};

}  // namespace infer::cpu
