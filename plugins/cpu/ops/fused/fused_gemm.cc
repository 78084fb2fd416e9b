// com.infer FusedGemm: Y = act(alpha * A' * B' + beta * C), made by gemm_activation_fusion.
#include "kernels/gemm.h"
#include "ops/fused/activation_attrs.h"

namespace infer::cpu {
namespace {

class FusedGemmKernel final : public Kernel {
 public:
  FusedGemmKernel(float alpha, float beta, bool trans_a, bool trans_b, FusedActivation act,
                  std::shared_ptr<const PackedB> packed_b)
      : alpha_(alpha),
        beta_(beta),
        trans_a_(trans_a),
        trans_b_(trans_b),
        act_(act),
        packed_b_(std::move(packed_b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Tensor& c = ctx.input(2);
    const GemmPlan plan =
        plan_gemm(a.shape, b.shape, c.present() ? &c.shape : nullptr, trans_a_, trans_b_);
    float* y = ctx.output<float>(0, plan.y_shape);
    const float* c_data = c.present() ? c.as<float>() : nullptr;
    if (packed_b_) {
      gemm_op_packed(plan, alpha_, beta_, a.as<float>(), *packed_b_, c_data, y);
    } else {
      gemm_op<float>(plan, alpha_, beta_, a.as<float>(), b.as<float>(), c_data, y);
    }
    fused_activation(act_, y, y, plan.m * plan.n);
  }

 private:
  float alpha_, beta_;
  bool trans_a_, trans_b_;
  FusedActivation act_;
  std::shared_ptr<const PackedB> packed_b_;  // a constant B, packed at creation
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const bool trans_b = attr_bool(ctx, "transB", false);
  return std::make_unique<FusedGemmKernel>(
      attr_float(ctx, "alpha", 1.0f), attr_float(ctx, "beta", 1.0f),
      attr_bool(ctx, "transA", false), trans_b, read_fused_activation(ctx),
      pack_constant_b(ctx.node, 1, trans_b));
}

}  // namespace

constinit const OpDesc kOpFusedGemm = {.op_type = "FusedGemm",
                                       .domain = kInferDomain,
                                       .min_inputs = 2,
                                       .max_inputs = 3,
                                       .input_dtypes = {kF32, kF32, kF32},
                                       .create = &create};

}  // namespace infer::cpu
