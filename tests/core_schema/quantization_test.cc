// Shape and type inference of the quantization operators: QuantizeLinear,
// DequantizeLinear, QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger.
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

// --- QuantizeLinear -------------------------------------------------------------

TEST(QuantizeLinearTest, OutputTypeFromZeroPointElseUint8) {
  TestGraph t(10);
  t.Input("x", S({"n", 3, 4})).Weight("s", {}).Weight("zp", {}, INFER_DTYPE_INT8);
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}));
  t.Add(Op("QuantizeLinear", {"x", "s"}, {"u"}));
  EXPECT_EQ(Y(t), "[n,3,4]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT8);
  EXPECT_EQ(t.V("u").dtype, INFER_DTYPE_UINT8);
  EXPECT_EQ(t.ShapeOf("u"), "[n,3,4]");
}

TEST(QuantizeLinearTest, OutputDtypeAttributeFrom21) {
  TestGraph t(21);
  t.Input("x", S({3, 4})).Weight("s", {3, 2});
  t.Add(Op("QuantizeLinear", {"x", "s"}, {"y"})
            .Int("axis", 1)
            .Int("block_size", 2)
            .Int("output_dtype", INFER_DTYPE_INT16));
  EXPECT_EQ(Y(t), "[3,4]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT16);

  // int4 (22) has no engine dtype: the output type stays unknown, not uint8.
  TestGraph int4(21);
  int4.Input("x", S({4})).Weight("s", {});
  int4.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("output_dtype", 22));
  EXPECT_EQ(Y(int4), "[4]");
  EXPECT_EQ(int4.V("y").dtype, INFER_DTYPE_UNDEFINED);

  TestGraph old(19);
  old.Input("x", S({4})).Weight("s", {});
  old.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("output_dtype", INFER_DTYPE_INT8));
  EXPECT_THAT(Y(old), HasSubstr("attribute 'output_dtype' is not defined for QuantizeLinear-19"));
}

TEST(QuantizeLinearTest, OutputDtypeErrors) {
  TestGraph t(21);
  t.Input("x", S({4})).Weight("s", {}).Weight("zp", {}, INFER_DTYPE_UINT8);
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"})
            .Int("output_dtype", INFER_DTYPE_INT8)
            .Name("q"));
  EXPECT_THAT(Y(t), HasSubstr("QuantizeLinear node 'q': output_dtype int8 differs from "
                              "y_zero_point's type uint8"));
  TestGraph f(21);
  f.Input("x", S({4})).Weight("s", {});
  f.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("output_dtype", INFER_DTYPE_FLOAT32));
  EXPECT_THAT(Y(f), HasSubstr("output_dtype 1 is not one of the allowed output types"));
}

TEST(QuantizeLinearTest, TypesFollowTheOpset) {
  // 19 adds float16 inputs (with a float16 scale) and float8 outputs.
  TestGraph t(19);
  t.Input("x", S({2, 5}), INFER_DTYPE_FLOAT16).Input("s", S({}), INFER_DTYPE_FLOAT16);
  t.Input("zp", S({1}), INFER_DTYPE_FLOAT8E4M3FN);
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}));
  EXPECT_EQ(Y(t), "[2,5]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT8E4M3FN);

  TestGraph old(13);
  old.Input("x", S({2}), INFER_DTYPE_FLOAT16).Weight("s", {});
  old.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(old), HasSubstr("input 0 ('x') has type float16, but T1 allows float32, int32"));

  // 19 to 21: the scale shares x's type; 23 gives it a constraint of its own.
  TestGraph mixed(21);
  mixed.Input("x", S({2}), INFER_DTYPE_BFLOAT16).Weight("s", {});
  mixed.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(mixed), HasSubstr("input 1 ('y_scale') has type float32, but input 0 bound T1"));
  TestGraph v23(23);
  v23.Input("x", S({2}), INFER_DTYPE_BFLOAT16).Weight("s", {}).Weight("zp", {}, INFER_DTYPE_INT16);
  v23.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}).Int("precision", INFER_DTYPE_FLOAT32));
  EXPECT_EQ(Y(v23), "[2]");
  EXPECT_EQ(v23.V("y").dtype, INFER_DTYPE_INT16);

  // 16-bit outputs need 21.
  TestGraph i16(19);
  i16.Input("x", S({2})).Weight("s", {}).Weight("zp", {}, INFER_DTYPE_INT16);
  i16.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}));
  EXPECT_THAT(Y(i16), HasSubstr("input 2 ('y_zero_point') has type int16, but T2 allows"));
}

TEST(QuantizeLinearTest, PerAxisScales) {
  TestGraph t(13);
  t.Input("x", S({"n", 3, 8, 8})).Weight("s", {3}).Weight("zp", {3}, INFER_DTYPE_UINT8);
  t.Weight("s1", {1}).Weight("last", {8});
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}));  // axis defaults to 1
  t.Add(Op("QuantizeLinear", {"x", "s1"}, {"one"}));     // a [1] scale is per tensor
  t.Add(Op("QuantizeLinear", {"x", "last"}, {"neg"}).Int("axis", -1));
  EXPECT_EQ(Y(t), "[n,3,8,8]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_UINT8);
  EXPECT_EQ(t.ShapeOf("neg"), "[n,3,8,8]");

  // The scale's length must be x.shape[axis], when both are known.
  TestGraph bad(13);
  bad.Input("x", S({"n", 3, 8})).Weight("s", {4});
  bad.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Name("q"));
  EXPECT_THAT(Y(bad), HasSubstr("QuantizeLinear node 'q': y_scale has shape [4], expected [3] for "
                                "x [n,3,8] along axis 1"));
  TestGraph sym(13);
  sym.Input("x", S({2, "c"})).Weight("s", {4});
  sym.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_EQ(Y(sym), "[2,c]");

  TestGraph axis(13);
  axis.Input("x", S({2, 3})).Weight("s", {3});
  axis.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("axis", 2));
  EXPECT_THAT(Y(axis), HasSubstr("axis 2 is out of range [-2, 1] for rank 2 of x [2,3]"));

  // Per-axis scales need opset 13.
  TestGraph old(10);
  old.Input("x", S({2, 3})).Weight("s", {3});
  old.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(old), HasSubstr("y_scale has shape [3], expected a scalar (per-axis needs "
                                "opset 13)"));
}

TEST(QuantizeLinearTest, ZeroPointMustMatchTheScale) {
  TestGraph t(13);
  t.Input("x", S({2, "c"})).Weight("s", {3}).Weight("zp", {4}, INFER_DTYPE_UINT8);
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}));
  EXPECT_THAT(Y(t), HasSubstr("y_zero_point has shape [4], but y_scale has shape [3]"));
  // A scalar scale beside a [1] zero point is per tensor too (ONNX's own tests do this).
  TestGraph ok(21);
  ok.Input("x", S({5})).Weight("s", {}).Weight("zp", {1}, INFER_DTYPE_INT8);
  ok.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}).Int("axis", 0));
  EXPECT_EQ(Y(ok), "[5]");
}

TEST(QuantizeLinearTest, BlockedScales) {
  TestGraph t(21);
  t.Input("x", S({"n", 5, 6})).Weight("s", {1, 3, 6}).Weight("zp", {1, 3, 6}, INFER_DTYPE_INT8);
  t.Add(Op("QuantizeLinear", {"x", "s", "zp"}, {"y"}).Int("axis", 1).Int("block_size", 2));
  EXPECT_EQ(Y(t), "[n,5,6]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT8);

  TestGraph bad(21);
  bad.Input("x", S({3, 4})).Weight("s", {3, 3});
  bad.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("axis", 1).Int("block_size", 2).Name("q"));
  EXPECT_THAT(Y(bad), HasSubstr("y_scale has shape [3,3], expected [3,2] for x [3,4] along axis 1 "
                                "with block_size 2"));
  TestGraph rank(21);
  rank.Input("x", S({3, 4})).Weight("s", {2});
  rank.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("axis", 1).Int("block_size", 2));
  EXPECT_THAT(Y(rank), HasSubstr("y_scale has shape [2], expected [3,2]"));
  TestGraph neg(21);
  neg.Input("x", S({3, 4})).Weight("s", {});
  neg.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}).Int("block_size", -1));
  EXPECT_THAT(Y(neg), HasSubstr("block_size must be positive, got -1"));
  // A 2-D scale without block_size.
  TestGraph two(21);
  two.Input("x", S({3, 4})).Weight("s", {3, 2});
  two.Add(Op("QuantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(two), HasSubstr("y_scale has shape [3,2], expected a scalar, a 1-D tensor (per "
                                "axis) or block_size set"));
}

// --- DequantizeLinear -----------------------------------------------------------

TEST(DequantizeLinearTest, Float32BeforeOpset19ThenTheScalesType) {
  TestGraph t(13);
  t.Input("x", S({"n", 4}), INFER_DTYPE_INT8).Weight("s", {4}).Weight("zp", {4}, INFER_DTYPE_INT8);
  t.Add(Op("DequantizeLinear", {"x", "s", "zp"}, {"y"}));
  EXPECT_EQ(Y(t), "[n,4]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);

  TestGraph v19(19);
  v19.Input("x", S({5}), INFER_DTYPE_FLOAT8E5M2).Input("s", S({}), INFER_DTYPE_FLOAT16);
  v19.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_EQ(Y(v19), "[5]");
  EXPECT_EQ(v19.V("y").dtype, INFER_DTYPE_FLOAT16);

  TestGraph v21(21);
  v21.Input("x", S({5}), INFER_DTYPE_UINT16).Input("s", S({}), INFER_DTYPE_BFLOAT16);
  v21.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_EQ(Y(v21), "[5]");
  EXPECT_EQ(v21.V("y").dtype, INFER_DTYPE_BFLOAT16);
}

TEST(DequantizeLinearTest, OutputDtypeFrom23) {
  TestGraph t(23);
  t.Input("x", S({2, 3}), INFER_DTYPE_INT8).Weight("s", {});
  t.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}).Int("output_dtype", INFER_DTYPE_FLOAT16));
  t.Add(Op("DequantizeLinear", {"x", "s"}, {"d"}));
  EXPECT_EQ(Y(t), "[2,3]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT16);
  EXPECT_EQ(t.V("d").dtype, INFER_DTYPE_FLOAT32);
  TestGraph bad(23);
  bad.Input("x", S({2}), INFER_DTYPE_INT8).Weight("s", {});
  bad.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}).Int("output_dtype", INFER_DTYPE_INT32));
  EXPECT_THAT(Y(bad), HasSubstr("output_dtype 6 is not one of the allowed output types"));
}

TEST(DequantizeLinearTest, ZeroPointTypeMustMatchX) {
  TestGraph t(13);
  t.Input("x", S({4}), INFER_DTYPE_UINT8).Weight("s", {}).Weight("zp", {}, INFER_DTYPE_INT8);
  t.Add(Op("DequantizeLinear", {"x", "s", "zp"}, {"y"}).Name("dq"));
  EXPECT_THAT(Y(t), HasSubstr("DequantizeLinear node 'dq': input 2 ('x_zero_point') has type "
                              "int8, but input 0 bound T to uint8"));
  TestGraph f(13);
  f.Input("x", S({4})).Weight("s", {});
  f.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(f), HasSubstr("input 0 ('x') has type float32, but T allows uint8, int8, int32"));
  TestGraph scale(19);
  scale.Input("x", S({4}), INFER_DTYPE_INT8).Weight("s", {}, INFER_DTYPE_FLOAT64);
  scale.Add(Op("DequantizeLinear", {"x", "s"}, {"y"}));
  EXPECT_THAT(Y(scale), HasSubstr("input 1 ('x_scale') has type float64, but T2 allows"));
}

TEST(DequantizeLinearTest, PerAxisAndBlocked) {
  TestGraph t(21);
  t.Input("x", S({1, 4, 3, 2}), INFER_DTYPE_UINT8);
  t.Weight("s", {1, 2, 3, 2}).Weight("zp", {1, 2, 3, 2}, INFER_DTYPE_UINT8).Weight("c", {3});
  t.Add(Op("DequantizeLinear", {"x", "s", "zp"}, {"y"}).Int("axis", 1).Int("block_size", 2));
  t.Add(Op("DequantizeLinear", {"x", "c"}, {"z"}).Int("axis", 2));
  EXPECT_EQ(Y(t), "[1,4,3,2]");
  EXPECT_EQ(t.ShapeOf("z"), "[1,4,3,2]");
  TestGraph bad(13);
  bad.Input("x", S({1, 4, 3, 2}), INFER_DTYPE_UINT8).Weight("c", {3});
  bad.Add(Op("DequantizeLinear", {"x", "c"}, {"y"}).Name("dq"));
  EXPECT_THAT(Y(bad), HasSubstr("DequantizeLinear node 'dq': x_scale has shape [3], expected [4] "
                                "for x [1,4,3,2] along axis 1"));
}

// --- QLinearConv, ConvInteger -----------------------------------------------------

// The inputs of a QLinearConv of uint8 x [n,3,16,16] with int8 w [8,3,3,3]
// and weight scales of shape `w_scale`.
void QConvInputs(TestGraph& t, std::vector<int64_t> w_scale, infer_dtype y_zp = INFER_DTYPE_INT8) {
  t.Input("x", S({"n", 3, 16, 16}), INFER_DTYPE_UINT8)
      .Weight("xs", {})
      .Weight("xz", {}, INFER_DTYPE_UINT8);
  t.Weight("w", {8, 3, 3, 3}, INFER_DTYPE_INT8).Weight("ws", w_scale);
  t.Weight("wz", w_scale, INFER_DTYPE_INT8).Weight("ys", {1}).Weight("yz", {}, y_zp);
  t.Weight("b", {8}, INFER_DTYPE_INT32);
}

TEST(QLinearConvTest, TypeFromYZeroPointShapeAsConv) {
  TestGraph t(10);
  QConvInputs(t, {8});
  t.Add(Op("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"}, {"y"})
            .Ints("pads", {1, 1, 1, 1})
            .Ints("strides", {2, 2}));
  EXPECT_EQ(Y(t), "[n,8,8,8]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT8);
  TestGraph u(10);
  QConvInputs(u, {}, INFER_DTYPE_UINT8);
  u.Add(Op("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_EQ(Y(u), "[n,8,14,14]");
  EXPECT_EQ(u.V("y").dtype, INFER_DTYPE_UINT8);
}

TEST(QLinearConvTest, Errors) {
  // Conv's own checks, on w at input 3 and B at input 8.
  TestGraph t(10);
  QConvInputs(t, {8});
  t.Weight("b4", {4}, INFER_DTYPE_INT32);
  t.Add(Op("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b4"}, {"y"}).Name("qc"));
  EXPECT_THAT(Y(t), HasSubstr("QLinearConv node 'qc': B has shape [4], expected [M] for W "
                              "[8,3,3,3]"));
  TestGraph group(10);
  QConvInputs(group, {8});
  group.Add(
      Op("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz"}, {"y"}).Int("group", 3));
  EXPECT_THAT(Y(group), HasSubstr("W has 8 output channels, not divisible by group 3"));
  // Weight scales per output channel: [M] or a scalar.
  TestGraph ws(10);
  QConvInputs(ws, {4});
  ws.Add(Op("QLinearConv", {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_THAT(Y(ws), HasSubstr("w_scale has shape [4], expected a scalar or [M] for w [8,3,3,3]"));
  TestGraph xs(10);
  QConvInputs(xs, {});
  xs.Weight("xs3", {3});
  xs.Add(Op("QLinearConv", {"x", "xs3", "xz", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_THAT(Y(xs), HasSubstr("x_scale has shape [3], expected a scalar"));
  // x and its zero point must have the same type.
  TestGraph zp(10);
  QConvInputs(zp, {});
  zp.Weight("xz8", {}, INFER_DTYPE_INT8);
  zp.Add(Op("QLinearConv", {"x", "xz8", "xz8", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_THAT(Y(zp), HasSubstr("input 1 ('x_scale') has type int8, but tensor(float) allows "
                               "float32"));
  TestGraph zt(10);
  QConvInputs(zt, {});
  zt.Weight("xz8", {}, INFER_DTYPE_INT8);
  zt.Add(Op("QLinearConv", {"x", "xs", "xz8", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_THAT(Y(zt), HasSubstr("input 2 ('x_zero_point') has type int8, but input 0 bound T1 to "
                               "uint8"));
}

TEST(ConvIntegerTest, Int32OutputShapeAsConv) {
  TestGraph t(10);
  t.Input("x", S({1, 1, 3, 3}), INFER_DTYPE_UINT8).Weight("w", {2, 1, 2, 2}, INFER_DTYPE_UINT8);
  t.Weight("xz", {}, INFER_DTYPE_UINT8).Weight("wz", {2}, INFER_DTYPE_UINT8);
  t.Add(Op("ConvInteger", {"x", "w", "xz", "wz"}, {"y"}).Ints("pads", {1, 1, 1, 1}));
  t.Add(Op("ConvInteger", {"x", "w"}, {"plain"}));
  EXPECT_EQ(Y(t), "[1,2,4,4]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT32);
  EXPECT_EQ(t.ShapeOf("plain"), "[1,2,2,2]");

  TestGraph bad(10);
  bad.Input("x", S({1, 1, 3, 3}), INFER_DTYPE_UINT8).Weight("w", {2, 1, 2, 2}, INFER_DTYPE_INT8);
  bad.Weight("wz", {3}, INFER_DTYPE_INT8);
  bad.Add(Op("ConvInteger", {"x", "w", "", "wz"}, {"y"}));
  EXPECT_THAT(Y(bad), HasSubstr("w_zero_point has shape [3], expected a scalar or [M]"));
  TestGraph f(10);
  f.Input("x", S({1, 1, 3, 3})).Weight("w", {2, 1, 2, 2}, INFER_DTYPE_INT8);
  f.Add(Op("ConvInteger", {"x", "w"}, {"y"}));
  EXPECT_THAT(Y(f), HasSubstr("input 0 ('x') has type float32, but T1 allows uint8, int8"));
}

// --- QLinearMatMul, MatMulInteger -------------------------------------------------

TEST(QLinearMatMulTest, TypeFromYZeroPointShapeAsMatMul) {
  TestGraph t(10);
  t.Input("a", S({"b", 2, 4}), INFER_DTYPE_UINT8)
      .Weight("as", {})
      .Weight("az", {}, INFER_DTYPE_UINT8);
  t.Weight("w", {4, 3}, INFER_DTYPE_INT8).Weight("ws", {3}).Weight("wz", {3}, INFER_DTYPE_INT8);
  t.Weight("ys", {}).Weight("yz", {}, INFER_DTYPE_INT8);
  t.Add(Op("QLinearMatMul", {"a", "as", "az", "w", "ws", "wz", "ys", "yz"}, {"y"}));
  EXPECT_EQ(Y(t), "[b,2,3]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT8);

  // 21 adds float16 scales (all three the same type).
  TestGraph v21(21);
  v21.Input("a", S({2, 4}), INFER_DTYPE_INT8).Input("as", S({1}), INFER_DTYPE_FLOAT16);
  v21.Weight("az", {1}, INFER_DTYPE_INT8).Weight("w", {4, 3}, INFER_DTYPE_INT8);
  v21.Weight("wz", {1}, INFER_DTYPE_INT8).Weight("yz", {1}, INFER_DTYPE_UINT8);
  v21.Add(Op("QLinearMatMul", {"a", "as", "az", "w", "as", "wz", "as", "yz"}, {"y"}));
  EXPECT_EQ(Y(v21), "[2,3]");
  EXPECT_EQ(v21.V("y").dtype, INFER_DTYPE_UINT8);

  TestGraph bad(10);
  bad.Input("a", S({2, 4}), INFER_DTYPE_UINT8).Weight("s", {}).Weight("z", {}, INFER_DTYPE_UINT8);
  bad.Weight("w", {5, 3}, INFER_DTYPE_UINT8);
  bad.Add(Op("QLinearMatMul", {"a", "s", "z", "w", "s", "z", "s", "z"}, {"y"}).Name("qm"));
  EXPECT_THAT(Y(bad), HasSubstr("QLinearMatMul node 'qm': inner dimensions differ: A [2,4] and B "
                                "[5,3]"));
  TestGraph fp16(10);
  fp16.Input("a", S({2, 4}), INFER_DTYPE_UINT8).Input("s", S({}), INFER_DTYPE_FLOAT16);
  fp16.Weight("z", {}, INFER_DTYPE_UINT8);
  fp16.Add(Op("QLinearMatMul", {"a", "s", "z", "a", "s", "z", "s", "z"}, {"y"}));
  EXPECT_THAT(Y(fp16), HasSubstr("input 1 ('a_scale') has type float16"));
}

TEST(MatMulIntegerTest, Int32OutputShapeAsMatMul) {
  TestGraph t(10);
  t.Input("a", S({"m", 3}), INFER_DTYPE_UINT8).Weight("b", {3}, INFER_DTYPE_INT8);
  t.Weight("az", {1}, INFER_DTYPE_UINT8);
  t.Add(Op("MatMulInteger", {"a", "b", "az"}, {"y"}));
  EXPECT_EQ(Y(t), "[m]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_INT32);

  TestGraph bad(10);
  bad.Input("a", S({2, 3}), INFER_DTYPE_UINT8).Weight("b", {3, 2}, INFER_DTYPE_INT8);
  bad.Weight("bz", {}, INFER_DTYPE_UINT8);
  bad.Add(Op("MatMulInteger", {"a", "b", "", "bz"}, {"y"}));
  EXPECT_THAT(Y(bad), HasSubstr("input 3 ('b_zero_point') has type uint8, but input 1 bound T2 "
                                "to int8"));
}

// --- a quantized chain without value_info ------------------------------------------

TEST(QuantizedChainTest, EveryValueGetsItsTypeAndShape) {
  TestGraph t(13);
  t.Input("x", S({1, 3, 16, 16})).Weight("xs", {}).Weight("xz", {}, INFER_DTYPE_UINT8);
  t.Weight("w", {8, 3, 3, 3}, INFER_DTYPE_INT8)
      .Weight("ws", {8})
      .Weight("wz", {8}, INFER_DTYPE_INT8);
  t.Weight("m", {392, 10}, INFER_DTYPE_INT8).Weight("ms", {}).Weight("mz", {}, INFER_DTYPE_INT8);
  t.Add(Op("QuantizeLinear", {"x", "xs", "xz"}, {"q0"}));
  t.Add(Op("QLinearConv", {"q0", "xs", "xz", "w", "ws", "wz", "xs", "xz"}, {"c"}));
  t.Add(Op("MaxPool", {"c"}, {"p"}).Ints("kernel_shape", {2, 2}).Ints("strides", {2, 2}));
  t.Add(Op("Flatten", {"p"}, {"f"}));
  t.Add(Op("QLinearMatMul", {"f", "xs", "xz", "m", "ms", "mz", "xs", "xz"}, {"q"}));
  t.Add(Op("DequantizeLinear", {"q", "xs", "xz"}, {"y"}));
  EXPECT_EQ(Y(t), "[1,10]");
  EXPECT_EQ(t.V("y").dtype, INFER_DTYPE_FLOAT32);
  for (const char* v : {"q0", "c", "p", "f", "q"}) EXPECT_EQ(t.V(v).dtype, INFER_DTYPE_UINT8) << v;
  EXPECT_EQ(t.ShapeOf("q0"), "[1,3,16,16]");
  EXPECT_EQ(t.ShapeOf("c"), "[1,8,14,14]");
  EXPECT_EQ(t.ShapeOf("f"), "[1,392]");
}

}  // namespace
}  // namespace infer::core
