#include "kernels/gemm.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class GemmKernel final : public Kernel {
 public:
  GemmKernel(float alpha, float beta, bool trans_a, bool trans_b,
             std::shared_ptr<const PackedB> packed_b)
      : alpha_(alpha),
        beta_(beta),
        trans_a_(trans_a),
        trans_b_(trans_b),
        packed_b_(std::move(packed_b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Tensor& c = ctx.input(2);
    if (b.dtype != a.dtype || (c.present() && c.dtype != a.dtype)) {
      fail_input("A, B and C must have the same type");
    }
    const GemmPlan plan =
        plan_gemm(a.shape, b.shape, c.present() ? &c.shape : nullptr, trans_a_, trans_b_);
    if (packed_b_ && a.dtype == INFER_DTYPE_FLOAT32) {
      gemm_op_packed(plan, alpha_, beta_, a.as<float>(), *packed_b_,
                     c.present() ? c.as<float>() : nullptr, ctx.output<float>(0, plan.y_shape));
      return;
    }
    visit_dtype<kFloats>(a.dtype, [&]<typename T>(T) {
      gemm_op<T>(plan, alpha_, beta_, a.as<T>(), b.as<T>(), c.present() ? c.as<T>() : nullptr,
                 ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  float alpha_, beta_;
  bool trans_a_, trans_b_;
  std::shared_ptr<const PackedB> packed_b_;  // a constant float B, packed at creation
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const bool trans_b = attr_bool(ctx, "transB", false);
  return std::make_unique<GemmKernel>(attr_float(ctx, "alpha", 1.0f), attr_float(ctx, "beta", 1.0f),
                                      attr_bool(ctx, "transA", false), trans_b,
                                      pack_constant_b(ctx.node, 1, trans_b));
}

}  // namespace

constinit const OpDesc kOpGemm = {.op_type = "Gemm",
                                  .min_inputs = 2,
                                  .max_inputs = 3,
                                  .input_dtypes = {kFloats, kFloats, kFloats},
                                  .create = &create};

}  // namespace infer::cpu
