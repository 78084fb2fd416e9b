// NCHWc direct convolution: each tile keeps F output blocks x T output pixels of b lanes in
// registers and accumulates broadcast input values times one packed weight row per tap and
// input channel, like ONNX Runtime's MLAS NCHWc kernels. Depthwise convolution multiplies
// whole input blocks lane by lane instead.
#include <algorithm>

#include "kernels/nchwc.h"
#include "kernels/parallel.h"

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

// Input channels [begin, end) of one pass over the output: the passes of a wide layer each
// keep their slice of the weights in L1 across every tile instead of streaming all of them
// from L2 per tile. The first pass starts from the bias, the others from the partial sums in
// y; the last adds the residual (and its caller the activation).
struct ChannelPass {
  int64_t begin, end;
  bool first, last;
};

// The output of one tile: partial sums, plus the residual on the last pass.
template <int B>
INFER_NCHWC_INLINE void finish(Vec<B> acc, const ChannelPass& pass, const float* z, float* y) {
  if (pass.last && z) acc += load<B>(z);
  store<B>(y, acc);
}

// groups == 1: F output blocks x T pixels starting at (oh, ow). T > 1 tiles are interior
// (every tap inside the input row); T == 1 tiles check each column tap.
template <int B, int F, int T>
INFER_NCHWC_INLINE void conv_tile(const ConvArgs& a, const ChannelPass& pass, const float* x,
                                  const float* w, const float* bias, int64_t oh, int64_t ow,
                                  const float* z, float* y, int64_t y_block_stride) {
  Vec<B> acc[F][T];
  for (int f = 0; f < F; ++f) {
    const Vec<B> bv = load<B>(bias + f * B);
    for (int t = 0; t < T; ++t) {
      acc[f][t] = pass.first ? bv : load<B>(y + f * y_block_stride + t * B);
    }
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
      for (int64_t ic = pass.begin; ic < pass.end; ++ic) {
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
      finish<B>(acc[f][t], pass, z ? z + off : nullptr, y + off);
    }
  }
}

// Depthwise convolution reads one input channel per output: a single pass.
constexpr ChannelPass kWholePass{0, 1, true, true};

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
  for (int t = 0; t < T; ++t) finish<B>(acc[t], kWholePass, z ? z + t * B : nullptr, y + t * B);
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

// The last interior pixels of a row, fewer than a full tile: one tile of exactly `rem`
// pixels (rem <= R) rather than rem single ones, which are load-bound.
template <int B, int F, int R>
INFER_NCHWC_INLINE void conv_tail(int64_t rem, const ConvArgs& a, const ChannelPass& pass,
                                  const float* x, const float* w, const float* bias, int64_t oh,
                                  int64_t ow, const float* z, float* y, int64_t y_block_stride) {
  if constexpr (R >= 1) {
    if (rem == R) return conv_tile<B, F, R>(a, pass, x, w, bias, oh, ow, z, y, y_block_stride);
    conv_tail<B, F, R - 1>(rem, a, pass, x, w, bias, oh, ow, z, y, y_block_stride);
  }
}
template <int B, int R>
INFER_NCHWC_INLINE void depthwise_tail(int64_t rem, const ConvArgs& a, const float* x,
                                       const float* w, const float* bias, int64_t oh, int64_t ow,
                                       const float* z, float* y) {
  if constexpr (R >= 1) {
    if (rem == R) return depthwise_tile<B, R>(a, x, w, bias, oh, ow, z, y);
    depthwise_tail<B, R - 1>(rem, a, x, w, bias, oh, ow, z, y);
  }
}

// Columns [c0, c1) of one output row of F blocks: interior tiles of T pixels, checked single
// pixels elsewhere. (Plain loops rather than a lambda so that everything inlines into the
// ISA-specific copy.)
template <int B, int F>
INFER_NCHWC_INLINE void conv_row(const ConvArgs& a, const ChannelPass& pass, const float* x,
                                 const float* w, const float* bias, int64_t lo, int64_t hi,
                                 int64_t oh, int64_t c0, int64_t c1, const float* z, float* y) {
  constexpr int T = kTileT<B>;
  const int64_t y_block_stride = a.out_h * a.out_w * B, row = oh * a.out_w * B;
  int64_t ow = c0;
  const int64_t tiles_end = std::min(hi, c1);
  auto at = [&](auto* p) { return p ? p + row + ow * B : p; };
  for (; ow < std::min(lo, c1); ++ow) {
    conv_tile<B, F, 1>(a, pass, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  }
  for (; ow + T <= tiles_end; ow += T) {
    conv_tile<B, F, T>(a, pass, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  }
  if (ow < tiles_end) {
    conv_tail<B, F, T - 1>(tiles_end - ow, a, pass, x, w, bias, oh, ow, at(z), at(y),
                           y_block_stride);
    ow = tiles_end;
  }
  for (; ow < c1; ++ow)
    conv_tile<B, F, 1>(a, pass, x, w, bias, oh, ow, at(z), at(y), y_block_stride);
  // The activation while the row is still in cache.
  if (!pass.last) return;
  for (int f = 0; f < F; ++f) {
    float* yr = y + f * y_block_stride + row + c0 * B;
    fused_activation(*a.act, yr, yr, (c1 - c0) * B);
  }
}

template <int B>
INFER_NCHWC_INLINE void depthwise_row(const ConvArgs& a, const float* x, const float* w,
                                      const float* bias, int64_t lo, int64_t hi, int64_t oh,
                                      int64_t c0, int64_t c1, const float* z, float* y) {
  constexpr int T = 2 * kTileT<B>;
  const int64_t row = oh * a.out_w * B;
  int64_t ow = c0;
  const int64_t tiles_end = std::min(hi, c1);
  auto at = [&](auto* p) { return p ? p + row + ow * B : p; };
  for (; ow < std::min(lo, c1); ++ow) depthwise_tile<B, 1>(a, x, w, bias, oh, ow, at(z), at(y));
  for (; ow + T <= tiles_end; ow += T) {
    depthwise_tile<B, T>(a, x, w, bias, oh, ow, at(z), at(y));
  }
  if (ow < tiles_end) {
    depthwise_tail<B, T - 1>(tiles_end - ow, a, x, w, bias, oh, ow, at(z), at(y));
    ow = tiles_end;
  }
  for (; ow < c1; ++ow) depthwise_tile<B, 1>(a, x, w, bias, oh, ow, at(z), at(y));
  if (a.act->kind != FusedActivationKind::kNone) {
    fused_activation(*a.act, y + row + c0 * B, y + row + c0 * B, (c1 - c0) * B);
  }
}

// The work of a convolution cut into units that threads take independently: per image, per
// group of up to kMaxF output blocks (one block for depthwise), per output row; a single-row
// output (a 1x1 conv treated as one long row) is cut into column segments instead.
struct ConvWork {
  int64_t block_groups = 0;  // output block groups per image
  int64_t rows = 0;          // row units per group: out_h, or column segments of row 0
  int64_t segment = 0;       // columns per segment when out_h == 1
  int64_t units = 0;
  int64_t pass_channels = 0;  // input channels per pass (ChannelPass)
};

ConvWork conv_work(const NchwcConvPlan& plan, const NchwcConvWeights& wt, const ConvArgs& a,
                   int64_t max_f, int64_t tile_t) {
  ConvWork w;
  const int64_t mb = plan.y_shape[1];
  w.block_groups = wt.depthwise ? mb : (mb + max_f - 1) / max_f;
  if (a.out_h > 1) {
    w.rows = a.out_h;
  } else {
    // Segments of whole tiles, enough of them for the threads to balance.
    constexpr int64_t kSegmentsPerImage = 16;
    const int64_t tiles = (a.out_w + tile_t - 1) / tile_t;
    w.segment = std::max<int64_t>(1, (tiles + kSegmentsPerImage - 1) / kSegmentsPerImage) * tile_t;
    w.rows = (a.out_w + w.segment - 1) / w.segment;
  }
  w.units = plan.batch * w.block_groups * w.rows;
  // The weights one pass touches (max_f blocks x taps x channels x B floats) fill about half
  // of a 48 KiB L1; at least 8 channels so that narrow 7x7 layers still make progress.
  constexpr int64_t kPassWeightBytes = 24 * 1024;
  const int64_t per_channel = max_f * a.kh * a.kw * plan.y_shape[4] * int64_t{sizeof(float)};
  w.pass_channels = std::clamp<int64_t>(kPassWeightBytes / per_channel, 8, a.channels);
  return w;
}

template <int B>
INFER_NCHWC_INLINE void conv_units(const NchwcConvPlan& plan, const NchwcConvWeights& wt,
                                   const ConvArgs& a, const ConvWork& work, int64_t u0, int64_t u1,
                                   const float* x, const float* z, float* y) {
  int64_t lo = 0, hi = 0;
  interior_columns(a, lo, hi);
  const int64_t mb = plan.y_shape[1], plane_out = a.out_h * a.out_w * B;
  const int64_t y_image = mb * plane_out;
  const int64_t x_image = plan.blocked_input
                              ? nchwc_blocks(plan.in_channels, B) * a.in_h * a.in_w * B
                              : plan.in_channels * a.in_h * a.in_w;
  // Units of one (image, block group) run consecutively: each channel pass sweeps all of them.
  for (int64_t run = u0; run < u1;) {
    const int64_t g = run / work.rows % work.block_groups, n = run / work.rows / work.block_groups;
    const int64_t run_end = std::min(u1, (run / work.rows + 1) * work.rows);
    const float* xn = x + n * x_image;
    const float* zn = z ? z + n * y_image : nullptr;
    float* yn = y + n * y_image;
    auto unit_columns = [&](int64_t u, int64_t& oh, int64_t& c0, int64_t& c1) {
      const int64_t r = u % work.rows;
      oh = a.out_h > 1 ? r : 0;
      c0 = a.out_h > 1 ? 0 : r * work.segment;
      c1 = a.out_h > 1 ? a.out_w : std::min(a.out_w, c0 + work.segment);
    };
    if (wt.depthwise) {
      const int64_t taps = a.kh * a.kw, off = g * plane_out;
      for (int64_t u = run; u < run_end; ++u) {
        int64_t oh, c0, c1;
        unit_columns(u, oh, c0, c1);
        depthwise_row<B>(a, xn + g * a.in_h * a.in_w * B, wt.packed.data() + g * taps * B,
                         a.bias + g * B, lo, hi, oh, c0, c1, zn ? zn + off : nullptr, yn + off);
      }
      run = run_end;
      continue;
    }
    const int64_t ob = g * kMaxF<B>, left = mb - ob;
    const float* wb = wt.packed.data() + ob * a.w_block_stride;
    const float* bb = a.bias + ob * B;
    const int64_t off = ob * plane_out;
    const float* zb = zn ? zn + off : nullptr;
    for (int64_t ic = 0; ic < a.channels; ic += work.pass_channels) {
      const int64_t ic_end = std::min(a.channels, ic + work.pass_channels);
      const ChannelPass pass{ic, ic_end, ic == 0, ic_end == a.channels};
      for (int64_t u = run; u < run_end; ++u) {
        int64_t oh, c0, c1;
        unit_columns(u, oh, c0, c1);
        // A group holds kMaxF blocks but the last, which holds what is left (1 to kMaxF - 1).
        if (left >= kMaxF<B>) {
          conv_row<B, kMaxF<B>>(a, pass, xn, wb, bb, lo, hi, oh, c0, c1, zb, yn + off);
          continue;
        }
        int64_t done = 0;
        if (left >= 2) {
          conv_row<B, 2>(a, pass, xn, wb, bb, lo, hi, oh, c0, c1, zb, yn + off);
          done = 2;
        }
        if (left - done >= 1) {
          const int64_t o = done * plane_out;
          conv_row<B, 1>(a, pass, xn, wb + done * a.w_block_stride, bb + done * B, lo, hi, oh, c0,
                         c1, zb ? zb + o : nullptr, yn + off + o);
        }
      }
    }
    run = run_end;
  }
}

using ConvUnitsFn = void (*)(const NchwcConvPlan&, const NchwcConvWeights&, const ConvArgs&,
                             const ConvWork&, int64_t, int64_t, const float*, const float*, float*);

void conv_baseline8(const NchwcConvPlan& p, const NchwcConvWeights& w, const ConvArgs& a,
                    const ConvWork& k, int64_t u0, int64_t u1, const float* x, const float* z,
                    float* y) {
  conv_units<8>(p, w, a, k, u0, u1, x, z, y);
}
void conv_baseline16(const NchwcConvPlan& p, const NchwcConvWeights& w, const ConvArgs& a,
                     const ConvWork& k, int64_t u0, int64_t u1, const float* x, const float* z,
                     float* y) {
  conv_units<16>(p, w, a, k, u0, u1, x, z, y);
}
#if INFER_NCHWC_HAS_TARGETS
INFER_NCHWC_TARGET_AVX2 void conv_avx2(const NchwcConvPlan& p, const NchwcConvWeights& w,
                                       const ConvArgs& a, const ConvWork& k, int64_t u0, int64_t u1,
                                       const float* x, const float* z, float* y) {
  conv_units<8>(p, w, a, k, u0, u1, x, z, y);
}
INFER_NCHWC_TARGET_AVX512 void conv_avx512(const NchwcConvPlan& p, const NchwcConvWeights& w,
                                           const ConvArgs& a, const ConvWork& k, int64_t u0,
                                           int64_t u1, const float* x, const float* z, float* y) {
  conv_units<16>(p, w, a, k, u0, u1, x, z, y);
}
#endif

ConvUnitsFn conv_units_for(int64_t b) {
#if INFER_NCHWC_HAS_TARGETS
  switch (isa_for_block(b)) {
    case Isa::kAvx512:
      return &conv_avx512;
    case Isa::kAvx2:
      return &conv_avx2;
    case Isa::kBaseline:
      break;
  }
#endif
  return b == 16 ? &conv_baseline16 : &conv_baseline8;
}

// A copy of the input with its padding made of zeros, so that every output tile is interior:
// without it a 7x7 output with pad 1 (ResNet's last stage) has no full tile of T pixels and
// runs one pixel at a time. The buffer is per thread and kept, so steady runs do not allocate.
// Updates `a` to the padded extent with no padding left.
const float* zero_padded_input(ConvArgs& a, int64_t planes, const float* x) {
  const int64_t lanes = a.x_col;
  const int64_t h = std::max(a.in_h + a.ph, (a.out_h - 1) * a.sh + (a.kh - 1) * a.dh + 1);
  const int64_t w = std::max(a.in_w + a.pw, (a.out_w - 1) * a.sw + (a.kw - 1) * a.dw + 1);
  thread_local std::vector<float> padded;
  padded.assign(static_cast<size_t>(checked_mul(checked_mul(planes, h * w), lanes)), 0.0f);
  const int64_t rows = std::min(a.in_h, h - a.ph), cols = std::min(a.in_w, w - a.pw);
  float* out = padded.data();
  parallel_for(planes * rows, 64, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t pl = r / rows, row = r % rows;
      std::copy_n(x + (pl * a.in_h + row) * a.in_w * lanes, cols * lanes,
                  out + ((pl * h + row + a.ph) * w + a.pw) * lanes);
    }
  });
  a.in_h = h;
  a.in_w = w;
  a.ph = a.pw = 0;
  a.x_row = w * lanes;
  return padded.data();
}

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
  if (numel(plan.y_shape) == 0) return;
  const int64_t planes =
      plan.batch * (plan.blocked_input ? nchwc_blocks(plan.in_channels, b) : plan.in_channels);
  // The copy pays when edge columns (checked single pixels) are a good share of each row; on
  // wide images, and always for depthwise convs (a few MACs per input value), it costs more
  // than it saves.
  int64_t lo = 0, hi = 0;
  interior_columns(a, lo, hi);
  constexpr int64_t kEdgeShareToPad = 8;  // pad when edges exceed 1/8 of the columns
  if (!w.depthwise && (lo + a.out_w - hi) * kEdgeShareToPad > a.out_w) {
    x = zero_padded_input(a, planes, x);
  }
  std::vector<int64_t> chan_offset(static_cast<size_t>(w.depthwise ? 0 : a.channels));
  const int64_t plane = a.in_h * a.in_w;
  for (int64_t ic = 0; ic < static_cast<int64_t>(chan_offset.size()); ++ic) {
    chan_offset[static_cast<size_t>(ic)] =
        plan.blocked_input ? (ic / b) * plane * b + ic % b : ic * plane;
  }
  a.chan_offset = chan_offset.data();
  const ConvWork work =
      conv_work(plan, w, a, b == 16 ? kMaxF<16> : kMaxF<8>, b == 16 ? kTileT<16> : kTileT<8>);
  const ConvUnitsFn run_units = conv_units_for(b);
  parallel_for(work.units, 1,
               [&](int64_t u0, int64_t u1) { run_units(plan, w, a, work, u0, u1, x, z, y); });
}

}  // namespace infer::cpu
