#include "kernels/elementwise.h"

#include <limits>

#include "kernels/softmax.h"
#include "reference.h"

namespace infer::cpu::test {
namespace {

const std::pair<Dims, Dims> kBroadcastCases[] = {
    {{2, 3, 4}, {2, 3, 4}},    {{2, 3, 4}, {}},        {{}, {3}},     {{3, 1, 5}, {4, 1}},
    {{2, 3, 4, 5}, {3, 1, 1}}, {{1, 4}, {3, 1}},       {{5}, {2, 5}}, {{2, 1, 4, 1}, {1, 3, 1, 6}},
    {{0, 3}, {1, 3}},          {{2, 3, 1}, {2, 1, 1}},
};

TEST(Binary, FloatAddAndMulMatchReference) {
  std::mt19937 rng(7);
  for (const auto& [as, bs] : kBroadcastCases) {
    SCOPED_TRACE(dims_str(as) + " op " + dims_str(bs));
    const TTensor a = random_tensor(as, rng), b = random_tensor(bs, rng);
    const Shape out_shape = broadcast_shapes(as, bs);
    for (auto [op, sym] : {std::pair{BinaryOp::kAdd, '+'}, std::pair{BinaryOp::kMul, '*'}}) {
      const TTensor expected = ref::binary(a, b, sym);
      ASSERT_EQ(out_shape, expected.shape);
      std::vector<float> y(expected.data.size(), NAN);
      binary_broadcast<float>(op, a.data.data(), as, b.data.data(), bs, y.data(), out_shape);
      expect_close(y, expected.data);
    }
  }
}

TEST(Binary, Int64WrapsLikeTheReference) {
  const Dims as{2, 3}, bs{3};
  const int64_t big = std::numeric_limits<int64_t>::max();
  const std::vector<int64_t> a{1, -2, 3, big, 5, -6}, b{big, 10, -100};
  for (auto [op, sym] : {std::pair{BinaryOp::kAdd, '+'}, std::pair{BinaryOp::kMul, '*'}}) {
    std::vector<int64_t> y(6);
    binary_broadcast<int64_t>(op, a.data(), as, b.data(), bs, y.data(), as);
    EXPECT_EQ(y, ref::binary_i64(a, as, b, bs, sym));
  }
}

TEST(Binary, RejectsShapesThatDoNotBroadcast) {
  const Dims a{2, 3}, b{4}, c{3, 2};
  expect_error([&] { broadcast_shapes(a, b); }, INFER_INVALID_ARGUMENT, "do not broadcast");
  expect_error([&] { broadcast_shapes(a, c); }, INFER_INVALID_ARGUMENT, "[2,3] and [3,2]");
  expect_error([&] { broadcast_strides(c, a); }, INFER_INVALID_ARGUMENT, "cannot broadcast");
}

TEST(Relu, MatchesReferenceAndKeepsNaN) {
  std::mt19937 rng(8);
  TTensor x = random_tensor({3, 17}, rng);
  x.data[4] = NAN;
  x.data[5] = -0.0f;
  std::vector<float> y(x.data.size());
  relu(x.data.data(), y.data(), count(x.shape));
  expect_close(y, ref::relu(x).data);
}

TEST(BatchNorm, MatchesReference) {
  std::mt19937 rng(9);
  for (const Dims& shape : {Dims{2, 3, 4, 5}, Dims{2, 3}, Dims{1, 4, 3}}) {
    SCOPED_TRACE(dims_str(shape));
    const Dims c{shape[1]};
    const TTensor x = random_tensor(shape, rng), scale = random_tensor(c, rng),
                  bias = random_tensor(c, rng), mean = random_tensor(c, rng),
                  var = random_tensor(c, rng, 0.1f, 2.0f);
    check_batch_norm_shapes(shape, c, c, c, c);
    std::vector<float> y(x.data.size());
    batch_norm(x.data.data(), shape, scale.data.data(), bias.data.data(), mean.data.data(),
               var.data.data(), 1e-3f, y.data());
    expect_close(y, ref::batch_norm(x, scale, bias, mean, var, 1e-3f).data);
  }
}

TEST(BatchNorm, RejectsBadShapes) {
  const Dims x{2, 3, 4}, c{3}, bad{4}, x1{3};
  expect_error([&] { check_batch_norm_shapes(x, c, c, bad, c); }, INFER_INVALID_ARGUMENT,
               "input_mean");
  expect_error([&] { check_batch_norm_shapes(x1, c, c, c, c); }, INFER_INVALID_ARGUMENT,
               "rank >= 2");
}

TEST(Softmax, BothOpsetSemanticsMatchReference) {
  std::mt19937 rng(10);
  const Dims shape{2, 3, 4};
  const TTensor x = random_tensor(shape, rng, -5.0f, 5.0f);
  for (bool coerce : {false, true}) {
    for (int64_t axis : {-3, -2, -1, 0, 1, 2}) {
      SCOPED_TRACE(::testing::Message() << "axis " << axis << " coerce " << coerce);
      std::vector<float> y(x.data.size());
      softmax(x.data.data(), y.data(), softmax_dims(shape, axis, coerce));
      expect_close(y, ref::softmax(x, axis, coerce).data);
    }
  }
}

TEST(Softmax, StableForLargeInputs) {
  const Dims shape{4};
  const std::vector<float> x{1000, 1001, 1002, -1000};
  std::vector<float> y(4);
  softmax(x.data(), y.data(), softmax_dims(shape, 0, false));
  expect_close(y, ref::softmax({shape, x}, 0, false).data);
}

TEST(Softmax, RejectsBadAxis) {
  const Dims shape{2, 3, 4}, scalar{};
  expect_error([&] { softmax_dims(shape, 3, false); }, INFER_INVALID_ARGUMENT, "axis 3");
  expect_error([&] { softmax_dims(shape, -4, true); }, INFER_INVALID_ARGUMENT, "axis -4");
  expect_error([&] { softmax_dims(scalar, 0, false); }, INFER_INVALID_ARGUMENT, "rank >= 1");
}

}  // namespace
}  // namespace infer::cpu::test
