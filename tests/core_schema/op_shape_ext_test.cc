// Shape inference of the operator families beyond the core nine: indexing,
// squeezing, slicing, casts, comparisons, padding, splitting, normalisation,
// reductions, recurrent ops and the elementwise extras.
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

// --- Gather, Squeeze, Unsqueeze ------------------------------------------------

TEST(GatherShapeTest, IndicesReplaceTheAxis) {
  TestGraph t;
  t.Input("x", S({"n", 5, 7})).Input("i", S({2, 3}), INFER_DTYPE_INT64);
  t.Add(Op("Gather", {"x", "i"}, {"y"}).Int("axis", -2));
  EXPECT_EQ(Y(t), "[n,2,3,7]");
}

TEST(GatherShapeTest, AxisOutOfRange) {
  TestGraph t;
  t.Input("x", S({5})).Input("i", S({2}), INFER_DTYPE_INT64);
  t.Add(Op("Gather", {"x", "i"}, {"y"}).Int("axis", 1).Name("g"));
  EXPECT_THAT(Y(t), HasSubstr("Gather node 'g': axis 1 is out of range"));
}

TEST(SqueezeShapeTest, AxesAttributeBefore13InputAfter) {
  TestGraph old(11);
  old.Input("x", S({"n", 3}));
  old.Add(Op("Unsqueeze", {"x"}, {"y"}).Ints("axes", {0, -1}));
  EXPECT_EQ(Y(old), "[1,n,3,1]");
  TestGraph t(13);
  t.Input("x", S({1, "n", 1, 3})).Int64s("axes", {0, -2});
  t.Add(Op("Squeeze", {"x", "axes"}, {"y"}));
  t.Add(Op("Squeeze", {"x"}, {"all"}));  // n might be 1: unknown rank
  EXPECT_EQ(Y(t), "[n,3]");
  EXPECT_EQ(t.ShapeOf("all"), "[?]");
}

TEST(SqueezeShapeTest, AxisNotOneOrRepeated) {
  TestGraph t(13);
  t.Input("x", S({2, 3})).Int64s("axes", {1});
  t.Add(Op("Squeeze", {"x", "axes"}, {"y"}).Name("sq"));
  EXPECT_THAT(Y(t), HasSubstr("Squeeze node 'sq': cannot squeeze axis 1"));
  TestGraph u(13);
  u.Input("x", S({2, 3})).Int64s("twice", {0, -4});
  u.Add(Op("Unsqueeze", {"x", "twice"}, {"y"}).Name("un"));
  EXPECT_THAT(Y(u), HasSubstr("Unsqueeze node 'un': axis -4 is repeated"));
}

// --- Slice --------------------------------------------------------------------

TEST(SliceShapeTest, ConstantBoundsStepsAndClamping) {
  TestGraph t;
  t.Input("x", S({"n", 20, 10, 5}));
  t.Int64s("starts", {-1, 1, 0}).Int64s("ends", {-100, 1000, 3});
  t.Int64s("axes", {1, 2, -1}).Int64s("steps", {-2, 3, 1});
  t.Add(Op("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,10,3,3]");
}

TEST(SliceShapeTest, Opset1AttributesAndUnknownBounds) {
  TestGraph old(9);
  old.Input("x", S({4, 6}));
  old.Add(Op("Slice", {"x"}, {"y"}).Ints("starts", {1}).Ints("ends", {-1}).Ints("axes", {1}));
  EXPECT_EQ(Y(old), "[4,4]");
  TestGraph t;
  t.Input("x", S({4, 6})).Input("b", S({1}), INFER_DTYPE_INT64).Int64s("e", {5});
  t.Int64s("axes", {0});
  t.Add(Op("Slice", {"x", "b", "e", "axes"}, {"y"}));
  EXPECT_EQ(Y(t), "[?,6]");
}

TEST(SliceShapeTest, ZeroStep) {
  TestGraph t;
  t.Input("x", S({4})).Int64s("b", {0}).Int64s("e", {2}).Int64s("a", {0}).Int64s("s", {0});
  t.Add(Op("Slice", {"x", "b", "e", "a", "s"}, {"y"}).Name("sl"));
  EXPECT_THAT(Y(t), HasSubstr("Slice node 'sl': steps must not be 0"));
}

// --- Cast, comparisons, Where ---------------------------------------------------

TEST(CastShapeTest, TypeFromToAndCastLike) {
  TestGraph t;
  t.Input("x", S({"n", 2})).Input("like", S({1}), INFER_DTYPE_FLOAT16);
  t.Add(Op("Cast", {"x"}, {"y"}).Int("to", INFER_DTYPE_BOOL));
  EXPECT_EQ(Y(t), "[n,2]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_BOOL);
  TestGraph l(15);
  l.Input("x", S({3})).Input("like", S({1}), INFER_DTYPE_FLOAT16);
  l.Add(Op("CastLike", {"x", "like"}, {"y"}));
  EXPECT_EQ(Y(l), "[3]");
  EXPECT_EQ(l.V("y").dtype, INFER_DTYPE_FLOAT16);
}

TEST(CastShapeTest, Float8FromOpset19) {
  TestGraph t(19);
  t.Input("x", S({2}), INFER_DTYPE_FLOAT8E4M3FN);
  t.Add(Op("Cast", {"x"}, {"y"}).Int("to", INFER_DTYPE_FLOAT8E5M2));
  EXPECT_EQ(Y(t), "[2]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT8E5M2);
  TestGraph old(13);
  old.Input("x", S({2}), INFER_DTYPE_FLOAT8E4M3FN);
  old.Add(Op("Cast", {"x"}, {"y"}).Int("to", INFER_DTYPE_FLOAT32).Name("c"));
  EXPECT_THAT(Y(old), HasSubstr("Cast node 'c': input 0 ('input') has type float8e4m3fn"));
}

TEST(LogicalShapeTest, ComparisonsGiveBoolAndWhereBroadcastsThree) {
  TestGraph t(16);
  t.Input("a", S({"n", 1, 4})).Input("b", S({3, 1}));
  t.Input("x", S({1})).Input("z", S({"n", 3, 1}));
  t.Add(Op("LessOrEqual", {"a", "b"}, {"c"}));
  t.Add(Op("Not", {"c"}, {"nc"}));
  t.Add(Op("Where", {"nc", "x", "z"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,3,4]");
  EXPECT_EQ(t.V("c").dtype, INFER_DTYPE_BOOL);
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);
}

TEST(LogicalShapeTest, IncompatibleShapesAndTypes) {
  TestGraph t;
  t.Input("a", S({2, 3})).Input("b", S({4}));
  t.Add(Op("Equal", {"a", "b"}, {"y"}).Name("eq"));
  EXPECT_THAT(Y(t), HasSubstr("Equal node 'eq'"));
  TestGraph u;
  u.Input("a", S({2})).Input("b", S({2}));
  u.Add(Op("And", {"a", "b"}, {"y"}).Name("and"));
  EXPECT_THAT(Y(u), HasSubstr("And node 'and': input 0 ('A') has type float32"));
}

// --- Expand, Tile, ConstantOfShape, Range -----------------------------------------

TEST(ExpandShapeTest, BroadcastsBothWays) {
  TestGraph t;
  t.Input("x", S({"n", 1})).Int64s("shape", {2, 1, 6});
  t.Add(Op("Expand", {"x", "shape"}, {"y"}));
  EXPECT_EQ(Y(t), "[2,n,6]");
  TestGraph bad;
  bad.Input("x", S({3})).Int64s("shape", {4});
  bad.Add(Op("Expand", {"x", "shape"}, {"y"}).Name("ex"));
  EXPECT_THAT(Y(bad), HasSubstr("Expand node 'ex'"));
}

TEST(TileShapeTest, RepeatsMustMatchRank) {
  TestGraph t;
  t.Input("x", S({2, "n"})).Int64s("reps", {3, 1});
  t.Add(Op("Tile", {"x", "reps"}, {"y"}));
  EXPECT_EQ(Y(t), "[6,n]");
  TestGraph bad;
  bad.Input("x", S({2, 2})).Int64s("reps", {3});
  bad.Add(Op("Tile", {"x", "reps"}, {"y"}).Name("tile"));
  EXPECT_THAT(Y(bad), HasSubstr("Tile node 'tile': repeats has 1 entries"));
}

TEST(RangeShapeTest, LengthFromConstants) {
  TestGraph t(11);
  t.Int64Tensor("start", {}, {10}).Int64Tensor("limit", {}, {1}).Int64Tensor("delta", {}, {-4});
  t.Add(Op("Range", {"start", "limit", "delta"}, {"y"}));
  EXPECT_EQ(Y(t), "[3]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT64);
}

// --- Pad, Split ----------------------------------------------------------------

TEST(PadShapeTest, PadsInputAndAxes) {
  TestGraph t(18);
  t.Input("x", S({"n", 3, 4, 4})).Int64s("pads", {1, 2, 1, 0});
  t.Int64s("axes", {2, -1});
  t.Add(Op("Pad", {"x", "pads", "", "axes"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,3,6,6]");
  TestGraph old(7);
  old.Input("x", S({2, 2}));
  old.Add(Op("Pad", {"x"}, {"y"}).Ints("pads", {0, -1, 0, -1}).Name("crop"));
  EXPECT_EQ(Y(old), "[2,0]");
  TestGraph bad(13);
  bad.Input("x", S({2, 2})).Int64s("pads", {0, 1});
  bad.Add(Op("Pad", {"x", "pads"}, {"y"}).Name("pad"));
  EXPECT_THAT(Y(bad), HasSubstr("Pad node 'pad': pads has 2 entries, expected 4"));
}

TEST(SplitShapeTest, EvenExplicitAndUneven) {
  TestGraph t(13);
  t.Input("x", S({"n", 6})).Int64s("split", {1, 5});
  t.Add(Op("Split", {"x"}, {"y", "b", "c"}).Int("axis", 1));
  t.Add(Op("Split", {"x", "split"}, {"p", "q"}).Int("axis", -1));
  EXPECT_EQ(Y(t), "[n,2]");
  EXPECT_EQ(t.ShapeOf("q"), "[n,5]");
  TestGraph u(18);
  u.Input("x", S({7}));
  u.Add(Op("Split", {"x"}, {"y", "b", "c"}).Int("num_outputs", 3));
  EXPECT_EQ(Y(u), "[3]");
  EXPECT_EQ(u.ShapeOf("c"), "[1]");
  // Sizes known only at run time: the axis is unknown, not split evenly.
  TestGraph dyn(13);
  dyn.Input("x", S({6, 2})).Input("split", S({2}), INFER_DTYPE_INT64);
  dyn.Add(Op("Split", {"x", "split"}, {"y", "b"}));
  EXPECT_EQ(Y(dyn), "[?,2]");
  TestGraph bad(13);
  bad.Input("x", S({7}));
  bad.Add(Op("Split", {"x"}, {"y", "b"}).Name("sp"));
  EXPECT_THAT(Y(bad), HasSubstr("Split node 'sp': axis size 7 does not split evenly"));
}

// --- normalisation, reductions ----------------------------------------------------

TEST(LayerNormShapeTest, StatisticsKeepLeadingAxes) {
  TestGraph t(17);
  t.Input("x", S({"b", "s", 8})).Weight("g", {8}).Weight("beta", {8});
  t.Add(Op("LayerNormalization", {"x", "g", "beta"}, {"y", "mean", "inv"}));
  EXPECT_EQ(Y(t), "[b,s,8]");
  EXPECT_EQ(t.ShapeOf("mean"), "[b,s,1]");
  EXPECT_EQ(t.V("inv").dtype, INFER_DTYPE_FLOAT32);
  TestGraph bad(17);
  bad.Input("x", S({2, 8})).Weight("g", {4});
  bad.Add(Op("LayerNormalization", {"x", "g"}, {"y"}).Name("ln"));
  EXPECT_THAT(Y(bad), HasSubstr("LayerNormalization node 'ln': Scale:"));
}

TEST(ReduceShapeTest, AxesAttributeOrInputKeepdimsNoop) {
  TestGraph old(13);
  old.Input("x", S({"n", 3, 4}));
  old.Add(Op("ReduceMean", {"x"}, {"y"}).Ints("axes", {-1}));
  old.Add(Op("ReduceMax", {"x"}, {"all"}).Int("keepdims", 0));
  EXPECT_EQ(Y(old), "[n,3,1]");
  EXPECT_EQ(old.ShapeOf("all"), "[]");
  TestGraph t(18);
  t.Input("x", S({"n", 3, 4})).Int64s("axes", {0, 2}).Input("dyn", S({1}), INFER_DTYPE_INT64);
  t.Add(Op("ReduceL2", {"x", "axes"}, {"y"}).Int("keepdims", 0));
  t.Add(Op("ReduceSum", {"x"}, {"same"}).Int("noop_with_empty_axes", 1));
  t.Add(Op("ReduceProd", {"x", "dyn"}, {"unknown"}));
  EXPECT_EQ(Y(t), "[3]");
  EXPECT_EQ(t.ShapeOf("same"), "[n,3,4]");
  EXPECT_EQ(t.ShapeOf("unknown"), "[?,?,?]");
}

TEST(ReduceShapeTest, ArgMaxIsInt64AndBadAxis) {
  TestGraph t;
  t.Input("x", S({2, 5}));
  t.Add(Op("ArgMax", {"x"}, {"y"}).Int("axis", 1).Int("keepdims", 0));
  EXPECT_EQ(Y(t), "[2]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT64);
  TestGraph bad(18);
  bad.Input("x", S({2, 5})).Int64s("axes", {2});
  bad.Add(Op("ReduceMin", {"x", "axes"}, {"y"}).Name("rm"));
  EXPECT_THAT(Y(bad), HasSubstr("ReduceMin node 'rm': axis 2 is out of range"));
}

// --- recurrent ops, TopK, elementwise extras -------------------------------------------

TEST(RecurrentShapeTest, LstmBidirectionalAndGruBatchMajor) {
  TestGraph t(14);
  t.Input("x", S({"seq", "b", 10})).Weight("w", {2, 64, 10}).Weight("r", {2, 64, 16});
  t.Add(Op("LSTM", {"x", "w", "r"}, {"y", "yh", "yc"})
            .Int("hidden_size", 16)
            .Str("direction", "bidirectional"));
  t.Input("xb", S({"b", "seq", 10})).Weight("gw", {1, 48, 10}).Weight("gr", {1, 48, 16});
  t.Add(Op("GRU", {"xb", "gw", "gr"}, {"gy", "gh"}).Int("layout", 1));
  EXPECT_EQ(Y(t), "[seq,2,b,16]");
  EXPECT_EQ(t.ShapeOf("yc"), "[2,b,16]");
  EXPECT_EQ(t.ShapeOf("gy"), "[b,seq,1,16]");
  EXPECT_EQ(t.ShapeOf("gh"), "[b,1,16]");
}

TEST(RecurrentShapeTest, WeightsMustMatchDirections) {
  TestGraph t;
  t.Input("x", S({5, 1, 10})).Weight("w", {1, 16, 10}).Weight("r", {1, 16, 4});
  t.Add(Op("RNN", {"x", "w", "r"}, {"y"}).Str("direction", "bidirectional").Name("rnn"));
  EXPECT_THAT(Y(t), HasSubstr("RNN node 'rnn': W has shape [1,16,10], expected [2"));
}

TEST(TopKShapeTest, KFromInput) {
  TestGraph t(11);
  t.Input("x", S({"n", 10})).Int64s("k", {3});
  t.Add(Op("TopK", {"x", "k"}, {"y", "idx"}));
  EXPECT_EQ(Y(t), "[n,3]");
  EXPECT_EQ(t.V("idx").dtype, INFER_DTYPE_INT64);
  TestGraph bad(11);
  bad.Input("x", S({2, 10})).Int64s("k", {11});
  bad.Add(Op("TopK", {"x", "k"}, {"y", "idx"}).Name("top"));
  EXPECT_THAT(Y(bad), HasSubstr("TopK node 'top': k = 11 is out of range"));
}

TEST(ElementwiseExtraShapeTest, UnaryActivationsPowPReluVariadic) {
  TestGraph t(20);
  t.Input("x", S({"n", 3, 4})).Input("e", S({4}), INFER_DTYPE_INT64).Weight("slope", {3, 1});
  t.Add(Op("Erf", {"x"}, {"erf"}));
  t.Add(Op("Gelu", {"erf"}, {"gelu"}).Str("approximate", "tanh"));
  t.Add(Op("HardSigmoid", {"gelu"}, {"hs"}).Float("alpha", 0.2f));
  t.Add(Op("Pow", {"hs", "e"}, {"pow"}));
  t.Add(Op("PRelu", {"pow", "slope"}, {"pr"}));
  t.Add(Op("Max", {"pr", "slope", "e"}, {"y"}).Name("max"));
  EXPECT_THAT(Y(t), HasSubstr("input 2 ('data_0') has type int64"));
  TestGraph ok(20);
  ok.Input("x", S({"n", 3, 4})).Weight("b", {3, 1}).Weight("c", {4});
  ok.Add(Op("Sqrt", {"x"}, {"s"}));
  ok.Add(Op("Sum", {"s", "b", "c"}, {"y"}));
  EXPECT_EQ(Y(ok), "[n,3,4]");
}

TEST(ElementwiseExtraShapeTest, UnknownAttributeIsRejected) {
  TestGraph t;
  t.Input("x", S({2}));
  t.Add(Op("LeakyRelu", {"x"}, {"y"}).Float("beta", 1.0f).Name("lr"));
  EXPECT_THAT(Y(t), HasSubstr("LeakyRelu node 'lr': attribute 'beta' is not defined"));
}

// --- Resize, GlobalMaxPool ----------------------------------------------------------

void AddScales(TestGraph& t, const std::string& name, std::vector<float> scales) {
  auto tensor = Tensor::Copy(INFER_DTYPE_FLOAT32, {static_cast<int64_t>(scales.size())},
                             scales.data(), scales.size() * sizeof(float));
  ASSERT_TRUE(tensor.ok());
  ASSERT_TRUE(t.graph().AddInitializer(name, *tensor).ok());
}

TEST(ResizeShapeTest, ScalesSizesAndAspectRatio) {
  TestGraph t(13);
  t.Input("x", S({"n", 3, 5, 8}));
  AddScales(t, "scales", {1, 1, 2, 0.5f});
  t.Add(Op("Resize", {"x", "", "scales"}, {"y"}).Str("mode", "nearest"));
  EXPECT_EQ(Y(t), "[n,3,10,4]");
  TestGraph s(18);
  s.Input("x", S({1, 3, 10, 20})).Int64s("sizes", {5, 5});
  s.Add(Op("Resize", {"x", "", "", "sizes"}, {"y"})
            .Ints("axes", {2, 3})
            .Str("keep_aspect_ratio_policy", "not_larger"));
  EXPECT_EQ(Y(s), "[1,3,3,5]");
  TestGraph up(9);
  up.Input("x", S({1, 2, 3}));
  AddScales(up, "scales", {1, 2, 2});
  up.Add(Op("Upsample", {"x", "scales"}, {"y"}));
  EXPECT_EQ(Y(up), "[1,4,6]");
  TestGraph bad(13);
  bad.Input("x", S({1, 2}));
  AddScales(bad, "scales", {2});
  bad.Add(Op("Resize", {"x", "", "scales"}, {"y"}).Name("rs"));
  EXPECT_THAT(Y(bad), HasSubstr("Resize node 'rs': scales has 1 entries, expected 2"));
}

TEST(GlobalMaxPoolShapeTest, SpatialDimsBecomeOne) {
  TestGraph t;
  t.Input("x", S({"n", 8, 7, 7}));
  t.Add(Op("GlobalMaxPool", {"x"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,8,1,1]");
}

}  // namespace
}  // namespace infer::core
