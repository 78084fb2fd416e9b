#include "capability.h"

#include "test_util.h"

namespace infer::npu_sim::test {
namespace {

std::string reason_for(GraphBuilder& gb, const NpuConfig& cfg = {}, int64_t opset = 17) {
  return refusal_reason(gb.nodes.back(), opset, cfg);
}

void conv_node(GraphBuilder& gb, int64_t k, int64_t stride, Shape xs = {1, 4, 32, 32},
               int64_t m = 4) {
  const ValueSnapshot x = gb.value("x", xs);
  const int64_t out = (xs[2] - k) / stride + 1;
  const Shape ws{m, xs[1], k, k};
  gb.node("Conv", {x, gb.constant("w", ws, std::vector<float>(static_cast<size_t>(numel(ws))))},
          {gb.value("y", {xs[0], m, out, out})}, {{"strides", attr_ints({stride, stride})}});
}

TEST(Capability, ClaimsSupportedConv) {
  GraphBuilder gb;
  conv_node(gb, 3, 2);
  EXPECT_EQ(reason_for(gb), "");
}

TEST(Capability, UnsupportedOp) {
  GraphBuilder gb;
  gb.node("LayerNormalization", {gb.value("x", {2, 8})}, {gb.value("y", {2, 8})});
  EXPECT_EQ(reason_for(gb),
            "LayerNormalization node 'LayerNormalization0': op 'LayerNormalization' is not "
            "supported by npu_sim");
}

TEST(Capability, KernelTooLarge) {
  GraphBuilder gb;
  conv_node(gb, 9, 1);
  EXPECT_EQ(reason_for(gb), "Conv node 'Conv0': kernel 9x9 exceeds npu_sim's 7x7 limit");
}

TEST(Capability, StrideTooLarge) {
  GraphBuilder gb;
  conv_node(gb, 3, 3);
  EXPECT_EQ(reason_for(gb), "Conv node 'Conv0': stride 3 exceeds npu_sim's limit of 2");
}

TEST(Capability, NonConstantWeights) {
  GraphBuilder gb;
  gb.node("Conv", {gb.value("x", {1, 2, 5, 5}), gb.value("w", {2, 2, 3, 3})},
          {gb.value("y", {1, 2, 3, 3})});
  EXPECT_EQ(reason_for(gb), "Conv node 'Conv0': weights 'w' are not a constant initializer");
}

TEST(Capability, SoftmaxNotOnLastAxis) {
  GraphBuilder gb;
  gb.node("Softmax", {gb.value("x", {2, 8, 4})}, {gb.value("y", {2, 8, 4})}, {{"axis", attr_i(1)}});
  EXPECT_EQ(reason_for(gb),
            "Softmax node 'Softmax0': Softmax on axis 1 of a rank-3 tensor; npu_sim only runs "
            "Softmax on the last axis");
}

TEST(Capability, DynamicDim) {
  GraphBuilder gb;
  gb.node("Relu", {gb.value("x", {INFER_DIM_DYNAMIC, 8})}, {gb.value("y", {INFER_DIM_DYNAMIC, 8})});
  EXPECT_EQ(reason_for(gb),
            "Relu node 'Relu0': tensor 'x' has a dynamic shape [?,8]; npu_sim needs static shapes");
}

TEST(Capability, Float64) {
  GraphBuilder gb;
  gb.node("Add", {gb.value("a", {4}, INFER_DTYPE_FLOAT64), gb.value("b", {4}, INFER_DTYPE_FLOAT64)},
          {gb.value("y", {4}, INFER_DTYPE_FLOAT64)});
  EXPECT_EQ(reason_for(gb),
            "Add node 'Add0': tensor 'a' has dtype float64; npu_sim runs float32 (computed as "
            "fp16), int8 and uint8 tensors only");
}

TEST(Capability, TensorTooLargeForSram) {
  GraphBuilder gb;
  gb.node("Softmax", {gb.value("x", {2, 4096})}, {gb.value("y", {2, 4096})});
  EXPECT_EQ(reason_for(gb), "");
  EXPECT_EQ(reason_for(gb, tiny_sram(16)),
            "Softmax node 'Softmax0': tensor too large for SRAM tiling: the smallest tile needs "
            "33 KiB, the SRAM has 16 KiB");
}

TEST(Capability, PoolLimits) {
  GraphBuilder gb;
  gb.node("MaxPool", {gb.value("x", {1, 2, 20, 20})}, {gb.value("y", {1, 2, 2, 2})},
          {{"kernel_shape", attr_ints({8, 8})}, {"strides", attr_ints({8, 8})}});
  EXPECT_EQ(reason_for(gb), "MaxPool node 'MaxPool0': kernel 8x8 exceeds npu_sim's 7x7 limit");
}

}  // namespace
}  // namespace infer::npu_sim::test
