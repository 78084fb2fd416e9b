// The command stream of the simulated NPU. DMA commands move boxes of fp16 (or int8, fp32,
// int32) elements between DRAM buffers and the SRAM; compute commands read and write only the
// SRAM (byte addresses).
#ifndef INFER_PLUGINS_NPU_SIM_COMMAND_H_
#define INFER_PLUGINS_NPU_SIM_COMMAND_H_

#include <array>
#include <cstdint>
#include <variant>
#include <vector>

#include "network.h"

namespace infer::npu_sim {

enum class CmdType : uint8_t { kDmaIn, kDmaOut, kConv, kMatMul, kElementwise, kPool, kSoftmax };
constexpr size_t kCmdTypeCount = 7;
const char* cmd_type_name(CmdType t);
inline bool is_dma(CmdType t) { return t == CmdType::kDmaIn || t == CmdType::kDmaOut; }

// A row-major box of `box` elements, contiguous in SRAM at `sram`, taken from (or put at)
// `origin` in a strided view of DRAM buffer `buffer`. On DMA_IN, box elements outside
// [0, dims) are not read but set to `fill` (convolution and pooling padding); a view stride
// of 0 broadcasts. Elements are `elem_bytes` wide; `fill` is the element's bit pattern.
struct DmaCmd {
  uint32_t buffer = 0;
  uint32_t sram = 0;
  uint32_t rank = 0;
  std::array<int64_t, kMaxRank> box{};
  std::array<int64_t, kMaxRank> origin{};
  std::array<int64_t, kMaxRank> dims{};
  std::array<int64_t, kMaxRank> stride{};
  uint32_t fill = 0;
  uint32_t elem_bytes = 2;

  int64_t bytes() const { return elements() * elem_bytes; }

  int64_t elements() const {
    int64_t n = 1;
    for (uint32_t i = 0; i < rank; ++i) n *= box[i];
    return n;
  }
  bool same_source(const DmaCmd& o) const {
    return buffer == o.buffer && rank == o.rank && box == o.box && origin == o.origin &&
           stride == o.stride;
  }
};

// SRAM operands of a compute command: sources, the destination, and an accumulator (fp32, or
// int32 for int8) that holds partial sums between the commands of a split reduction.
struct ComputeIo {
  std::array<uint32_t, 3> src{};
  uint8_t src_mask = 0;  // bit i: src[i] is used
  uint32_t dst = 0;
  uint32_t acc = 0;
  uint32_t acc_bytes = 0;  // 0: the reduction is not split, no accumulator in SRAM
  bool first = true;       // start the accumulator at zero
  bool last = true;        // finish: epilogue and fp16 write to dst
};

// The int8 mode of the MAC array (QLinearConv, QLinearMatMul): operands a (input) and b
// (weights) of types a / b, each minus its zero point (b's per output channel, from the
// record operand), multiplied with int32 accumulation; the epilogue adds the record's bias,
// multiplies by its multiplier and rounds into `out` with the output zero point.
struct IntMode {
  bool on = false;
  Elem a = Elem::kI8, b = Elem::kI8, out = Elem::kI8;
  int32_t a_zp = 0, out_zp = 0;
};

// Convolution of one tile: `groups` groups, each `cout` x (cin x kh x kw) weights over a
// cin x ih x iw input tile (padding already filled in) giving cout x oh x ow outputs.
struct ConvCmd {
  ComputeIo io;  // src: input, weights, bias
  int64_t groups, cout, cin, ih, iw, oh, ow;
  Window2d win;
  bool has_bias = false;  // or, in int8 mode, the channel records (always there)
  Activation act;
  IntMode q;
};

// out[m][n] = act(alpha * sum_k a[m][k] b[k][n] + beta * c[m][n]) over one tile.
struct MatMulCmd {
  ComputeIo io;  // src: a, b, c
  int64_t m, n, k;
  float alpha = 1, beta = 1;
  bool has_c = false;  // in int8 mode src[2] holds the column records instead
  Activation act;
  IntMode q;
};

// kQuantize: saturate(round(a / scale) + zp) from fp16/fp32 into int8/uint8;
// kDequantize: (a - zp) * scale from int8/uint8 into fp16.
enum class EltOp : uint8_t { kAdd, kMul, kCopy, kQuantize, kDequantize };
struct EltwiseCmd {
  ComputeIo io;  // src: a, b
  int64_t count;
  EltOp op;
  Activation act;
  Elem in = Elem::kF16, out = Elem::kF16;
  float scale = 1;
  int32_t zp = 0;
};

// Max or average pooling of a channels x ih x iw tile whose element (0,0) sits at input
// coordinates (y0, x0) of an in_h x in_w plane (for count_include_pad=0).
struct PoolCmd {
  ComputeIo io;
  int64_t channels, ih, iw, oh, ow;
  Window2d win;
  bool max;
  bool count_include_pad;
  int64_t y0, x0, in_h, in_w;
  Elem elem = Elem::kF16;  // max pooling also runs on int8/uint8, exactly
};

struct SoftmaxCmd {
  ComputeIo io;
  int64_t rows, len;
};

struct Command {
  CmdType type;
  uint64_t cycles = 0;  // cost model, fixed at compile time
  std::variant<DmaCmd, ConvCmd, MatMulCmd, EltwiseCmd, PoolCmd, SoftmaxCmd> body;

  // A compute command working on int8 values (reported as "CONV(int8)").
  bool int8() const;
};

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_COMMAND_H_
