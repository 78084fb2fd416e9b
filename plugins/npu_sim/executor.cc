#include "executor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "fp16.h"
#include "infer/plugin_cxx.hpp"
#include "quant.h"

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

// acc[r][c] += sum_k lhs[r][k] * rhs[k][c]: fp32, or int8 values (zero points subtracted,
// held as int32) into uint32 so that int32 overflow wraps as ONNX's reference does. Four rows
// share each rhs load and columns go in blocks that stay in cache; the inner loop is
// contiguous for the vectoriser.
template <typename T, typename Acc>
void gemm_acc(int64_t rows, int64_t cols, int64_t k, const T* __restrict lhs,
              const T* __restrict rhs, Acc* __restrict acc) {
  constexpr int64_t kColBlock = 256;
  for (int64_t c0 = 0; c0 < cols; c0 += kColBlock) {
    const int64_t nc = std::min(kColBlock, cols - c0);
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      Acc* __restrict a0 = acc + r * cols + c0;
      Acc* __restrict a1 = a0 + cols;
      Acc* __restrict a2 = a1 + cols;
      Acc* __restrict a3 = a2 + cols;
      const T* l = lhs + r * k;
      for (int64_t kk = 0; kk < k; ++kk) {
        const T* __restrict x = rhs + kk * cols + c0;
        const T w0 = l[kk], w1 = l[k + kk], w2 = l[2 * k + kk], w3 = l[3 * k + kk];
        for (int64_t c = 0; c < nc; ++c) {
          a0[c] += static_cast<Acc>(w0 * x[c]);
          a1[c] += static_cast<Acc>(w1 * x[c]);
          a2[c] += static_cast<Acc>(w2 * x[c]);
          a3[c] += static_cast<Acc>(w3 * x[c]);
        }
      }
    }
    for (; r < rows; ++r) {
      Acc* __restrict a = acc + r * cols + c0;
      for (int64_t kk = 0; kk < k; ++kk) {
        const T* __restrict x = rhs + kk * cols + c0;
        const T w = lhs[r * k + kk];
        for (int64_t c = 0; c < nc; ++c) a[c] += static_cast<Acc>(w * x[c]);
      }
    }
  }
}

// The unsigned integer of N bytes, for moving elements of any type as bit patterns.
template <size_t N>
using Bits = std::conditional_t<N == 1, uint8_t, std::conditional_t<N == 2, uint16_t, uint32_t>>;

// One channel (or column) record of an int8 op.
struct Record {
  int32_t bias;
  float mult;
  int32_t w_zp;
};

class Machine {
 public:
  // Memories are uint16 arrays (fp16 is read and written in place as uint16); other element
  // types go through bytes (uint8_t*) and memcpy.
  explicit Machine(const Program& p)
      : p_(p), dram_(p.buffers.size()), sram_(static_cast<size_t>((p.cfg.sram_bytes + 1) / 2)) {
    for (size_t b = 0; b < p.buffers.size(); ++b) {
      const auto bytes = static_cast<size_t>(p.buffers[b].bytes());
      if (p.buffers[b].constant < 0) dram_[b].resize((bytes + 1) / 2);
    }
  }

  uint16_t* dram_halves(uint32_t b) { return dram_[b].data(); }
  uint8_t* dram(uint32_t b) { return reinterpret_cast<uint8_t*>(dram_[b].data()); }
  const uint8_t* dram_const(uint32_t b) const {
    const Buffer& buf = p_.buffers[b];
    return buf.constant >= 0 ? p_.constants[buf.constant].data()
                             : reinterpret_cast<const uint8_t*>(dram_[b].data());
  }

  void run(const Command& c) {
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, DmaCmd>) {
            dma(body, c.type == CmdType::kDmaIn);
          } else {
            compute(body);
          }
        },
        c.body);
  }

 private:
  // Checked SRAM access: `bytes` from byte address `addr`.
  uint8_t* sram(uint32_t addr, int64_t bytes) {
    if (bytes < 0 || static_cast<uint64_t>(addr) + static_cast<uint64_t>(bytes) >
                         static_cast<uint64_t>(p_.cfg.sram_bytes)) {
      throw PluginError(INFER_INTERNAL,
                        "npu_sim: SRAM access out of range at byte " + std::to_string(addr));
    }
    return reinterpret_cast<uint8_t*>(sram_.data()) + addr;
  }

  // Converts `n` SRAM elements of type e at `addr` into scratch floats (exact for int8).
  float* load(std::vector<float>& scratch, uint32_t addr, int64_t n, Elem e = Elem::kF16) {
    scratch.resize(static_cast<size_t>(n));
    const uint8_t* src = sram(addr, n * elem_bytes(e));
    float* dst = scratch.data();
    switch (e) {
      case Elem::kF16:
        if (addr % 2) throw PluginError(INFER_INTERNAL, "npu_sim: misaligned fp16 operand");
        halves_to_floats(reinterpret_cast<const uint16_t*>(src), static_cast<size_t>(n), dst);
        break;
      case Elem::kF32:
        std::memcpy(dst, src, static_cast<size_t>(n) * 4);
        break;
      case Elem::kI8:
        for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(static_cast<int8_t>(src[i]));
        break;
      case Elem::kU8:
        for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
        break;
      case Elem::kI32:
        throw PluginError(INFER_INTERNAL, "npu_sim: int32 is not a float operand");
    }
    return dst;
  }

  // `n` int8/uint8 SRAM values at `addr` minus a zero point: zp(i) for element i.
  template <typename ZeroPoint>
  int32_t* load_int(std::vector<int32_t>& scratch, uint32_t addr, int64_t n, Elem e,
                    ZeroPoint&& zp) {
    scratch.resize(static_cast<size_t>(n));
    const uint8_t* src = sram(addr, n);
    for (int64_t i = 0; i < n; ++i) {
      const int32_t v = e == Elem::kI8 ? static_cast<int8_t>(src[i]) : src[i];
      scratch[static_cast<size_t>(i)] = v - zp(i);
    }
    return scratch.data();
  }

  const Record* load_records(uint32_t addr, int64_t n) {
    records_.resize(static_cast<size_t>(n));
    std::memcpy(records_.data(), sram(addr, n * kChannelRecord * 4),
                static_cast<size_t>(n) * sizeof(Record));
    return records_.data();
  }

  void dma(const DmaCmd& d, bool in) {
    switch (d.elem_bytes) {
      case 1:
        return in ? dma_n<true, 1>(d) : dma_n<false, 1>(d);
      case 2:
        return in ? dma_n<true, 2>(d) : dma_n<false, 2>(d);
      case 4:
        return in ? dma_n<true, 4>(d) : dma_n<false, 4>(d);
      default:
        throw PluginError(INFER_INTERNAL,
                          "npu_sim: DMA of " + std::to_string(d.elem_bytes) + "-byte elements");
    }
  }
  template <bool kIn, size_t kB>
  void dma_n(const DmaCmd& d) {
    if constexpr (kIn) {
      copy_box<true, kB>(d, 0, 0, dram_const(d.buffer), sram(d.sram, d.bytes()), true);
    } else {
      copy_box<false, kB>(d, 0, 0, dram(d.buffer), sram(d.sram, d.bytes()), true);
    }
  }

  // Walks the box dim by dim; `in_bounds` says whether the outer coordinates are inside the
  // view. Offsets count elements of kB bytes. Returns the SRAM pointer past the elements
  // handled.
  template <bool kIn, size_t kB, typename DramPtr>
  uint8_t* copy_box(const DmaCmd& d, uint32_t dim, int64_t offset, DramPtr dram, uint8_t* s,
                    bool in_bounds) {
    const int64_t box = d.box[dim], origin = d.origin[dim], stride = d.stride[dim];
    constexpr auto B = static_cast<int64_t>(kB);
    if (dim + 1 < d.rank) {
      for (int64_t j = 0; j < box; ++j) {
        const int64_t coord = origin + j;
        const bool ok = in_bounds && coord >= 0 && coord < d.dims[dim];
        s = copy_box<kIn, kB>(d, dim + 1, ok ? offset + coord * stride : 0, dram, s, ok);
      }
      return s;
    }
    const int64_t lo = in_bounds ? std::clamp<int64_t>(-origin, 0, box) : box;
    const int64_t hi = in_bounds ? std::clamp<int64_t>(d.dims[dim] - origin, lo, box) : box;
    if constexpr (kIn) {
      const auto fill = static_cast<Bits<kB>>(d.fill);
      for (int64_t j = 0; j < lo; ++j) std::memcpy(s + j * B, &fill, kB);
      for (int64_t j = hi; j < box; ++j) std::memcpy(s + j * B, &fill, kB);
      if (hi <= lo) return s + box * B;
      const uint8_t* src = dram + (offset + (origin + lo) * stride) * B;
      if (stride == 1) {
        std::memcpy(s + lo * B, src, static_cast<size_t>((hi - lo) * B));
      } else {
        for (int64_t j = lo; j < hi; ++j, src += stride * B) std::memcpy(s + j * B, src, kB);
      }
    } else {
      if (lo != 0 || hi != box)
        throw PluginError(INFER_INTERNAL, "npu_sim: DMA_OUT box out of range");
      uint8_t* dst = dram + (offset + origin * stride) * B;
      if (stride == 1) {
        std::memcpy(dst, s, static_cast<size_t>(box * B));
      } else {
        for (int64_t j = 0; j < box; ++j, dst += stride * B) std::memcpy(dst, s + j * B, kB);
      }
    }
    return s + box * B;
  }

  // The accumulator of a split reduction (fp32, or int32 kept as uint32): zero, or the
  // partial sums from SRAM.
  template <typename Acc>
  Acc* begin_acc(std::vector<Acc>& acc, const ComputeIo& io, int64_t n) {
    acc.assign(static_cast<size_t>(n), Acc{});
    if (io.acc_bytes && !io.first)
      std::memcpy(acc.data(), sram(io.acc, n * 4), static_cast<size_t>(n) * 4);
    return acc.data();
  }
  // Keeps partial sums in SRAM; true when the command is done (not the last one).
  template <typename Acc>
  bool park_acc(const std::vector<Acc>& acc, const ComputeIo& io, int64_t n) {
    if (io.last) return false;
    std::memcpy(sram(io.acc, n * 4), acc.data(), static_cast<size_t>(n) * 4);
    return true;
  }

  // The conv tile's reduction into acc: im2col of each group's input, then the array.
  template <typename T, typename Acc>
  void conv_acc(const ConvCmd& c, const T* in, const T* wt, Acc* acc, std::vector<T>& col_buf) {
    const Window2d& w = c.win;
    const int64_t k = c.cin * w.kh * w.kw, m = c.oh * c.ow;
    col_buf.resize(static_cast<size_t>(k * m));
    for (int64_t g = 0; g < c.groups; ++g) {
      const T* x = in + g * c.cin * c.ih * c.iw;
      T* col = col_buf.data();
      for (int64_t ci = 0; ci < c.cin; ++ci) {
        for (int64_t ky = 0; ky < w.kh; ++ky) {
          for (int64_t kx = 0; kx < w.kw; ++kx, col += m) {
            for (int64_t oy = 0; oy < c.oh; ++oy) {
              const T* src = x + (ci * c.ih + oy * w.sh + ky * w.dh) * c.iw + kx * w.dw;
              T* dst = col + oy * c.ow;
              for (int64_t ox = 0; ox < c.ow; ++ox) dst[ox] = src[ox * w.sw];
            }
          }
        }
      }
      gemm_acc(c.cout, m, k, wt + g * c.cout * k, col_buf.data(), acc + g * c.cout * m);
    }
  }

  // int8 epilogue of one accumulator: add the bias, multiply by the fp32 multiplier and round
  // into the output type. The product is taken without intermediate rounding (a wide
  // multiplier), which gives the cpu backend's results bit for bit.
  static uint8_t requantize(uint32_t acc, const Record& r, const IntMode& q) {
    const auto sum = static_cast<int32_t>(acc + static_cast<uint32_t>(r.bias));
    const double v = static_cast<double>(sum) * static_cast<double>(r.mult);
    return static_cast<uint8_t>(quantize_round(v, q.out_zp, q.out));
  }

  void compute(const ConvCmd& c) {
    const Window2d& w = c.win;
    const int64_t k = c.cin * w.kh * w.kw, m = c.oh * c.ow, rows = c.groups * c.cout;
    const int64_t in_n = c.groups * c.cin * c.ih * c.iw;
    if (c.q.on) {
      const Record* rec = load_records(c.io.src[2], rows);
      const int32_t* in =
          load_int(ia_, c.io.src[0], in_n, c.q.a, [&](int64_t) { return c.q.a_zp; });
      const int32_t* wt =
          load_int(ib_, c.io.src[1], rows * k, c.q.b, [&](int64_t i) { return rec[i / k].w_zp; });
      uint32_t* acc = begin_acc(iacc_, c.io, rows * m);
      conv_acc(c, in, wt, acc, icol_);
      if (park_acc(iacc_, c.io, rows * m)) return;
      uint8_t* out = sram(c.io.dst, rows * m);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < m; ++i) out[r * m + i] = requantize(acc[r * m + i], rec[r], c.q);
      }
      return;
    }
    const float* in = load(a_, c.io.src[0], in_n);
    const float* wt = load(b_, c.io.src[1], rows * k);
    float* acc = begin_acc(acc_, c.io, rows * m);
    conv_acc(c, in, wt, acc, col_);
    if (park_acc(acc_, c.io, rows * m)) return;
    const float* bias = c.has_bias ? load(c_, c.io.src[2], rows) : nullptr;
    auto* out = reinterpret_cast<uint16_t*>(sram(c.io.dst, rows * m * 2));
    for (int64_t r = 0; r < rows; ++r) {
      const float b = bias ? bias[r] : 0.0f;
      for (int64_t i = 0; i < m; ++i) {
        out[r * m + i] = float_to_half(activate(acc[r * m + i] + b, c.act));
      }
    }
  }

  void compute(const MatMulCmd& c) {
    if (c.q.on) {
      const Record* rec = load_records(c.io.src[2], c.n);
      const int32_t* a =
          load_int(ia_, c.io.src[0], c.m * c.k, c.q.a, [&](int64_t) { return c.q.a_zp; });
      const int32_t* b = load_int(ib_, c.io.src[1], c.k * c.n, c.q.b,
                                  [&](int64_t i) { return rec[i % c.n].w_zp; });
      uint32_t* acc = begin_acc(iacc_, c.io, c.m * c.n);
      gemm_acc(c.m, c.n, c.k, a, b, acc);
      if (park_acc(iacc_, c.io, c.m * c.n)) return;
      uint8_t* out = sram(c.io.dst, c.m * c.n);
      for (int64_t i = 0; i < c.m * c.n; ++i) out[i] = requantize(acc[i], rec[i % c.n], c.q);
      return;
    }
    const float* a = load(a_, c.io.src[0], c.m * c.k);
    const float* b = load(b_, c.io.src[1], c.k * c.n);
    float* acc = begin_acc(acc_, c.io, c.m * c.n);
    gemm_acc(c.m, c.n, c.k, a, b, acc);
    if (park_acc(acc_, c.io, c.m * c.n)) return;
    const float* add = c.has_c ? load(c_, c.io.src[2], c.m * c.n) : nullptr;
    auto* out = reinterpret_cast<uint16_t*>(sram(c.io.dst, c.m * c.n * 2));
    for (int64_t i = 0; i < c.m * c.n; ++i) {
      const float v = c.alpha * acc[i] + (add ? c.beta * add[i] : 0.0f);
      out[i] = float_to_half(activate(v, c.act));
    }
  }

  void compute(const EltwiseCmd& c) {
    const float* a = load(a_, c.io.src[0], c.count, c.in);
    if (c.op == EltOp::kQuantize) {
      // ONNX: saturate(round(x / scale) + zero_point), the division in float32.
      uint8_t* out = sram(c.io.dst, c.count);
      for (int64_t i = 0; i < c.count; ++i) {
        const float v = a[i] / c.scale;
        out[i] = static_cast<uint8_t>(quantize_round(static_cast<double>(v), c.zp, c.out));
      }
      return;
    }
    const bool binary = c.op == EltOp::kAdd || c.op == EltOp::kMul;
    const float* b = binary ? load(b_, c.io.src[1], c.count) : nullptr;
    auto* out = reinterpret_cast<uint16_t*>(sram(c.io.dst, c.count * 2));
    for (int64_t i = 0; i < c.count; ++i) {
      float v = a[i];
      if (c.op == EltOp::kAdd) v = a[i] + b[i];
      if (c.op == EltOp::kMul) v = a[i] * b[i];
      // ONNX: (x - zero_point) * scale in float32; the result is an fp16 tensor like any other.
      if (c.op == EltOp::kDequantize) v = (a[i] - static_cast<float>(c.zp)) * c.scale;
      out[i] = float_to_half(activate(v, c.act));
    }
  }

  void compute(const PoolCmd& c) {
    const Window2d& w = c.win;
    // int8 values are exact in float, so max pooling of int8 goes through the same loop.
    const float* in = load(a_, c.io.src[0], c.channels * c.ih * c.iw, c.elem);
    const int64_t n_out = c.channels * c.oh * c.ow;
    uint8_t* out = sram(c.io.dst, n_out * elem_bytes(c.elem));
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
          const int64_t o = (ch * c.oh + oy) * c.ow + ox;
          if (is_quant(c.elem)) {
            out[o] = static_cast<uint8_t>(static_cast<int32_t>(v));
          } else {
            const uint16_t h = float_to_half(v);
            std::memcpy(out + o * 2, &h, 2);
          }
        }
      }
    }
  }

  void compute(const SoftmaxCmd& c) {
    const float* in = load(a_, c.io.src[0], c.rows * c.len);
    auto* out = reinterpret_cast<uint16_t*>(sram(c.io.dst, c.rows * c.len * 2));
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
  // The compute unit's registers, per run.
  std::vector<float> a_, b_, c_, acc_, col_;
  std::vector<int32_t> ia_, ib_, icol_;
  std::vector<uint32_t> iacc_;
  std::vector<Record> records_;
};

}  // namespace

void execute(const Program& prog, std::span<const void* const> inputs,
             std::span<void* const> outputs) {
  if (inputs.size() != prog.input_buffers.size() || outputs.size() != prog.output_buffers.size()) {
    throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: wrong number of inputs or outputs");
  }
  Machine m(prog);
  // Upload: float32 becomes fp16 (unless kept float32), int8/uint8 bytes are copied.
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto n = static_cast<size_t>(numel(prog.input_shapes[i]));
    if (prog.input_elems[i] == Elem::kF16) {
      floats_to_halves(static_cast<const float*>(inputs[i]), n,
                       m.dram_halves(prog.input_buffers[i]));
    } else if (n) {
      std::memcpy(m.dram(prog.input_buffers[i]), inputs[i],
                  n * static_cast<size_t>(elem_bytes(prog.input_elems[i])));
    }
  }
  for (const Command& c : prog.commands) m.run(c);
  // Write-back to the host converts fp16 to float32.
  for (size_t j = 0; j < outputs.size(); ++j) {
    const auto n = static_cast<size_t>(numel(prog.output_shapes[j]));
    const uint8_t* src = m.dram_const(prog.output_buffers[j]);
    if (prog.output_elems[j] == Elem::kF16) {
      std::vector<uint16_t> halves(n);  // a constant's bytes may not be uint16-aligned
      if (n) std::memcpy(halves.data(), src, n * 2);
      halves_to_floats(halves.data(), n, static_cast<float*>(outputs[j]));
    } else if (n) {
      std::memcpy(outputs[j], src, n * static_cast<size_t>(elem_bytes(prog.output_elems[j])));
    }
  }
}

void execute(const Program& prog, std::span<const float* const> inputs,
             std::span<float* const> outputs) {
  const std::vector<const void*> in(inputs.begin(), inputs.end());
  const std::vector<void*> out(outputs.begin(), outputs.end());
  execute(prog, in, out);
}

}  // namespace infer::npu_sim
