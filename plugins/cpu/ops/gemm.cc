#include "kernels/gemm.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class GemmKernel final : public Kernel {
 public:
  GemmKernel(float alpha, float beta, bool trans_a, bool trans_b)
      : alpha_(alpha), beta_(beta), trans_a_(trans_a), trans_b_(trans_b) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Tensor& c = ctx.input(2);
    const GemmPlan plan =
        plan_gemm(a.shape, b.shape, c.present() ? &c.shape : nullptr, trans_a_, trans_b_);
    gemm_op(plan, alpha_, beta_, a.as<float>(), b.as<float>(),
            c.present() ? c.as<float>() : nullptr, ctx.output<float>(0, plan.y_shape));
  }

 private:
  float alpha_, beta_;
  bool trans_a_, trans_b_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<GemmKernel>(attr_float(ctx, "alpha", 1.0f), attr_float(ctx, "beta", 1.0f),
                                      attr_bool(ctx, "transA", false),
                                      attr_bool(ctx, "transB", false));
}

}  // namespace

constinit const OpDesc kOpGemm = {.op_type = "Gemm",
                                  .min_inputs = 2,
                                  .max_inputs = 3,
                                  .input_dtypes = {kF32, kF32, kF32},
                                  .create = &create};

}  // namespace infer::cpu
