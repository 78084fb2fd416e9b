#include "kernels/quantize.h"
#include "ops/quant_common.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kQuantized = kQuantInts | kI32 | kFloat8;

// The values of a float8 tensor as doubles (exact).
std::vector<double> float8_values(const Tensor& t) {
  std::vector<double> out(static_cast<size_t>(numel(t.shape)));
  visit_dtype<kFloat8>(t.dtype, [&]<typename T>(T) {
    const T* p = t.as<T>();
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(load(p[i]));
  });
  return out;
}

class DequantizeLinearKernel final : public Kernel {
 public:
  DequantizeLinearKernel(int64_t axis, int64_t block_size, infer_dtype output_dtype)
      : axis_(axis), block_size_(block_size), output_dtype_(output_dtype) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor* zp = ctx.input_count() > 2 && ctx.input(2).present() ? &ctx.input(2) : nullptr;
    if (zp && zp->dtype != x.dtype) {
      fail_input(str_cat("zero point type ", plugin::dtype_name(zp->dtype), " differs from x ",
                         plugin::dtype_name(x.dtype)));
    }
    const QuantParamPlan plan = plan_quant_params(
        x.shape, scale.shape, zp ? std::optional(zp->shape) : std::nullopt, axis_, block_size_);
    const bool float8 = (kFloat8 & dtype_bit(x.dtype)) != 0;
    const std::vector<double> xs = float8 ? float8_values(x) : to_vector<double>(x);
    const std::vector<double> ss = to_vector<double>(scale);
    // A float8 zero point must be 0 (ONNX's reference checks it and then ignores it).
    const std::vector<double> zs =
        zp ? (float8 ? float8_values(*zp) : to_vector<double>(*zp)) : std::vector<double>{};
    if (float8) {
      for (double z : zs) {
        if (z != 0) fail_input("a float8 zero point must be 0");
      }
    }
    // ONNX's reference computes (float32(x) - zero_point) * scale in float32.
    std::vector<float> y(xs.size());
    size_t flat = 0;
    for (int64_t o = 0; o < plan.outer; ++o) {
      for (int64_t ax = 0; ax < plan.axis_len; ++ax) {
        for (int64_t i = 0; i < plan.inner; ++i, ++flat) {
          const auto k = static_cast<size_t>(plan.index(o, ax, i));
          const float d = static_cast<float>(xs[flat]) - (zp ? static_cast<float>(zs[k]) : 0.0f);
          y[flat] = d * static_cast<float>(ss[k]);
        }
      }
    }
    const infer_dtype out = output_dtype_ == INFER_DTYPE_UNDEFINED ? scale.dtype : output_dtype_;
    write_output(ctx, 0, out, x.shape, y);
  }

 private:
  int64_t axis_, block_size_;
  infer_dtype output_dtype_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = ctx.opset >= 13 ? attr_int(ctx, "axis", 1) : 1;
  int64_t block_size = 0;
  if (ctx.opset >= 21) {
    block_size = attr_int(ctx, "block_size", 0);
    if (block_size < 0) fail_attr(str_cat("block_size must be >= 0, got ", block_size));
  }
  infer_dtype out = INFER_DTYPE_UNDEFINED;  // the scale's type
  if (ctx.opset >= 23 && attr_int(ctx, "output_dtype", 0) != 0) {
    out = dtype_attr(ctx, "output_dtype", INFER_DTYPE_FLOAT32, kF32 | kF16 | kBF16);
  }
  return std::make_unique<DequantizeLinearKernel>(axis, block_size, out);
}

}  // namespace

constinit const OpDesc kOpDequantizeLinear = {
    .op_type = "DequantizeLinear",
    .min_inputs = 2,
    .max_inputs = 3,
    .input_dtypes = {kQuantized, kF32 | kF16 | kBF16, kQuantized},
    .create = &create};

}  // namespace infer::cpu
