#include "kernels/conv_transpose.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/gemm.h"

namespace infer::cpu {

namespace {

// Larger values are rejected so that the size arithmetic cannot overflow.
constexpr int64_t kMaxValue = int64_t{1} << 31;

void check(const Shape& v, size_t expected, int64_t min, const char* name) {
  if (expected && !v.empty() && v.size() != expected) {
    fail_attr(str_cat("attribute '", name, "' has ", v.size(), " values, expected ", expected));
  }
  for (int64_t x : v) {
    if (x < min || x > kMaxValue) {
      fail_attr(str_cat("attribute '", name, "' has invalid value ", x, " in ", shape_str(v),
                        min > 0 ? " (must be > 0)" : " (must be >= 0)"));
    }
  }
}

int64_t floor_half(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

}  // namespace

void validate_conv_transpose_params(const ConvTransposeParams& p, size_t rank) {
  if (p.group <= 0) fail_attr(str_cat("attribute 'group' must be > 0, got ", p.group));
  if (rank > kMaxSpatialRank) {
    fail(INFER_UNIMPLEMENTED, str_cat("only 1-D to ", kMaxSpatialRank,
                                      "-D windows are supported, got spatial rank ", rank));
  }
  check(p.kernel_shape, rank, 1, "kernel_shape");
  check(p.strides, rank, 1, "strides");
  check(p.dilations, rank, 1, "dilations");
  check(p.pads, 2 * rank, 0, "pads");
  check(p.output_padding, rank, 0, "output_padding");
  check(p.output_shape, 0, 0, "output_shape");
  if (p.pads.size() % 2) {
    fail_attr(str_cat("attribute 'pads' has an odd number of values ", shape_str(p.pads)));
  }
}

ConvTransposePlan plan_conv_transpose(const ConvTransposeParams& p, ShapeSpan x, ShapeSpan w,
                                      std::optional<ShapeSpan> bias) {
  if (x.size() < 3 || x.size() > 2 + kMaxSpatialRank) {
    fail(x.size() < 3 ? INFER_INVALID_ARGUMENT : INFER_UNIMPLEMENTED,
         str_cat("input must be [N, C, D1...] with 1 to ", kMaxSpatialRank,
                 " spatial dimensions, got ", shape_str(x)));
  }
  if (w.size() != x.size()) {
    fail_input(str_cat("weight ", shape_str(w), " must have the rank of input ", shape_str(x)));
  }
  const size_t rank = x.size() - 2;
  validate_conv_transpose_params(p, rank);
  numel(x);
  numel(w);
  ConvTransposePlan plan;
  plan.batch = x[0];
  plan.in_channels = x[1];
  plan.group = p.group;
  if (w[0] != plan.in_channels || plan.in_channels % p.group != 0) {
    fail_input(str_cat("weight ", shape_str(w), " must be [C, M / group, ...] with C = ",
                       plan.in_channels, " input channels divisible by group ", p.group));
  }
  plan.out_channels = checked_mul(w[1], p.group);
  const ShapeSpan kernel = w.subspan(2);
  if (!p.kernel_shape.empty() &&
      !std::equal(kernel.begin(), kernel.end(), p.kernel_shape.begin(), p.kernel_shape.end())) {
    fail_input(str_cat("attribute kernel_shape ", shape_str(p.kernel_shape),
                       " does not match weight ", shape_str(w)));
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != plan.out_channels)) {
    fail_input(str_cat("bias must have shape [", plan.out_channels, "], got ", shape_str(*bias)));
  }
  if (!p.output_shape.empty() && p.output_shape.size() != rank &&
      p.output_shape.size() != rank + 2) {
    fail_input(str_cat("attribute output_shape ", shape_str(p.output_shape), " does not match ",
                       rank, " spatial dimensions"));
  }
  plan.in.fill(1);
  plan.out.fill(1);
  plan.kernel.fill(1);
  plan.stride.fill(1);
  plan.dilation.fill(1);
  plan.y_shape = {plan.batch, plan.out_channels};
  const size_t lead = kMaxSpatialRank - rank;
  for (size_t i = 0; i < rank; ++i) {
    const int64_t in = x[2 + i], k = kernel[i];
    if (in > kMaxValue || k > kMaxValue) fail_input("spatial size too large");
    const int64_t s = p.strides.empty() ? 1 : p.strides[i];
    const int64_t d = p.dilations.empty() ? 1 : p.dilations[i];
    const int64_t adj = p.output_padding.empty() ? 0 : p.output_padding[i];
    // The output of an unpadded transposed convolution.
    const int64_t full = checked_add(checked_add(checked_mul(s, std::max<int64_t>(in - 1, 0)), adj),
                                     checked_mul(k - 1, d) + 1);
    int64_t pb = 0, out = 0;
    const bool same = p.auto_pad == AutoPad::kSameUpper || p.auto_pad == AutoPad::kSameLower;
    if (!p.output_shape.empty() || same) {
      const bool explicit_pads = !p.pads.empty() && !same;
      if (!p.output_shape.empty()) {
        out = p.output_shape[p.output_shape.size() - rank + i];
      } else {
        out = in * s;
      }
      if (explicit_pads) {
        pb = p.pads[i];
      } else {
        const int64_t total = std::max<int64_t>(0, full - out);
        // SAME_UPPER puts the odd pad at the end, otherwise at the beginning.
        pb = p.auto_pad == AutoPad::kSameUpper ? floor_half(total) : total - floor_half(total);
      }
    } else {
      pb = p.pads.empty() ? 0 : p.pads[i];
      const int64_t pe = p.pads.empty() ? 0 : p.pads[rank + i];
      out = full - pb - pe;
    }
    if (out < 0) {
      fail_input(str_cat("pads leave a negative output size ", out, " on spatial axis ", i));
    }
    plan.in[lead + i] = in;
    plan.out[lead + i] = out;
    plan.kernel[lead + i] = k;
    plan.stride[lead + i] = s;
    plan.dilation[lead + i] = d;
    plan.pad_begin[lead + i] = pb;
    plan.y_shape.push_back(out);
  }
  numel(plan.y_shape);
  return plan;
}

namespace {

// Adds col[m * K + tap][input position] into y[m][output position] for every tap that lands
// inside the output.
template <typename T>
void col2im(const ConvTransposePlan& g, int64_t channels, const T* col, T* y) {
  const int64_t in_size = g.in_size();
  for (int64_t m = 0; m < channels; ++m) {
    T* plane = y + m * g.out_size();
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          const T* src = col;
          col += in_size;
          for (int64_t id = 0; id < g.in[0]; ++id) {
            const int64_t od = id * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
            for (int64_t ih = 0; ih < g.in[1]; ++ih, src += g.in[2]) {
              const int64_t oh = ih * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
              if (od < 0 || od >= g.out[0] || oh < 0 || oh >= g.out[1]) continue;
              T* row = plane + (od * g.out[1] + oh) * g.out[2];
              for (int64_t iw = 0; iw < g.in[2]; ++iw) {
                const int64_t ow = iw * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
                if (ow >= 0 && ow < g.out[2]) row[ow] += src[iw];
              }
            }
          }
        }
      }
    }
  }
}

template <typename T>
void conv_transpose_native(const ConvTransposePlan& g, const T* x, const T* w, const T* bias,
                           T* y) {
  const int64_t cg = g.in_channels / g.group;   // input channels per group
  const int64_t mg = g.out_channels / g.group;  // output channels per group
  const int64_t rows = mg * g.kernel_size();    // col rows per group
  const int64_t in_size = g.in_size(), out_size = g.out_size();
  std::vector<T> col(static_cast<size_t>(checked_mul(rows, in_size)));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t grp = 0; grp < g.group; ++grp) {
      T* yg = y + (n * g.out_channels + grp * mg) * out_size;
      for (int64_t m = 0; m < mg; ++m) {
        std::fill_n(yg + m * out_size, out_size, bias ? bias[grp * mg + m] : T{0});
      }
      // col = W_g^T [rows, cg] * X_g [cg, in_size]
      gemm<T>(true, false, rows, in_size, cg, T{1}, w + grp * cg * rows, rows,
              x + (n * g.in_channels + grp * cg) * in_size, in_size, T{0}, col.data(), in_size);
      col2im(g, mg, col.data(), yg);
    }
  }
}

}  // namespace

template <typename T>
void conv_transpose(const ConvTransposePlan& plan, const T* x, const T* w, const T* bias, T* y) {
  if constexpr (std::is_same_v<T, compute_t<T>>) {
    conv_transpose_native(plan, x, w, bias, y);
  } else {
    const int64_t nx = plan.batch * plan.in_channels * plan.in_size();
    const int64_t nw = plan.in_channels * (plan.out_channels / plan.group) * plan.kernel_size();
    const int64_t ny = plan.batch * plan.out_channels * plan.out_size();
    const std::vector<float> xf = load_all(x, nx), wf = load_all(w, nw);
    const std::vector<float> bf = bias ? load_all(bias, plan.out_channels) : std::vector<float>{};
    std::vector<float> yf(static_cast<size_t>(ny));
    conv_transpose_native(plan, xf.data(), wf.data(), bias ? bf.data() : nullptr, yf.data());
    store_all(yf.data(), ny, y);
  }
}

#define INFER_CPU_CONV_TRANSPOSE_INSTANTIATE(T) \
  template void conv_transpose<T>(const ConvTransposePlan&, const T*, const T*, const T*, T*);
INFER_CPU_CONV_TRANSPOSE_INSTANTIATE(float)
INFER_CPU_CONV_TRANSPOSE_INSTANTIATE(double)
INFER_CPU_CONV_TRANSPOSE_INSTANTIATE(Float16)
INFER_CPU_CONV_TRANSPOSE_INSTANTIATE(BFloat16)
#undef INFER_CPU_CONV_TRANSPOSE_INSTANTIATE

}  // namespace infer::cpu
