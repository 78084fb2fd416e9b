#include "kernels/gemm.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kMatMulDtypes = kFloats | kI32 | kI64 | kU32 | kU64;

class MatMulKernel final : public Kernel {
 public:
  explicit MatMulKernel(std::shared_ptr<const PackedB> packed_b) : packed_b_(std::move(packed_b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (b.dtype != a.dtype) {
      fail_input(str_cat("operands have different types ", plugin::dtype_name(a.dtype), " and ",
                         plugin::dtype_name(b.dtype)));
    }
    const MatMulPlan plan = plan_matmul(a.shape, b.shape);
    if (packed_b_ && a.dtype == INFER_DTYPE_FLOAT32) {
      matmul_float(plan, a.as<float>(), nullptr, packed_b_.get(), nullptr,
                   ctx.output<float>(0, plan.y_shape));
      return;
    }
    visit_dtype<kMatMulDtypes>(a.dtype, [&]<typename T>(T) {
      matmul<T>(plan, a.as<T>(), b.as<T>(), ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  std::shared_ptr<const PackedB> packed_b_;  // a constant float B, packed at creation
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<MatMulKernel>(pack_constant_b(ctx.node, 1, false));
}

}  // namespace

constinit const OpDesc kOpMatMul = {.op_type = "MatMul",
                                    .min_inputs = 2,
                                    .max_inputs = 2,
                                    .input_dtypes = {kMatMulDtypes, kMatMulDtypes},
                                    .create = &create};

}  // namespace infer::cpu
