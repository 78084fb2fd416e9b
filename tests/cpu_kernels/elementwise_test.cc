#include "kernels/elementwise.h"

#include <limits>

#include "elementwise_ref.h"
#include "kernels/binary_math.h"
#include "kernels/softmax.h"
#include "reference.h"

namespace infer::cpu::test {
namespace {

const std::pair<Dims, Dims> kBroadcastCases[] = {
    {{2, 3, 4}, {2, 3, 4}},    {{2, 3, 4}, {}},        {{}, {3}},     {{3, 1, 5}, {4, 1}},
    {{2, 3, 4, 5}, {3, 1, 1}}, {{1, 4}, {3, 1}},       {{5}, {2, 5}}, {{2, 1, 4, 1}, {1, 3, 1, 6}},
    {{0, 3}, {1, 3}},          {{2, 3, 1}, {2, 1, 1}}, {{}, {}},      {{4, 1, 3}, {1, 5, 1}},
};

TEST(Binary, FloatOpsMatchReference) {
  std::mt19937 rng(7);
  for (const auto& [as, bs] : kBroadcastCases) {
    SCOPED_TRACE(dims_str(as) + " op " + dims_str(bs));
    const TTensor a = random_tensor(as, rng), b = random_tensor(bs, rng, 0.5f, 2.0f);
    const Shape out_shape = broadcast_shapes(as, bs);
    auto check = [&](auto op, auto ref) {
      const std::vector<float> expected = ewref::binary<float>(a.data, as, b.data, bs, ref);
      std::vector<float> y(expected.size(), NAN);
      binary_broadcast(op, a.data.data(), as, b.data.data(), bs, y.data(), out_shape);
      expect_close(y, expected, 0.0f);
    };
    check(fn::Add{}, [](float x, float y) { return x + y; });
    check(fn::Sub{}, [](float x, float y) { return x - y; });
    check(fn::Mul{}, [](float x, float y) { return x * y; });
    check(fn::Div{}, [](float x, float y) { return x / y; });
  }
}

TEST(Binary, PredicatesWriteBool) {
  const Dims as{2, 3}, bs{3};
  const std::vector<int32_t> a{1, 5, -3, 7, 0, 2}, b{1, 0, 2};
  std::vector<bool> expected =
      ewref::binary<bool>(a, as, b, bs, [](int x, int y) { return x > y; });
  bool y[6];
  binary_broadcast(fn::Greater{}, a.data(), as, b.data(), bs, y, as);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(y[i], expected[i]) << i;
}

TEST(Binary, Int64WrapsAround) {
  const Dims as{2, 3}, bs{3};
  const int64_t big = std::numeric_limits<int64_t>::max();
  const std::vector<int64_t> a{1, -2, 3, big, 5, -6}, b{big, 10, -100};
  auto wrap = [](uint64_t v) { return static_cast<int64_t>(v); };
  std::vector<int64_t> y(6);
  binary_broadcast(fn::Add{}, a.data(), as, b.data(), bs, y.data(), as);
  EXPECT_EQ(y, ewref::binary<int64_t>(a, as, b, bs, [&](int64_t x, int64_t z) {
              return wrap(static_cast<uint64_t>(x) + static_cast<uint64_t>(z));
            }));
  binary_broadcast(fn::Mul{}, a.data(), as, b.data(), bs, y.data(), as);
  EXPECT_EQ(y, ewref::binary<int64_t>(a, as, b, bs, [&](int64_t x, int64_t z) {
              return wrap(static_cast<uint64_t>(x) * static_cast<uint64_t>(z));
            }));
}

TEST(Binary, HalfTypesRoundOncePerElement) {
  const Dims s{4};
  const float av[] = {1.0f, 0.1f, 65504.0f, -3.5f}, bv[] = {2.0f, 0.2f, 65504.0f, 0.25f};
  std::vector<Float16> a, b;
  for (int i = 0; i < 4; ++i) {
    a.push_back(Float16{float_to_half(av[i])});
    b.push_back(Float16{float_to_half(bv[i])});
  }
  std::vector<Float16> y(4);
  binary_broadcast(fn::Add{}, a.data(), s, b.data(), s, y.data(), s);
  for (int i = 0; i < 4; ++i) {
    const float expected =
        half_to_float(float_to_half(half_to_float(a[static_cast<size_t>(i)].bits) +
                                    half_to_float(b[static_cast<size_t>(i)].bits)));
    EXPECT_EQ(half_to_float(y[static_cast<size_t>(i)].bits), expected) << i;
  }
  EXPECT_EQ(half_to_float(y[2].bits), INFINITY);  // 65504 + 65504 overflows float16
}

TEST(Binary, FoldsInPlaceIntoItsOutput) {
  // Variadic ops fold into the output: out = op(out, x) with out aliasing input a.
  const Dims os{2, 3}, bs{3};
  std::vector<float> out{1, 2, 3, 4, 5, 6};
  const std::vector<float> b{10, 20, 30};
  binary_broadcast(fn::Add{}, out.data(), os, b.data(), bs, out.data(), os);
  EXPECT_EQ(out, (std::vector<float>{11, 22, 33, 14, 25, 36}));
}

TEST(Binary, RejectsShapesThatDoNotBroadcast) {
  const Dims a{2, 3}, b{4}, c{3, 2};
  expect_error([&] { broadcast_shapes(a, b); }, INFER_INVALID_ARGUMENT, "do not broadcast");
  expect_error([&] { broadcast_shapes(a, c); }, INFER_INVALID_ARGUMENT, "[2,3] and [3,2]");
  expect_error([&] { broadcast_strides(c, a); }, INFER_INVALID_ARGUMENT, "cannot broadcast");
  const ShapeSpan three[] = {a, Dims{1, 3}, c};
  expect_error([&] { broadcast_all(three); }, INFER_INVALID_ARGUMENT, "do not broadcast");
}

TEST(Where, ThreeWayBroadcastMatchesReference) {
  std::mt19937 rng(8);
  const Dims cs{2, 1, 4}, xs{3, 1}, ys{1, 1, 4};
  const Dims out{2, 3, 4};
  const ShapeSpan shapes[] = {cs, xs, ys};
  ASSERT_EQ(broadcast_all(shapes), out);
  std::vector<uint8_t> cond_bytes(8);
  for (auto& c : cond_bytes) c = static_cast<uint8_t>(rng() % 2);
  std::vector<int32_t> x(3), y(4);
  for (auto& v : x) v = static_cast<int32_t>(rng() % 100);
  for (auto& v : y) v = -static_cast<int32_t>(rng() % 100);
  bool cond[8];
  for (size_t i = 0; i < 8; ++i) cond[i] = cond_bytes[i] != 0;
  std::vector<int32_t> got(24);
  where_broadcast(cond, cs, x.data(), xs, y.data(), ys, got.data(), out);
  const std::vector<size_t> oc = ewref::source_offsets(cs, out),
                            ox = ewref::source_offsets(xs, out),
                            oy = ewref::source_offsets(ys, out);
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(got[i], cond[oc[i]] ? x[ox[i]] : y[oy[i]]) << i;
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
