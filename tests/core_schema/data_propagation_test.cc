// Shape, Size and the data propagation through Gather, Unsqueeze, Squeeze,
// Concat, Slice, Cast and integer arithmetic that makes Reshape's shape
// input known (as ONNX's shape inference does).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schema/op_schema.h"
#include "test_graph.h"

namespace infer::core {
namespace {

using ::infer::core::testing::Op;
using ::infer::core::testing::S;
using ::infer::core::testing::TestGraph;
using ::testing::HasSubstr;

std::string Y(TestGraph& t) { return t.InferY(); }

TEST(ShapeOpTest, ShapeAndSize) {
  TestGraph t(17);
  t.Input("x", S({"batch", 3, 4}));
  t.Add(Op("Shape", {"x"}, {"y"}));
  t.Add(Op("Size", {"x"}, {"n"}));
  t.Add(Op("Shape", {"x"}, {"tail"}).Int("start", -2));
  t.Add(Op("Shape", {"x"}, {"none"}).Int("start", 2).Int("end", 1));
  EXPECT_EQ(Y(t), "[3]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(t.ShapeOf("n"), "[]");
  EXPECT_EQ(t.ShapeOf("tail"), "[2]");
  EXPECT_EQ(t.ShapeOf("none"), "[0]");
}

// The PyTorch export pattern: x.view(x.size(0), x.size(1) * 4, -1).
void AddViewChain(TestGraph& t) {
  t.Int64Tensor("i0", {}, {0}).Int64Tensor("i1", {}, {1}).Int64Tensor("four", {}, {4});
  t.Int64s("ax0", {0}).Int64s("minus1", {-1});
  t.Add(Op("Shape", {"x"}, {"s"}));
  t.Add(Op("Gather", {"s", "i0"}, {"d0"}));
  t.Add(Op("Gather", {"s", "i1"}, {"d1"}));
  t.Add(Op("Mul", {"d1", "four"}, {"d1x4"}));
  t.Add(Op("Unsqueeze", {"d0", "ax0"}, {"u0"}));
  t.Add(Op("Unsqueeze", {"d1x4", "ax0"}, {"u1"}));
  t.Add(Op("Concat", {"u0", "u1", "minus1"}, {"shape"}).Int("axis", 0));
  t.Add(Op("Reshape", {"x", "shape"}, {"y"}));
}

TEST(DataPropagationTest, ShapeGatherUnsqueezeConcatReshape) {
  TestGraph t;
  t.Input("x", S({2, 3, 8}));
  AddViewChain(t);
  EXPECT_EQ(Y(t), "[2,12,2]");
}

TEST(DataPropagationTest, SymbolicDimsLeaveTheShapeUnknown) {
  // Only fully known values are tracked: the rank survives, the sizes not.
  TestGraph t;
  t.Input("x", S({"batch", 3, 8}));
  AddViewChain(t);
  EXPECT_EQ(Y(t), "[?,?,?]");
  EXPECT_EQ(t.ShapeOf("d1x4"), "[]");
}

TEST(DataPropagationTest, SliceCastDivSqueeze) {
  TestGraph t;
  t.Input("x", S({6, 10, 4}));
  t.Int64s("b", {1}).Int64s("e", {3}).Int64s("two", {2}).Int64s("ax0", {0});
  t.Add(Op("Shape", {"x"}, {"s"}));
  t.Add(Op("Slice", {"s", "b", "e"}, {"hw"}));  // [10, 4]
  t.Add(Op("Div", {"hw", "two"}, {"half"}));    // [5, 2]
  t.Add(Op("Cast", {"half"}, {"c32"}).Int("to", INFER_DTYPE_INT32));
  t.Add(Op("Cast", {"c32"}, {"c64"}).Int("to", INFER_DTYPE_INT64));
  t.Add(Op("Slice", {"c64", "b", "e"}, {"last"}));    // [2]
  t.Add(Op("Squeeze", {"last", "ax0"}, {"scalar"}));  // 2
  t.Add(Op("Sub", {"c64", "scalar"}, {"minus"}));     // [3, 0]
  t.Add(Op("ConstantOfShape", {"c64"}, {"y"}));
  t.Add(Op("ConstantOfShape", {"minus"}, {"z"}));
  EXPECT_EQ(Y(t), "[5,2]");
  EXPECT_EQ(t.V("c32").dtype, INFER_DTYPE_INT32);
  EXPECT_EQ(t.ShapeOf("scalar"), "[]");
  EXPECT_EQ(t.ShapeOf("z"), "[3,0]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);
}

TEST(DataPropagationTest, ExpandAndTileWithTrackedShape) {
  TestGraph t;
  t.Input("x", S({1, 3, 1})).Input("w", S({4, 3, 5}));
  t.Add(Op("Shape", {"w"}, {"s"}));
  t.Add(Op("Expand", {"x", "s"}, {"y"}));
  t.Int64s("reps", {2, 1, 3});
  t.Add(Op("Tile", {"x", "reps"}, {"tiled"}));
  EXPECT_EQ(Y(t), "[4,3,5]");
  EXPECT_EQ(t.ShapeOf("tiled"), "[2,3,3]");
}

TEST(DataPropagationTest, GatherOutOfRangeNamesTheNode) {
  TestGraph t;
  t.Input("x", S({2, 3}));
  t.Int64Tensor("i", {}, {5});
  t.Add(Op("Shape", {"x"}, {"s"}));
  t.Add(Op("Gather", {"s", "i"}, {"y"}).Name("pick"));
  EXPECT_THAT(Y(t), HasSubstr("Gather node 'pick'"));
}

}  // namespace
}  // namespace infer::core
