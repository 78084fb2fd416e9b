#include "kernels/quantize.h"
#include "ops/quant_common.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kScaleTypes = kF32 | kF16 | kBF16 | kI32;

struct QuantizeAttrs {
  int64_t axis = 1;
  int64_t block_size = 0;
  infer_dtype output_dtype = INFER_DTYPE_UNDEFINED;  // from the zero point, else uint8
  infer_dtype precision = INFER_DTYPE_UNDEFINED;     // of the division; default from the inputs
  bool saturate = true;                              // float8 outputs only (opset 19+)
};

// The type numpy divides x by the scale in: the wider of the two float types, double when x is
// int32 (as numpy promotes int32 with a float).
infer_dtype division_type(infer_dtype x, infer_dtype scale) {
  if (x == INFER_DTYPE_INT32 || scale == INFER_DTYPE_INT32) return INFER_DTYPE_FLOAT64;
  if (x == scale) return x;
  return INFER_DTYPE_FLOAT32;
}

class QuantizeLinearKernel final : public Kernel {
 public:
  explicit QuantizeLinearKernel(QuantizeAttrs a) : a_(a) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor* zp = ctx.input_count() > 2 && ctx.input(2).present() ? &ctx.input(2) : nullptr;
    infer_dtype out_type =
        a_.output_dtype == INFER_DTYPE_UNDEFINED ? INFER_DTYPE_UINT8 : a_.output_dtype;
    if (zp) {
      if (a_.output_dtype != INFER_DTYPE_UNDEFINED && zp->dtype != a_.output_dtype) {
        fail_input(str_cat("zero point type ", plugin::dtype_name(zp->dtype),
                           " differs from output_dtype ", plugin::dtype_name(a_.output_dtype)));
      }
      out_type = zp->dtype;
    }
    const QuantParamPlan plan = plan_quant_params(
        x.shape, scale.shape, zp ? std::optional(zp->shape) : std::nullopt, a_.axis, a_.block_size);
    const std::vector<double> xs = to_vector<double>(x), ss = to_vector<double>(scale);
    const bool float8 = (kFloat8 & dtype_bit(out_type)) != 0;
    const std::vector<double> zs = zp && !float8 ? to_vector<double>(*zp) : std::vector<double>{};
    const Precision pp = precision_of(
        a_.precision != INFER_DTYPE_UNDEFINED ? a_.precision : division_type(x.dtype, scale.dtype));
    if (float8) {
      // ONNX's reference: x / scale converted to float8 (saturating by default); the zero
      // point, which must be 0, is not added.
      void* out = ctx.allocate_output(0, out_type, x.shape);
      visit_dtype<kFloat8>(out_type, [&]<typename T>(T) {
        T* y = static_cast<T*>(out);
        size_t f = 0;
        for (int64_t o = 0; o < plan.outer; ++o) {
          for (int64_t ax = 0; ax < plan.axis_len; ++ax) {
            for (int64_t i = 0; i < plan.inner; ++i, ++f) {
              const auto k = static_cast<size_t>(plan.index(o, ax, i));
              const double v = round_to(pp, round_to(pp, xs[f]) / round_to(pp, ss[k]));
              y[f] = T{float_to_float8(T::kFormat, static_cast<float>(v), a_.saturate)};
            }
          }
        }
      });
      return;
    }
    const auto [lo, hi] = int_range(out_type);
    std::vector<double> q(xs.size());
    size_t flat = 0;
    for (int64_t o = 0; o < plan.outer; ++o) {
      for (int64_t ax = 0; ax < plan.axis_len; ++ax) {
        for (int64_t i = 0; i < plan.inner; ++i, ++flat) {
          const auto k = static_cast<size_t>(plan.index(o, ax, i));
          const double v = round_to(pp, round_to(pp, xs[flat]) / round_to(pp, ss[k]));
          q[flat] =
              static_cast<double>(quantize_value(v, zp ? static_cast<int64_t>(zs[k]) : 0, lo, hi));
        }
      }
    }
    write_output(ctx, 0, out_type, x.shape, q);
  }

 private:
  QuantizeAttrs a_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  QuantizeAttrs a;
  if (ctx.opset >= 13) a.axis = attr_int(ctx, "axis", 1);
  if (ctx.opset >= 19) a.saturate = attr_bool(ctx, "saturate", true);
  if (ctx.opset >= 21) {
    a.block_size = attr_int(ctx, "block_size", 0);
    if (a.block_size < 0) fail_attr(str_cat("block_size must be >= 0, got ", a.block_size));
    if (attr_int(ctx, "output_dtype", 0) != 0) {
      a.output_dtype = dtype_attr(ctx, "output_dtype", INFER_DTYPE_UINT8, kQuantInts | kFloat8);
    }
  }
  if (ctx.opset >= 23 && attr_int(ctx, "precision", 0) != 0) {
    a.precision = dtype_attr(ctx, "precision", INFER_DTYPE_FLOAT32, kFloats);
  }
  return std::make_unique<QuantizeLinearKernel>(a);
}

}  // namespace

constinit const OpDesc kOpQuantizeLinear = {
    .op_type = "QuantizeLinear",
    .min_inputs = 2,
    .max_inputs = 3,
    .input_dtypes = {kScaleTypes, kScaleTypes, kQuantInts | kFloat8},
    .create = &create};

}  // namespace infer::cpu
