#include "ir/graph.h"

#include <gtest/gtest.h>

#include "ir/tensor.h"

namespace infer::core {
namespace {

size_t Val(Graph& g, const std::string& name) {
  return *g.AddValue(name, INFER_DTYPE_FLOAT32, Shape::Of({1, 4}));
}

size_t AddNode(Graph& g, const std::string& op, std::vector<size_t> in, std::vector<size_t> out) {
  Node n;
  n.op_type = op;
  n.name = op + std::to_string(g.node_count());
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return *g.AddNode(std::move(n));
}

TEST(Tensor, RejectsNegativeAndOverflowingShapes) {
  EXPECT_FALSE(Tensor::Allocate(INFER_DTYPE_FLOAT32, {-1, 2}).ok());
  EXPECT_FALSE(Tensor::Allocate(INFER_DTYPE_FLOAT32, {1LL << 40, 1LL << 40}).ok());
  EXPECT_FALSE(Tensor::Allocate(INFER_DTYPE_STRING, {2}).ok());
  auto t = Tensor::Allocate(INFER_DTYPE_INT64, {2, 3});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->nbytes(), 48u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*t)->data()) % 64, 0u);
}

TEST(Tensor, WrapChecksTheBufferSize) {
  float buf[6] = {};
  EXPECT_TRUE(Tensor::Wrap(INFER_DTYPE_FLOAT32, {2, 3}, buf, sizeof(buf)).ok());
  EXPECT_FALSE(Tensor::Wrap(INFER_DTYPE_FLOAT32, {2, 4}, buf, sizeof(buf)).ok());
}

TEST(Graph, TopologicalOrderFollowsEdges) {
  Graph g;
  size_t x = Val(g, "x"), a = Val(g, "a"), b = Val(g, "b"), c = Val(g, "c");
  ASSERT_TRUE(g.AddInput(x).ok());
  // Added out of order on purpose: c needs b, which needs a.
  size_t n2 = AddNode(g, "Relu", {b}, {c});
  size_t n1 = AddNode(g, "Relu", {a}, {b});
  size_t n0 = AddNode(g, "Relu", {x}, {a});
  ASSERT_TRUE(g.AddOutput(c).ok());
  auto order = g.TopologicalOrder();
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, (std::vector<size_t>{n0, n1, n2}));
  EXPECT_TRUE(g.Validate().ok());
}

TEST(Graph, CycleIsAnErrorNamingANode) {
  Graph g;
  size_t a = Val(g, "a"), b = Val(g, "b");
  AddNode(g, "Relu", {a}, {b});
  AddNode(g, "Relu", {b}, {a});
  ASSERT_TRUE(g.AddOutput(b).ok());
  absl::Status st = g.Validate();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st;
}

TEST(Graph, UndefinedInputIsNamed) {
  Graph g;
  size_t ghost = Val(g, "ghost"), y = Val(g, "y");
  AddNode(g, "Relu", {ghost}, {y});
  ASSERT_TRUE(g.AddOutput(y).ok());
  absl::Status st = g.Validate();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("ghost"), std::string::npos) << st;
  EXPECT_NE(st.message().find("Relu0"), std::string::npos) << st;
}

TEST(Graph, ValueWithTwoProducersIsRefused) {
  Graph g;
  size_t x = Val(g, "x"), y = Val(g, "y");
  ASSERT_TRUE(g.AddInput(x).ok());
  AddNode(g, "Relu", {x}, {y});
  Node dup;
  dup.op_type = "Relu";
  dup.name = "dup";
  dup.inputs = {x};
  dup.outputs = {y};
  EXPECT_FALSE(g.AddNode(std::move(dup)).ok());
}

TEST(Graph, SubgraphSeesOuterNames) {
  Graph outer;
  size_t x = Val(outer, "x");
  ASSERT_TRUE(outer.AddInput(x).ok());
  outer.SetOpset("", 13);
  Graph inner(&outer);
  size_t xi = *inner.AddValue("x", INFER_DTYPE_UNDEFINED, Shape::Unknown());
  size_t y = *inner.AddValue("y", INFER_DTYPE_UNDEFINED, Shape::Unknown());
  AddNode(inner, "Relu", {xi}, {y});
  ASSERT_TRUE(inner.AddOutput(y).ok());
  EXPECT_TRUE(inner.Validate().ok());
  EXPECT_EQ(inner.Opset("ai.onnx"), 13);
}

TEST(Shape, PrintsSymbols) {
  Shape s = Shape::Of({3, 224});
  s.dims.insert(s.dims.begin(), Dim{INFER_DIM_DYNAMIC, "batch"});
  EXPECT_EQ(s.ToString(), "[batch,3,224]");
  EXPECT_EQ(Shape::Unknown().ToString(), "[?]");
}

TEST(GraphRewrite, ConsumersFollowRewiresAndRemovals) {
  Graph g;
  size_t x = Val(g, "x"), a = Val(g, "a"), b = Val(g, "b");
  ASSERT_TRUE(g.AddInput(x).ok());
  size_t n0 = AddNode(g, "Identity", {x}, {a});
  size_t n1 = AddNode(g, "Add", {a, a}, {b});
  ASSERT_TRUE(g.AddOutput(b).ok());
  EXPECT_EQ(g.Consumers(a), (std::vector<size_t>{n1, n1}));
  ASSERT_TRUE(g.ReplaceUses(a, x).ok());
  EXPECT_TRUE(g.Consumers(a).empty());
  EXPECT_EQ(g.Consumers(x), (std::vector<size_t>{n0, n1, n1}));
  ASSERT_TRUE(g.RemoveNode(n0).ok());
  EXPECT_EQ(g.Consumers(x), (std::vector<size_t>{n1, n1}));
  EXPECT_TRUE(g.Validate().ok());
  // A graph output keeps its name: rewiring its readers is refused.
  EXPECT_EQ(g.ReplaceUses(b, x).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(GraphRewrite, UniqueNamesAndInitializerRemoval) {
  Graph g;
  Val(g, "w");
  Val(g, "w_1");
  EXPECT_EQ(g.UniqueName("w"), "w_2");
  EXPECT_EQ(g.UniqueName("fresh"), "fresh");
  auto t = Tensor::Allocate(INFER_DTYPE_FLOAT32, {2});
  ASSERT_TRUE(t.ok());
  size_t c = *g.AddInitializer("c", *t);
  size_t y = Val(g, "y");
  size_t n = AddNode(g, "Relu", {c}, {y});
  EXPECT_EQ(g.initializer_count(), 1u);
  EXPECT_FALSE(g.RemoveInitializer(c).ok());  // still read
  ASSERT_TRUE(g.RemoveNode(n).ok());
  ASSERT_TRUE(g.RemoveInitializer(c).ok());
  EXPECT_EQ(g.initializer_count(), 0u);
}

TEST(GraphRewrite, FoldingNeedsTheOptimiser) {
  Graph g;
  auto t = Tensor::Allocate(INFER_DTYPE_FLOAT32, {2});
  ASSERT_TRUE(t.ok());
  size_t c = *g.AddInitializer("c", *t);
  size_t y = Val(g, "y");
  size_t n = AddNode(g, "Relu", {c}, {y});
  EXPECT_EQ(g.FoldNode(n).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(g.valid_node(n));
}

TEST(GraphRewrite, CloneIsDeepAndIndependent) {
  Graph g;
  size_t x = Val(g, "x"), a = Val(g, "a");
  ASSERT_TRUE(g.AddInput(x).ok());
  size_t n = AddNode(g, "Loop", {x}, {a});
  Attribute& body = g.mutable_node(n).SetAttribute("body");
  body.type = INFER_ATTR_GRAPH;
  body.graph = std::make_unique<Graph>(&g);
  size_t inner = *body.graph->AddValue("inner", INFER_DTYPE_FLOAT32, Shape::Of({1}));
  ASSERT_TRUE(body.graph->AddOutput(inner).ok());
  ASSERT_TRUE(g.AddOutput(a).ok());

  std::unique_ptr<Graph> copy = g.Clone();
  ASSERT_TRUE(copy->RemoveNode(n).ok());
  EXPECT_TRUE(g.valid_node(n));
  EXPECT_FALSE(copy->valid_node(n));
  const Attribute* copied = copy->node(n).FindAttribute("body");
  ASSERT_NE(copied, nullptr);
  ASSERT_NE(copied->graph.get(), body.graph.get());
  EXPECT_EQ(copied->graph->parent(), copy.get());
  EXPECT_EQ(copied->graph->value(inner).name, "inner");
}

}  // namespace
}  // namespace infer::core
