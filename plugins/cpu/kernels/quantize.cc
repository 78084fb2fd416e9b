#include "kernels/quantize.h"

#include <algorithm>
#include <cmath>

namespace infer::cpu {

QuantParamPlan plan_quant_params(ShapeSpan x, ShapeSpan scale, std::optional<ShapeSpan> zero_point,
                                 int64_t axis, int64_t block_size) {
  if (zero_point &&
      !std::equal(scale.begin(), scale.end(), zero_point->begin(), zero_point->end())) {
    // A one-element zero point next to a one-element scale is per tensor either way.
    if (numel(scale) != 1 || numel(*zero_point) != 1) {
      fail_input(str_cat("zero point ", shape_str(*zero_point), " and scale ", shape_str(scale),
                         " must have the same shape"));
    }
  }
  QuantParamPlan p;
  p.outer = numel(x);
  if (numel(scale) == 1 && block_size == 0) return p;  // per tensor
  if (block_size < 0) fail_attr(str_cat("block_size must not be negative, got ", block_size));
  if (x.empty()) {
    fail_input(
        str_cat("scale ", shape_str(scale), " needs a per-tensor scalar for a scalar input"));
  }
  const size_t a = normalize_axis(axis, x.size());
  p.outer = dims_product(x, 0, a);
  p.axis_len = x[a];
  p.inner = dims_product(x, a + 1, x.size());
  if (block_size == 0) {
    if (scale.size() != 1 || scale[0] != x[a]) {
      fail_input(str_cat("per-axis scale must be 1-D with ", x[a], " values (axis ", axis,
                         " of input ", shape_str(x), "), got ", shape_str(scale)));
    }
    p.axis_stride = 1;
    return p;
  }
  // Blocked: the scale has x's shape except along the axis, one value per block.
  const int64_t blocks = (x[a] + block_size - 1) / block_size;
  bool ok = scale.size() == x.size();
  for (size_t d = 0; ok && d < x.size(); ++d) ok = scale[d] == (d == a ? blocks : x[d]);
  if (!ok) {
    Shape want(x.begin(), x.end());
    want[a] = blocks;
    fail_input(str_cat("blocked scale for input ", shape_str(x), " with block_size ", block_size,
                       " along axis ", axis, " must have shape ", shape_str(want), ", got ",
                       shape_str(scale)));
  }
  p.block = block_size;
  p.inner_stride = 1;
  p.axis_stride = p.inner;
  p.outer_stride = blocks * p.inner;
  return p;
}

int64_t quantize_value(double v, int64_t zero_point, int64_t lo, int64_t hi) {
  if (std::isnan(v)) return std::clamp(zero_point, lo, hi);
  // The default rounding mode rounds half to even, as numpy's rint.
  const double r = std::nearbyint(v) + static_cast<double>(zero_point);
  if (r <= static_cast<double>(lo)) return lo;
  if (r >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(r);
}

DynamicQuantParams dynamic_quant_params(const float* x, int64_t n) {
  float lo = 0.0f, hi = 0.0f;  // the range always includes 0
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  DynamicQuantParams p;
  p.scale = (hi == lo ? 1.0f : hi - lo) / 255.0f;
  const float initial = 0.0f - lo / p.scale;
  p.zero_point = std::nearbyint(std::clamp(initial, 0.0f, 255.0f));
  return p;
}

void int_matmul(const MatMulPlan& p, const int32_t* a, const int32_t* b, int32_t* y) {
  const int64_t batches = numel(p.batch_shape);
  const size_t rank = p.batch_shape.size();
  Shape index(rank, 0);
  int64_t a_mat = 0, b_mat = 0;
  // uint32 arithmetic wraps like numpy's int32 without signed-overflow UB.
  std::vector<uint32_t> row(static_cast<size_t>(p.n));
  for (int64_t bi = 0; bi < batches; ++bi) {
    const int32_t* am = a + a_mat * p.m * p.k;
    const int32_t* bm = b + b_mat * p.k * p.n;
    int32_t* ym = y + bi * p.m * p.n;
    for (int64_t i = 0; i < p.m; ++i) {
      std::fill(row.begin(), row.end(), 0u);
      for (int64_t kk = 0; kk < p.k; ++kk) {
        const auto av = static_cast<uint32_t>(am[i * p.k + kk]);
        const int32_t* brow = bm + kk * p.n;
        for (int64_t j = 0; j < p.n; ++j) row[j] += av * static_cast<uint32_t>(brow[j]);
      }
      for (int64_t j = 0; j < p.n; ++j) ym[i * p.n + j] = static_cast<int32_t>(row[j]);
    }
    for (size_t d = rank; d-- > 0;) {  // odometer over the batch dimensions
      a_mat += p.a_strides[d];
      b_mat += p.b_strides[d];
      if (++index[d] < p.batch_shape[d]) break;
      a_mat -= p.a_strides[d] * p.batch_shape[d];
      b_mat -= p.b_strides[d] * p.batch_shape[d];
      index[d] = 0;
    }
  }
}

void int_conv(const ConvPlan& plan, const int32_t* x, const int32_t* w, const int32_t* bias,
              int32_t* y) {
  const WindowGeometry& g = plan.geo;
  const int64_t cg = plan.in_channels / plan.group;
  const int64_t mg = plan.out_channels / plan.group;
  const int64_t out_size = g.out_size();
  std::vector<uint32_t> acc(static_cast<size_t>(out_size));
  for (int64_t n = 0; n < plan.batch; ++n) {
    for (int64_t m = 0; m < plan.out_channels; ++m) {
      const int64_t grp = m / mg;
      std::fill(acc.begin(), acc.end(), bias ? static_cast<uint32_t>(bias[m]) : 0u);
      for (int64_t c = 0; c < cg; ++c) {
        const int32_t* plane = x + (n * plan.in_channels + grp * cg + c) * g.in_size();
        const int32_t* kern = w + (m * cg + c) * g.kernel_size();
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
          for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
              const auto wv =
                  static_cast<uint32_t>(kern[(kd * g.kernel[1] + kh) * g.kernel[2] + kw]);
              if (wv == 0) continue;
              uint32_t* out = acc.data();
              for (int64_t od = 0; od < g.out[0]; ++od) {
                const int64_t id = od * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
                for (int64_t oh = 0; oh < g.out[1]; ++oh, out += g.out[2]) {
                  const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
                  // Taps in the padding read 0 and add nothing.
                  if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1]) continue;
                  const int32_t* src = plane + (id * g.in[1] + ih) * g.in[2];
                  for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
                    if (iw >= 0 && iw < g.in[2]) out[ow] += wv * static_cast<uint32_t>(src[iw]);
                  }
                }
              }
            }
          }
        }
      }
      int32_t* ym = y + (n * plan.out_channels + m) * out_size;
      for (int64_t i = 0; i < out_size; ++i) ym[i] = static_cast<int32_t>(acc[i]);
    }
  }
}

}  // namespace infer::cpu
