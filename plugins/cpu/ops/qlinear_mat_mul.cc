#include "kernels/quantize.h"
#include "ops/quant_common.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kQ = kI8 | kU8;
// Scales are float32 before opset 21, float32/float16/bfloat16 after.
constexpr DtypeMask kScale = kF32 | kF16 | kBF16;
// a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
constexpr std::initializer_list<DtypeMask> kTypes = {kQ, kScale, kQ, kQ, kScale, kQ, kScale, kQ};

class QLinearMatMulKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    check_input_types(ctx, kTypes);
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(3);
    const Tensor& y_zp = ctx.input(7);
    if (ctx.input(2).dtype != a.dtype || ctx.input(5).dtype != b.dtype) {
      fail_input("zero points must have the types of their operands");
    }
    const infer_dtype st = ctx.input(1).dtype;
    if (ctx.input(4).dtype != st || ctx.input(6).dtype != st) {
      fail_input("a_scale, b_scale and y_scale must have the same type");
    }
    const Precision sp = precision_of(st);
    const MatMulPlan plan = plan_matmul(a.shape, b.shape);
    const int64_t m = a.shape.size() >= 2 ? a.shape[a.shape.size() - 2] : 1;
    const int64_t n = b.shape.size() >= 2 ? b.shape.back() : 1;
    const int64_t k = plan.k;
    const std::vector<double> as = quant_values(ctx.input(1), m, QuantLayout::kRows, "a_scale");
    const std::vector<double> azp =
        quant_values(ctx.input(2), m, QuantLayout::kRows, "a_zero_point");
    const std::vector<double> bs = quant_values(ctx.input(4), n, QuantLayout::kColumns, "b_scale");
    const std::vector<double> bzp =
        quant_values(ctx.input(5), n, QuantLayout::kColumns, "b_zero_point");
    const std::vector<double> ys = quant_values(ctx.input(6), 1, QuantLayout::kRows, "y_scale");
    const std::vector<double> yzp = quant_values(y_zp, 1, QuantLayout::kRows, "y_zero_point");
    const std::vector<int32_t> a32 =
        minus_zero_point(a, azp, [&](size_t i) { return (static_cast<int64_t>(i) / k) % m; });
    const std::vector<int32_t> b32 =
        minus_zero_point(b, bzp, [&](size_t i) { return static_cast<int64_t>(i) % n; });
    std::vector<int32_t> acc(static_cast<size_t>(numel(plan.y_shape)));
    int_matmul(plan, a32.data(), b32.data(), acc.data());
    // Requantize with a_scale * b_scale / y_scale, each step rounded to the scale type as in
    // ONNX's reference.
    const auto [lo, hi] = int_range(y_zp.dtype);
    const auto zp = static_cast<int64_t>(yzp[0]);
    std::vector<double> q(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const auto col = static_cast<size_t>(static_cast<int64_t>(i) % n);
      const auto row = static_cast<size_t>((static_cast<int64_t>(i) / n) % m);
      const double f = round_to(
          sp, round_to(sp, as[as.size() == 1 ? 0 : row] * bs[bs.size() == 1 ? 0 : col]) / ys[0]);
      q[i] = static_cast<double>(quantize_value(acc[i] * f, zp, lo, hi));
    }
    void* out = ctx.allocate_output(0, y_zp.dtype, plan.y_shape);
    visit_dtype<kQ>(y_zp.dtype, [&]<typename T>(T) {
      T* y = static_cast<T*>(out);
      for (size_t i = 0; i < q.size(); ++i) y[i] = static_cast<T>(q[i]);
    });
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<QLinearMatMulKernel>(); }

void check(const OpContext& ctx) { check_input_types(ctx, kTypes); }

}  // namespace

// Inputs share type relations the masks cannot express: inputs 4 to 7 are checked by
// check_input_types.
constinit const OpDesc kOpQLinearMatMul = {.op_type = "QLinearMatMul",
                                           .min_inputs = 8,
                                           .max_inputs = 8,
                                           .input_dtypes = {kQ, kScale, kQ, kQ, kScale | kQ},
                                           .create = &create,
                                           .check = &check};

}  // namespace infer::cpu
