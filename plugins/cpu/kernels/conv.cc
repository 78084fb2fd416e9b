#include "kernels/conv.h"

#include <algorithm>
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
void im2col(const WindowGeometry& g, int64_t channels, const float* x, float* col) {
  const int64_t out_size = g.out_size();
  for (int64_t c = 0; c < channels; ++c) {
    const float* plane = x + c * g.in_size();
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          float* dst = col;
          col += out_size;
          for (int64_t od = 0; od < g.out[0]; ++od) {
            const int64_t id = od * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
            for (int64_t oh = 0; oh < g.out[1]; ++oh) {
              const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
              if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1]) {
                std::fill_n(dst, g.out[2], 0.0f);
                dst += g.out[2];
                continue;
              }
              const float* src = plane + (id * g.in[1] + ih) * g.in[2];
              for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
                *dst++ = iw >= 0 && iw < g.in[2] ? src[iw] : 0.0f;
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

}  // namespace

void conv(const ConvPlan& plan, const float* x, const float* w, const float* bias, float* y) {
  const WindowGeometry& g = plan.geo;
  const int64_t cg = plan.in_channels / plan.group;   // input channels per group
  const int64_t mg = plan.out_channels / plan.group;  // output channels per group
  const int64_t kdim = cg * g.kernel_size();          // GEMM inner dimension
  const int64_t out_size = g.out_size();
  // A 1x1 stride-1 unpadded conv reads the input directly as the GEMM operand.
  const bool pointwise = is_pointwise(g);
  std::vector<float> col(pointwise ? 0 : static_cast<size_t>(checked_mul(kdim, out_size)));
  for (int64_t n = 0; n < plan.batch; ++n) {
    for (int64_t grp = 0; grp < plan.group; ++grp) {
      const float* xg = x + (n * plan.in_channels + grp * cg) * g.in_size();
      float* yg = y + (n * plan.out_channels + grp * mg) * out_size;
      for (int64_t m = 0; m < mg; ++m) {
        std::fill_n(yg + m * out_size, out_size, bias ? bias[grp * mg + m] : 0.0f);
      }
      const float* operand = xg;
      if (!pointwise) {
        im2col(g, cg, xg, col.data());
        operand = col.data();
      }
      gemm(false, false, mg, out_size, kdim, 1.0f, w + grp * mg * kdim, kdim, operand, out_size,
           1.0f, yg, out_size);
    }
  }
}

}  // namespace infer::cpu
