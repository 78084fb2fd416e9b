// NCHWc direct convolution: each tile keeps F output blocks x T output pixels of b lanes in
// registers and accumulates broadcast input values times one packed weight row per tap and
// input channel, like ONNX Runtime's MLAS NCHWc kernels. Depthwise convolution multiplies
// whole input blocks lane by lane instead.
#include <algorithm>

#include "kernels/nchwc.h"

// Block vectors are only passed between always-inline helpers (see nchwc_simd.h).
#pragma GCC diagnostic ignored "-Wpsabi"
#include "kernels/nchwc_simd.h"

namespace infer::cpu {

NchwcConvWeights pack_nchwc_conv_weights(const float* w, ShapeSpan w_shape, const float* bias,
                                         int64_t group, int64_t block) {
  check_nchwc_block(block);
  if (w_shape.size() != 4)
    fail_input(str_cat("NCHWc conv needs a 4-D weight, got ", shape_str(w_shape)));
  NchwcConvWeights p;
  p.block = block;
  p.out_channels = w_shape[0];
  p.kernel_h = w_shape[2];
  p.kernel_w = w_shape[3];
  const int64_t taps = p.kernel_h * p.kernel_w, mb = nchwc_blocks(p.out_channels, block);
  if (group == 1) {
    p.in_channels = w_shape[1];
    p.packed.assign(static_cast<size_t>(checked_mul(checked_mul(mb * block, p.in_channels), taps)),
                    0.0f);
    // [ob][tap][ic][lane] <- W[ob * b + lane][ic][tap]
    for (int64_t m = 0; m < p.out_channels; ++m) {
      for (int64_t ic = 0; ic < p.in_channels; ++ic) {
        for (int64_t t = 0; t < taps; ++t) {
          p.packed[static_cast<size_t>((((m / block) * taps + t) * p.in_channels + ic) * block +
                                       m % block)] = w[(m * p.in_channels + ic) * taps + t];
        }
      }
    }
  } else if (group == p.out_channels && w_shape[1] == 1) {
    p.depthwise = true;
    p.in_channels = p.out_channels;
    p.packed.assign(static_cast<size_t>(checked_mul(mb * block, taps)), 0.0f);
    // [cb][tap][lane] <- W[cb * b + lane][0][tap]
    for (int64_t m = 0; m < p.out_channels; ++m) {
      for (int64_t t = 0; t < taps; ++t) {
        p.packed[static_cast<size_t>(((m / block) * taps + t) * block + m % block)] =
            w[m * taps + t];
      }
    }
  } else {
    fail(INFER_UNIMPLEMENTED, str_cat("NCHWc conv supports group 1 or depthwise, got group ", group,
                                      " with weight ", shape_str(w_shape)));
  }
  p.bias.assign(static_cast<size_t>(mb * block), 0.0f);
  if (bias) std::copy_n(bias, p.out_channels, p.bias.begin());
  return p;
}

NchwcConvPlan plan_nchwc_conv(const ConvParams& p, ShapeSpan x, const NchwcConvWeights& w) {
  const int64_t b = w.block;
  NchwcConvPlan plan;
  plan.blocked_input = x.size() == 5;
  if (plan.blocked_input) {
    if (x[4] != b || x[1] != nchwc_blocks(w.in_channels, b)) {
      fail_input(str_cat("blocked input ", shape_str(x), " does not hold the ", w.in_channels,
                         " channels of the weight in blocks of ", b));
    }
  } else if (x.size() != 4 || x[1] != w.in_channels || w.depthwise) {
    fail_input(str_cat("input ", shape_str(x), " must be blocked, or NCHW with ", w.in_channels,
                       " channels for a non-depthwise conv"));
  }
  if ((w.depthwise ? w.out_channels : 1) != p.group) {
    fail_input(str_cat("group ", p.group, " does not match the packed weight"));
  }
  const Shape kernel = {w.kernel_h, w.kernel_w};
  if (!p.window.kernel_shape.empty() && p.window.kernel_shape != kernel) {
    fail_input(str_cat("attribute kernel_shape ", shape_str(p.window.kernel_shape),
                       " does not match the weight"));
  }
  plan.batch = x[0];
  plan.in_channels = w.in_channels;
  plan.geo = resolve_window(p.window, x.subspan(2, 2), kernel);
  plan.y_shape = {x[0], nchwc_blocks(w.out_channels, b), plan.geo.out[1], plan.geo.out[2], b};
  numel(plan.y_shape);
  return plan;
}

namespace {

using namespace nchwc_simd;

// Everything a tile needs, resolved once per call. Axis 0 of the geometry is the unused
// leading axis; 1 and 2 are H and W.
struct ConvArgs {
  int64_t in_h, in_w, kh, kw, sh, sw, dh, dw, ph, pw, out_h, out_w;
  int64_t channels;            // input channels (groups == 1) or channels (depthwise)
  int64_t x_row, x_col;        // element strides of an input row and pixel
  const int64_t* chan_offset;  // groups == 1: offset of each input channel in an image
  int64_t w_block_stride;      // floats between the packed weights of two output blocks
  const float* bias;
  const FusedActivation* act;
};

// The output of one tile: bias + sum (in acc) + residual, then the activation.
template <int B>
INFER_NCHWC_INLINE void finish(Vec<B> acc, const float* z, float* y) {
  if (z) acc += load<B>(z);
  store<B>(y, acc);
}

// groups == 1: F output blocks x T pixels starting at (oh, ow). T > 1 tiles are interior
// (every tap inside the input row); T == 1 tiles check each column tap.
template <int B, int F, int T>
INFER_NCHWC_INLINE void conv_tile(const ConvArgs& a, const float* x, const float* w,
                                  const float* bias, int64_t oh, int64_t ow, const float* z,
                                  float* y, int64_t y_block_stride) {
  Vec<B> acc[F][T];
  for (int f = 0; f < F; ++f) {
    const Vec<B> bv = load<B>(bias + f * B);
    for (int t = 0; t < T; ++t) acc[f][t] = bv;
  }
  const int64_t ih0 = oh * a.sh - a.ph, iw0 = ow * a.sw - a.pw;
  for (int64_t r = 0; r < a.kh; ++r) {
    const int64_t ih = ih0 + r * a.dh;
    if (ih < 0 || ih >= a.in_h) continue;
    for (int64_t c = 0; c < a.kw; ++c) {
      const int64_t iw = iw0 + c * a.dw;
      if (T == 1 && (iw < 0 || iw >= a.in_w)) continue;
      const float* xp = x + ih * a.x_row + iw * a.x_col;
      const float* wp = w + (r * a.kw + c) * a.channels * B;
      for (int64_t ic = 0; ic < a.channels; ++ic) {
        const float* xi = xp + a.chan_offset[ic];
        Vec<B> wv[F];
        for (int f = 0; f < F; ++f) wv[f] = load<B>(wp + f * a.w_block_stride + ic * B);
        for (int t = 0; t < T; ++t) {
          const float xs = xi[t * a.sw * a.x_col];
          for (int f = 0; f < F; ++f) acc[f][t] += xs * wv[f];
        }
      }
    }
  }
  for (int f = 0; f < F; ++f) {
    for (int t = 0; t < T; ++t) {
      const int64_t off = f * y_block_stride + t * B;
      finish<B>(acc[f][t], z ? z + off : nullptr, y + off);
    }
  }
}

// Depthwise: one block of channels x T pixels.
template <int B, int T>
INFER_NCHWC_INLINE void depthwise_tile(const ConvArgs& a, const float* x, const float* w,
                                       const float* bias, int64_t oh, int64_t ow, const float* z,
                                       float* y) {
  Vec<B> acc[T];
  const Vec<B> bv = load<B>(bias);
  for (int t = 0; t < T; ++t) acc[t] = bv;
  const int64_t ih0 = oh * a.sh - a.ph, iw0 = ow * a.sw - a.pw;
  for (int64_t r = 0; r < a.kh; ++r) {
    const int64_t ih = ih0 + r * a.dh;
    if (ih < 0 || ih >= a.in_h) continue;
    for (int64_t c = 0; c < a.kw; ++c) {
      const int64_t iw = iw0 + c * a.dw;
      if (T == 1 && (iw < 0 || iw >= a.in_w)) continue;
      const Vec<B> wv = load<B>(w + (r * a.kw + c) * B);
      const float* xp = x + ih * a.x_row + iw * a.x_col;
      for (int t = 0; t < T; ++t) acc[t] += load<B>(xp + t * a.sw * a.x_col) * wv;
    }
  }
  for (int t = 0; t < T; ++t) finish<B>(acc[t], z ? z + t * B : nullptr, y + t * B);
}

// Output columns [lo, hi) whose taps all fall inside the input row.
void interior_columns(const ConvArgs& a, int64_t& lo, int64_t& hi) {
  lo = std::min(a.out_w, (a.pw + a.sw - 1) / a.sw);
  const int64_t last = a.in_w - 1 + a.pw - (a.kw - 1) * a.dw;  // max of ow * sw
  hi = last < 0 ? 0 : std::min(a.out_w, last / a.sw + 1);
  hi = std::max(hi, lo);
}

// Tile sizes: F output blocks x T pixels of accumulators must fit the vector registers
// (16 ymm for b = 8, 32 zmm for b = 16) next to the weights and one broadcast.
template <int B>
constexpr int kMaxF = B == 16 ? 4 : 2;
template <int B>
constexpr int kTileT = B == 16 ? 6 : 4;

// One output row of F blocks: interior tiles of T pixels, checked single pixels elsewhere.
// (Plain loops rather than a lambda so that everything inlines into the ISA-specific copy.)
template <int B, int F>
INFER_NCHWC_INLINE void conv_row(const ConvArgs& a, const float* x, const float* w,
                                 const float* bias, int64_t lo, int64_t hi, int64_t oh,
                                 const float* z, float* y) {
  constexpr int T = kTileT<B>;
  const int64_t y_block_stride = a.out_h * a.out_w * B, row = oh * a.out_w * B;
  int64_t ow = 0;
  auto at = [&](auto* p) { return p ? p + row + ow * B : p; };
  for (; ow < lo; ++ow) conv_tile<B, F, 1>(a, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  for (; ow + T <= hi; ow += T) {
    conv_tile<B, F, T>(a, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  }
  for (; ow < a.out_w; ++ow) {
    conv_tile<B, F, 1>(a, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  }
  // The activation while the row is still in cache.
  for (int f = 0; f < F; ++f)
    fused_activation(*a.act, y + f * y_block_stride + row, y + f * y_block_stride + row,
                     a.out_w * B);
}

template <int B>
INFER_NCHWC_INLINE void depthwise_row(const ConvArgs& a, const float* x, const float* w,
                                      const float* bias, int64_t lo, int64_t hi, int64_t oh,
                                      const float* z, float* y) {
  constexpr int T = 2 * kTileT<B>;
  const int64_t row = oh * a.out_w * B;
  int64_t ow = 0;
  auto at = [&](auto* p) { return p ? p + row + ow * B : p; };
  for (; ow < lo; ++ow) depthwise_tile<B, 1>(a, x, w, bias, oh, ow, at(z), at(y));
  for (; ow + T <= hi; ow += T) depthwise_tile<B, T>(a, x, w, bias, oh, ow, at(z), at(y));
  for (; ow < a.out_w; ++ow) depthwise_tile<B, 1>(a, x, w, bias, oh, ow, at(z), at(y));
  if (a.act->kind != FusedActivationKind::kNone) {
    fused_activation(*a.act, y + row, y + row, a.out_w * B);
  }
}

template <int B, int F>
INFER_NCHWC_INLINE void conv_blocks(const ConvArgs& a, const float* x, const float* w,
                                    const float* bias, int64_t lo, int64_t hi, const float* z,
                                    float* y) {
  for (int64_t oh = 0; oh < a.out_h; ++oh) conv_row<B, F>(a, x, w, bias, lo, hi, oh, z, y);
}

template <int B>
INFER_NCHWC_INLINE void conv_body(const NchwcConvPlan& plan, const NchwcConvWeights& wt, ConvArgs a,
                                  const float* x, const float* z, float* y) {
  int64_t lo = 0, hi = 0;
  interior_columns(a, lo, hi);
  const int64_t mb = plan.y_shape[1], y_image = mb * a.out_h * a.out_w * B;
  const int64_t x_image = plan.blocked_input
                              ? nchwc_blocks(plan.in_channels, B) * a.in_h * a.in_w * B
                              : plan.in_channels * a.in_h * a.in_w;
  for (int64_t n = 0; n < plan.batch; ++n) {
    const float* xn = x + n * x_image;
    float* yn = y + n * y_image;
    const float* zn = z ? z + n * y_image : nullptr;
    if (wt.depthwise) {
      const int64_t taps = a.kh * a.kw, plane = a.in_h * a.in_w * B;
      for (int64_t cb = 0; cb < mb; ++cb) {
        const float* xb = xn + cb * plane;
        const float* wb = wt.packed.data() + cb * taps * B;
        const float* bb = a.bias + cb * B;
        const float* zb = zn ? zn + cb * a.out_h * a.out_w * B : nullptr;
        float* yb = yn + cb * a.out_h * a.out_w * B;
        for (int64_t oh = 0; oh < a.out_h; ++oh)
          depthwise_row<B>(a, xb, wb, bb, lo, hi, oh, zb, yb);
      }
      continue;
    }
    for (int64_t ob = 0; ob < mb;) {
      const float* wb = wt.packed.data() + ob * a.w_block_stride;
      const float* bb = a.bias + ob * B;
      const int64_t off = ob * a.out_h * a.out_w * B;
      const float* zb = zn ? zn + off : nullptr;
      const int64_t left = mb - ob;
      if (left >= kMaxF<B>) {
        conv_blocks<B, kMaxF<B>>(a, xn, wb, bb, lo, hi, zb, yn + off);
        ob += kMaxF<B>;
      } else if (left >= 2) {
        conv_blocks<B, 2>(a, xn, wb, bb, lo, hi, zb, yn + off);
        ob += 2;
      } else {
        conv_blocks<B, 1>(a, xn, wb, bb, lo, hi, zb, yn + off);
        ob += 1;
      }
    }
  }
}

void conv_baseline8(const NchwcConvPlan& p, const NchwcConvWeights& w, const ConvArgs& a,
                    const float* x, const float* z, float* y) {
  conv_body<8>(p, w, a, x, z, y);
}
void conv_baseline16(const NchwcConvPlan& p, const NchwcConvWeights& w, const ConvArgs& a,
                     const float* x, const float* z, float* y) {
  conv_body<16>(p, w, a, x, z, y);
}
#if INFER_NCHWC_HAS_TARGETS
INFER_NCHWC_TARGET_AVX2 void conv_avx2(const NchwcConvPlan& p, const NchwcConvWeights& w,
                                       const ConvArgs& a, const float* x, const float* z,
                                       float* y) {
  conv_body<8>(p, w, a, x, z, y);
}
INFER_NCHWC_TARGET_AVX512 void conv_avx512(const NchwcConvPlan& p, const NchwcConvWeights& w,
                                           const ConvArgs& a, const float* x, const float* z,
                                           float* y) {
  conv_body<16>(p, w, a, x, z, y);
}
#endif

}  // namespace

void nchwc_conv(const NchwcConvPlan& plan, const NchwcConvWeights& w, const float* x,
                const float* z, const FusedActivation& act, float* y) {
  const WindowGeometry& g = plan.geo;
  const int64_t b = w.block;
  ConvArgs a{};
  a.in_h = g.in[1];
  a.in_w = g.in[2];
  a.kh = g.kernel[1];
  a.kw = g.kernel[2];
  a.sh = g.stride[1];
  a.sw = g.stride[2];
  a.dh = g.dilation[1];
  a.dw = g.dilation[2];
  a.ph = g.pad_begin[1];
  a.pw = g.pad_begin[2];
  a.out_h = g.out[1];
  a.out_w = g.out[2];
  a.channels = plan.in_channels;
  a.x_col = plan.blocked_input ? b : 1;
  a.x_row = a.in_w * a.x_col;
  a.w_block_stride = a.kh * a.kw * (w.depthwise ? 1 : a.channels) * b;
  a.bias = w.bias.data();
  a.act = &act;
  // A 1x1 stride-1 unpadded conv maps pixels one to one: treat the image as one long row
  // so that tiles do not stop at row ends.
  if (a.kh == 1 && a.kw == 1 && a.sh == 1 && a.sw == 1 && a.ph == 0 && a.pw == 0 &&
      g.pad_end[1] == 0 && g.pad_end[2] == 0) {
    a.in_w = a.out_w = a.in_h * a.in_w;
    a.in_h = a.out_h = 1;
    a.x_row = a.in_w * a.x_col;
  }
  std::vector<int64_t> chan_offset(static_cast<size_t>(w.depthwise ? 0 : a.channels));
  const int64_t plane = g.in[1] * g.in[2];
  for (int64_t ic = 0; ic < static_cast<int64_t>(chan_offset.size()); ++ic) {
    chan_offset[static_cast<size_t>(ic)] =
        plan.blocked_input ? (ic / b) * plane * b + ic % b : ic * plane;
  }
  a.chan_offset = chan_offset.data();
  if (numel(plan.y_shape) == 0) return;
#if INFER_NCHWC_HAS_TARGETS
  switch (isa_for_block(b)) {
    case Isa::kAvx512:
      conv_avx512(plan, w, a, x, z, y);
      break;
    case Isa::kAvx2:
      conv_avx2(plan, w, a, x, z, y);
      break;
    case Isa::kBaseline:
      (b == 16 ? conv_baseline16 : conv_baseline8)(plan, w, a, x, z, y);
      break;
  }
#else
  (b == 16 ? conv_baseline16 : conv_baseline8)(plan, w, a, x, z, y);
#endif
}

}  // namespace infer::cpu
