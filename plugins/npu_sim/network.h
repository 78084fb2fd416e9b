// The network a partition compiles: npu_sim's own op list with static shapes, attributes and
// fp16 weights, built from NodeDescs. Building it is also the capability check: whatever
// build_network() rejects is refused, with the same reason.
#ifndef INFER_PLUGINS_NPU_SIM_NETWORK_H_
#define INFER_PLUGINS_NPU_SIM_NETWORK_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "node_desc.h"

namespace infer::npu_sim {

using Shape = std::vector<int64_t>;
// Highest tensor rank the DMA descriptors address.
constexpr size_t kMaxRank = 6;

int64_t numel(const Shape& s);
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
};

struct Tensor {
  std::string name;
  Shape shape;
  bool is_const = false;
  std::vector<uint16_t> data;  // fp16, constants only
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
Network build_network(std::span<const NodeDesc> nodes, std::span<const ValueDesc> inputs,
                      std::span<const ValueDesc> outputs, int64_t opset);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_NETWORK_H_
