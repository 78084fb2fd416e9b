#include "kernels/quantize.h"
#include "ops/quant_common.h"

namespace infer::cpu {
namespace {

// Row and column counts of the operands of numpy matmul (1-D operands promoted).
int64_t rows_of(ShapeSpan a) { return a.size() >= 2 ? a[a.size() - 2] : 1; }
int64_t cols_of(ShapeSpan b) { return b.size() >= 2 ? b.back() : 1; }

class MatMulIntegerKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const MatMulPlan plan = plan_matmul(a.shape, b.shape);
    const int64_t m = rows_of(a.shape), n = cols_of(b.shape);
    auto zero_point = [&](size_t i, int64_t count, QuantLayout layout, const char* what) {
      if (ctx.input_count() <= i || !ctx.input(i).present()) return std::vector<double>{0.0};
      if (ctx.input(i).dtype != ctx.input(i - 2).dtype) {
        fail_input(str_cat(what, " must have the type of its operand"));
      }
      return quant_values(ctx.input(i), count, layout, what);
    };
    const std::vector<double> azp = zero_point(2, m, QuantLayout::kRows, "a_zero_point");
    const std::vector<double> bzp = zero_point(3, n, QuantLayout::kColumns, "b_zero_point");
    const int64_t k = plan.k;
    // a's flat index i is in row (i / K) % M; b's in column i % N.
    const std::vector<int32_t> a32 =
        minus_zero_point(a, azp, [&](size_t i) { return (static_cast<int64_t>(i) / k) % m; });
    const std::vector<int32_t> b32 =
        minus_zero_point(b, bzp, [&](size_t i) { return static_cast<int64_t>(i) % n; });
    int_matmul(plan, a32.data(), b32.data(), ctx.output<int32_t>(0, plan.y_shape));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<MatMulIntegerKernel>(); }

}  // namespace

constinit const OpDesc kOpMatMulInteger = {
    .op_type = "MatMulInteger",
    .min_inputs = 2,
    .max_inputs = 4,
    .input_dtypes = {kI8 | kU8, kI8 | kU8, kI8 | kU8, kI8 | kU8},
    .create = &create};

}  // namespace infer::cpu
