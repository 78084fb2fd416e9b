// com.infer FusedMatMul: Y = act(MatMul(A, B) + bias), bias 1-D over the last axis of Y; made
// by matmul_bias_activation_fusion for the linear layers of transformers.
#include "kernels/gemm.h"
#include "ops/fused/activation_attrs.h"

namespace infer::cpu {
namespace {

class FusedMatMulKernel final : public Kernel {
 public:
  FusedMatMulKernel(FusedActivation act, std::shared_ptr<const PackedB> packed_b)
      : act_(act), packed_b_(std::move(packed_b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Tensor& bias = ctx.input(2);
    const MatMulPlan plan = plan_matmul(a.shape, b.shape);
    if (bias.present() && (bias.shape.size() != 1 || bias.shape[0] != plan.n)) {
      fail_input(str_cat("bias must have shape [", plan.n, "], got ", shape_str(bias.shape)));
    }
    float* y = ctx.output<float>(0, plan.y_shape);
    // The bias is added as the GEMM writes y; the activation then runs over y contiguously.
    matmul_float(plan, a.as<float>(), packed_b_ ? nullptr : b.as<float>(), packed_b_.get(),
                 bias.present() ? bias.as<float>() : nullptr, y);
    if (act_.kind != FusedActivationKind::kNone) fused_activation(act_, y, y, numel(plan.y_shape));
  }

 private:
  FusedActivation act_;
  std::shared_ptr<const PackedB> packed_b_;  // a constant B, packed at creation
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<FusedMatMulKernel>(read_fused_activation(ctx),
                                             pack_constant_b(ctx.node, 1, false));
}

}  // namespace

constinit const OpDesc kOpFusedMatMul = {.op_type = "FusedMatMul",
                                         .domain = kInferDomain,
                                         .min_inputs = 2,
                                         .max_inputs = 3,
                                         .input_dtypes = {kF32, kF32, kF32},
                                         .create = &create};

}  // namespace infer::cpu
