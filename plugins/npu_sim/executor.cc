#include "executor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "fp16.h"
#include "infer/plugin_cxx.hpp"

namespace infer::npu_sim {
namespace {

using plugin::PluginError;

float activate(float v, const Activation& a) {
  switch (a.kind) {
    case Act::kNone:
      return v;
    case Act::kRelu:
      return v < 0.0f ? 0.0f : v;
    case Act::kClip:
      return v < a.lo ? a.lo : (v > a.hi ? a.hi : v);
    case Act::kSigmoid:
      return 1.0f / (1.0f + std::exp(-v));
  }
  return v;
}

// acc[r][c] += sum_k lhs[r][k] * rhs[k][c], fp32. Four rows share each rhs load and columns
// go in blocks that stay in cache; the inner loop is contiguous for the vectoriser.
void gemm_acc(int64_t rows, int64_t cols, int64_t k, const float* __restrict lhs,
              const float* __restrict rhs, float* __restrict acc) {
  constexpr int64_t kColBlock = 256;
  for (int64_t c0 = 0; c0 < cols; c0 += kColBlock) {
    const int64_t nc = std::min(kColBlock, cols - c0);
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      float* __restrict a0 = acc + r * cols + c0;
      float* __restrict a1 = a0 + cols;
      float* __restrict a2 = a1 + cols;
      float* __restrict a3 = a2 + cols;
      const float* l = lhs + r * k;
      for (int64_t kk = 0; kk < k; ++kk) {
        const float* __restrict x = rhs + kk * cols + c0;
        const float w0 = l[kk], w1 = l[k + kk], w2 = l[2 * k + kk], w3 = l[3 * k + kk];
        for (int64_t c = 0; c < nc; ++c) {
          a0[c] += w0 * x[c];
          a1[c] += w1 * x[c];
          a2[c] += w2 * x[c];
          a3[c] += w3 * x[c];
        }
      }
    }
    for (; r < rows; ++r) {
      float* __restrict a = acc + r * cols + c0;
      for (int64_t kk = 0; kk < k; ++kk) {
        const float* __restrict x = rhs + kk * cols + c0;
        const float w = lhs[r * k + kk];
        for (int64_t c = 0; c < nc; ++c) a[c] += w * x[c];
      }
    }
  }
}

class Machine {
 public:
  explicit Machine(const Program& p)
      : p_(p), dram_(p.buffers.size()), sram_(static_cast<size_t>(p.cfg.sram_bytes / 2)) {
    for (size_t b = 0; b < p.buffers.size(); ++b) {
      if (p.buffers[b].constant < 0) dram_[b].resize(static_cast<size_t>(p.buffers[b].elements));
    }
  }

  uint16_t* dram(uint32_t b) { return dram_[b].data(); }
  const uint16_t* dram_const(uint32_t b) const {
    const Buffer& buf = p_.buffers[b];
    return buf.constant >= 0 ? p_.constants[buf.constant].data() : dram_[b].data();
  }

  void run(const Command& c) {
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, DmaCmd>) {
            c.type == CmdType::kDmaIn ? dma_in(body) : dma_out(body);
          } else {
            compute(body);
          }
        },
        c.body);
  }

 private:
  // Checked SRAM access: `bytes` from byte address `addr`.
  uint16_t* sram(uint32_t addr, int64_t bytes) {
    if (addr % 2 || bytes < 0 ||
        static_cast<uint64_t>(addr) + static_cast<uint64_t>(bytes) >
            static_cast<uint64_t>(p_.cfg.sram_bytes)) {
      throw PluginError(INFER_INTERNAL,
                        "npu_sim: SRAM access out of range at byte " + std::to_string(addr));
    }
    return sram_.data() + addr / 2;
  }

  // Converts `n` SRAM halves at `addr` into scratch floats.
  float* load(std::vector<float>& scratch, uint32_t addr, int64_t n) {
    scratch.resize(static_cast<size_t>(n));
    halves_to_floats(sram(addr, n * 2), static_cast<size_t>(n), scratch.data());
    return scratch.data();
  }

  void dma_in(const DmaCmd& d) {
    copy_box<true>(d, 0, 0, dram_const(d.buffer), sram(d.sram, d.elements() * 2), true);
  }
  void dma_out(const DmaCmd& d) {
    copy_box<false>(d, 0, 0, dram(d.buffer), sram(d.sram, d.elements() * 2), true);
  }

  // Walks the box dim by dim; `in_bounds` says whether the outer coordinates are inside the
  // view. Returns the SRAM pointer past the elements handled.
  template <bool kIn, typename DramPtr>
  uint16_t* copy_box(const DmaCmd& d, uint32_t dim, int64_t offset, DramPtr dram, uint16_t* s,
                     bool in_bounds) {
    const int64_t box = d.box[dim], origin = d.origin[dim], stride = d.stride[dim];
    if (dim + 1 < d.rank) {
      for (int64_t j = 0; j < box; ++j) {
        const int64_t coord = origin + j;
        const bool ok = in_bounds && coord >= 0 && coord < d.dims[dim];
        s = copy_box<kIn>(d, dim + 1, ok ? offset + coord * stride : 0, dram, s, ok);
      }
      return s;
    }
    const int64_t lo = in_bounds ? std::clamp<int64_t>(-origin, 0, box) : box;
    const int64_t hi = in_bounds ? std::clamp<int64_t>(d.dims[dim] - origin, lo, box) : box;
    if constexpr (kIn) {
      std::fill(s, s + lo, d.fill);
      std::fill(s + hi, s + box, d.fill);
      if (hi <= lo) return s + box;
      const uint16_t* src = dram + offset + (origin + lo) * stride;
      if (stride == 1) {
        std::memcpy(s + lo, src, static_cast<size_t>(hi - lo) * 2);
      } else {
        for (int64_t j = lo; j < hi; ++j, src += stride) s[j] = *src;
      }
    } else {
      if (lo != 0 || hi != box)
        throw PluginError(INFER_INTERNAL, "npu_sim: DMA_OUT box out of range");
      uint16_t* dst = dram + offset + origin * stride;
      if (stride == 1) {
        std::memcpy(dst, s, static_cast<size_t>(box) * 2);
      } else {
        for (int64_t j = 0; j < box; ++j, dst += stride) *dst = s[j];
      }
    }
    return s + box;
  }

  // The accumulator of a split reduction: zero, or the partial sums from SRAM.
  float* begin_acc(const ComputeIo& io, int64_t n) {
    acc_.assign(static_cast<size_t>(n), 0.0f);
    if (io.acc_bytes && !io.first)
      std::memcpy(acc_.data(), sram(io.acc, n * 4), static_cast<size_t>(n) * 4);
    return acc_.data();
  }
  // Keeps partial sums in SRAM; true when the command is done (not the last one).
  bool park_acc(const ComputeIo& io, int64_t n) {
    if (io.last) return false;
    std::memcpy(sram(io.acc, n * 4), acc_.data(), static_cast<size_t>(n) * 4);
    return true;
  }

  void compute(const ConvCmd& c) {
    const Window2d& w = c.win;
    const int64_t k = c.cin * w.kh * w.kw, m = c.oh * c.ow, rows = c.groups * c.cout;
    const float* in = load(a_, c.io.src[0], c.groups * c.cin * c.ih * c.iw);
    const float* wt = load(b_, c.io.src[1], rows * k);
    float* acc = begin_acc(c.io, rows * m);
    col_.resize(static_cast<size_t>(k * m));
    for (int64_t g = 0; g < c.groups; ++g) {
      const float* x = in + g * c.cin * c.ih * c.iw;
      float* col = col_.data();
      for (int64_t ci = 0; ci < c.cin; ++ci) {
        for (int64_t ky = 0; ky < w.kh; ++ky) {
          for (int64_t kx = 0; kx < w.kw; ++kx, col += m) {
            for (int64_t oy = 0; oy < c.oh; ++oy) {
              const float* src = x + (ci * c.ih + oy * w.sh + ky * w.dh) * c.iw + kx * w.dw;
              float* dst = col + oy * c.ow;
              for (int64_t ox = 0; ox < c.ow; ++ox) dst[ox] = src[ox * w.sw];
            }
          }
        }
      }
      gemm_acc(c.cout, m, k, wt + g * c.cout * k, col_.data(), acc + g * c.cout * m);
    }
    if (park_acc(c.io, rows * m)) return;
    const float* bias = c.has_bias ? load(c_, c.io.src[2], rows) : nullptr;
    uint16_t* out = sram(c.io.dst, rows * m * 2);
    for (int64_t r = 0; r < rows; ++r) {
      const float b = bias ? bias[r] : 0.0f;
      for (int64_t i = 0; i < m; ++i) {
        out[r * m + i] = float_to_half(activate(acc[r * m + i] + b, c.act));
      }
    }
  }

  void compute(const MatMulCmd& c) {
    const float* a = load(a_, c.io.src[0], c.m * c.k);
    const float* b = load(b_, c.io.src[1], c.k * c.n);
    float* acc = begin_acc(c.io, c.m * c.n);
    gemm_acc(c.m, c.n, c.k, a, b, acc);
    if (park_acc(c.io, c.m * c.n)) return;
    const float* add = c.has_c ? load(c_, c.io.src[2], c.m * c.n) : nullptr;
    uint16_t* out = sram(c.io.dst, c.m * c.n * 2);
    for (int64_t i = 0; i < c.m * c.n; ++i) {
      const float v = c.alpha * acc[i] + (add ? c.beta * add[i] : 0.0f);
      out[i] = float_to_half(activate(v, c.act));
    }
  }

  void compute(const EltwiseCmd& c) {
    const float* a = load(a_, c.io.src[0], c.count);
    const float* b = c.op == EltOp::kCopy ? nullptr : load(b_, c.io.src[1], c.count);
    uint16_t* out = sram(c.io.dst, c.count * 2);
    for (int64_t i = 0; i < c.count; ++i) {
      const float v = c.op == EltOp::kAdd ? a[i] + b[i] : c.op == EltOp::kMul ? a[i] * b[i] : a[i];
      out[i] = float_to_half(activate(v, c.act));
    }
  }

  void compute(const PoolCmd& c) {
    const Window2d& w = c.win;
    const float* in = load(a_, c.io.src[0], c.channels * c.ih * c.iw);
    uint16_t* out = sram(c.io.dst, c.channels * c.oh * c.ow * 2);
    for (int64_t ch = 0; ch < c.channels; ++ch) {
      for (int64_t oy = 0; oy < c.oh; ++oy) {
        for (int64_t ox = 0; ox < c.ow; ++ox) {
          float v = c.max ? -INFINITY : 0.0f;
          for (int64_t ky = 0; ky < w.kh; ++ky) {
            const float* row = in + (ch * c.ih + oy * w.sh + ky) * c.iw + ox * w.sw;
            for (int64_t kx = 0; kx < w.kw; ++kx) v = c.max ? std::max(v, row[kx]) : v + row[kx];
          }
          if (!c.max) {
            int64_t count = w.kh * w.kw;
            if (!c.count_include_pad) {
              // Window positions inside the real input plane only.
              const int64_t y = c.y0 + oy * w.sh, x = c.x0 + ox * w.sw;
              const int64_t hy = std::min(y + w.kh, c.in_h) - std::max<int64_t>(y, 0);
              const int64_t hx = std::min(x + w.kw, c.in_w) - std::max<int64_t>(x, 0);
              count = std::max<int64_t>(hy, 0) * std::max<int64_t>(hx, 0);
            }
            v = count ? v / static_cast<float>(count) : 0.0f;
          }
          out[(ch * c.oh + oy) * c.ow + ox] = float_to_half(v);
        }
      }
    }
  }

  void compute(const SoftmaxCmd& c) {
    const float* in = load(a_, c.io.src[0], c.rows * c.len);
    uint16_t* out = sram(c.io.dst, c.rows * c.len * 2);
    col_.resize(static_cast<size_t>(c.len));
    for (int64_t r = 0; r < c.rows; ++r) {
      const float* x = in + r * c.len;
      const float mx = *std::max_element(x, x + c.len);
      float sum = 0.0f;
      for (int64_t i = 0; i < c.len; ++i) sum += col_[i] = std::exp(x[i] - mx);
      for (int64_t i = 0; i < c.len; ++i) out[r * c.len + i] = float_to_half(col_[i] / sum);
    }
  }

  const Program& p_;
  std::vector<std::vector<uint16_t>> dram_;
  std::vector<uint16_t> sram_;
  std::vector<float> a_, b_, c_, acc_, col_;  // the compute unit's registers, per run
};

}  // namespace

void execute(const Program& prog, std::span<const float* const> inputs,
             std::span<float* const> outputs) {
  if (inputs.size() != prog.input_buffers.size() || outputs.size() != prog.output_buffers.size()) {
    throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: wrong number of inputs or outputs");
  }
  Machine m(prog);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int64_t n = numel(prog.input_shapes[i]);
    floats_to_halves(inputs[i], static_cast<size_t>(n), m.dram(prog.input_buffers[i]));
  }
  for (const Command& c : prog.commands) m.run(c);
  // Write-back to the host converts fp16 to float32.
  for (size_t j = 0; j < outputs.size(); ++j) {
    const int64_t n = numel(prog.output_shapes[j]);
    halves_to_floats(m.dram_const(prog.output_buffers[j]), static_cast<size_t>(n), outputs[j]);
  }
}

}  // namespace infer::npu_sim
