// The network a partition compiles: npu_sim's own op list with static shapes, attributes,
// element types and weights (fp16, or int8/uint8 as given), built from NodeSnapshots. Building it
// is also the capability check: whatever build_network() rejects is refused, with the same reason.
#ifndef INFER_PLUGINS_NPU_SIM_NETWORK_H_
#define INFER_PLUGINS_NPU_SIM_NETWORK_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "infer/node_snapshot.hpp"

namespace infer::npu_sim {

// The plugin SDK's host-free node copies: plugin.cc reads them, the tests build them.
using plugin::AttrSnapshot;
using plugin::NodeSnapshot;
using plugin::ValueSnapshot;

using Shape = std::vector<int64_t>;
// Highest tensor rank the DMA descriptors address.
constexpr size_t kMaxRank = 6;

int64_t numel(const Shape& s);

// How a tensor is stored in NPU DRAM and SRAM. Float tensors are fp16, except partition inputs
// read only by QuantizeLinear, kept float32 so quantization sees the host's exact values.
// kI32 holds the per-channel requantization records of QLinearConv / QLinearMatMul.
enum class Elem : uint8_t { kF16, kF32, kI8, kU8, kI32 };
int64_t elem_bytes(Elem e);
const char* elem_name(Elem e);  // "fp16", "int8", ...
inline bool is_quant(Elem e) { return e == Elem::kI8 || e == Elem::kU8; }
// The host dtype of a tensor of element type e (float32 for fp16).
infer_dtype host_dtype(Elem e);

// One output channel of a QLinearConv (or column of a QLinearMatMul): the int32 bias, the
// float32 multiplier x_scale * w_scale / y_scale (as bits) and the weight zero point, one
// DMA-able record per channel.
constexpr int64_t kChannelRecord = 3;
std::string shape_str(const Shape& s);

// An activation applied by the compute command that produced the value (fused) or by an
// ELEMENTWISE command of its own.
enum class Act : uint8_t { kNone, kRelu, kClip, kSigmoid };
struct Activation {
  Act kind = Act::kNone;
  float lo = 0, hi = 0;  // kClip bounds, already fp16
};

enum class OpKind : uint8_t {
  kConv,
  kMatMul,  // MatMul and Gemm
  kAdd,
  kMul,
  kUnary,  // Relu, Clip, Sigmoid: the activation alone
  kMaxPool,
  kAvgPool,  // AveragePool and GlobalAveragePool
  kConcat,
  kReshape,  // Reshape and Flatten: metadata only
  kSoftmax,
  kQuantize,    // QuantizeLinear: float -> int8/uint8
  kDequantize,  // DequantizeLinear: int8/uint8 -> float (fp16)
};

struct Window2d {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

struct Op {
  OpKind kind;
  std::string label;    // "Conv node 'conv1'"
  std::vector<int> in;  // tensor indices; -1 for an absent optional input
  int out = -1;
  Activation act;
  Window2d win;                           // kConv, kMaxPool, kAvgPool
  int64_t group = 1;                      // kConv
  bool count_include_pad = false;         // kAvgPool
  bool trans_a = false, trans_b = false;  // kMatMul (Gemm)
  float alpha = 1, beta = 1;              // kMatMul (Gemm)
  int64_t axis = 0;                       // kConcat
  // int8: kConv / kMatMul with quantized operands (QLinearConv, QLinearMatMul; in[2] is then
  // the [channels, kChannelRecord] record tensor), kQuantize and kDequantize.
  bool quantized = false;
  int32_t in_zp = 0, out_zp = 0;  // input (x / a) and output zero points
  float scale = 1;                // kQuantize / kDequantize
};

struct Tensor {
  std::string name;
  Shape shape;
  Elem elem = Elem::kF16;
  bool is_const = false;
  std::vector<uint8_t> data;  // constants only: the stored bytes (fp16, int8, records)
};

struct Network {
  std::vector<Tensor> tensors;
  std::vector<Op> ops;
  std::vector<int> inputs;   // tensor per partition input
  std::vector<int> outputs;  // tensor per partition output
};

// Builds the network of `nodes` (topologically ordered) with the given boundary values.
// Throws PluginError: INFER_UNIMPLEMENTED with "<node>: <reason>" for what npu_sim does not
// run, INFER_INVALID_ARGUMENT / INFER_INVALID_MODEL for malformed input.
Network build_network(std::span<const NodeSnapshot> nodes, std::span<const ValueSnapshot> inputs,
                      std::span<const ValueSnapshot> outputs, int64_t opset);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_NETWORK_H_
