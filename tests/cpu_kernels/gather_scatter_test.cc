// Gather, GatherElements, GatherND, ScatterElements, ScatterND and TensorScatter against naive
// references, and their index validation.
#include "kernels/gather.h"
#include "kernels/scatter.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

Dims unravel(int64_t flat, const Dims& shape) {
  Dims idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return idx;
}

int64_t ravel(const Dims& idx, const Dims& shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d) flat = flat * shape[d] + idx[d];
  return flat;
}

std::vector<float> iota_data(const Dims& shape) {
  std::vector<float> v(static_cast<size_t>(count(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) + 0.25f;
  return v;
}

int64_t wrap(int64_t i, int64_t n) { return i < 0 ? i + n : i; }

TEST(Gather, MatchesReference) {
  const Dims data{3, 4, 2};
  const std::vector<float> x = iota_data(data);
  const std::vector<int64_t> idx{2, -1, 0, 1, 1, -4};
  const Dims idx_shape{2, 3};
  for (int64_t axis : {0, 1, 2, -1}) {
    SCOPED_TRACE(axis);
    std::vector<int64_t> ids = idx;
    const auto a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    for (int64_t& i : ids) i = std::max<int64_t>(std::min<int64_t>(i, data[a] - 1), -data[a]);
    const Dims out = gather_shape(data, idx_shape, axis);
    std::vector<float> expected;
    for (int64_t o = 0; o < count(out); ++o) {
      const Dims oi = unravel(o, out);  // data[:a] + indices + data[a+1:]
      Dims di(oi.begin(), oi.begin() + a);
      di.push_back(wrap(ids[ravel({oi[a], oi[a + 1]}, idx_shape)], data[a]));
      di.insert(di.end(), oi.begin() + a + 2, oi.end());
      expected.push_back(x[ravel(di, data)]);
    }
    std::vector<float> y(expected.size(), -1);
    gather(x.data(), data, ids.data(), INFER_DTYPE_INT64, idx_shape, axis, y.data(), 4);
    EXPECT_EQ(y, expected);
    // int32 indices give the same result.
    std::vector<int32_t> ids32(ids.begin(), ids.end());
    std::fill(y.begin(), y.end(), -1.0f);
    gather(x.data(), data, ids32.data(), INFER_DTYPE_INT32, idx_shape, axis, y.data(), 4);
    EXPECT_EQ(y, expected);
  }
}

TEST(Gather, ScalarIndexAndErrors) {
  const std::vector<int8_t> x{1, 2, 3, 4, 5, 6};
  const int64_t i = -1;
  EXPECT_EQ(gather_shape(Dims{2, 3}, Dims{}, 1), (Shape{2}));
  std::vector<int8_t> y(2);
  gather(x.data(), Dims{2, 3}, &i, INFER_DTYPE_INT64, Dims{}, 1, y.data(), 1);
  EXPECT_EQ(y, (std::vector<int8_t>{3, 6}));
  const int64_t bad[] = {3};
  expect_error(
      [&] {
        gather(x.data(), Dims{2, 3}, bad, INFER_DTYPE_INT64, Dims{1}, 1, y.data(), 1);
      },
      INFER_INVALID_ARGUMENT, "out of range");
  const int64_t neg[] = {-4};
  expect_error(
      [&] {
        gather(x.data(), Dims{2, 3}, neg, INFER_DTYPE_INT64, Dims{1}, 1, y.data(), 1);
      },
      INFER_INVALID_ARGUMENT, "value -4");
  expect_error([] { gather_shape(Dims{2, 3}, Dims{1}, 2); }, INFER_INVALID_ARGUMENT, "axis 2");
  expect_error([] { gather_shape(Dims{}, Dims{1}, 0); }, INFER_INVALID_ARGUMENT, "rank >= 1");
}

TEST(GatherElements, MatchesReference) {
  const Dims data{3, 4};
  const std::vector<float> x = iota_data(data);
  const Dims idx_shape{2, 3};
  const std::vector<int32_t> ids{0, -1, 2, 1, 2, -3};
  for (int64_t axis : {0, 1}) {
    std::vector<float> expected;
    for (int64_t o = 0; o < count(idx_shape); ++o) {
      Dims di = unravel(o, idx_shape);
      di[axis] = wrap(ids[o], data[axis]);
      expected.push_back(x[ravel(di, data)]);
    }
    std::vector<float> y(expected.size(), -1);
    gather_elements(x.data(), data, ids.data(), INFER_DTYPE_INT32, idx_shape, axis, y.data(), 4);
    EXPECT_EQ(y, expected) << "axis " << axis;
  }
  const int64_t big[] = {0, 4};
  float y[2];
  expect_error(
      [&] {
        gather_elements(x.data(), data, big, INFER_DTYPE_INT64, Dims{1, 2}, 1, y, 4);
      },
      INFER_INVALID_ARGUMENT, "out of range");
  expect_error(
      [&] {
        check_gather_elements(data, Dims{4, 1}, 1);
      },
      INFER_INVALID_ARGUMENT, "do not fit");
  expect_error([&] { check_gather_elements(data, Dims{3}, 0); }, INFER_INVALID_ARGUMENT,
               "do not fit");
}

TEST(GatherND, MatchesReference) {
  // data [2, 3, 4], batch_dims 1, indices [2, 2, 1] -> [2, 2, 4]
  const Dims data{2, 3, 4};
  const std::vector<float> x = iota_data(data);
  const std::vector<int64_t> ids{2, -3, 0, 1};
  std::vector<float> expected;
  for (int64_t b = 0; b < 2; ++b) {
    for (int64_t t = 0; t < 2; ++t) {
      const int64_t row = wrap(ids[b * 2 + t], 3);
      for (int64_t k = 0; k < 4; ++k) expected.push_back(x[ravel({b, row, k}, data)]);
    }
  }
  ASSERT_EQ(gather_nd_shape(data, Dims{2, 2, 1}, 1), (Shape{2, 2, 4}));
  std::vector<float> y(expected.size(), -1);
  gather_nd(x.data(), data, ids.data(), Dims{2, 2, 1}, 1, y.data(), 4);
  EXPECT_EQ(y, expected);
  // No batch dims, full index tuples -> scalars.
  const std::vector<int64_t> full{1, 2, 3, 0, 0, -1};
  ASSERT_EQ(gather_nd_shape(data, Dims{2, 3}, 0), (Shape{2}));
  std::vector<float> z(2);
  gather_nd(x.data(), data, full.data(), Dims{2, 3}, 0, z.data(), 4);
  EXPECT_EQ(z, (std::vector<float>{x[ravel({1, 2, 3}, data)], x[ravel({0, 0, 3}, data)]}));
  const std::vector<int64_t> bad{0, 3};
  expect_error(
      [&] {
        gather_nd(x.data(), data, bad.data(), Dims{1, 2}, 0, z.data(), 4);
      },
      INFER_INVALID_ARGUMENT, "out of range");
  expect_error(
      [&] {
        gather_nd_shape(data, Dims{2, 4}, 0);
      },
      INFER_INVALID_ARGUMENT, "last dimension");
  expect_error(
      [&] {
        gather_nd_shape(data, Dims{3, 1}, 1);
      },
      INFER_INVALID_ARGUMENT, "batch dimension 0");
  expect_error([&] { gather_nd_shape(data, Dims{2, 1}, 2); }, INFER_INVALID_ARGUMENT, "batch_dims");
}

template <typename T>
T ref_reduce(T a, T b, ScatterReduction r) {
  switch (r) {
    case ScatterReduction::kNone:
      return b;
    case ScatterReduction::kAdd:
      return static_cast<T>(a + b);
    case ScatterReduction::kMul:
      return static_cast<T>(a * b);
    case ScatterReduction::kMax:
      return a > b ? a : b;
    case ScatterReduction::kMin:
      return a < b ? a : b;
  }
  return b;
}

TEST(ScatterElements, MatchesReference) {
  const Dims data{3, 4};
  const std::vector<int32_t> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const Dims idx_shape{2, 3};
  const std::vector<int64_t> ids{0, -1, 2, 1, 1, -3};  // duplicates along axis 1 in row 1
  const std::vector<int32_t> upd{10, 20, 30, -4, 50, 60};
  for (ScatterReduction r :
       {ScatterReduction::kNone, ScatterReduction::kAdd, ScatterReduction::kMul,
        ScatterReduction::kMax, ScatterReduction::kMin}) {
    for (int64_t axis : {0, 1}) {
      std::vector<int32_t> expected = x;
      for (int64_t o = 0; o < count(idx_shape); ++o) {
        Dims di = unravel(o, idx_shape);
        di[axis] = wrap(ids[o], data[axis]);
        int32_t& e = expected[ravel(di, data)];
        e = ref_reduce(e, upd[o], r);
      }
      std::vector<int32_t> y(x.size());
      scatter_elements(INFER_DTYPE_INT32, x.data(), data, ids.data(), INFER_DTYPE_INT64, idx_shape,
                       upd.data(), idx_shape, axis, r, y.data());
      EXPECT_EQ(y, expected) << "reduction " << int(r) << " axis " << axis;
    }
  }
}

TEST(ScatterElements, FloatTypesAndErrors) {
  const std::vector<double> x{1, 2, 3};
  const std::vector<int32_t> ids{2, 2};
  const std::vector<double> upd{4, 5};
  std::vector<double> y(3);
  scatter_elements(INFER_DTYPE_FLOAT64, x.data(), Dims{3}, ids.data(), INFER_DTYPE_INT32, Dims{2},
                   upd.data(), Dims{2}, 0, ScatterReduction::kAdd, y.data());
  EXPECT_EQ(y, (std::vector<double>{1, 2, 12}));
  const std::vector<Float16> h{Float16{float_to_half(1.5f)}, Float16{float_to_half(2)}};
  const std::vector<Float16> hu{Float16{float_to_half(3)}};
  const int64_t one = 1;
  std::vector<Float16> hy(2);
  scatter_elements(INFER_DTYPE_FLOAT16, h.data(), Dims{2}, &one, INFER_DTYPE_INT64, Dims{1},
                   hu.data(), Dims{1}, 0, ScatterReduction::kMul, hy.data());
  EXPECT_EQ(half_to_float(hy[0].bits), 1.5f);
  EXPECT_EQ(half_to_float(hy[1].bits), 6.0f);
  bool b[2] = {false, true}, bu[1] = {true}, by[2];
  const int64_t zero = 0;
  scatter_elements(INFER_DTYPE_BOOL, b, Dims{2}, &zero, INFER_DTYPE_INT64, Dims{1}, bu, Dims{1}, 0,
                   ScatterReduction::kAdd, by);
  EXPECT_TRUE(by[0] && by[1]);
  const int64_t bad = 3;
  expect_error(
      [&] {
        scatter_elements(INFER_DTYPE_FLOAT64, x.data(), Dims{3}, &bad, INFER_DTYPE_INT64, Dims{1},
                         upd.data(), Dims{1}, 0, ScatterReduction::kNone, y.data());
      },
      INFER_INVALID_ARGUMENT, "out of range");
  expect_error(
      [&] {
        scatter_elements(INFER_DTYPE_FLOAT64, x.data(), Dims{3}, ids.data(), INFER_DTYPE_INT32,
                         Dims{2}, upd.data(), Dims{1}, 0, ScatterReduction::kNone, y.data());
      },
      INFER_INVALID_ARGUMENT, "same shape");
  EXPECT_EQ(parse_scatter_reduction("mean"), std::nullopt);
}

TEST(ScatterND, MatchesReference) {
  // data [4, 2, 3]; indices [2, 1] select rows of [2, 3]; with duplicates for the reductions.
  const Dims data{4, 2, 3};
  std::vector<float> x = iota_data(data);
  const std::vector<int64_t> ids{1, -3};  // both select row 1
  std::vector<float> upd(12);
  for (size_t i = 0; i < upd.size(); ++i) upd[i] = static_cast<float>(i) - 5.0f;
  for (ScatterReduction r :
       {ScatterReduction::kNone, ScatterReduction::kAdd, ScatterReduction::kMul,
        ScatterReduction::kMax, ScatterReduction::kMin}) {
    std::vector<float> expected = x;
    for (int64_t t = 0; t < 2; ++t) {
      for (int64_t e = 0; e < 6; ++e) {
        float& v = expected[wrap(ids[t], 4) * 6 + e];
        v = ref_reduce(v, upd[t * 6 + e], r);
      }
    }
    std::vector<float> y(x.size());
    scatter_nd(INFER_DTYPE_FLOAT32, x.data(), data, ids.data(), Dims{2, 1}, upd.data(),
               Dims{2, 2, 3}, r, y.data());
    EXPECT_EQ(y, expected) << "reduction " << int(r);
  }
  std::vector<float> y(x.size());
  const std::vector<int64_t> bad{0, 0, 3};
  expect_error(
      [&] {
        scatter_nd(INFER_DTYPE_FLOAT32, x.data(), data, bad.data(), Dims{1, 3}, upd.data(), Dims{1},
                   ScatterReduction::kNone, y.data());
      },
      INFER_INVALID_ARGUMENT, "out of range");
  expect_error(
      [&] {
        scatter_nd(INFER_DTYPE_FLOAT32, x.data(), data, ids.data(), Dims{2, 1}, upd.data(),
                   Dims{2, 3}, ScatterReduction::kNone, y.data());
      },
      INFER_INVALID_ARGUMENT, "must have shape");
  expect_error(
      [&] {
        scatter_nd(INFER_DTYPE_FLOAT32, x.data(), data, ids.data(), Dims{1, 4}, upd.data(), Dims{1},
                   ScatterReduction::kNone, y.data());
      },
      INFER_INVALID_ARGUMENT, "last dimension");
}

TEST(TensorScatter, MatchesReference) {
  // cache [2, 3, 5, 2] (axis 2 is the sequence), update [2, 3, 2, 2].
  const Dims cache{2, 3, 5, 2}, update{2, 3, 2, 2};
  const std::vector<float> c = iota_data(cache);
  std::vector<float> u(static_cast<size_t>(count(update)));
  for (size_t i = 0; i < u.size(); ++i) u[i] = -1.0f - static_cast<float>(i);
  for (bool circular : {false, true}) {
    const std::vector<int64_t> write =
        circular ? std::vector<int64_t>{4, -1} : std::vector<int64_t>{3, 0};
    std::vector<float> expected = c;
    for (int64_t o = 0; o < count(update); ++o) {
      Dims ui = unravel(o, update);
      int64_t s = write[ui[0]] + ui[2];
      if (circular) s = ((s % 5) + 5) % 5;
      expected[ravel({ui[0], ui[1], s, ui[3]}, cache)] = u[o];
    }
    std::vector<float> y(c.size());
    tensor_scatter(c.data(), cache, u.data(), update, write.data(), Dims{2}, -2, circular, y.data(),
                   4);
    EXPECT_EQ(y, expected) << (circular ? "circular" : "linear");
  }
  std::vector<float> y(c.size());
  const std::vector<int64_t> over{4, 0};
  expect_error(
      [&] {
        tensor_scatter(c.data(), cache, u.data(), update, over.data(), Dims{2}, 2, false, y.data(),
                       4);
      },
      INFER_INVALID_ARGUMENT, "overflows");
  expect_error(
      [&] {
        tensor_scatter(c.data(), cache, u.data(), Dims{2, 3, 6, 2}, nullptr, Dims{}, 2, false,
                       y.data(), 4);
      },
      INFER_INVALID_ARGUMENT, "does not fit");
  expect_error(
      [&] {
        tensor_scatter(c.data(), cache, u.data(), update, over.data(), Dims{1}, 2, true, y.data(),
                       4);
      },
      INFER_INVALID_ARGUMENT, "write_indices");
}

}  // namespace
}  // namespace infer::cpu::test
