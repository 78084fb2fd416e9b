#include "kernels/deform_conv.h"

#include <algorithm>
#include <cmath>

namespace infer::cpu {

void validate_deform_conv_params(const DeformConvParams& p) {
  if (p.group <= 0 || p.offset_group <= 0) {
    fail_attr(
        str_cat("group and offset_group must be positive, got ", p.group, " and ", p.offset_group));
  }
  auto check = [](const Shape& v, size_t n, const char* name, bool positive) {
    if (v.empty()) return;
    if (v.size() != n) fail_attr(str_cat("attribute '", name, "' must have ", n, " values"));
    for (int64_t x : v) {
      if (positive ? x <= 0 : x < 0) {
        fail_attr(str_cat("attribute '", name, "' has invalid value ", x));
      }
    }
  };
  check(p.kernel_shape, 2, "kernel_shape", true);
  check(p.strides, 2, "strides", true);
  check(p.dilations, 2, "dilations", true);
  check(p.pads, 4, "pads", false);
}

DeformConvPlan plan_deform_conv(const DeformConvParams& p, ShapeSpan x, ShapeSpan w,
                                ShapeSpan offset, std::optional<ShapeSpan> bias,
                                std::optional<ShapeSpan> mask) {
  validate_deform_conv_params(p);
  if (x.size() != 4) {
    fail(x.size() < 3 ? INFER_INVALID_ARGUMENT : INFER_UNIMPLEMENTED,
         str_cat("DeformConv supports 2-D input [N, C, H, W], got ", shape_str(x)));
  }
  if (w.size() != 4) fail_input(str_cat("W must be [M, C / group, kH, kW], got ", shape_str(w)));
  DeformConvPlan q;
  q.batch = x[0];
  q.in_channels = x[1];
  q.in_h = x[2];
  q.in_w = x[3];
  q.out_channels = w[0];
  q.group = p.group;
  q.offset_group = p.offset_group;
  if (checked_mul(w[1], p.group) != q.in_channels || q.out_channels % p.group) {
    fail_input(
        str_cat("W ", shape_str(w), " does not fit input ", shape_str(x), " with group ", p.group));
  }
  if (q.in_channels % p.offset_group) {
    fail_input(str_cat("input channels ", q.in_channels, " are not divisible by offset_group ",
                       p.offset_group));
  }
  q.kernel_h = w[2];
  q.kernel_w = w[3];
  if (!p.kernel_shape.empty() && (p.kernel_shape[0] != w[2] || p.kernel_shape[1] != w[3])) {
    fail_input(
        str_cat("kernel_shape ", shape_str(p.kernel_shape), " does not match W ", shape_str(w)));
  }
  if (!p.strides.empty()) q.stride_h = p.strides[0], q.stride_w = p.strides[1];
  if (!p.dilations.empty()) q.dil_h = p.dilations[0], q.dil_w = p.dilations[1];
  int64_t pad_bottom = 0, pad_right = 0;
  if (!p.pads.empty()) {
    q.pad_top = p.pads[0];
    q.pad_left = p.pads[1];
    pad_bottom = p.pads[2];
    pad_right = p.pads[3];
  }
  const int64_t ext_h = q.dil_h * (q.kernel_h - 1) + 1, ext_w = q.dil_w * (q.kernel_w - 1) + 1;
  const int64_t span_h = q.in_h + q.pad_top + pad_bottom - ext_h;
  const int64_t span_w = q.in_w + q.pad_left + pad_right - ext_w;
  if (span_h < 0 || span_w < 0) {
    fail_input(str_cat("kernel ", shape_str(w), " with dilations does not fit the padded input ",
                       shape_str(x)));
  }
  q.out_h = span_h / q.stride_h + 1;
  q.out_w = span_w / q.stride_w + 1;
  const int64_t taps = checked_mul(q.kernel_h, q.kernel_w);
  const Shape want_offset{q.batch, checked_mul(p.offset_group, taps * 2), q.out_h, q.out_w};
  if (!std::equal(offset.begin(), offset.end(), want_offset.begin(), want_offset.end())) {
    fail_input(
        str_cat("offset must have shape ", shape_str(want_offset), ", got ", shape_str(offset)));
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != q.out_channels)) {
    fail_input(str_cat("B must have shape [", q.out_channels, "], got ", shape_str(*bias)));
  }
  const Shape want_mask{q.batch, p.offset_group * taps, q.out_h, q.out_w};
  if (mask && !std::equal(mask->begin(), mask->end(), want_mask.begin(), want_mask.end())) {
    fail_input(str_cat("mask must have shape ", shape_str(want_mask), ", got ", shape_str(*mask)));
  }
  q.y_shape = {q.batch, q.out_channels, q.out_h, q.out_w};
  numel(q.y_shape);
  return q;
}

template <typename T>
void deform_conv(const DeformConvPlan& q, const T* x, const T* w, const T* offset, const T* bias,
                 const T* mask, T* y) {
  const int64_t H = q.in_h, W = q.in_w, KH = q.kernel_h, KW = q.kernel_w, OH = q.out_h,
                OW = q.out_w, taps = KH * KW, out_size = OH * OW;
  const int64_t cg = q.in_channels / q.group, mg = q.out_channels / q.group;
  const int64_t c_per_og = q.in_channels / q.offset_group;
  // Bilinear sample with zeros outside the input (GridSample, align_corners, zeros padding).
  auto sample = [&](const T* plane, T py, T px) {
    if (!(py > T(-1) && py < static_cast<T>(H) && px > T(-1) && px < static_cast<T>(W))) {
      return T(0);
    }
    const T fy = std::floor(py), fx = std::floor(px);
    const auto y0 = static_cast<int64_t>(fy), x0 = static_cast<int64_t>(fx);
    const T ly = py - fy, lx = px - fx;
    T v = 0;
    for (int64_t dy = 0; dy < 2; ++dy) {
      for (int64_t dx = 0; dx < 2; ++dx) {
        const int64_t yy = y0 + dy, xx = x0 + dx;
        if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
        v += (dy ? ly : T(1) - ly) * (dx ? lx : T(1) - lx) * plane[yy * W + xx];
      }
    }
    return v;
  };
  // The sampled input for one channel, [taps, out positions] (im2col with offsets).
  std::vector<T> col(static_cast<size_t>(taps * out_size));
  for (int64_t n = 0; n < q.batch; ++n) {
    T* yn = y + n * q.out_channels * out_size;
    for (int64_t m = 0; m < q.out_channels; ++m) {
      std::fill_n(yn + m * out_size, out_size, bias ? bias[m] : T(0));
    }
    for (int64_t c = 0; c < q.in_channels; ++c) {
      const T* plane = x + (n * q.in_channels + c) * H * W;
      const int64_t og = c / c_per_og;
      const T* off = offset + (n * q.offset_group + og) * taps * 2 * out_size;
      const T* msk = mask ? mask + (n * q.offset_group + og) * taps * out_size : nullptr;
      for (int64_t kh = 0; kh < KH; ++kh) {
        for (int64_t kw = 0; kw < KW; ++kw) {
          const int64_t t = kh * KW + kw;
          for (int64_t oh = 0; oh < OH; ++oh) {
            for (int64_t ow = 0; ow < OW; ++ow) {
              const int64_t o = oh * OW + ow;
              const T py = static_cast<T>(oh * q.stride_h - q.pad_top + kh * q.dil_h) +
                           off[(2 * t) * out_size + o];
              const T px = static_cast<T>(ow * q.stride_w - q.pad_left + kw * q.dil_w) +
                           off[(2 * t + 1) * out_size + o];
              T v = sample(plane, py, px);
              if (msk) v *= msk[t * out_size + o];
              col[static_cast<size_t>(t * out_size + o)] = v;
            }
          }
        }
      }
      // Every output channel of c's group accumulates W[m, c % cg] . col.
      const int64_t grp = c / cg;
      for (int64_t m = grp * mg; m < (grp + 1) * mg; ++m) {
        const T* wk = w + (m * cg + c % cg) * taps;
        T* ym = yn + m * out_size;
        for (int64_t t = 0; t < taps; ++t) {
          const T wt = wk[t];
          const T* ct = col.data() + t * out_size;
          for (int64_t o = 0; o < out_size; ++o) ym[o] += wt * ct[o];
        }
      }
    }
  }
}

template void deform_conv<float>(const DeformConvPlan&, const float*, const float*, const float*,
                                 const float*, const float*, float*);
template void deform_conv<double>(const DeformConvPlan&, const double*, const double*,
                                  const double*, const double*, const double*, double*);

}  // namespace infer::cpu
