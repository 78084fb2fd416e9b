// Shape inference of each operator, run through InferGraphShapes on small
// graphs whose output is "y".
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

// Shape of "y" after inference, or the error message.
std::string Y(TestGraph& t) { return t.InferY(); }

// --- Conv --------------------------------------------------------------------

TEST(ConvShapeTest, PadsAndStride2) {
  TestGraph t;
  t.Input("x", S({1, 3, 224, 224})).Weight("w", {64, 3, 7, 7});
  t.Add(Op("Conv", {"x", "w"}, {"y"}).Ints("pads", {3, 3, 3, 3}).Ints("strides", {2, 2}));
  EXPECT_EQ(Y(t), "[1,64,112,112]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);
}

TEST(ConvShapeTest, BatchSymbolPreservedAndBias) {
  TestGraph t;
  t.Input("x", S({"batch", 3, 32, 32})).Weight("w", {16, 3, 3, 3}).Weight("b", {16});
  t.Add(Op("Conv", {"x", "w", "b"}, {"y"}).Ints("pads", {1, 1, 1, 1}));
  EXPECT_EQ(Y(t), "[batch,16,32,32]");
}

TEST(ConvShapeTest, Dilation) {
  TestGraph t;
  t.Input("x", S({1, 1, 10, 10})).Weight("w", {2, 1, 3, 3});
  t.Add(Op("Conv", {"x", "w"}, {"y"}).Ints("dilations", {2, 2}));
  EXPECT_EQ(Y(t), "[1,2,6,6]");
}

TEST(ConvShapeTest, SameUpperStride2) {
  TestGraph t;
  t.Input("x", S({1, 3, 7, 8})).Weight("w", {8, 3, 3, 3});
  t.Add(Op("Conv", {"x", "w"}, {"y"}).Str("auto_pad", "SAME_UPPER").Ints("strides", {2, 2}));
  EXPECT_EQ(Y(t), "[1,8,4,4]");
}

TEST(ConvShapeTest, Depthwise) {
  TestGraph t;
  t.Input("x", S({"n", 32, 56, 56})).Weight("w", {32, 1, 3, 3});
  t.Add(Op("Conv", {"x", "w"}, {"y"}).Int("group", 32).Ints("pads", {1, 1, 1, 1}));
  EXPECT_EQ(Y(t), "[n,32,56,56]");
}

TEST(ConvShapeTest, Conv1dAndKernelShapeAttribute) {
  TestGraph t;
  t.Input("x", S({1, 4, 10})).Weight("w", {8, 4, 3});
  t.Add(Op("Conv", {"x", "w"}, {"y"}).Ints("kernel_shape", {3}));
  EXPECT_EQ(Y(t), "[1,8,8]");
}

TEST(ConvShapeTest, SymbolicSpatialDims) {
  // Stride 1 with "same" padding keeps a symbolic size; stride 2 cannot.
  TestGraph same;
  same.Input("x", S({"n", 3, "h", "w"})).Weight("k", {8, 3, 3, 3});
  same.Add(Op("Conv", {"x", "k"}, {"y"}).Ints("pads", {1, 1, 1, 1}));
  EXPECT_EQ(Y(same), "[n,8,h,w]");
  TestGraph strided;
  strided.Input("x", S({"n", 3, "h", "w"})).Weight("k", {8, 3, 3, 3});
  strided.Add(Op("Conv", {"x", "k"}, {"y"}).Str("auto_pad", "SAME_LOWER").Ints("strides", {2, 2}));
  EXPECT_EQ(Y(strided), "[n,8,?,?]");
}

TEST(ConvShapeTest, UnknownInputRankUsesWeights) {
  TestGraph t;
  t.Input("x", Shape::Unknown()).Weight("w", {8, 3, 3, 3});
  t.Add(Op("Conv", {"x", "w"}, {"y"}));
  EXPECT_EQ(Y(t), "[?,8,?,?]");
}

TEST(ConvShapeTest, Errors) {
  struct Case {
    Shape x;
    std::vector<int64_t> w;
    int64_t group;
    std::vector<int64_t> strides;
    const char* error;
  };
  const Case cases[] = {
      {S({1, 3, 8, 8}), {4, 1, 3, 3}, 2, {1, 1}, "3 channels, not divisible by group 2"},
      {S({1, 4, 8, 8}), {3, 2, 3, 3}, 2, {1, 1}, "3 output channels, not divisible by group 2"},
      {S({1, 3, 8, 8}), {4, 4, 3, 3}, 1, {1, 1}, "4 input channels per group, expected C / group"},
      {S({1, 3, 8, 8}), {4, 3, 3, 3}, 0, {1, 1}, "group must be positive"},
      {S({1, 3, 8, 8}), {4, 3, 3, 3}, 1, {0, 1}, "strides must be >= 1, got 0"},
      {S({1, 3, 8, 8}), {4, 3, 3, 3}, 1, {1}, "strides has 1 values, expected 2"},
      {S({1, 3, 2, 8}), {4, 3, 3, 3}, 1, {1, 1}, "larger than the padded input"},
      {S({3, 8}), {4, 3, 3}, 1, {1}, "expected at least 3 dimensions"},
      {S({1, 3, 8}), {4, 3, 3, 3}, 1, {1, 1}, "must have the same rank"},
  };
  for (const Case& c : cases) {
    TestGraph t;
    t.Input("x", c.x).Weight("w", c.w);
    t.Add(Op("Conv", {"x", "w"}, {"y"})
              .Name("conv1")
              .Int("group", c.group)
              .Ints("strides", c.strides));
    absl::Status s = t.Infer();
    EXPECT_THAT(s.message(), HasSubstr(c.error)) << c.x.ToString();
    EXPECT_THAT(s.message(), HasSubstr("Conv node 'conv1': "));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ConvShapeTest, BiasAndKernelShapeMismatch) {
  TestGraph bias;
  bias.Input("x", S({1, 3, 8, 8})).Weight("w", {4, 3, 3, 3}).Weight("b", {5});
  bias.Add(Op("Conv", {"x", "w", "b"}, {"y"}));
  EXPECT_THAT(Y(bias), HasSubstr("B has shape [5], expected [M]"));
  TestGraph kernel;
  kernel.Input("x", S({1, 3, 8, 8})).Weight("w", {4, 3, 3, 3});
  kernel.Add(Op("Conv", {"x", "w"}, {"y"}).Ints("kernel_shape", {5, 5}));
  EXPECT_THAT(Y(kernel), HasSubstr("kernel_shape [5,5] does not match W"));
  TestGraph auto_pad;
  auto_pad.Input("x", S({1, 3, 8, 8})).Weight("w", {4, 3, 3, 3});
  auto_pad.Add(Op("Conv", {"x", "w"}, {"y"}).Str("auto_pad", "SAME"));
  EXPECT_THAT(Y(auto_pad), HasSubstr("auto_pad 'SAME' is not one of"));
}

// --- pooling -----------------------------------------------------------------

TEST(PoolShapeTest, MaxPoolCeilModeAndIndices) {
  TestGraph floor_mode;
  floor_mode.Input("x", S({"n", 1, 5, 5}));
  floor_mode.Add(Op("MaxPool", {"x"}, {"y"}).Ints("kernel_shape", {2, 2}).Ints("strides", {2, 2}));
  EXPECT_EQ(Y(floor_mode), "[n,1,2,2]");

  TestGraph ceil_mode;
  ceil_mode.Input("x", S({"n", 1, 5, 5}));
  ceil_mode.Add(Op("MaxPool", {"x"}, {"y", "idx"})
                    .Ints("kernel_shape", {2, 2})
                    .Ints("strides", {2, 2})
                    .Int("ceil_mode", 1));
  EXPECT_EQ(Y(ceil_mode), "[n,1,3,3]");
  EXPECT_EQ(ceil_mode.ShapeOf("idx"), "[n,1,3,3]");
  EXPECT_EQ(ceil_mode.V("idx").dtype, INFER_DTYPE_INT64);
}

TEST(PoolShapeTest, MaxPoolDilationsAndPads) {
  TestGraph t;
  t.Input("x", S({1, 8, 16, 16}));
  t.Add(Op("MaxPool", {"x"}, {"y"})
            .Ints("kernel_shape", {3, 3})
            .Ints("dilations", {2, 2})
            .Ints("pads", {2, 2, 2, 2}));
  EXPECT_EQ(Y(t), "[1,8,16,16]");
}

TEST(PoolShapeTest, CeilModeIsNotPartOfOpset9) {
  TestGraph t(9);
  t.Input("x", S({1, 1, 5, 5}));
  t.Add(Op("MaxPool", {"x"}, {"y"}).Ints("kernel_shape", {2, 2}).Int("ceil_mode", 1));
  EXPECT_THAT(Y(t), HasSubstr("attribute 'ceil_mode' is not defined for MaxPool-8"));
}

TEST(PoolShapeTest, AveragePool) {
  TestGraph t(11);
  t.Input("x", S({"n", 3, 32, 32}));
  t.Add(Op("AveragePool", {"x"}, {"y"})
            .Ints("kernel_shape", {3, 3})
            .Ints("pads", {1, 1, 1, 1})
            .Int("count_include_pad", 1)
            .Int("ceil_mode", 1)
            .Ints("strides", {2, 2}));
  EXPECT_EQ(Y(t), "[n,3,17,17]");  // floor mode would give 16
}

TEST(PoolShapeTest, KernelRankMustMatchInput) {
  TestGraph t;
  t.Input("x", S({1, 3, 8, 8}));
  t.Add(Op("MaxPool", {"x"}, {"y"}).Ints("kernel_shape", {2}));
  EXPECT_THAT(Y(t), HasSubstr("expected 3 dimensions for kernel_shape of 1"));
}

TEST(PoolShapeTest, GlobalAveragePool) {
  TestGraph t;
  t.Input("x", S({"batch", 512, 7, 7}));
  t.Add(Op("GlobalAveragePool", {"x"}, {"y"}));
  EXPECT_EQ(Y(t), "[batch,512,1,1]");
}

// --- Gemm and MatMul ---------------------------------------------------------

TEST(GemmShapeTest, Transposes) {
  TestGraph plain;
  plain.Input("a", S({"batch", 512})).Weight("b", {512, 10}).Weight("c", {10});
  plain.Add(Op("Gemm", {"a", "b", "c"}, {"y"}));
  EXPECT_EQ(Y(plain), "[batch,10]");

  TestGraph trans_b;
  trans_b.Input("a", S({4, 3})).Weight("b", {5, 3}).Weight("c", {4, 1});
  trans_b.Add(Op("Gemm", {"a", "b", "c"}, {"y"}).Int("transB", 1));
  EXPECT_EQ(Y(trans_b), "[4,5]");

  TestGraph trans_a;
  trans_a.Input("a", S({3, 4})).Weight("b", {3, 5});
  trans_a.Add(Op("Gemm", {"a", "b"}, {"y"}).Int("transA", 1));
  EXPECT_EQ(Y(trans_a), "[4,5]");
}

TEST(GemmShapeTest, Errors) {
  TestGraph inner;
  inner.Input("a", S({4, 3})).Weight("b", {4, 5});
  inner.Add(Op("Gemm", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(inner), HasSubstr("inner dimensions differ"));

  TestGraph bias;
  bias.Input("a", S({4, 3})).Weight("b", {3, 5}).Weight("c", {3});
  bias.Add(Op("Gemm", {"a", "b", "c"}, {"y"}));
  EXPECT_THAT(Y(bias), HasSubstr("C: shape [3] cannot be broadcast to [4,5]"));

  TestGraph rank;
  rank.Input("a", S({2, 4, 3})).Weight("b", {3, 5});
  rank.Add(Op("Gemm", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(rank), HasSubstr("expected a matrix"));

  // C only became optional in opset 11.
  TestGraph old(9);
  old.Input("a", S({4, 3})).Weight("b", {3, 5});
  old.Add(Op("Gemm", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(old), HasSubstr("input 2 ('C') is required"));
}

TEST(MatMulShapeTest, BatchedAndPromoted) {
  const struct {
    Shape a, b;
    const char* y;
  } cases[] = {
      {S({2, 3, 4}), S({4, 5}), "[2,3,5]"},
      {S({2, 1, 3, 4}), S({5, 4, 6}), "[2,5,3,6]"},
      {S({"b", "s", 64}), S({64, 128}), "[b,s,128]"},
      {S({4}), S({2, 4, 5}), "[2,5]"},
      {S({3, 4}), S({4}), "[3]"},
      {S({4}), S({4}), "[]"},
      {S({"m", "k"}), S({"k", "n"}), "[m,n]"},
  };
  for (const auto& c : cases) {
    TestGraph t;
    t.Input("a", c.a).Input("b", c.b);
    t.Add(Op("MatMul", {"a", "b"}, {"y"}));
    EXPECT_EQ(Y(t), c.y) << c.a.ToString() << " x " << c.b.ToString();
  }
}

TEST(MatMulShapeTest, Errors) {
  TestGraph inner;
  inner.Input("a", S({2, 3})).Input("b", S({4, 5}));
  inner.Add(Op("MatMul", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(inner), HasSubstr("inner dimensions differ"));
  TestGraph batch;
  batch.Input("a", S({2, 3, 4})).Input("b", S({3, 4, 5}));
  batch.Add(Op("MatMul", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(batch), HasSubstr("batch dimensions"));
  TestGraph scalar;
  scalar.Input("a", S({})).Input("b", S({4, 5}));
  scalar.Add(Op("MatMul", {"a", "b"}, {"y"}));
  EXPECT_THAT(Y(scalar), HasSubstr("at least 1-D"));
}

// --- Reshape, Flatten, Concat, Transpose ---------------------------------------

std::string Reshape(Shape data, std::vector<int64_t> shape, int64_t opset = 13,
                    int64_t allowzero = -1) {
  TestGraph t(opset);
  t.Input("x", std::move(data)).Int64s("shape", std::move(shape));
  Op op("Reshape", {"x", "shape"}, {"y"});
  t.Add(allowzero < 0 ? std::move(op) : std::move(op).Int("allowzero", allowzero));
  return Y(t);
}

TEST(ReshapeShapeTest, ZeroCopiesAndMinusOneInfers) {
  EXPECT_EQ(Reshape(S({2, 3, 4}), {0, -1}), "[2,12]");
  EXPECT_EQ(Reshape(S({2, 3, 4}), {4, -1, 2}), "[4,3,2]");
  EXPECT_EQ(Reshape(S({2, 3, 4}), {-1}), "[24]");
  EXPECT_EQ(Reshape(S({1}), {}), "[]");
  EXPECT_EQ(Reshape(S({0, 3}), {-1, 3}), "[0,3]");
}

TEST(ReshapeShapeTest, SymbolicDims) {
  EXPECT_EQ(Reshape(S({"batch", 512, 1, 1}), {0, -1}), "[batch,512]");
  EXPECT_EQ(Reshape(S({"batch", 8, 64}), {0, 0, 4, 16}), "[batch,8,4,16]");
  EXPECT_EQ(Reshape(S({"batch", 8, 64}), {-1, 64}), "[?,64]");
  EXPECT_EQ(Reshape(S({"batch", 512}), {-1, 512}), "[batch,512]");
  EXPECT_EQ(Reshape(S({"?", 512}), {0, -1}), "[?,?]");
}

TEST(ReshapeShapeTest, AllowZero) {
  // With allowzero (opset 14) a 0 is a literal size, not a copy.
  EXPECT_EQ(Reshape(S({0, 3}), {3, 0}, 14, 1), "[3,0]");
  EXPECT_EQ(Reshape(S({2, 3}), {0, -1}, 14, 0), "[2,3]");
  EXPECT_THAT(Reshape(S({2, 3}), {0, 6}, 14, 1), HasSubstr("cannot reshape [2,3] into [0,6]"));
  EXPECT_THAT(Reshape(S({0, 3}), {0, -1}, 14, 1), HasSubstr("both 0 and -1"));
  EXPECT_THAT(Reshape(S({2, 3}), {3, 2}, 13, 1),
              HasSubstr("'allowzero' is not defined for Reshape-13"));
}

TEST(ReshapeShapeTest, Errors) {
  EXPECT_THAT(Reshape(S({2, 3}), {4, 2}), HasSubstr("cannot reshape [2,3] into [4,2]"));
  EXPECT_THAT(Reshape(S({2, 3}), {-1, 4}), HasSubstr("cannot reshape"));
  EXPECT_THAT(Reshape(S({2, 3}), {-1, -1}), HasSubstr("more than one -1"));
  EXPECT_THAT(Reshape(S({2, 3}), {2, -3}), HasSubstr("invalid entry -3"));
  EXPECT_THAT(Reshape(S({6}), {6, 0}), HasSubstr("has no such dimension"));
  EXPECT_THAT(Reshape(S({6}), {}), HasSubstr("cannot reshape [6] into []"));
}

TEST(ReshapeShapeTest, NonConstantShapeGivesRankOnly) {
  TestGraph t;
  t.Input("x", S({2, 3, 4})).Input("shape", S({3}), INFER_DTYPE_INT64);
  t.Add(Op("Reshape", {"x", "shape"}, {"y"}));
  EXPECT_EQ(Y(t), "[?,?,?]");
  TestGraph huge;
  huge.Input("x", S({2, 3})).Input("shape", S({int64_t{1} << 40}), INFER_DTYPE_INT64);
  huge.Add(Op("Reshape", {"x", "shape"}, {"y"}));
  EXPECT_EQ(Y(huge), "[?]");
}

std::string Flatten(Shape x, int64_t axis) {
  TestGraph t;
  t.Input("x", std::move(x));
  t.Add(Op("Flatten", {"x"}, {"y"}).Int("axis", axis));
  return Y(t);
}

TEST(FlattenShapeTest, Axes) {
  EXPECT_EQ(Flatten(S({2, 3, 4, 5}), 1), "[2,60]");
  EXPECT_EQ(Flatten(S({2, 3, 4, 5}), 0), "[1,120]");
  EXPECT_EQ(Flatten(S({2, 3, 4, 5}), 4), "[120,1]");
  EXPECT_EQ(Flatten(S({2, 3, 4, 5}), -1), "[24,5]");
  EXPECT_EQ(Flatten(S({"batch", 512, 1, 1}), 1), "[batch,512]");
  EXPECT_EQ(Flatten(Shape::Unknown(), 1), "[?,?]");
  EXPECT_THAT(Flatten(S({2, 3}), 3), HasSubstr("axis 3 is out of range [-2, 2]"));
}

TEST(ConcatShapeTest, SumsTheAxis) {
  TestGraph t;
  t.Input("a", S({"b", 3, 8})).Input("c", S({"b", 5, 8})).Input("d", S({1, "?", 8}));
  t.Add(Op("Concat", {"a", "c"}, {"y"}).Int("axis", -2));
  t.Add(Op("Concat", {"a", "d"}, {"z"}).Int("axis", 0));
  EXPECT_EQ(Y(t), "[b,8,8]");
  EXPECT_EQ(t.ShapeOf("z"), "[?,3,8]");
}

TEST(ConcatShapeTest, Mismatches) {
  TestGraph rank;
  rank.Input("a", S({2, 3})).Input("b", S({2, 3, 1}));
  rank.Add(Op("Concat", {"a", "b"}, {"y"}).Int("axis", 1));
  EXPECT_THAT(Y(rank), HasSubstr("input 1 has shape [2,3,1], expected rank 2"));
  TestGraph dims;
  dims.Input("a", S({2, 3})).Input("b", S({4, 3}));
  dims.Add(Op("Concat", {"a", "b"}, {"y"}).Int("axis", 1));
  EXPECT_THAT(Y(dims), HasSubstr("differs from [2,3] outside axis 1"));
  TestGraph axis;
  axis.Input("a", S({2, 3})).Input("b", S({2, 3}));
  axis.Add(Op("Concat", {"a", "b"}, {"y"}).Int("axis", 2));
  EXPECT_THAT(Y(axis), HasSubstr("out of range"));
}

TEST(TransposeShapeTest, PermAndDefault) {
  TestGraph t;
  t.Input("x", S({"n", 3, 4}));
  t.Add(Op("Transpose", {"x"}, {"y"}));
  t.Add(Op("Transpose", {"x"}, {"z"}).Ints("perm", {0, 2, 1}));
  EXPECT_EQ(Y(t), "[4,3,n]");
  EXPECT_EQ(t.ShapeOf("z"), "[n,4,3]");
  for (std::vector<int64_t> perm : {std::vector<int64_t>{0, 1}, {0, 1, 1}, {0, 1, 3}}) {
    TestGraph bad;
    bad.Input("x", S({2, 3, 4}));
    bad.Add(Op("Transpose", {"x"}, {"y"}).Ints("perm", perm));
    EXPECT_THAT(Y(bad), HasSubstr("is not a permutation"));
  }
}

// --- elementwise and same-shape ops --------------------------------------------

TEST(ElementwiseShapeTest, Broadcasting) {
  TestGraph t;
  t.Input("a", S({"batch", 3, 1})).Input("b", S({1, 4}));
  t.Add(Op("Add", {"a", "b"}, {"y"}));
  EXPECT_EQ(Y(t), "[batch,3,4]");
  TestGraph bad;
  bad.Input("a", S({2, 3})).Input("b", S({4}));
  bad.Add(Op("Mul", {"a", "b"}, {"y"}).Name("mul"));
  EXPECT_THAT(Y(bad), HasSubstr("Mul node 'mul': shapes [2,3] and [4] cannot be broadcast"));
}

TEST(ElementwiseShapeTest, SameShapeOps) {
  for (const char* op : {"Relu", "Sigmoid", "Tanh", "Identity", "Softmax", "Clip"}) {
    TestGraph t;
    t.Input("x", S({"n", 10}));
    t.Add(Op(op, {"x"}, {"y"}));
    EXPECT_EQ(Y(t), "[n,10]") << op;
    EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32) << op;
  }
}

TEST(ElementwiseShapeTest, ClipBoundsMustBeScalars) {
  TestGraph t;
  t.Input("x", S({2, 3})).Weight("lo", {}).Weight("hi", {3});
  t.Add(Op("Clip", {"x", "lo", "hi"}, {"y"}));
  EXPECT_THAT(Y(t), HasSubstr("max must be a scalar, got shape [3]"));
  TestGraph old(6);
  old.Input("x", S({2, 3}));
  old.Add(Op("Clip", {"x"}, {"y"}).Float("min", 0.0f).Float("max", 6.0f));
  EXPECT_EQ(Y(old), "[2,3]");
}

TEST(SoftmaxShapeTest, DefaultAxisFollowsOpset) {
  // Before 13 the default axis is 1, which a 1-D input does not have.
  TestGraph old(11);
  old.Input("x", S({10}));
  old.Add(Op("Softmax", {"x"}, {"y"}));
  EXPECT_THAT(Y(old), HasSubstr("axis 1 is out of range"));
  TestGraph now(13);
  now.Input("x", S({10}));
  now.Add(Op("Softmax", {"x"}, {"y"}));
  EXPECT_EQ(Y(now), "[10]");
}

TEST(DropoutShapeTest, MaskTypeFollowsOpset) {
  TestGraph t(13);
  t.Input("x", S({"n", 4}));
  t.Add(Op("Dropout", {"x"}, {"y", "mask"}));
  EXPECT_EQ(Y(t), "[n,4]");
  EXPECT_EQ(t.ShapeOf("mask"), "[n,4]");
  EXPECT_EQ(t.V("mask").dtype, INFER_DTYPE_BOOL);
  TestGraph old(7);
  old.Input("x", S({"n", 4}));
  old.Add(Op("Dropout", {"x"}, {"y", "mask"}).Float("ratio", 0.5f));
  EXPECT_EQ(Y(old), "[n,4]");
  EXPECT_EQ(old.V("mask").dtype, INFER_DTYPE_FLOAT32);
}

TEST(BatchNormalizationShapeTest, PerChannelStatistics) {
  TestGraph t(15);
  t.Input("x", S({"n", 16, 8, 8}));
  for (const char* w : {"scale", "bias", "mean", "var"}) t.Weight(w, {16});
  t.Add(Op("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,16,8,8]");

  TestGraph bad(9);
  bad.Input("x", S({"n", 16, 8, 8}));
  for (const char* w : {"scale", "bias", "mean"}) bad.Weight(w, {16});
  bad.Weight("var", {8});
  bad.Add(Op("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"}));
  EXPECT_THAT(Y(bad), HasSubstr("var has shape [8], which does not match the channels"));
}

// --- Constant --------------------------------------------------------------------

TEST(ConstantShapeTest, ValueAttributes) {
  TestGraph t;
  auto tensor = Tensor::Allocate(INFER_DTYPE_FLOAT16, {2, 3});
  ASSERT_TRUE(tensor.ok());
  t.Add(Op("Constant", {}, {"y"}).TensorAttr("value", *tensor));
  t.Add(Op("Constant", {}, {"ints"}).Ints("value_ints", {1, 2, 3}));
  t.Add(Op("Constant", {}, {"f"}).Float("value_float", 1.0f));
  EXPECT_EQ(Y(t), "[2,3]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT16);
  EXPECT_EQ(t.ShapeOf("ints"), "[3]");
  EXPECT_EQ(t.V("ints").dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(t.ShapeOf("f"), "[]");
  EXPECT_EQ(t.V("f").dtype, INFER_DTYPE_FLOAT32);
}

TEST(ConstantShapeTest, Errors) {
  TestGraph two;
  two.Add(Op("Constant", {}, {"y"}).Int("value_int", 1).Float("value_float", 1.0f));
  EXPECT_THAT(Y(two), HasSubstr("needs exactly one value attribute, has 2"));
  // Constant-1 (in force at opset 7) only produces float types.
  TestGraph old(7);
  auto tensor = Tensor::Allocate(INFER_DTYPE_INT64, {2});
  ASSERT_TRUE(tensor.ok());
  old.Add(Op("Constant", {}, {"y"}).TensorAttr("value", *tensor));
  EXPECT_THAT(Y(old), HasSubstr("output 0 ('output') would have type int64"));
}

}  // namespace
}  // namespace infer::core
