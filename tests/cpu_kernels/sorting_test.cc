// TopK and Unique against naive references (selection by repeated scans, quadratic grouping).
#include "kernels/sorting.h"

#include <cmath>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// a ranks before b: larger (or smaller) first, NaN counting as the largest, ties by index.
bool ranks_before(float a, int64_t ia, float b, int64_t ib, bool largest) {
  const bool na = std::isnan(a), nb = std::isnan(b);
  if (na != nb) return largest ? na : nb;
  if (!na && a != b) return largest ? a > b : a < b;
  return ia < ib;
}

TEST(TopK, MatchesReference) {
  const Dims shape{3, 5, 2};
  const std::vector<float> x{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5,   8, 9, 7, 9,
                             3, 2, 3, 8, 4, 6, 2, 6, 4, 3, NAN, 3, 8, 3, 2};
  for (int64_t axis : {0, 1, 2, -2}) {
    const auto a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    for (bool largest : {true, false}) {
      const int64_t k = shape[a] - 1;
      const Shape out = top_k_shape(shape, axis, k);
      std::vector<float> ev;
      std::vector<int64_t> ei;
      for (int64_t o = 0; o < count(out); ++o) {
        int64_t idx[3] = {o / (out[1] * out[2]), (o / out[2]) % out[1], o % out[2]};
        const int64_t rank = idx[a];
        // The element whose rank (number of elements before it) equals `rank`.
        for (int64_t j = 0; j < shape[a]; ++j) {
          int64_t cand[3] = {idx[0], idx[1], idx[2]};
          cand[a] = j;
          const float v = x[(cand[0] * 5 + cand[1]) * 2 + cand[2]];
          int64_t before = 0;
          for (int64_t m = 0; m < shape[a]; ++m) {
            int64_t other[3] = {idx[0], idx[1], idx[2]};
            other[a] = m;
            if (m != j &&
                ranks_before(x[(other[0] * 5 + other[1]) * 2 + other[2]], m, v, j, largest)) {
              ++before;
            }
          }
          if (before == rank) {
            ev.push_back(v);
            ei.push_back(j);
          }
        }
      }
      std::vector<float> values(ev.size());
      std::vector<int64_t> indices(ei.size());
      top_k(INFER_DTYPE_FLOAT32, x.data(), shape, axis, k, largest, values.data(), indices.data());
      EXPECT_EQ(indices, ei) << "axis " << axis << (largest ? " largest" : " smallest");
      for (size_t i = 0; i < ev.size(); ++i) {
        EXPECT_TRUE(values[i] == ev[i] || (std::isnan(values[i]) && std::isnan(ev[i])));
      }
    }
  }
  expect_error([&] { top_k_shape(shape, 1, 6); }, INFER_INVALID_ARGUMENT, "outside [0, 5]");
  expect_error([&] { top_k_shape(shape, 1, -1); }, INFER_INVALID_ARGUMENT, "k = -1");
  expect_error([&] { top_k_shape(shape, 3, 1); }, INFER_INVALID_ARGUMENT, "axis 3");
}

TEST(TopK, IntegerTypes) {
  const std::vector<uint64_t> x{5, UINT64_MAX, 0, 5};
  std::vector<uint64_t> v(3);
  std::vector<int64_t> i(3);
  top_k(INFER_DTYPE_UINT64, x.data(), Dims{4}, 0, 3, true, v.data(), i.data());
  EXPECT_EQ(v, (std::vector<uint64_t>{UINT64_MAX, 5, 5}));
  EXPECT_EQ(i, (std::vector<int64_t>{1, 0, 3}));
}

TEST(Unique, Flattened) {
  const std::vector<int32_t> x{2, 1, 1, 3, 4, 3};
  for (bool sorted : {true, false}) {
    const UniqueResult r = unique(INFER_DTYPE_INT32, x.data(), Dims{2, 3}, std::nullopt, sorted);
    // Naive: distinct values in first-occurrence order, then optionally sorted.
    std::vector<int32_t> vals;
    for (int32_t v : x) {
      if (std::find(vals.begin(), vals.end(), v) == vals.end()) vals.push_back(v);
    }
    if (sorted) std::sort(vals.begin(), vals.end());
    std::vector<int64_t> first, counts, inverse;
    for (int32_t v : vals) {
      first.push_back(std::find(x.begin(), x.end(), v) - x.begin());
      counts.push_back(std::count(x.begin(), x.end(), v));
    }
    for (int32_t v : x) inverse.push_back(std::find(vals.begin(), vals.end(), v) - vals.begin());
    EXPECT_EQ(r.y_shape, (Shape{int64_t(vals.size())}));
    EXPECT_EQ(r.first, first);
    EXPECT_EQ(r.counts, counts);
    EXPECT_EQ(r.inverse, inverse);
    std::vector<int32_t> y(vals.size());
    unique_gather(x.data(), Dims{2, 3}, std::nullopt, r, y.data(), 4);
    EXPECT_EQ(y, vals);
  }
}

TEST(Unique, AlongAxis) {
  // Slices along axis 1 of [2, 4, 2]: A=[[1,1],[1,1]], B=[[0,1],[0,1]], C=[[2,1],[2,1]], B.
  const std::vector<float> x{1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 0, 1, 2, 1, 0, 1};
  const UniqueResult r = unique(INFER_DTYPE_FLOAT32, x.data(), Dims{2, 4, 2}, 1, true);
  EXPECT_EQ(r.y_shape, (Shape{2, 3, 2}));
  EXPECT_EQ(r.first, (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(r.inverse, (std::vector<int64_t>{1, 0, 2, 0}));
  EXPECT_EQ(r.counts, (std::vector<int64_t>{2, 1, 1}));
  std::vector<float> y(12);
  unique_gather(x.data(), Dims{2, 4, 2}, 1, r, y.data(), 4);
  EXPECT_EQ(y, (std::vector<float>{0, 1, 1, 1, 2, 1, 0, 1, 1, 1, 2, 1}));
  const UniqueResult u = unique(INFER_DTYPE_FLOAT32, x.data(), Dims{2, 4, 2}, -2, false);
  EXPECT_EQ(u.first, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(u.inverse, (std::vector<int64_t>{0, 1, 2, 1}));
  expect_error(
      [&] {
        unique(INFER_DTYPE_FLOAT32, x.data(), Dims{2, 4, 2}, 3, true);
      },
      INFER_INVALID_ARGUMENT, "axis 3");
}

TEST(Unique, NaNsCollapse) {
  const std::vector<double> x{NAN, 1, NAN, -1};
  const UniqueResult r = unique(INFER_DTYPE_FLOAT64, x.data(), Dims{4}, std::nullopt, true);
  EXPECT_EQ(r.first, (std::vector<int64_t>{3, 1, 0}));
  EXPECT_EQ(r.counts, (std::vector<int64_t>{1, 1, 2}));
}

}  // namespace
}  // namespace infer::cpu::test
