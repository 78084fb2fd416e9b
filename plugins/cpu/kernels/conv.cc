#include "kernels/conv.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/gemm.h"

namespace infer::cpu {

void validate_conv_params(const ConvParams& p, size_t spatial_rank) {
  if (p.group <= 0) fail_attr(str_cat("attribute 'group' must be > 0, got ", p.group));
  validate_window(p.window, spatial_rank);
}

ConvPlan plan_conv(const ConvParams& p, ShapeSpan x, ShapeSpan w, std::optional<ShapeSpan> bias) {
  if (x.size() < 3 || x.size() > 2 + kMaxSpatialRank) {
    fail(x.size() < 3 ? INFER_INVALID_ARGUMENT : INFER_UNIMPLEMENTED,
         str_cat("input must be [N, C, D1...] with 1 to ", kMaxSpatialRank,
                 " spatial dimensions, got ", shape_str(x)));
  }
  if (w.size() != x.size()) {
    fail_input(str_cat("weight ", shape_str(w), " must have the rank of input ", shape_str(x)));
  }
  const size_t rank = x.size() - 2;
  validate_conv_params(p, rank);
  ConvPlan plan;
  plan.batch = x[0];
  plan.in_channels = x[1];
  plan.out_channels = w[0];
  plan.group = p.group;
  if (plan.in_channels % p.group != 0 || plan.out_channels % p.group != 0) {
    fail_input(str_cat("channels of input ", shape_str(x), " and weight ", shape_str(w),
                       " are not divisible by group ", p.group));
  }
  if (checked_mul(w[1], p.group) != plan.in_channels) {
    fail_input(str_cat("weight ", shape_str(w), " expects ", w[1] * p.group,
                       " input channels (group ", p.group, "), input ", shape_str(x), " has ",
                       plan.in_channels));
  }
  const ShapeSpan kernel = w.subspan(2);
  if (!p.window.kernel_shape.empty() &&
      !std::equal(kernel.begin(), kernel.end(), p.window.kernel_shape.begin())) {
    fail_input(str_cat("attribute kernel_shape ", shape_str(p.window.kernel_shape),
                       " does not match weight ", shape_str(w)));
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != plan.out_channels)) {
    fail_input(str_cat("bias must have shape [", plan.out_channels, "], got ", shape_str(*bias)));
  }
  plan.geo = resolve_window(p.window, x.subspan(2), kernel);
  plan.y_shape = {plan.batch, plan.out_channels};
  for (size_t i = 0; i < rank; ++i)
    plan.y_shape.push_back(plan.geo.out[kMaxSpatialRank - rank + i]);
  numel(plan.y_shape);
  return plan;
}

namespace {

// Unfolds one group of one image into col[c * K + tap][output position], zero where the
// window reads padding.
template <typename T>
void im2col(const WindowGeometry& g, int64_t channels, const T* x, T* col) {
  const int64_t out_size = g.out_size();
  for (int64_t c = 0; c < channels; ++c) {
    const T* plane = x + c * g.in_size();
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          T* dst = col;
          col += out_size;
          for (int64_t od = 0; od < g.out[0]; ++od) {
            const int64_t id = od * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
            for (int64_t oh = 0; oh < g.out[1]; ++oh) {
              const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
              if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1]) {
                std::fill_n(dst, g.out[2], T{0});
                dst += g.out[2];
                continue;
              }
              const T* src = plane + (id * g.in[1] + ih) * g.in[2];
              for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
                *dst++ = iw >= 0 && iw < g.in[2] ? src[iw] : T{0};
              }
            }
          }
        }
      }
    }
  }
}

bool is_pointwise(const WindowGeometry& g) {
  for (size_t a = 0; a < kMaxSpatialRank; ++a) {
    if (g.kernel[a] != 1 || g.stride[a] != 1 || g.pad_begin[a] != 0 || g.pad_end[a] != 0) {
      return false;
    }
  }
  return true;
}

// The GEMM-based convolution in a type gemm() implements.
template <typename T>
void conv_native(const ConvPlan& plan, const T* x, const T* w, const T* bias, T* y) {
  const WindowGeometry& g = plan.geo;
  const int64_t cg = plan.in_channels / plan.group;   // input channels per group
  const int64_t mg = plan.out_channels / plan.group;  // output channels per group
  const int64_t kdim = cg * g.kernel_size();          // GEMM inner dimension
  const int64_t out_size = g.out_size();
  // A 1x1 stride-1 unpadded conv reads the input directly as the GEMM operand.
  const bool pointwise = is_pointwise(g);
  std::vector<T> col(pointwise ? 0 : static_cast<size_t>(checked_mul(kdim, out_size)));
  for (int64_t n = 0; n < plan.batch; ++n) {
    for (int64_t grp = 0; grp < plan.group; ++grp) {
      const T* xg = x + (n * plan.in_channels + grp * cg) * g.in_size();
      T* yg = y + (n * plan.out_channels + grp * mg) * out_size;
      for (int64_t m = 0; m < mg; ++m) {
        std::fill_n(yg + m * out_size, out_size, bias ? bias[grp * mg + m] : T{0});
      }
      const T* operand = xg;
      if (!pointwise) {
        im2col(g, cg, xg, col.data());
        operand = col.data();
      }
      gemm<T>(false, false, mg, out_size, kdim, T{1}, w + grp * mg * kdim, kdim, operand, out_size,
              T{1}, yg, out_size);
    }
  }
}

}  // namespace

template <typename T>
void conv(const ConvPlan& plan, const T* x, const T* w, const T* bias, T* y) {
  if constexpr (std::is_same_v<T, compute_t<T>>) {
    conv_native(plan, x, w, bias, y);
  } else {
    const WindowGeometry& g = plan.geo;
    const int64_t nx = plan.batch * plan.in_channels * g.in_size();
    const int64_t nw = plan.out_channels * (plan.in_channels / plan.group) * g.kernel_size();
    const int64_t ny = plan.batch * plan.out_channels * g.out_size();
    const std::vector<float> xf = load_all(x, nx), wf = load_all(w, nw);
    const std::vector<float> bf = bias ? load_all(bias, plan.out_channels) : std::vector<float>{};
    std::vector<float> yf(static_cast<size_t>(ny));
    conv_native(plan, xf.data(), wf.data(), bias ? bf.data() : nullptr, yf.data());
    store_all(yf.data(), ny, y);
  }
}

template void conv<float>(const ConvPlan&, const float*, const float*, const float*, float*);
template void conv<double>(const ConvPlan&, const double*, const double*, const double*, double*);
template void conv<Float16>(const ConvPlan&, const Float16*, const Float16*, const Float16*,
                            Float16*);
template void conv<BFloat16>(const ConvPlan&, const BFloat16*, const BFloat16*, const BFloat16*,
                             BFloat16*);

}  // namespace infer::cpu
