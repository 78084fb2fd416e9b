#include "kernels/sgemm.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "kernels/parallel.h"
#include "kernels/simd_dispatch.h"

// Vectors only cross always-inline helpers, never a real call (see simd_dispatch.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace infer::cpu {
namespace {

// Cache blocking: the micro-kernel walks an mc x kc block of a held in L2 against one kc x nr
// panel of b in L1 (packed just before use unless b was pre-packed). k is cut into equal blocks
// of at most kKc (each block re-reads and re-writes c).
constexpr int64_t kKc = 384;
constexpr int64_t kMcRows = 192;
constexpr int64_t kMaxBBlock = int64_t{1} << 20;  // floats
// Below this many multiply-adds a GEMM is not worth waking the pool for.
constexpr int64_t kMinParallelMacs = int64_t{1} << 17;
constexpr int64_t kMinTaskPanels = 4;

// c[ROWS, cols] = a_panel * b_panel + beta * c + bias (beta == 0: c is not read; bias: cols
// values or null). a_panel holds MR floats per k step (the first ROWS used), b_panel 2 * W (NV
// vectors used); cols <= NV * W.
template <int W, int MR, int ROWS, int NV>
[[gnu::always_inline]] inline void micro_tile(int64_t kc, const float* a, const float* b, float* c,
                                              int64_t ldc, int64_t cols, float beta,
                                              const float* bias) {
  using V = simd::VecF<W>;
  V acc[ROWS][NV] = {};
  for (int64_t p = 0; p < kc; ++p, a += MR, b += 2 * W) {
    V bv[NV];
    for (int v = 0; v < NV; ++v) std::memcpy(&bv[v], b + v * W, sizeof(V));
    for (int r = 0; r < ROWS; ++r) {
      for (int v = 0; v < NV; ++v) acc[r][v] += a[r] * bv[v];
    }
  }
  if (cols == NV * W) {
    V bias_v[NV] = {};
    if (bias) {
      for (int v = 0; v < NV; ++v) std::memcpy(&bias_v[v], bias + v * W, sizeof(V));
    }
    for (int r = 0; r < ROWS; ++r) {
      for (int v = 0; v < NV; ++v) {
        float* dst = c + r * ldc + v * W;
        V out = acc[r][v];
        if (beta != 0.0f) {
          V old;
          std::memcpy(&old, dst, sizeof(V));
          out += beta * old;
        }
        out += bias_v[v];
        std::memcpy(dst, &out, sizeof(V));
      }
    }
  } else {
    float tile[ROWS][NV * W];
    for (int r = 0; r < ROWS; ++r) {
      for (int v = 0; v < NV; ++v) std::memcpy(&tile[r][v * W], &acc[r][v], sizeof(V));
    }
    for (int r = 0; r < ROWS; ++r) {
      float* dst = c + r * ldc;
      for (int64_t j = 0; j < cols; ++j) {
        const float base = beta != 0.0f ? tile[r][j] + beta * dst[j] : tile[r][j];
        dst[j] = bias ? base + bias[j] : base;
      }
    }
  }
}

using KernelFn = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                          int64_t cols, float beta, const float* bias);

// Each ISA: vector width W, micro-tile MR x 2W, and micro_tile compiled for its target. The
// optimize pragma lets GCC fuse the multiply-adds into FMAs (-std=c++20 turns contraction off).
#pragma GCC push_options
#pragma GCC optimize("fp-contract=fast")
struct Portable {
  static constexpr int W = 4, MR = 4;
  template <int ROWS, int NV>
  static void run(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int64_t cols,
                  float beta, const float* bias) {
    micro_tile<W, MR, ROWS, NV>(kc, a, b, c, ldc, cols, beta, bias);
  }
};
#if defined(__x86_64__) || defined(__i386__)
#define INFER_SGEMM_X86 1
struct Avx2 {
  static constexpr int W = 8, MR = 6;
  template <int ROWS, int NV>
  [[gnu::target("avx2,fma")]] static void run(int64_t kc, const float* a, const float* b, float* c,
                                              int64_t ldc, int64_t cols, float beta,
                                              const float* bias) {
    micro_tile<W, MR, ROWS, NV>(kc, a, b, c, ldc, cols, beta, bias);
  }
};
struct Avx512 {
  static constexpr int W = 16, MR = 14;
  template <int ROWS, int NV>
  [[gnu::target("avx512f")]] static void run(int64_t kc, const float* a, const float* b, float* c,
                                             int64_t ldc, int64_t cols, float beta,
                                             const float* bias) {
    micro_tile<W, MR, ROWS, NV>(kc, a, b, c, ldc, cols, beta, bias);
  }
};
#else
#define INFER_SGEMM_X86 0
#endif
#pragma GCC pop_options

constexpr int kMaxMr = 16;
struct Kernels {
  int64_t mr = 0, nr = 0;
  // fn[rows - 1][vectors - 1]: a tile of `rows` rows and one or two vectors of columns.
  std::array<std::array<KernelFn, 2>, kMaxMr> fn{};
};

template <class Isa, size_t... R>
constexpr Kernels make_kernels(std::index_sequence<R...>) {
  static_assert(Isa::MR <= kMaxMr);
  Kernels k;
  k.mr = Isa::MR;
  k.nr = 2 * Isa::W;
  ((k.fn[R] = {&Isa::template run<R + 1, 1>, &Isa::template run<R + 1, 2>}), ...);
  return k;
}
template <class Isa>
constexpr Kernels kKernels = make_kernels<Isa>(std::make_index_sequence<Isa::MR>());

SgemmIsa resolve(SgemmIsa isa) {
  if (isa != SgemmIsa::kBest) return isa;
  static const SgemmIsa best = sgemm_isa_supported(SgemmIsa::kAvx512) ? SgemmIsa::kAvx512
                               : sgemm_isa_supported(SgemmIsa::kAvx2) ? SgemmIsa::kAvx2
                                                                      : SgemmIsa::kPortable;
  return best;
}

const Kernels& kernels_for(SgemmIsa isa) {
  switch (resolve(isa)) {
#if INFER_SGEMM_X86
    case SgemmIsa::kAvx512:
      if (sgemm_isa_supported(isa)) return kKernels<Avx512>;
      break;
    case SgemmIsa::kAvx2:
      if (sgemm_isa_supported(isa)) return kKernels<Avx2>;
      break;
#endif
    default:
      break;
  }
  return kKernels<Portable>;
}

// Per-thread packing buffers, grown on demand and kept: a run allocates nothing once warm.
class Scratch {
 public:
  float* get(int64_t floats) {
    if (floats > size_) {
      data_.reset(alloc_floats(floats));
      size_ = floats;
    }
    return data_.get();
  }
  static float* alloc_floats(int64_t floats) {
    const size_t bytes = (static_cast<size_t>(floats) * sizeof(float) + 63) / 64 * 64;
    return static_cast<float*>(std::aligned_alloc(64, bytes));
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], Free> data_;
  int64_t size_ = 0;
};

using V4 = simd::VecF<4>;
#if defined(__clang__)
#define INFER_SGEMM_SHUFFLE(x, y, i, j, k, l) __builtin_shufflevector(x, y, i, j, k, l)
#else
typedef int32_t V4i __attribute__((vector_size(16)));
#define INFER_SGEMM_SHUFFLE(x, y, i, j, k, l) __builtin_shuffle(x, y, V4i{i, j, k, l})
#endif

// alpha * the 4 x 4 block at src (rows ld apart) transposed into dst (rows dst_ld apart).
[[gnu::always_inline]] inline void transpose4(const float* src, int64_t ld, float alpha, float* dst,
                                              int64_t dst_ld) {
  V4 r[4];
  for (int i = 0; i < 4; ++i) std::memcpy(&r[i], src + i * ld, sizeof(V4));
  const V4 t0 = INFER_SGEMM_SHUFFLE(r[0], r[1], 0, 4, 1, 5);
  const V4 t1 = INFER_SGEMM_SHUFFLE(r[0], r[1], 2, 6, 3, 7);
  const V4 t2 = INFER_SGEMM_SHUFFLE(r[2], r[3], 0, 4, 1, 5);
  const V4 t3 = INFER_SGEMM_SHUFFLE(r[2], r[3], 2, 6, 3, 7);
  const V4 cols[4] = {
      INFER_SGEMM_SHUFFLE(t0, t2, 0, 1, 4, 5), INFER_SGEMM_SHUFFLE(t0, t2, 2, 3, 6, 7),
      INFER_SGEMM_SHUFFLE(t1, t3, 0, 1, 4, 5), INFER_SGEMM_SHUFFLE(t1, t3, 2, 3, 6, 7)};
  for (int i = 0; i < 4; ++i) {
    const V4 scaled = alpha * cols[i];
    std::memcpy(dst + i * dst_ld, &scaled, sizeof(V4));
  }
}

// Rows [i0, i0 + mc) and columns [p0, p0 + kc) of alpha * op(a) into MR-row panels, each k step
// holding MR floats (a last short panel leaves its unused rows unwritten: no kernel reads them).
void pack_a(bool trans, const float* a, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
            float alpha, int64_t mr, float* dst) {
  for (int64_t ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    const int64_t rows = std::min(mr, mc - ir);
    if (trans) {
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = a + (p0 + p) * lda + i0 + ir;
        for (int64_t r = 0; r < rows; ++r) dst[p * mr + r] = alpha * src[r];
      }
      continue;
    }
    // Rows of a become columns of the panel: 4 x 4 transposes, then the edges one by one.
    const float* src = a + (i0 + ir) * lda + p0;
    const int64_t rows4 = rows / 4 * 4, kc4 = kc / 4 * 4;
    for (int64_t r = 0; r < rows4; r += 4) {
      for (int64_t p = 0; p < kc4; p += 4)
        transpose4(src + r * lda + p, lda, alpha, dst + p * mr + r, mr);
      for (int64_t p = kc4; p < kc; ++p) {
        for (int64_t i = r; i < r + 4; ++i) dst[p * mr + i] = alpha * src[i * lda + p];
      }
    }
    for (int64_t r = rows4; r < rows; ++r) {
      for (int64_t p = 0; p < kc; ++p) dst[p * mr + r] = alpha * src[r * lda + p];
    }
  }
}

// Rows [p0, p0 + kc) and columns [j0, j0 + nc) of op(b) into nr-column panels panel_stride
// floats apart, each k step holding nr floats, zero padded past the last column.
void pack_b(bool trans, const float* b, int64_t ldb, int64_t p0, int64_t kc, int64_t j0, int64_t nc,
            int64_t nr, float* dst, int64_t panel_stride) {
  for (int64_t jr = 0; jr < nc; jr += nr, dst += panel_stride) {
    const int64_t cols = std::min(nr, nc - jr);
    if (trans) {
      for (int64_t j = 0; j < cols; ++j) {
        const float* src = b + (j0 + jr + j) * ldb + p0;
        for (int64_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
      }
      if (cols < nr) {
        for (int64_t p = 0; p < kc; ++p) std::fill_n(dst + p * nr + cols, nr - cols, 0.0f);
      }
    } else {
      // Plain loops, not copy_n: a memmove call per 32 floats costs more than the copy.
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = b + (p0 + p) * ldb + j0 + jr;
        float* row = dst + p * nr;
        for (int64_t j = 0; j < cols; ++j) row[j] = src[j];
        for (int64_t j = cols; j < nr; ++j) row[j] = 0.0f;
      }
    }
  }
}

struct Problem {
  const Kernels* kern;
  bool trans_a;
  int64_t m, n, k;
  float alpha;
  const float* a;
  int64_t lda;
  bool trans_b;
  const float* b;  // raw op(b), or
  int64_t ldb;
  const float* packed_b;  // pre-packed panels of k x nr
  float beta;
  float* c;
  int64_t ldc;
  const float* bias;  // per column, or null
};

// The block c[i0:i1, j0:j1]; j0 is a multiple of nr.
void run_block(const Problem& p, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  const Kernels& kern = *p.kern;
  const int64_t mr = kern.mr, nr = kern.nr;
  const int64_t mc_max = std::max(mr, kMcRows / mr * mr);
  const int64_t k_blocks = (p.k + kKc - 1) / kKc;
  const int64_t kc_max = (p.k + k_blocks - 1) / k_blocks;
  // With one block of rows each b panel is packed just before its only use (it stays in L1);
  // with several, the task's kc x n block of b is packed once per k block and reused (unless
  // that block is too big to stay in cache, or to keep as per-thread scratch).
  const bool whole_b = !p.packed_b && i1 - i0 > mc_max && kc_max * (j1 - j0) <= kMaxBBlock;
  const int64_t panels = (j1 - j0 + nr - 1) / nr;
  thread_local Scratch a_scratch, b_scratch;
  float* a_pack = a_scratch.get(mc_max * kc_max);
  float* b_pack = p.packed_b ? nullptr : b_scratch.get(kc_max * nr * (whole_b ? panels : 1));
  for (int64_t pc = 0; pc < p.k; pc += kc_max) {
    const int64_t kc = std::min(kc_max, p.k - pc);
    // The first k block applies beta and the bias, the later ones accumulate.
    const float beta = pc == 0 ? p.beta : 1.0f;
    const float* bias = pc == 0 ? p.bias : nullptr;
    if (whole_b) pack_b(p.trans_b, p.b, p.ldb, pc, kc, j0, j1 - j0, nr, b_pack, kc * nr);
    for (int64_t ic = i0; ic < i1; ic += mc_max) {
      const int64_t mc = std::min(mc_max, i1 - ic);
      pack_a(p.trans_a, p.a, p.lda, ic, mc, pc, kc, p.alpha, mr, a_pack);
      for (int64_t jr = j0; jr < j1; jr += nr) {
        const int64_t cols = std::min(nr, j1 - jr);
        const float* b_panel = b_pack;
        if (p.packed_b) {
          b_panel = p.packed_b + jr / nr * (p.k * nr) + pc * nr;
        } else if (whole_b) {
          b_panel = b_pack + (jr - j0) / nr * (kc * nr);
        } else {
          pack_b(p.trans_b, p.b, p.ldb, pc, kc, jr, cols, nr, b_pack, kc * nr);
        }
        const int vectors = cols > nr / 2 ? 2 : 1;
        const float* panel_bias = bias ? bias + jr : nullptr;
        for (int64_t ir = 0; ir < mc; ir += mr) {
          const int64_t rows = std::min(mr, mc - ir);
          kern.fn[rows - 1][vectors - 1](kc, a_pack + ir * kc, b_panel,
                                         p.c + (ic + ir) * p.ldc + jr, p.ldc, cols, beta,
                                         panel_bias);
        }
      }
    }
  }
}

void run(const Problem& p) {
  if (p.m <= 0 || p.n <= 0) return;
  if (p.k <= 0) {
    for (int64_t i = 0; i < p.m; ++i) {
      float* row = p.c + i * p.ldc;
      for (int64_t j = 0; j < p.n; ++j) {
        row[j] = (p.beta == 0.0f ? 0.0f : p.beta * row[j]) + (p.bias ? p.bias[j] : 0.0f);
      }
    }
    return;
  }
  const int64_t mr = p.kern->mr, nr = p.kern->nr;
  const int64_t col_panels = (p.n + nr - 1) / nr, row_panels = (p.m + mr - 1) / mr;
  int64_t threads = intra_op_threads();
  if (p.m * p.n * p.k < kMinParallelMacs) threads = 1;
  // Split the columns first (each task then packs only its part of b), in pieces of at least
  // kMinTaskPanels panels so that packing a stays cheap next to them, then the rows.
  const int64_t n_parts = std::clamp(col_panels / kMinTaskPanels, int64_t{1}, threads);
  const int64_t m_parts = std::min(row_panels, (threads + n_parts - 1) / n_parts);
  parallel_tasks(n_parts * m_parts, [&](int64_t t) {
    const int64_t jn = t % n_parts, im = t / n_parts;
    const int64_t j0 = col_panels * jn / n_parts * nr;
    const int64_t j1 = std::min(p.n, col_panels * (jn + 1) / n_parts * nr);
    const int64_t i0 = row_panels * im / m_parts * mr;
    const int64_t i1 = std::min(p.m, row_panels * (im + 1) / m_parts * mr);
    if (i0 < i1 && j0 < j1) run_block(p, i0, i1, j0, j1);
  });
}

}  // namespace

bool sgemm_isa_supported(SgemmIsa isa) {
  switch (isa) {
    case SgemmIsa::kBest:
    case SgemmIsa::kPortable:
      return true;
#if INFER_SGEMM_X86
    case SgemmIsa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SgemmIsa::kAvx512:
      return __builtin_cpu_supports("avx512f");
#endif
    default:
      return false;
  }
}

SgemmIsa sgemm_best_isa() { return resolve(SgemmIsa::kBest); }

const char* sgemm_isa_name(SgemmIsa isa) {
  switch (resolve(isa)) {
    case SgemmIsa::kAvx512:
      return "avx512";
    case SgemmIsa::kAvx2:
      return "avx2";
    default:
      return "portable";
  }
}

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc,
           const float* bias, SgemmIsa isa) {
  run(Problem{&kernels_for(isa), trans_a, m, n, k, alpha, a, lda, trans_b, b, ldb, nullptr, beta, c,
              ldc, bias});
}

PackedB sgemm_pack_b(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb,
                     SgemmIsa isa) {
  PackedB packed;
  packed.isa_ = resolve(isa);
  packed.k_ = k;
  packed.n_ = n;
  const int64_t nr = kernels_for(packed.isa_).nr;
  const int64_t panels = (n + nr - 1) / nr;
  if (k > 0 && n > 0) {
    packed.data_.reset(Scratch::alloc_floats(panels * k * nr));
    pack_b(trans_b, b, ldb, 0, k, 0, n, nr, packed.data_.get(), k * nr);
  }
  return packed;
}

void sgemm_packed(bool trans_a, int64_t m, float alpha, const float* a, int64_t lda,
                  const PackedB& b, float beta, float* c, int64_t ldc, const float* bias) {
  run(Problem{&kernels_for(b.isa()), trans_a, m, b.n(), b.k(), alpha, a, lda, false, nullptr, 0,
              b.data(), beta, c, ldc, bias});
}

}  // namespace infer::cpu
