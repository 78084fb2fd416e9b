// Reductions and neural-network layers through the plugin ABI: attributes that became inputs,
// opset-dependent semantics, optional outputs and attribute errors.
#include "op_runner.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

OpAttr ints_attr(const char* name, std::vector<int64_t> v) {
  return {name, INFER_ATTR_INTS, 0, 0, {}, std::move(v)};
}

template <typename T = float>
OpTensor iota(Dims shape) {
  std::vector<T> v(static_cast<size_t>(count(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return OpTensor::of(std::move(shape), v);
}

OpTensor i64(Dims shape, std::vector<int64_t> v) { return OpTensor::of(std::move(shape), v); }

OpResult run(const std::string& op, const std::vector<OpTensor>& in,
             const std::vector<OpAttr>& attrs, int64_t opset, size_t outputs = 1) {
  OpRunOptions o;
  o.opset = opset;
  o.outputs = outputs;
  return run_op(op, in, attrs, o);
}

void expect_ok(const OpResult& r) { ASSERT_EQ(r.code, INFER_OK) << r.message; }

void expect_fail(const OpResult& r, infer_status_code code, const std::string& needle) {
  EXPECT_EQ(r.code, code) << r.message;
  EXPECT_NE(r.message.find(needle), std::string::npos) << r.message;
}

TEST(ReduceOps, AxesAttributeThenInput) {
  // [2, 3]: 0 1 2 / 3 4 5
  OpResult r = run("ReduceSum", {iota({2, 3})}, {ints_attr("axes", {1})}, 11);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{2, 1}));
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{3, 12}));
  r = run("ReduceSum", {iota({2, 3}), i64({1}, {0})}, {attr("keepdims", int64_t{0})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{3, 5, 7}));
  // No axes: everything, or nothing with noop_with_empty_axes.
  r = run("ReduceSum", {iota({2, 3})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{15}));
  r = run("ReduceSum", {iota({2, 3}), i64({0}, {})}, {attr("noop_with_empty_axes", int64_t{1})},
          13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{2, 3}));
  // ReduceMean moved axes to an input only in opset 18.
  r = run("ReduceMean", {iota({2, 3})}, {ints_attr("axes", {0})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{1.5f, 2.5f, 3.5f}));
  expect_fail(run("ReduceMean", {iota({2, 3})}, {ints_attr("axes", {0})}, 18), INFER_INVALID_MODEL,
              "not an attribute");
  expect_fail(run("ReduceMean", {iota({2, 3}), i64({1}, {0})}, {}, 13), INFER_INVALID_MODEL,
              "not an input");
  expect_fail(run("ReduceMax", {iota({2, 3}), i64({2}, {1, 1})}, {}, 18), INFER_INVALID_ARGUMENT,
              "listed twice");
  expect_fail(run("ReduceProd", {iota({2, 3}), i64({1}, {2})}, {}, 18), INFER_INVALID_ARGUMENT,
              "out of range");
}

TEST(ReduceOps, BoolAndIntegerTypes) {
  OpResult r = run("ReduceMax", {OpTensor::of<bool>({2, 2}, {false, true, false, false})},
                   {attr("keepdims", int64_t{0})}, 20);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<bool>(), (std::vector<bool>{true}));
  r = run("ReduceL1", {OpTensor::of<int32_t>({3}, {-4, 2, -1})}, {}, 18);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int32_t>(), (std::vector<int32_t>{7}));
  r = run("ArgMin", {OpTensor::of<uint8_t>({4}, {3, 1, 1, 2})},
          {attr("select_last_index", int64_t{1})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(r.outputs[0].values<int64_t>(), (std::vector<int64_t>{2}));
  expect_fail(run("ArgMax", {iota({2, 3})}, {attr("axis", int64_t{2})}, 13), INFER_INVALID_MODEL,
              "out of range");
}

TEST(SoftmaxOps, CoercionBeforeOpset13AndDoubles) {
  // Opset 11, axis 0 on [2, 2]: one softmax over all four values.
  OpResult r = run("Hardmax", {iota<double>({2, 2})}, {attr("axis", int64_t{0})}, 11);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<double>(), (std::vector<double>{0, 0, 0, 1}));
  r = run("Hardmax", {iota<double>({2, 2})}, {attr("axis", int64_t{0})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<double>(), (std::vector<double>{0, 0, 1, 1}));
  r = run("LogSoftmax", {iota({1, 2})}, {}, 13);
  expect_ok(r);
  EXPECT_NEAR(r.outputs[0].values<float>()[1], -0.31326169f, 1e-6f);
}

TEST(NormOps, LayerNormStatisticsAndGroupNormOpsets) {
  const OpTensor x = iota<double>({2, 2});
  const OpTensor scale = OpTensor::of<double>({2}, {1, 2});
  OpResult r = run("LayerNormalization", {x, scale}, {attr("epsilon", 0.0f)}, 17, 3);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<double>(), (std::vector<double>{-1, 2, -1, 2}));
  // Mean and InvStdDev are float (the stash type) with the reduced axes kept.
  EXPECT_EQ(r.outputs[1].dtype, INFER_DTYPE_FLOAT32);
  EXPECT_EQ(r.outputs[1].shape, (Dims{2, 1}));
  EXPECT_EQ(r.outputs[1].values<float>(), (std::vector<float>{0.5f, 2.5f}));
  EXPECT_EQ(r.outputs[2].values<float>(), (std::vector<float>{2, 2}));
  expect_fail(run("LayerNormalization", {x, scale}, {attr("stash_type", int64_t{7})}, 17),
              INFER_INVALID_MODEL, "stash_type");

  // GroupNormalization: scale per group in opset 18, per channel in opset 21.
  const OpTensor xg = iota({1, 4, 1});
  const OpTensor per_group = OpTensor::of<float>({2}, {1, 2});
  const OpTensor per_channel = OpTensor::of<float>({4}, {1, 1, 2, 2});
  const OpTensor zeros2 = OpTensor::of<float>({2}, {0, 0});
  OpResult a = run("GroupNormalization", {xg, per_group, zeros2},
                   {attr("num_groups", int64_t{2}), attr("epsilon", 0.0f)}, 18);
  OpResult b = run("GroupNormalization", {xg, per_channel, OpTensor::of<float>({4}, {0, 0, 0, 0})},
                   {attr("num_groups", int64_t{2}), attr("epsilon", 0.0f)}, 21);
  expect_ok(a);
  expect_ok(b);
  EXPECT_EQ(a.outputs[0].values<float>(), (std::vector<float>{-1, 1, -2, 2}));
  EXPECT_EQ(b.outputs[0].values<float>(), a.outputs[0].values<float>());
  expect_fail(
      run("GroupNormalization", {xg, per_group, zeros2}, {attr("num_groups", int64_t{2})}, 21),
      INFER_INVALID_ARGUMENT, "must have shape [4]");
  expect_fail(run("GroupNormalization", {xg, per_group, zeros2}, {}, 18), INFER_INVALID_MODEL,
              "num_groups");
}

TEST(PoolOps, MaxPoolIndicesAndMaxUnpool) {
  const OpTensor x = iota({1, 1, 2, 4});
  OpResult r = run("MaxPool", {x},
                   {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2}),
                    attr("storage_order", int64_t{1})},
                   12, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{5, 7}));
  EXPECT_EQ(r.outputs[1].dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(r.outputs[1].values<int64_t>(), (std::vector<int64_t>{3, 7}));  // column-major
  expect_fail(run("MaxPool", {x},
                  {ints_attr("kernel_shape", {2, 2}), attr("storage_order", int64_t{2})}, 12),
              INFER_INVALID_MODEL, "storage_order");

  const OpTensor pooled = OpTensor::of<float>({1, 1, 1, 2}, {5, 7});
  r = run("MaxUnpool", {pooled, i64({1, 1, 1, 2}, {5, 7}), i64({4}, {1, 1, 3, 4})},
          {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}, 11);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{1, 1, 3, 4}));
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0}));
  expect_fail(run("MaxUnpool", {pooled, i64({1, 1, 1, 2}, {5, 8})},
                  {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}, 11),
              INFER_INVALID_ARGUMENT, "out of range");
}

TEST(LossOps, SoftmaxCrossEntropyWithLogProb) {
  const OpTensor scores = OpTensor::of<float>({2, 2}, {0, 0, 1, 1});
  OpResult r =
      run("SoftmaxCrossEntropyLoss", {scores, i64({2}, {0, 1})}, {attr("reduction", "sum")}, 13, 2);
  expect_ok(r);
  EXPECT_TRUE(r.outputs[0].shape.empty());
  EXPECT_NEAR(r.outputs[0].values<float>()[0], 2 * std::log(2.0f), 1e-6f);
  EXPECT_EQ(r.outputs[1].shape, (Dims{2, 2}));
  EXPECT_NEAR(r.outputs[1].values<float>()[0], -std::log(2.0f), 1e-6f);
  expect_fail(run("NegativeLogLikelihoodLoss", {scores, i64({2}, {0, 2})}, {}, 13),
              INFER_INVALID_ARGUMENT, "out of range");
}

TEST(LinearOps, IntegerMatMulAndEinsumErrors) {
  OpResult r = run("MatMul", {iota<int32_t>({2, 2}), iota<int32_t>({2})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int32_t>(), (std::vector<int32_t>{1, 3}));
  expect_fail(run("MatMul", {iota<int32_t>({2, 2}), iota<int64_t>({2})}, {}, 13),
              INFER_INVALID_ARGUMENT, "different types");
  r = run("Einsum", {iota({2, 3})}, {attr("equation", "ij->ji")}, 12);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  expect_fail(run("Einsum", {iota({2, 3})}, {attr("equation", "ij,jk->ik")}, 12),
              INFER_INVALID_MODEL, "2 operands");
  expect_fail(run("ConvTranspose", {iota({1, 1, 2, 2}), iota({1, 1, 2, 2})},
                  {ints_attr("output_padding", {1})}, 11),
              INFER_INVALID_MODEL, "output_padding");
}

}  // namespace
}  // namespace infer::cpu::test
