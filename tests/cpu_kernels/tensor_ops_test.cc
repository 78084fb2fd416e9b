// The tensor and shape operators through the plugin ABI: attributes per opset (attributes that
// became inputs), attribute validation at compile time and bad inputs at run time.
#include "op_runner.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

OpAttr ints_attr(const char* name, std::vector<int64_t> v) {
  return {name, INFER_ATTR_INTS, 0, 0, {}, std::move(v)};
}

OpTensor f32(Dims shape) {
  std::vector<float> v(static_cast<size_t>(count(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
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

TEST(SliceOp, AttributesBeforeOpset10) {
  const OpResult r =
      run("Slice", {f32({3, 4})},
          {ints_attr("starts", {1}), ints_attr("ends", {100}), ints_attr("axes", {1})}, 9);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{3, 3}));
  EXPECT_EQ(r.outputs[0].values<float>()[0], 1.0f);
  expect_fail(run("Slice", {f32({3, 4})}, {ints_attr("starts", {1})}, 9), INFER_INVALID_MODEL,
              "'ends'");
}

TEST(SliceOp, InputsFromOpset10) {
  const OpTensor starts = OpTensor::of<int32_t>({1}, {3});
  const OpTensor ends = OpTensor::of<int32_t>({1}, {0});
  const OpTensor axes = OpTensor::of<int32_t>({1}, {-1});
  const OpTensor steps = OpTensor::of<int32_t>({1}, {-2});
  const OpResult r = run("Slice", {f32({2, 4}), starts, ends, axes, steps}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{3, 1, 7, 5}));
  // int32 starts with int64 ends are refused.
  expect_fail(run("Slice", {f32({2, 4}), starts, i64({1}, {0})}, {}, 13), INFER_INVALID_ARGUMENT,
              "same type");
  expect_fail(
      run("Slice", {f32({2, 4}), starts, ends, axes, OpTensor::of<int32_t>({1}, {0})}, {}, 13),
      INFER_INVALID_ARGUMENT, "is 0");
}

TEST(SqueezeOp, AxesAttributeThenInput) {
  OpResult r = run("Squeeze", {f32({1, 3, 1})}, {ints_attr("axes", {0})}, 11);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{3, 1}));
  r = run("Squeeze", {f32({1, 3, 1}), i64({1}, {-1})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{1, 3}));
  r = run("Squeeze", {f32({1, 3, 1})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{3}));
  expect_fail(run("Squeeze", {f32({1, 3, 1}), i64({1}, {1})}, {}, 13), INFER_INVALID_ARGUMENT,
              "not 1");
}

TEST(UnsqueezeOp, AxesAttributeThenInput) {
  OpResult r = run("Unsqueeze", {f32({3})}, {ints_attr("axes", {0, -1})}, 11);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{1, 3, 1}));
  r = run("Unsqueeze", {f32({3}), i64({1}, {1})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{3, 1}));
  expect_fail(run("Unsqueeze", {f32({3})}, {}, 11), INFER_INVALID_MODEL, "'axes'");
  expect_fail(run("Unsqueeze", {f32({3})}, {ints_attr("axes", {0})}, 13), INFER_INVALID_MODEL,
              "axes input");
}

TEST(SplitOp, SplitAttributeInputAndNumOutputs) {
  OpResult r = run("Split", {f32({5})}, {ints_attr("split", {2, 3})}, 11, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[1].values<float>(), (std::vector<float>{2, 3, 4}));
  r = run("Split", {f32({2, 5}), i64({2}, {4, 1})}, {attr("axis", int64_t{1})}, 13, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{2, 4}));
  EXPECT_EQ(r.outputs[1].values<float>(), (std::vector<float>{4, 9}));
  r = run("Split", {f32({7})}, {attr("num_outputs", int64_t{3})}, 18, 3);
  expect_ok(r);
  EXPECT_EQ(r.outputs[2].shape, (Dims{1}));
  expect_fail(run("Split", {f32({6})}, {attr("num_outputs", int64_t{2})}, 18, 3),
              INFER_INVALID_MODEL, "num_outputs");
  expect_fail(run("Split", {f32({5}), i64({2}, {1, 1})}, {}, 13, 2), INFER_INVALID_ARGUMENT,
              "sums to 2");
}

TEST(PadOp, AttributesThenInputs) {
  OpResult r = run("Pad", {f32({2})}, {ints_attr("pads", {1, 2}), attr("value", 9.0f)}, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{9, 0, 1, 9, 9}));
  r = run("Pad", {f32({3}), i64({2}, {2, 1})}, {attr("mode", "reflect")}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{2, 1, 0, 1, 2, 1}));
  r = run("Pad",
          {OpTensor::of<int8_t>({2, 2}, {1, 2, 3, 4}), i64({2}, {1, 0}),
           OpTensor::of<int8_t>({}, {-5}), OpTensor::of<int32_t>({1}, {-1})},
          {}, 18);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int8_t>(), (std::vector<int8_t>{-5, 1, 2, -5, 3, 4}));
  expect_fail(run("Pad", {f32({3}), i64({2}, {2, 1})}, {attr("mode", "wrap")}, 18),
              INFER_INVALID_MODEL, "'wrap'");
  expect_fail(run("Pad", {f32({3}), i64({2}, {-2, -2})}, {}, 13), INFER_INVALID_ARGUMENT,
              "crop more");
  expect_fail(run("Pad", {f32({3}), i64({2}, {1, 1}), OpTensor::of<double>({}, {1})}, {}, 13),
              INFER_INVALID_ARGUMENT, "constant_value");
}

TEST(ScatterOps, ReductionPerOpset) {
  const OpTensor data = f32({4});
  const OpTensor idx = i64({2}, {1, 1});
  const OpTensor upd = OpTensor::of<float>({2}, {5, 7});
  OpResult r = run("ScatterElements", {data, idx, upd}, {attr("reduction", "add")}, 16);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 13, 2, 3}));
  expect_fail(run("ScatterElements", {data, idx, upd}, {attr("reduction", "max")}, 16),
              INFER_INVALID_MODEL, "reduction");
  r = run("ScatterElements", {data, idx, upd}, {attr("reduction", "max")}, 18);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>()[1], 7.0f);
  r = run("Scatter", {data, i64({1}, {-1}), OpTensor::of<float>({1}, {8})}, {}, 9);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>()[3], 8.0f);
  expect_fail(run("ScatterElements", {data, i64({1}, {4}), OpTensor::of<float>({1}, {1})}, {}, 13),
              INFER_INVALID_ARGUMENT, "out of range");
  expect_fail(run("ScatterND", {data, i64({1, 1}, {-5}), OpTensor::of<float>({1}, {1})}, {}, 13),
              INFER_INVALID_ARGUMENT, "out of range");
  expect_fail(run("ScatterElements", {data, idx, OpTensor::of<double>({2}, {1, 2})}, {}, 13),
              INFER_INVALID_ARGUMENT, "updates have type");
}

TEST(GatherOps, OutOfRangeIndicesAreErrors) {
  expect_fail(run("Gather", {f32({2, 3}), i64({2}, {0, 2})}, {}, 13), INFER_INVALID_ARGUMENT,
              "out of range");
  expect_fail(run("GatherElements", {f32({2, 3}), OpTensor::of<int32_t>({1, 1}, {-4})},
                  {attr("axis", int64_t{1})}, 13),
              INFER_INVALID_ARGUMENT, "out of range");
  expect_fail(run("GatherND", {f32({2, 3}), i64({1, 2}, {1, 3})}, {}, 13), INFER_INVALID_ARGUMENT,
              "out of range");
  const OpResult r =
      run("GatherND", {f32({2, 3}), i64({2, 1}, {2, 0})}, {attr("batch_dims", int64_t{1})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{2, 3}));
}

TEST(TopKOp, KAttributeThenInput) {
  const OpTensor x = OpTensor::of<float>({4}, {1, 3, 3, 2});
  OpResult r = run("TopK", {x}, {attr("k", int64_t{2})}, 1, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{3, 3}));
  EXPECT_EQ(r.outputs[1].values<int64_t>(), (std::vector<int64_t>{1, 2}));
  r = run("TopK", {x, i64({1}, {3})}, {attr("largest", int64_t{0})}, 11, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[1].values<int64_t>(), (std::vector<int64_t>{0, 3, 1}));
  expect_fail(run("TopK", {x, i64({1}, {5})}, {}, 11, 2), INFER_INVALID_ARGUMENT, "k = 5");
  expect_fail(run("TopK", {x}, {}, 11, 2), INFER_INVALID_MODEL, "K input");
}

TEST(ShapeOp, StartEndFromOpset15) {
  OpResult r = run("Shape", {f32({2, 3, 4})}, {attr("start", int64_t{-2})}, 15);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int64_t>(), (std::vector<int64_t>{3, 4}));
  r = run("Shape", {f32({2, 3, 4})}, {attr("start", int64_t{5}), attr("end", int64_t{1})}, 21);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{0}));
  r = run("Size", {f32({2, 3, 4})}, {}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int64_t>(), (std::vector<int64_t>{24}));
}

TEST(DropoutOp, InferenceAndMask) {
  OpResult r = run("Dropout", {f32({3})}, {attr("ratio", 0.4f)}, 7, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 1, 2}));
  EXPECT_EQ(r.outputs[1].dtype, INFER_DTYPE_FLOAT32);
  EXPECT_EQ(r.outputs[1].values<float>(), (std::vector<float>{1, 1, 1}));
  r = run("Dropout", {f32({3}), OpTensor::of<float>({}, {0.0f}), OpTensor::of<bool>({}, {true})},
          {}, 13, 2);
  expect_ok(r);
  EXPECT_EQ(r.outputs[1].dtype, INFER_DTYPE_BOOL);
  EXPECT_EQ(r.outputs[1].values<uint8_t>(), (std::vector<uint8_t>{1, 1, 1}));
  // Training mode draws numpy's np.random.seed(0); uniform(0, 1): 0.549, 0.715, 0.603.
  r = run("Dropout", {f32({3}), OpTensor::of<float>({}, {0.6f}), OpTensor::of<bool>({}, {true})},
          {attr("seed", int64_t{0})}, 13, 2);
  expect_ok(r);
  expect_close(r.outputs[0].values<float>(), {0.0f, 2.5f, 5.0f}, 1e-6f);
  EXPECT_EQ(r.outputs[1].values<uint8_t>(), (std::vector<uint8_t>{0, 1, 1}));
  expect_fail(
      run("Dropout", {f32({3}), OpTensor::of<float>({}, {1.0f}), OpTensor::of<bool>({}, {true})},
          {}, 13, 2),
      INFER_INVALID_ARGUMENT, "ratio");
  expect_fail(run("Dropout", {f32({3})}, {attr("seed", int64_t{-1})}, 13), INFER_INVALID_MODEL,
              "seed");
  expect_fail(run("Dropout", {f32({3})}, {attr("ratio", 1.5f)}, 10), INFER_INVALID_MODEL, "ratio");
}

TEST(ConstantOps, ValueAttributes) {
  OpResult r = run("Constant", {}, {ints_attr("value_ints", {4, 5})}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int64_t>(), (std::vector<int64_t>{4, 5}));
  r = run("Constant", {}, {attr("value_float", 2.5f)}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{}));
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{2.5f}));
  expect_fail(run("Constant", {}, {attr("value_int", int64_t{1}), attr("value_float", 1.0f)}, 13),
              INFER_INVALID_MODEL, "both set");
  expect_fail(run("Constant", {}, {}, 13), INFER_INVALID_MODEL, "required");
  r = run("ConstantOfShape", {i64({2}, {2, 1})}, {}, 9);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 0}));
  expect_fail(run("ConstantOfShape", {i64({1}, {-1})}, {}, 9), INFER_INVALID_ARGUMENT, "negative");
}

TEST(ResizeOp, AttributesAndInputs) {
  OpResult r =
      run("Resize", {f32({1, 2}), absent(), OpTensor::of<float>({2}, {1.0f, 2.0f})},
          {attr("mode", "nearest"), attr("coordinate_transformation_mode", "asymmetric")}, 13);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 0, 1, 1}));
  r = run("Resize", {f32({1, 2}), OpTensor::of<float>({2}, {2.0f, 2.0f})}, {}, 10);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].shape, (Dims{2, 4}));
  r = run("Upsample", {f32({1, 2}), OpTensor::of<float>({2}, {1.0f, 3.0f})}, {}, 9);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<float>(), (std::vector<float>{0, 0, 0, 1, 1, 1}));
  expect_fail(run("Resize", {f32({1, 2})}, {}, 13), INFER_INVALID_MODEL, "scales and sizes");
  expect_fail(run("Resize", {f32({1, 2}), absent(), absent(), i64({2}, {1, 1})},
                  {attr("antialias", int64_t{1})}, 18),
              INFER_INVALID_MODEL, "antialias");
  expect_fail(run("Resize", {f32({1, 2}), absent(), absent(), i64({2}, {1, 1})},
                  {attr("coordinate_transformation_mode", "diagonal")}, 18),
              INFER_INVALID_MODEL, "coordinate_transformation_mode");
  expect_fail(run("Upsample", {f32({1, 2}), OpTensor::of<float>({2}, {1.0f, 0.5f})}, {}, 9),
              INFER_INVALID_ARGUMENT, ">= 1");
}

TEST(LayoutOps, AttributeValidation) {
  expect_fail(run("DepthToSpace", {f32({1, 4, 1, 1})}, {}, 13), INFER_INVALID_MODEL, "blocksize");
  expect_fail(run("DepthToSpace", {f32({1, 4, 1, 1})},
                  {attr("blocksize", int64_t{2}), attr("mode", "RCD")}, 13),
              INFER_INVALID_MODEL, "mode");
  expect_fail(run("GridSample", {f32({1, 1, 2, 2}), f32({1, 1, 1, 2})}, {attr("mode", "area")}, 20),
              INFER_INVALID_MODEL, "mode");
  expect_fail(run("ReverseSequence", {f32({2, 2}), i64({2}, {1, 1})},
                  {attr("time_axis", int64_t{1}), attr("batch_axis", int64_t{1})}, 10),
              INFER_INVALID_MODEL, "time_axis");
  expect_fail(run("Col2Im", {f32({1, 4, 1}), i64({2}, {2, 2}), i64({2}, {2, 2})},
                  {ints_attr("strides", {0, 1})}, 18),
              INFER_INVALID_MODEL, "strides");
  expect_fail(run("Tile", {f32({2}), i64({1}, {-1})}, {}, 13), INFER_INVALID_ARGUMENT, "negative");
  expect_fail(run("Expand", {f32({2}), i64({1}, {3})}, {}, 13), INFER_INVALID_ARGUMENT,
              "broadcast");
  expect_fail(run("OneHot", {i64({1}, {0}), i64({}, {0}), f32({2})}, {}, 11),
              INFER_INVALID_ARGUMENT, "depth");
  expect_fail(run("Transpose", {f32({2, 3})}, {ints_attr("perm", {0, 0})}, 13), INFER_INVALID_MODEL,
              "repeats");
  const OpResult r = run("EyeLike", {f32({2, 2})}, {attr("dtype", int64_t{7})}, 9);
  expect_ok(r);
  EXPECT_EQ(r.outputs[0].values<int64_t>(), (std::vector<int64_t>{1, 0, 0, 1}));
}

}  // namespace
}  // namespace infer::cpu::test
