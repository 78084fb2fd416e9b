// Range, EyeLike, OneHot, Trilu, NonZero, Compress, ReverseSequence and CumSum/CumProd against
// naive references.
#include "kernels/cumulative.h"
#include "kernels/generate.h"
#include "kernels/select.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

TEST(Range, Values) {
  const float fs = 1.0f, fl = 2.0f, fd = 0.3f;
  const int64_t n = range_count(INFER_DTYPE_FLOAT32, &fs, &fl, &fd);
  ASSERT_EQ(n, 4);
  std::vector<float> y(4);
  range(INFER_DTYPE_FLOAT32, &fs, &fd, n, y.data());
  expect_close(y, {1.0f, 1.3f, 1.6f, 1.9f}, 1e-6f);

  const int32_t s = 10, l = 4, d = -3;
  ASSERT_EQ(range_count(INFER_DTYPE_INT32, &s, &l, &d), 2);
  std::vector<int32_t> yi(2);
  range(INFER_DTYPE_INT32, &s, &d, 2, yi.data());
  EXPECT_EQ(yi, (std::vector<int32_t>{10, 7}));

  const int64_t a = INT64_MIN, b = INT64_MAX, step = INT64_MAX;
  EXPECT_EQ(range_count(INFER_DTYPE_INT64, &a, &b, &step), 3);  // no overflow in the span
  const int16_t e = 5;
  EXPECT_EQ(range_count(INFER_DTYPE_INT16, &e, &e, &e), 0);
  const Float16 h0{float_to_half(0)}, h1{float_to_half(2)}, hd{float_to_half(0.5f)};
  EXPECT_EQ(range_count(INFER_DTYPE_FLOAT16, &h0, &h1, &hd), 4);

  const int32_t zero = 0;
  expect_error([&] { range_count(INFER_DTYPE_INT32, &s, &l, &zero); }, INFER_INVALID_ARGUMENT,
               "delta must not be 0");
  const float inf = INFINITY;
  expect_error([&] { range_count(INFER_DTYPE_FLOAT32, &fs, &inf, &fd); }, INFER_INVALID_ARGUMENT,
               "finite");
  const float tiny = 1e-30f;
  expect_error([&] { range_count(INFER_DTYPE_FLOAT32, &fs, &fl, &tiny); }, INFER_INVALID_ARGUMENT,
               "too many");
}

TEST(Dropout, NumpyCompatibleMask) {
  // np.random.seed(0); np.random.uniform(0, 1, 5) = .5488 .7152 .6028 .5449 .4237
  bool keep[5];
  dropout_keep_mask(0, 0.55, 5, keep);
  EXPECT_EQ(std::vector<bool>(keep, keep + 5),
            (std::vector<bool>{false, true, true, false, false}));
}

TEST(EyeLike, Diagonals) {
  for (int64_t k : {-4, -1, 0, 2, 5}) {
    std::vector<int32_t> y(12, -1), expected(12, 0);
    for (int64_t i = 0; i < 3; ++i) {
      for (int64_t j = 0; j < 4; ++j) expected[i * 4 + j] = j - i == k ? 1 : 0;
    }
    eye_like(INFER_DTYPE_INT32, Dims{3, 4}, k, y.data());
    EXPECT_EQ(y, expected) << "k " << k;
  }
  bool b[4];
  eye_like(INFER_DTYPE_BOOL, Dims{2, 2}, INT64_MIN, b);
  EXPECT_FALSE(b[0] || b[1] || b[2] || b[3]);
  expect_error([] { eye_like(INFER_DTYPE_FLOAT32, Dims{3}, 0, nullptr); }, INFER_INVALID_ARGUMENT,
               "2-D");
}

TEST(OneHot, MatchesReference) {
  const std::vector<float> idx{0, -1, 2.7f, 5, -5, 1};  // 5 and -5 are out of range for depth 4
  const Dims idx_shape{2, 3};
  const int64_t depth = 4;
  const int32_t values[2] = {-2, 9};
  for (int64_t axis : {-1, 0, 1, 2, -3}) {
    const Dims out = one_hot_shape(idx_shape, depth, axis);
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    std::vector<int32_t> expected(static_cast<size_t>(count(out)));
    for (int64_t o = 0; o < count(out); ++o) {
      Dims oi(3);
      int64_t rest = o;
      for (size_t d = 3; d-- > 0;) {
        oi[d] = rest % out[d];
        rest /= out[d];
      }
      const int64_t pos = oi[a];
      Dims ii;
      for (size_t d = 0; d < 3; ++d) {
        if (d != a) ii.push_back(oi[d]);
      }
      auto v = static_cast<int64_t>(idx[ii[0] * 3 + ii[1]]);
      if (v < 0) v += depth;
      expected[o] = v == pos ? values[1] : values[0];
    }
    std::vector<int32_t> y(expected.size());
    one_hot(idx.data(), INFER_DTYPE_FLOAT32, idx_shape, depth, axis, values, 4, y.data());
    EXPECT_EQ(y, expected) << "axis " << axis;
  }
  expect_error([] { one_hot_shape(Dims{2}, 0, -1); }, INFER_INVALID_ARGUMENT, "positive");
  expect_error([] { one_hot_shape(Dims{2}, 3, 2); }, INFER_INVALID_ARGUMENT, "axis 2");
}

TEST(Trilu, MatchesReference) {
  const Dims shape{2, 3, 4};
  std::vector<int16_t> x(24);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int16_t>(i + 1);
  for (bool upper : {true, false}) {
    for (int64_t k : {INT64_MIN, int64_t{-2}, int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{3},
                      int64_t{7}, INT64_MAX}) {
      std::vector<int16_t> expected(24);
      for (int64_t m = 0; m < 2; ++m) {
        for (int64_t i = 0; i < 3; ++i) {
          for (int64_t j = 0; j < 4; ++j) {
            const size_t at = static_cast<size_t>((m * 3 + i) * 4 + j);
            const int64_t diff = j - i;
            const bool keep = upper ? diff >= k : diff <= k;
            expected[at] = keep ? x[at] : int16_t{0};
          }
        }
      }
      std::vector<int16_t> y(24, -1);
      trilu(x.data(), shape, k, upper, y.data(), 2);
      EXPECT_EQ(y, expected) << (upper ? "upper" : "lower") << " k " << k;
    }
  }
  expect_error([&] { trilu(x.data(), Dims{24}, 0, true, x.data(), 2); }, INFER_INVALID_ARGUMENT,
               "rank >= 2");
}

TEST(NonZero, Coordinates) {
  const std::vector<float> x{0, 1.5f, -0.0f, NAN, 0, 2};
  int64_t n = 0;
  const std::vector<int64_t> c = nonzero(INFER_DTYPE_FLOAT32, x.data(), Dims{2, 3}, &n);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(c, (std::vector<int64_t>{0, 1, 1, 1, 0, 2}));  // rows then columns
  const bool b[3] = {false, true, true};
  EXPECT_EQ(nonzero(INFER_DTYPE_BOOL, b, Dims{3}, &n), (std::vector<int64_t>{1, 2}));
  const int8_t s = 4;
  EXPECT_EQ(nonzero(INFER_DTYPE_INT8, &s, Dims{}, &n), (std::vector<int64_t>{0}));
  EXPECT_EQ(n, 1);
}

TEST(Compress, MatchesReference) {
  const Dims shape{3, 4};
  std::vector<int32_t> x(12);
  for (size_t i = 0; i < 12; ++i) x[i] = static_cast<int32_t>(i);
  const bool cond[] = {true, false, true};
  // Along axis 1 with a condition shorter than the axis.
  ASSERT_EQ(compress_shape(shape, cond, 3, 1), (Shape{3, 2}));
  std::vector<int32_t> y(6);
  compress(x.data(), shape, cond, 3, 1, y.data(), 4);
  EXPECT_EQ(y, (std::vector<int32_t>{0, 2, 4, 6, 8, 10}));
  ASSERT_EQ(compress_shape(shape, cond, 3, -2), (Shape{2, 4}));
  std::vector<int32_t> z(8);
  compress(x.data(), shape, cond, 3, 0, z.data(), 4);
  EXPECT_EQ(z, (std::vector<int32_t>{0, 1, 2, 3, 8, 9, 10, 11}));
  ASSERT_EQ(compress_shape(shape, cond, 3, std::nullopt), (Shape{2}));
  std::vector<int32_t> f(2);
  compress(x.data(), shape, cond, 3, std::nullopt, f.data(), 4);
  EXPECT_EQ(f, (std::vector<int32_t>{0, 2}));
  const bool past[] = {false, false, false, true};
  expect_error([&] { compress_shape(shape, past, 4, 0); }, INFER_INVALID_ARGUMENT, "past the end");
  expect_error([&] { compress_shape(shape, cond, 3, 2); }, INFER_INVALID_ARGUMENT, "axis 2");
}

TEST(ReverseSequence, MatchesReference) {
  for (int64_t time_axis : {0, 1}) {
    const int64_t batch_axis = 1 - time_axis;
    Dims shape(3);
    shape[time_axis] = 4;
    shape[batch_axis] = 3;
    shape[2] = 2;
    std::vector<float> x(24);
    for (size_t i = 0; i < 24; ++i) x[i] = static_cast<float>(i);
    const std::vector<int64_t> lens{4, 0, 2};
    std::vector<float> expected(24);
    for (int64_t t = 0; t < 4; ++t) {
      for (int64_t b = 0; b < 3; ++b) {
        const int64_t src_t = t < lens[b] ? lens[b] - 1 - t : t;
        for (int64_t k = 0; k < 2; ++k) {
          auto at = [&](int64_t tt) {
            return time_axis == 0 ? (tt * 3 + b) * 2 + k : (b * 4 + tt) * 2 + k;
          };
          expected[at(t)] = x[at(src_t)];
        }
      }
    }
    std::vector<float> y(24, -1);
    reverse_sequence(x.data(), shape, lens.data(), Dims{3}, time_axis, batch_axis, y.data(), 4);
    EXPECT_EQ(y, expected) << "time_axis " << time_axis;
    const std::vector<int64_t> bad{5, 0, 0};
    expect_error(
        [&] {
          reverse_sequence(x.data(), shape, bad.data(), Dims{3}, time_axis, batch_axis, y.data(),
                           4);
        },
        INFER_INVALID_ARGUMENT, "outside [0, 4]");
    expect_error(
        [&] {
          reverse_sequence(x.data(), shape, lens.data(), Dims{2}, time_axis, batch_axis, y.data(),
                           4);
        },
        INFER_INVALID_ARGUMENT, "sequence_lens");
  }
}

TEST(Cumulative, MatchesReference) {
  const Dims shape{2, 3, 2};
  std::vector<double> x(12);
  for (size_t i = 0; i < 12; ++i) x[i] = static_cast<double>(i % 5) + 1;
  for (int64_t axis : {0, 1, -1}) {
    const auto a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    for (int flags = 0; flags < 8; ++flags) {
      CumulativeParams p;
      p.product = flags & 1;
      p.exclusive = flags & 2;
      p.reverse = flags & 4;
      std::vector<double> expected(12);
      for (int64_t i = 0; i < 12; ++i) {
        const int64_t idx[3] = {i / 6, (i / 2) % 3, i % 2};
        double acc = p.product ? 1 : 0;
        for (int64_t j = 0; j < shape[a]; ++j) {
          const bool in = p.reverse ? (p.exclusive ? j > idx[a] : j >= idx[a])
                                    : (p.exclusive ? j < idx[a] : j <= idx[a]);
          if (!in) continue;
          int64_t src[3] = {idx[0], idx[1], idx[2]};
          src[a] = j;
          const double v = x[(src[0] * 3 + src[1]) * 2 + src[2]];
          acc = p.product ? acc * v : acc + v;
        }
        expected[i] = acc;
      }
      std::vector<double> y(12);
      cumulative(INFER_DTYPE_FLOAT64, x.data(), shape, axis, p, y.data());
      EXPECT_EQ(y, expected) << "axis " << axis << " flags " << flags;
    }
  }
  // Integer overflow wraps instead of being undefined.
  const std::vector<int32_t> big{INT32_MAX, 1};
  std::vector<int32_t> wrapped(2);
  cumulative(INFER_DTYPE_INT32, big.data(), Dims{2}, 0, {}, wrapped.data());
  EXPECT_EQ(wrapped[1], INT32_MIN);
  expect_error([&] { cumulative(INFER_DTYPE_INT32, big.data(), Dims{2}, 1, {}, wrapped.data()); },
               INFER_INVALID_ARGUMENT, "axis 1");
}

}  // namespace
}  // namespace infer::cpu::test
