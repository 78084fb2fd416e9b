// Winograd F(m x m, 3 x 3) convolution on the blocked layout, in two parallel phases:
//  1. every (m + 2)^2 input tile of every input block is transformed, V = B^T d B, lane by
//     lane, into V [tile][position][C padded to blocks] (a GEMM operand per position, rows
//     strided);
//  2. units of (tile chunk, group of up to kMaxF output blocks) multiply V by the packed
//     U [position][output block][C][b] with register tiles of F blocks x R tiles (the direct
//     kernel's scheme), then transform back (Y = A^T M A) and apply bias, residual and the
//     activation while the chunk is in cache.
// The GEMM runs over the real input channels only, so padded input lanes never reach an output.
// Accuracy: see kNchwcWinogradTile and the test NchwcWinograd.AccuracyOfTileSizes.
#include "kernels/nchwc_winograd.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "kernels/parallel.h"

// Block vectors are only passed between always-inline helpers (see nchwc_simd.h).
#pragma GCC diagnostic ignored "-Wpsabi"
#include "kernels/nchwc_simd.h"

namespace infer::cpu {
namespace {

using namespace nchwc_simd;

// The transform matrices of F(m x m, 3 x 3) (Lavin & Gray), interpolation points 0, +-1, +-2
// and infinity for m = 4, 0, +-1 and infinity for m = 2.
template <int M>
struct WinogradMatrices;
template <>
struct WinogradMatrices<2> {
  static constexpr int T = 4;
  static constexpr float bt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  static constexpr double g[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  static constexpr float at[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
};
template <>
struct WinogradMatrices<4> {
  static constexpr int T = 6;
  static constexpr float bt[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0},
                                     {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                                     {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  static constexpr double g[6][3] = {{1.0 / 4, 0, 0},
                                     {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                     {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                     {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                     {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                     {0, 0, 1}};
  static constexpr float at[4][6] = {
      {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
};

// Calls f(integral_constant<int, i>) for i in [0, N): compile-time indices let the transforms
// drop their zero coefficients and turn +-1 into additions.
template <int N, typename F>
INFER_NCHWC_INLINE void unroll(F&& f) {
  [&]<int... I>(std::integer_sequence<int, I...>) { (f(std::integral_constant<int, I>{}), ...); }
  (std::make_integer_sequence<int, N>{});
}

template <int R, int K>
constexpr int first_nonzero(const float (&m)[R][K], int r) {
  for (int k = 0; k < K; ++k) {
    if (m[r][k] != 0) return k;
  }
  return K;
}

// out[r * OR + k * OK] = sum_t mat[r][t] * in[t * IT + k * IK] for r < R, k < K: a left
// product (IT = K, IK = 1) or, with the strides swapped, a product with mat^T on the right.
template <int B, const auto& mat, int K, int IT, int IK, int OR, int OK>
INFER_NCHWC_INLINE void transform(const Vec<B>* in, Vec<B>* out) {
  using Mat = std::remove_cvref_t<decltype(mat)>;
  constexpr int R = std::extent_v<Mat, 0>, T = std::extent_v<Mat, 1>;
  unroll<R>([&](auto r) {
    constexpr int first = first_nonzero(mat, r);
    unroll<K>([&](auto k) {
      Vec<B> s = mat[r][first] * in[first * IT + k * IK];
      unroll<T>([&](auto t) {
        constexpr float c = mat[r][t];
        const Vec<B> x = in[t * IT + k * IK];
        if constexpr (t == first || c == 0) {
        } else if constexpr (c == 1) {
          s += x;
        } else if constexpr (c == -1) {
          s -= x;
        } else {
          s += c * x;
        }
      });
      out[r * OR + k * OK] = s;
    });
  });
}

// Register tiles of the GEMM, as in the direct kernel (nchwc_conv.cc).
template <int B>
constexpr int kMaxF = B == 16 ? 4 : 2;
template <int B>
constexpr int kTileR = B == 16 ? 6 : 4;

struct WinogradArgs {
  int64_t in_h, in_w, out_h, out_w, pad_top, pad_left;
  int64_t tiles_h, tiles_w, tiles_image;
  int64_t tile0, tiles;                // the span of tiles (numbered over the batch) that v holds
  int64_t channels, in_blocks, v_row;  // v_row = in_blocks * b
  int64_t out_blocks, block_groups, chunk, chunks;
  const float* u;
  const float* bias;
  const FusedActivation* act;
  float* v;  // [tiles][positions][v_row]: one tile's transform is stored contiguously
};

// Phase 1 for units [u0, u1) of (tile, input block).
template <int B, int M>
INFER_NCHWC_INLINE void input_units(const WinogradArgs& a, int64_t u0, int64_t u1, const float* x) {
  using W = WinogradMatrices<M>;
  constexpr int T = W::T;
  for (int64_t u = u0; u < u1; ++u) {
    const int64_t t = u / a.in_blocks, cb = u % a.in_blocks;
    const int64_t n = (a.tile0 + t) / a.tiles_image, r = (a.tile0 + t) % a.tiles_image;
    const int64_t ih0 = r / a.tiles_w * M - a.pad_top, iw0 = r % a.tiles_w * M - a.pad_left;
    const float* plane = x + (n * a.in_blocks + cb) * a.in_h * a.in_w * B;
    Vec<B> d[T * T], tmp[T * T];
    for (int i = 0; i < T; ++i) {
      const int64_t ih = ih0 + i;
      const bool row_in = ih >= 0 && ih < a.in_h;
      for (int j = 0; j < T; ++j) {
        const int64_t iw = iw0 + j;
        d[i * T + j] =
            row_in && iw >= 0 && iw < a.in_w ? load<B>(plane + (ih * a.in_w + iw) * B) : Vec<B>{};
      }
    }
    transform<B, W::bt, T, T, 1, T, 1>(d, tmp);  // B^T d
    transform<B, W::bt, T, 1, T, 1, T>(tmp, d);  // (B^T d) B
    float* out = a.v + t * T * T * a.v_row + cb * B;
    for (int p = 0; p < T * T; ++p) store<B>(out + p * a.v_row, d[p]);
  }
}

// F output blocks x R tiles of one position: out[r][f] = sum_c v[r][c] * u[f][c].
template <int B, int F, int R>
INFER_NCHWC_INLINE void gemm_tile(const float* v, int64_t v_row, const float* u, int64_t u_block,
                                  int64_t k, float* out, int64_t out_row) {
  Vec<B> acc[F][R];
  for (int f = 0; f < F; ++f) {
    for (int r = 0; r < R; ++r) acc[f][r] = Vec<B>{};
  }
  for (int64_t c = 0; c < k; ++c) {
    Vec<B> w[F];
    for (int f = 0; f < F; ++f) w[f] = load<B>(u + f * u_block + c * B);
    for (int r = 0; r < R; ++r) {
      const float xs = v[r * v_row + c];
      for (int f = 0; f < F; ++f) acc[f][r] += xs * w[f];
    }
  }
  for (int f = 0; f < F; ++f) {
    for (int r = 0; r < R; ++r) store<B>(out + r * out_row + f * B, acc[f][r]);
  }
}

// The last tiles of a chunk, fewer than a full register tile.
template <int B, int F, int R>
INFER_NCHWC_INLINE void gemm_tail(int64_t rem, const float* v, int64_t v_row, const float* u,
                                  int64_t u_block, int64_t k, float* out, int64_t out_row) {
  if constexpr (R >= 1) {
    if (rem == R) return gemm_tile<B, F, R>(v, v_row, u, u_block, k, out, out_row);
    gemm_tail<B, F, R - 1>(rem, v, v_row, u, u_block, k, out, out_row);
  }
}

// Tiles [t0, t0 + count) x F output blocks, every position, into m [tile][position][kMaxF * b]
// (tile-major: the output transform's 36 reads at a stride of whole chunks fell in one L1 set).
template <int B, int M, int F>
INFER_NCHWC_INLINE void gemm_chunk(const WinogradArgs& a, int64_t t0, int64_t count, int64_t ob,
                                   float* m) {
  constexpr int P = WinogradMatrices<M>::T * WinogradMatrices<M>::T, R = kTileR<B>;
  const int64_t u_block = a.channels * B, out_row = kMaxF<B> * B, v_tile = P * a.v_row,
                m_tile = P * out_row;
  for (int p = 0; p < P; ++p) {
    const float* v = a.v + (t0 * P + p) * a.v_row;
    const float* u = a.u + (p * a.out_blocks + ob) * u_block;
    float* out = m + p * out_row;
    int64_t r = 0;
    for (; r + R <= count; r += R) {
      gemm_tile<B, F, R>(v + r * v_tile, v_tile, u, u_block, a.channels, out + r * m_tile, m_tile);
    }
    gemm_tail<B, F, R - 1>(count - r, v + r * v_tile, v_tile, u, u_block, a.channels,
                           out + r * m_tile, m_tile);
  }
}

// y = act(y) for the activations the output transform applies in registers; false for the
// others, which run over finished rows through fused_activation.
template <int B>
INFER_NCHWC_INLINE bool activate(const FusedActivation& act, Vec<B>& y) {
  switch (act.kind) {
    case FusedActivationKind::kNone:
      return true;
    case FusedActivationKind::kRelu:
      y = y < 0 ? Vec<B>{} : y;  // NaN stays NaN
      return true;
    case FusedActivationKind::kClip: {
      const Vec<B> lo = Vec<B>{} + act.alpha, hi = Vec<B>{} + act.beta;
      y = y < lo ? lo : y;
      y = y > hi ? hi : y;
      return true;
    }
    default:
      return false;
  }
}

// Phase 2 for units [u0, u1) of (output block group, tile chunk).
template <int B, int M>
INFER_NCHWC_INLINE void output_units(const WinogradArgs& a, int64_t u0, int64_t u1, const float* z,
                                     float* y) {
  using W = WinogradMatrices<M>;
  constexpr int T = W::T, P = T * T;
  thread_local std::vector<float> m_buf;
  const size_t m_size = static_cast<size_t>(P * a.chunk * kMaxF<B> * B);
  if (m_buf.size() < m_size) m_buf.resize(m_size);
  float* m = m_buf.data();
  const int64_t out_row = kMaxF<B> * B;
  const int64_t plane = a.out_h * a.out_w * B;
  for (int64_t u = u0; u < u1; ++u) {
    const int64_t g = u / a.chunks, t0 = u % a.chunks * a.chunk;
    const int64_t count = std::min(a.chunk, a.tiles - t0);
    const int64_t ob = g * kMaxF<B>, blocks = std::min<int64_t>(kMaxF<B>, a.out_blocks - ob);
    if (blocks == 1) {
      gemm_chunk<B, M, 1>(a, t0, count, ob, m);
    } else if (blocks == 2) {
      gemm_chunk<B, M, 2>(a, t0, count, ob, m);
    } else if constexpr (kMaxF<B> == 4) {
      if (blocks == 3) {
        gemm_chunk<B, M, 3>(a, t0, count, ob, m);
      } else {
        gemm_chunk<B, M, 4>(a, t0, count, ob, m);
      }
    }
    for (int64_t i = 0; i < count; ++i) {
      const int64_t t = a.tile0 + t0 + i, n = t / a.tiles_image, r = t % a.tiles_image;
      const int64_t oh0 = r / a.tiles_w * M, ow0 = r % a.tiles_w * M;
      const int64_t rows = std::min<int64_t>(M, a.out_h - oh0),
                    cols = std::min<int64_t>(M, a.out_w - ow0);
      for (int64_t f = 0; f < blocks; ++f) {
        Vec<B> mv[P], tmp[M * T], out[M * M];
        for (int p = 0; p < P; ++p) mv[p] = load<B>(m + (i * P + p) * out_row + f * B);
        transform<B, W::at, T, T, 1, T, 1>(mv, tmp);   // A^T m
        transform<B, W::at, M, 1, T, 1, M>(tmp, out);  // (A^T m) A
        const Vec<B> bias = load<B>(a.bias + (ob + f) * B);
        const int64_t off = (n * a.out_blocks + ob + f) * plane + (oh0 * a.out_w + ow0) * B;
        bool done = true;
        for (int64_t oi = 0; oi < rows; ++oi) {
          for (int64_t oj = 0; oj < cols; ++oj) {
            const int64_t o = off + (oi * a.out_w + oj) * B;
            Vec<B> v = out[oi * M + oj] + bias;
            if (z) v += load<B>(z + o);
            done = activate<B>(*a.act, v);
            store<B>(y + o, v);
          }
        }
        if (done) continue;
        for (int64_t oi = 0; oi < rows; ++oi) {
          float* row = y + off + oi * a.out_w * B;
          fused_activation(*a.act, row, row, cols * B);
        }
      }
    }
  }
}

// Entry points compiled once per ISA (see nchwc_simd.h) and tile size.
using InputFn = void (*)(const WinogradArgs&, int64_t, int64_t, const float*);
using OutputFn = void (*)(const WinogradArgs&, int64_t, int64_t, const float*, float*);
struct WinogradFns {
  InputFn input;
  OutputFn output;
};

template <int B, int M>
void input_baseline(const WinogradArgs& a, int64_t u0, int64_t u1, const float* x) {
  input_units<B, M>(a, u0, u1, x);
}
template <int B, int M>
void output_baseline(const WinogradArgs& a, int64_t u0, int64_t u1, const float* z, float* y) {
  output_units<B, M>(a, u0, u1, z, y);
}
#if INFER_NCHWC_HAS_TARGETS
template <int M>
INFER_NCHWC_TARGET_AVX2 void input_avx2(const WinogradArgs& a, int64_t u0, int64_t u1,
                                        const float* x) {
  input_units<8, M>(a, u0, u1, x);
}
template <int M>
INFER_NCHWC_TARGET_AVX2 void output_avx2(const WinogradArgs& a, int64_t u0, int64_t u1,
                                         const float* z, float* y) {
  output_units<8, M>(a, u0, u1, z, y);
}
template <int M>
INFER_NCHWC_TARGET_AVX512 void input_avx512(const WinogradArgs& a, int64_t u0, int64_t u1,
                                            const float* x) {
  input_units<16, M>(a, u0, u1, x);
}
template <int M>
INFER_NCHWC_TARGET_AVX512 void output_avx512(const WinogradArgs& a, int64_t u0, int64_t u1,
                                             const float* z, float* y) {
  output_units<16, M>(a, u0, u1, z, y);
}
#endif

template <int M>
WinogradFns winograd_fns_for(int64_t b) {
#if INFER_NCHWC_HAS_TARGETS
  switch (isa_for_block(b)) {
    case Isa::kAvx512:
      return {&input_avx512<M>, &output_avx512<M>};
    case Isa::kAvx2:
      return {&input_avx2<M>, &output_avx2<M>};
    case Isa::kBaseline:
      break;
  }
#endif
  if (b == 16) return {&input_baseline<16, M>, &output_baseline<16, M>};
  return {&input_baseline<8, M>, &output_baseline<8, M>};
}

// U = G g G^T for one (m, c) pair, in double so that only the final rounding adds error.
template <int M>
void transform_weight(const float* g, float* u, int64_t pos_stride) {
  using W = WinogradMatrices<M>;
  constexpr int T = W::T;
  double tmp[T][3];
  for (int i = 0; i < T; ++i) {
    for (int j = 0; j < 3; ++j) {
      tmp[i][j] = 0;
      for (int k = 0; k < 3; ++k) tmp[i][j] += W::g[i][k] * g[k * 3 + j];
    }
  }
  for (int i = 0; i < T; ++i) {
    for (int j = 0; j < T; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += tmp[i][k] * W::g[j][k];
      u[(i * T + j) * pos_stride] = static_cast<float>(s);
    }
  }
}

bool pads_fit(const WindowParams& w) {
  return std::ranges::all_of(w.pads, [](int64_t p) { return p <= 1; });
}

}  // namespace

bool nchwc_winograd_tile_supported(int tile) { return tile == 2 || tile == 4; }

bool nchwc_winograd_applies(const ConvParams& p, ShapeSpan w_shape) {
  const WindowParams& w = p.window;
  auto all_one = [](const Shape& s) {
    return std::ranges::all_of(s, [](int64_t v) { return v == 1; });
  };
  // Stride 1 and a 3x3 kernel make SAME padding 1 on each side and VALID 0.
  return p.group == 1 && w_shape.size() == 4 && w_shape[2] == 3 && w_shape[3] == 3 &&
         (w.kernel_shape.empty() || w.kernel_shape == Shape{3, 3}) && all_one(w.strides) &&
         all_one(w.dilations) && (w.auto_pad != AutoPad::kNotSet || pads_fit(w));
}

NchwcWinogradWeights pack_nchwc_winograd_weights(const float* w, ShapeSpan w_shape,
                                                 const float* bias, int64_t block, int tile) {
  check_nchwc_block(block);
  if (!nchwc_winograd_tile_supported(tile)) {
    fail_input(str_cat("Winograd output tile ", tile, " is not supported"));
  }
  if (w_shape.size() != 4 || w_shape[2] != 3 || w_shape[3] != 3) {
    fail_input(str_cat("Winograd conv needs a [M, C, 3, 3] weight, got ", shape_str(w_shape)));
  }
  NchwcWinogradWeights p;
  p.block = block;
  p.tile = tile;
  p.out_channels = w_shape[0];
  p.in_channels = w_shape[1];
  const int64_t mb = nchwc_blocks(p.out_channels, block), t = tile + 2;
  const int64_t pos_stride = checked_mul(mb * block, p.in_channels);
  p.u.assign(static_cast<size_t>(checked_mul(pos_stride, t * t)), 0.0f);
  // U[pos][m / b][c][m % b]
  for (int64_t m = 0; m < p.out_channels; ++m) {
    for (int64_t c = 0; c < p.in_channels; ++c) {
      float* u = p.u.data() + ((m / block) * p.in_channels + c) * block + m % block;
      const float* g = w + (m * p.in_channels + c) * 9;
      if (tile == 4) {
        transform_weight<4>(g, u, pos_stride);
      } else {
        transform_weight<2>(g, u, pos_stride);
      }
    }
  }
  p.bias.assign(static_cast<size_t>(mb * block), 0.0f);
  if (bias) std::copy_n(bias, p.out_channels, p.bias.begin());
  return p;
}

NchwcConvPlan plan_nchwc_winograd(const ConvParams& p, ShapeSpan x, const NchwcWinogradWeights& w) {
  const int64_t b = w.block;
  if (x.size() != 5 || x[4] != b || x[1] != nchwc_blocks(w.in_channels, b)) {
    fail_input(str_cat("blocked input ", shape_str(x), " does not hold the ", w.in_channels,
                       " channels of the weight in blocks of ", b));
  }
  if (p.group != 1) fail_input(str_cat("Winograd conv needs group 1, got ", p.group));
  NchwcConvPlan plan;
  plan.batch = x[0];
  plan.in_channels = w.in_channels;
  const Shape kernel = {3, 3};
  plan.geo = resolve_window(p.window, x.subspan(2, 2), kernel);
  const WindowGeometry& g = plan.geo;
  for (size_t i = 1; i < 3; ++i) {
    if (g.stride[i] != 1 || g.dilation[i] != 1 || g.pad_begin[i] > 1 || g.pad_end[i] > 1) {
      fail_input("Winograd conv needs stride 1, dilation 1 and pads of at most 1");
    }
  }
  plan.y_shape = {x[0], nchwc_blocks(w.out_channels, b), g.out[1], g.out[2], b};
  numel(plan.y_shape);
  return plan;
}

void nchwc_winograd_conv(const NchwcConvPlan& plan, const NchwcWinogradWeights& w, const float* x,
                         const float* z, const FusedActivation& act, float* y) {
  if (numel(plan.y_shape) == 0) return;
  const WindowGeometry& g = plan.geo;
  const int64_t b = w.block, m = w.tile, t = m + 2;
  WinogradArgs a{};
  a.in_h = g.in[1];
  a.in_w = g.in[2];
  a.out_h = g.out[1];
  a.out_w = g.out[2];
  a.pad_top = g.pad_begin[1];
  a.pad_left = g.pad_begin[2];
  a.tiles_h = (a.out_h + m - 1) / m;
  a.tiles_w = (a.out_w + m - 1) / m;
  a.tiles_image = a.tiles_h * a.tiles_w;
  a.channels = w.in_channels;
  a.in_blocks = nchwc_blocks(w.in_channels, b);
  a.v_row = a.in_blocks * b;
  a.out_blocks = plan.y_shape[1];
  const int64_t max_f = b == 16 ? kMaxF<16> : kMaxF<8>, tile_r = b == 16 ? kTileR<16> : kTileR<8>;
  a.block_groups = (a.out_blocks + max_f - 1) / max_f;
  a.u = w.u.data();
  a.bias = w.bias.data();
  a.act = &act;
  const WinogradFns fns = m == 4 ? winograd_fns_for<4>(b) : winograd_fns_for<2>(b);
  // Spans of tiles whose V fits in about half of L2: V for a whole large batch streams from
  // memory several times slower. At least 8 register tiles per span, for the reuse of U.
  constexpr int64_t kSpanBytes = 1 << 20;
  const int64_t total = checked_mul(plan.batch, a.tiles_image);
  const int64_t tile_floats = t * t * a.v_row;
  const int64_t span = std::max<int64_t>(kSpanBytes / (tile_floats * sizeof(float)), 8 * tile_r);
  // V per thread, kept so that steady runs do not allocate.
  thread_local std::vector<float> v;
  const size_t v_size = static_cast<size_t>(std::min(span, total) * tile_floats);
  if (v.size() < v_size) v.resize(v_size);
  a.v = v.data();
  const int64_t threads = intra_op_threads();
  for (a.tile0 = 0; a.tile0 < total; a.tile0 += span) {
    a.tiles = std::min(span, total - a.tile0);
    // Chunks of whole register tiles, as long as possible (up to 8 register tiles, for the
    // reuse of U in cache) while leaving about 4 units per thread to balance.
    const int64_t want_chunks = std::max<int64_t>(1, 4 * threads / a.block_groups);
    const int64_t tiles_per_chunk = (a.tiles + want_chunks - 1) / want_chunks;
    a.chunk = std::clamp<int64_t>((tiles_per_chunk + tile_r - 1) / tile_r, 1, 8) * tile_r;
    a.chunks = (a.tiles + a.chunk - 1) / a.chunk;
    parallel_for(a.tiles * a.in_blocks, 16,
                 [&](int64_t u0, int64_t u1) { fns.input(a, u0, u1, x); });
    parallel_for(a.block_groups * a.chunks, 1,
                 [&](int64_t u0, int64_t u1) { fns.output(a, u0, u1, z, y); });
  }
}

}  // namespace infer::cpu
