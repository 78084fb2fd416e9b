// Linear quantization: QuantizeLinear/DequantizeLinear parameters (per tensor, per axis or in
// blocks along an axis), DynamicQuantizeLinear, and the integer matrix product and convolution
// behind MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv.
#ifndef INFER_PLUGINS_CPU_KERNELS_QUANTIZE_H_
#define INFER_PLUGINS_CPU_KERNELS_QUANTIZE_H_

#include <optional>

#include "kernels/conv.h"
#include "kernels/gemm.h"

namespace infer::cpu {

// Where the scale and zero point of element (o, a, i) of x, viewed as [outer, axis_len, inner],
// are: at o * outer_stride + (a / block) * axis_stride + i * inner_stride.
struct QuantParamPlan {
  int64_t outer = 1, axis_len = 1, inner = 1;
  int64_t block = 1;
  int64_t outer_stride = 0, axis_stride = 0, inner_stride = 0;

  int64_t index(int64_t o, int64_t a, int64_t i) const {
    return o * outer_stride + (a / block) * axis_stride + i * inner_stride;
  }
};
// Per tensor (scale has one element), per axis (block_size 0: scale is 1-D with x[axis]
// values) or blocked (block_size > 0: scale has x's shape except ceil(x[axis] / block_size) at
// axis). The zero point, when given, must have the scale's shape. Throws on mismatches.
QuantParamPlan plan_quant_params(ShapeSpan x, ShapeSpan scale, std::optional<ShapeSpan> zero_point,
                                 int64_t axis, int64_t block_size);

// saturate(round(v) + zero_point) to [lo, hi], rounding half to even; NaN maps to the zero
// point.
int64_t quantize_value(double v, int64_t zero_point, int64_t lo, int64_t hi);

// DynamicQuantizeLinear's scale and zero point for data in [min(x, 0), max(x, 0)], computed in
// float32 exactly as ONNX's reference does.
struct DynamicQuantParams {
  float scale = 1.0f;
  float zero_point = 0.0f;  // a whole number in [0, 255]
};
DynamicQuantParams dynamic_quant_params(const float* x, int64_t n);

// Batched integer matrix product with the geometry of plan_matmul (which validates shapes);
// operands have their zero points already subtracted. Accumulates in int32 with wrap-around,
// as ONNX's reference (numpy int32) does.
void int_matmul(const MatMulPlan& plan, const int32_t* a, const int32_t* b, int32_t* y);

// Integer convolution with the geometry of a float Conv plan (plan_conv validates the shapes).
// x and w have their zero points already subtracted; padding reads 0.
void int_conv(const ConvPlan& plan, const int32_t* x, const int32_t* w, const int32_t* bias,
              int32_t* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_QUANTIZE_H_
