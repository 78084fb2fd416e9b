#include "kernels/gemm.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class MatMulKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const MatMulPlan plan = plan_matmul(a.shape, b.shape);
    matmul(plan, a.as<float>(), b.as<float>(), ctx.output<float>(0, plan.y_shape));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<MatMulKernel>(); }

}  // namespace

constinit const OpDesc kOpMatMul = {.op_type = "MatMul",
                                    .min_inputs = 2,
                                    .max_inputs = 2,
                                    .input_dtypes = {kF32, kF32},
                                    .create = &create};

}  // namespace infer::cpu
