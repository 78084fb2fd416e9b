// InferGraphShapes: schema checks, propagation through a graph, and how
// inferred shapes meet declared ones.
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

std::string Message(TestGraph& t) { return std::string(t.Infer().message()); }

TEST(InferGraphShapesTest, SmallCnnGetsAllShapes) {
  TestGraph t(13);
  t.Input("image", S({"N", 3, 32, 32}))
      .Weight("w1", {16, 3, 3, 3})
      .Weight("b1", {16})
      .Weight("fc_w", {10, 16})
      .Weight("fc_b", {10})
      .Int64s("new_shape", {0, -1})
      .Declare("logits", Shape::Unknown(), INFER_DTYPE_UNDEFINED, /*graph_output=*/true);
  t.Add(Op("Conv", {"image", "w1", "b1"}, {"c1"}).Ints("pads", {1, 1, 1, 1}))
      .Add(Op("Relu", {"c1"}, {"r1"}))
      .Add(Op("MaxPool", {"r1"}, {"p1"}).Ints("kernel_shape", {2, 2}).Ints("strides", {2, 2}))
      .Add(Op("GlobalAveragePool", {"p1"}, {"g1"}))
      .Add(Op("Reshape", {"g1", "new_shape"}, {"flat"}))
      .Add(Op("Gemm", {"flat", "fc_w", "fc_b"}, {"fc"}).Int("transB", 1))
      .Add(Op("Softmax", {"fc"}, {"logits"}));
  ASSERT_TRUE(t.Infer().ok()) << t.Infer();
  EXPECT_EQ(t.ShapeOf("c1"), "[N,16,32,32]");
  EXPECT_EQ(t.ShapeOf("r1"), "[N,16,32,32]");
  EXPECT_EQ(t.ShapeOf("p1"), "[N,16,16,16]");
  EXPECT_EQ(t.ShapeOf("g1"), "[N,16,1,1]");
  EXPECT_EQ(t.ShapeOf("flat"), "[N,16]");
  EXPECT_EQ(t.ShapeOf("logits"), "[N,10]");
  EXPECT_EQ(t.V("logits").dtype, INFER_DTYPE_FLOAT32);
  // Graph inputs keep their declared shapes.
  EXPECT_EQ(t.ShapeOf("image"), "[N,3,32,32]");
}

TEST(InferGraphShapesTest, ReshapeReadsAConstantNode) {
  TestGraph t;
  t.Input("x", S({"b", 4, 6}));
  t.Add(Op("Constant", {}, {"shape"}).Ints("value_ints", {0, 2, -1}));
  t.Add(Op("Reshape", {"x", "shape"}, {"y"}));
  ASSERT_TRUE(t.Infer().ok());
  EXPECT_EQ(t.ShapeOf("y"), "[b,2,12]");
}

TEST(InferGraphShapesTest, MissingRequiredAttribute) {
  TestGraph t;
  t.Input("a", S({2, 3})).Input("b", S({2, 3}));
  t.Add(Op("Concat", {"a", "b"}, {"y"}).Name("cat"));
  absl::Status s = t.Infer();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Concat node 'cat': required attribute 'axis' is missing");
}

TEST(InferGraphShapesTest, AttributeOfWrongTypeOrUnknown) {
  TestGraph type;
  type.Input("x", S({1, 3, 8, 8})).Weight("w", {4, 3, 3, 3});
  type.Add(Op("Conv", {"x", "w"}, {"y"}).Name("conv1").Float("group", 1.0f));
  EXPECT_EQ(Message(type), "Conv node 'conv1': attribute 'group' has type FLOAT, expected INT");
  TestGraph unknown;
  unknown.Input("x", S({2}));
  unknown.Add(Op("Relu", {"x"}, {"y"}).Name("relu").Int("alpha", 1));
  EXPECT_EQ(Message(unknown), "Relu node 'relu': attribute 'alpha' is not defined for Relu-13");
}

TEST(InferGraphShapesTest, TypeConstraintViolations) {
  TestGraph conv;
  conv.Input("x", S({1, 3, 8, 8}), INFER_DTYPE_INT64).Weight("w", {4, 3, 3, 3});
  conv.Add(Op("Conv", {"x", "w"}, {"y"}).Name("conv1"));
  EXPECT_EQ(Message(conv),
            "Conv node 'conv1': input 0 ('X') has type int64, but T allows float32, float16, "
            "float64");

  TestGraph mixed;
  mixed.Input("a", S({2}), INFER_DTYPE_FLOAT32).Input("b", S({2}), INFER_DTYPE_FLOAT64);
  mixed.Add(Op("Add", {"a", "b"}, {"y"}).Name("add"));
  EXPECT_THAT(mixed.Infer().message(),
              HasSubstr("input 1 ('B') has type float64, but input 0 bound T to float32"));

  // Relu admits integers only from opset 14.
  TestGraph relu13(13);
  relu13.Input("x", S({2}), INFER_DTYPE_INT32);
  relu13.Add(Op("Relu", {"x"}, {"y"}));
  EXPECT_FALSE(relu13.Infer().ok());
  TestGraph relu14(14);
  relu14.Input("x", S({2}), INFER_DTYPE_INT32);
  relu14.Add(Op("Relu", {"x"}, {"y"}));
  EXPECT_TRUE(relu14.Infer().ok());
  EXPECT_EQ(relu14.V("y").dtype, INFER_DTYPE_INT32);

  TestGraph reshape;
  reshape.Input("x", S({2, 3})).Input("shape", S({2}), INFER_DTYPE_INT32);
  reshape.Add(Op("Reshape", {"x", "shape"}, {"y"}));
  EXPECT_THAT(reshape.Infer().message(), HasSubstr("tensor(int64) allows int64"));
}

TEST(InferGraphShapesTest, InputAndOutputCounts) {
  TestGraph missing;
  missing.Input("x", S({1, 3, 8, 8}));
  missing.Add(Op("Conv", {"x"}, {"y"}).Name("conv1"));
  EXPECT_EQ(Message(missing), "Conv node 'conv1': input 1 ('W') is required");

  TestGraph extra;
  extra.Input("x", S({2}));
  extra.Add(Op("Relu", {"x", "x"}, {"y"}).Name("relu"));
  EXPECT_EQ(Message(extra), "Relu node 'relu': has 2 inputs, but Relu-13 takes at most 1");

  TestGraph outputs;
  outputs.Input("x", S({2}));
  outputs.Add(Op("Relu", {"x"}, {"y", "z"}).Name("relu"));
  EXPECT_THAT(outputs.Infer().message(), HasSubstr("has 2 outputs"));

  // Absent optional inputs and outputs are fine.
  TestGraph optional(13);
  optional.Input("x", S({2, 3})).Weight("hi", {});
  optional.Add(Op("Clip", {"x", "", "hi"}, {"y"}));
  optional.Add(Op("Dropout", {"y"}, {"z", ""}));
  EXPECT_TRUE(optional.Infer().ok());
  EXPECT_EQ(optional.ShapeOf("z"), "[2,3]");
}

TEST(InferGraphShapesTest, NodesWithoutSchemaAreSkipped) {
  TestGraph t;
  t.graph().SetOpset("com.example", 1);
  t.Input("x", S({2, 3}));
  t.Add(Op("FancyOp", {"x"}, {"f"}).Domain("com.example"));
  t.Add(Op("FancyOp", {"f"}, {"g"}));                   // unknown in the default domain too
  t.Add(Op("Conv", {"g"}, {"h"}).Domain("com.other"));  // no opset imported for the domain
  t.Add(Op("Relu", {"h"}, {"y"}));
  ASSERT_TRUE(t.Infer().ok());
  for (const char* v : {"f", "g", "h", "y"}) EXPECT_FALSE(t.V(v).shape.rank_known) << v;
}

TEST(InferGraphShapesTest, DeclaredShapesAreRefinedOrContradicted) {
  // Unknown declared dims are filled in; known ones must agree.
  TestGraph refine;
  refine.Input("x", S({"N", 3, 8, 8})).Weight("w", {16, 3, 3, 3});
  refine.Declare("y", S({"N", "?", "?", "?"}));
  refine.Add(Op("Conv", {"x", "w"}, {"y"}));
  ASSERT_TRUE(refine.Infer().ok());
  EXPECT_EQ(refine.ShapeOf("y"), "[N,16,6,6]");

  TestGraph conflict;
  conflict.Input("x", S({"N", 3, 8, 8})).Weight("w", {16, 3, 3, 3});
  conflict.Declare("y", S({"N", 8, 6, 6}), INFER_DTYPE_FLOAT32, /*graph_output=*/true);
  conflict.Add(Op("Conv", {"x", "w"}, {"y"}).Name("conv1"));
  EXPECT_EQ(Message(conflict),
            "Conv node 'conv1': output 'y' is declared with shape [N,8,6,6] but inferred as "
            "[N,16,6,6]");

  TestGraph rank;
  rank.Input("x", S({2, 3}));
  rank.Declare("y", S({6}));
  rank.Add(Op("Relu", {"x"}, {"y"}));
  EXPECT_THAT(rank.Infer().message(), HasSubstr("output 'y' is declared with shape [6]"));

  TestGraph dtype;
  dtype.Input("x", S({2, 3}));
  dtype.Declare("y", Shape::Unknown(), INFER_DTYPE_FLOAT16);
  dtype.Add(Op("Relu", {"x"}, {"y"}));
  EXPECT_THAT(dtype.Infer().message(),
              HasSubstr("output 'y' is declared as float16 but inferred as float32"));
}

TEST(InferGraphShapesTest, UnknownInputShapesPropagateAsUnknown) {
  TestGraph t;
  t.Input("a", Shape::Unknown(), INFER_DTYPE_UNDEFINED).Input("b", S({3}));
  t.Add(Op("Add", {"a", "b"}, {"y"}));
  ASSERT_TRUE(t.Infer().ok());
  EXPECT_FALSE(t.V("y").shape.rank_known);
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);  // bound by b
}

TEST(InferGraphShapesTest, CycleIsReported) {
  TestGraph t;
  t.Input("x", S({2})).Declare("a", Shape::Unknown()).Declare("b", Shape::Unknown());
  t.Add(Op("Add", {"x", "b"}, {"a"}).Name("first"));
  t.Add(Op("Relu", {"a"}, {"b"}).Name("second"));
  EXPECT_THAT(t.Infer().message(), HasSubstr("cycle"));
}

}  // namespace
}  // namespace infer::core
