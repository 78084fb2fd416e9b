// Layout kernels (transpose, broadcast, tile, slice, pad, depth/space, squeeze/unsqueeze,
// split sizes) against naive per-element references.
#include "kernels/movement.h"

#include "kernels/pad.h"
#include "kernels/shape_ops.h"
#include "kernels/slice.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Row-major multi-index helpers of the tests themselves.
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
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) + 0.5f;
  return v;
}

TEST(Transpose, MatchesReference) {
  const std::pair<Dims, Dims> cases[] = {
      {{2, 3, 4}, {2, 0, 1}},       {{2, 3, 4}, {}},        {{5}, {0}},
      {{1, 2, 1, 3}, {3, 1, 0, 2}}, {{2, 0, 3}, {1, 2, 0}}, {{2, 3, 4, 5, 2}, {4, 2, 0, 3, 1}}};
  for (const auto& [shape, perm_attr] : cases) {
    SCOPED_TRACE(dims_str(shape) + " perm " + dims_str(perm_attr));
    const Shape perm = transpose_perm(perm_attr, shape.size());
    const Dims out_shape = transpose_shape(shape, perm);
    const std::vector<float> x = iota_data(shape);
    std::vector<float> expected(x.size());
    for (int64_t o = 0; o < count(out_shape); ++o) {
      const Dims oi = unravel(o, out_shape);
      Dims ii(shape.size());
      for (size_t d = 0; d < shape.size(); ++d) ii[perm[d]] = oi[d];
      expected[o] = x[ravel(ii, shape)];
    }
    std::vector<float> y(x.size(), -1);
    transpose(x.data(), shape, perm, y.data(), sizeof(float));
    EXPECT_EQ(y, expected);
  }
}

TEST(Transpose, Int8AndScalar) {
  const std::vector<int8_t> x{1, 2, 3, 4, 5, 6};
  std::vector<int8_t> y(6);
  transpose(x.data(), Dims{2, 3}, Dims{1, 0}, y.data(), 1);
  EXPECT_EQ(y, (std::vector<int8_t>{1, 4, 2, 5, 3, 6}));
  const double s = 3.5;
  double t = 0;
  transpose(&s, Dims{}, Dims{}, &t, sizeof(double));
  EXPECT_EQ(t, 3.5);
}

TEST(Transpose, RejectsBadPerm) {
  expect_error([] { transpose_perm(Dims{0, 0, 1}, 3); }, INFER_INVALID_ARGUMENT, "repeats");
  expect_error([] { transpose_perm(Dims{0, 3, 1}, 3); }, INFER_INVALID_ARGUMENT, "outside");
  expect_error([] { transpose_perm(Dims{-1, 0, 1}, 3); }, INFER_INVALID_ARGUMENT, "outside");
  expect_error([] { transpose_perm(Dims{0, 1}, 3); }, INFER_INVALID_ARGUMENT, "rank 3");
}

TEST(Expand, MatchesReference) {
  const std::pair<Dims, Dims> cases[] = {
      {{3, 1}, {2, 1, 6}}, {{1}, {4}}, {{2, 3}, {1, 1}}, {{4, 1, 2}, {3, 1}}, {{}, {2, 2}}};
  for (const auto& [in, req] : cases) {
    SCOPED_TRACE(dims_str(in) + " to " + dims_str(req));
    const Dims out = expand_shape(in, req);
    const std::vector<float> x = iota_data(in);
    std::vector<float> expected(static_cast<size_t>(count(out)));
    for (int64_t o = 0; o < count(out); ++o) {
      const Dims oi = unravel(o, out);
      Dims ii(in.size());
      for (size_t d = 0; d < in.size(); ++d) {
        ii[d] = in[d] == 1 ? 0 : oi[out.size() - in.size() + d];
      }
      expected[o] = x[ravel(ii, in)];
    }
    std::vector<float> y(expected.size(), -1);
    broadcast_to(x.data(), in, y.data(), out, sizeof(float));
    EXPECT_EQ(y, expected);
  }
  EXPECT_EQ(expand_shape(Dims{2, 3}, Dims{1, 1}), (Shape{2, 3}));  // bidirectional
  expect_error(
      [] {
        expand_shape(Dims{2, 3}, Dims{4, 3, 4});
      },
      INFER_INVALID_ARGUMENT, "do not broadcast");
  expect_error([] { expand_shape(Dims{2}, Dims{-2}); }, INFER_INVALID_ARGUMENT, "negative");
}

TEST(Tile, MatchesReference) {
  const std::pair<Dims, Dims> cases[] = {
      {{2, 3}, {2, 2}}, {{3}, {4}}, {{2, 1, 2}, {1, 3, 2}}, {{2, 2}, {0, 1}}, {{}, {}}};
  for (const auto& [in, reps] : cases) {
    SCOPED_TRACE(dims_str(in) + " x " + dims_str(reps));
    const Dims out = tile_shape(in, reps);
    const std::vector<float> x = iota_data(in);
    std::vector<float> expected(static_cast<size_t>(count(out)));
    for (int64_t o = 0; o < count(out); ++o) {
      Dims ii = unravel(o, out);
      for (size_t d = 0; d < in.size(); ++d) ii[d] %= in[d];
      expected[o] = x[ravel(ii, in)];
    }
    std::vector<float> y(expected.size(), -1);
    tile(x.data(), in, reps, y.data(), sizeof(float));
    EXPECT_EQ(y, expected);
  }
  expect_error([] { tile_shape(Dims{2, 3}, Dims{2}); }, INFER_INVALID_ARGUMENT, "rank 2");
  expect_error([] { tile_shape(Dims{2, 3}, Dims{2, -1}); }, INFER_INVALID_ARGUMENT, "negative");
}

// Naive slice with the ONNX clamping rules, one axis at a time.
std::vector<float> ref_slice(const std::vector<float>& x, const Dims& shape, const Dims& starts,
                             const Dims& ends, const Dims& axes, const Dims& steps, Dims* out) {
  std::vector<std::vector<int64_t>> picks(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    for (int64_t i = 0; i < shape[d]; ++i) picks[d].push_back(i);
  }
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t d = static_cast<size_t>(axes[k] < 0 ? axes[k] + int64_t(shape.size()) : axes[k]);
    const int64_t n = shape[d], step = steps[k];
    int64_t s = starts[k] < 0 ? starts[k] + n : starts[k];
    int64_t e = ends[k] < 0 ? ends[k] + n : ends[k];
    picks[d].clear();
    if (step > 0) {
      s = std::max<int64_t>(0, std::min(s, n));
      e = std::max<int64_t>(0, std::min(e, n));
      for (int64_t i = s; i < e; i += step) {  // stops before i + step could overflow
        picks[d].push_back(i);
        if (e - i <= step) break;
      }
    } else {
      s = std::max<int64_t>(0, std::min(s, n - 1));
      e = std::max<int64_t>(-1, std::min(e, n - 1));
      for (int64_t i = s; i > e; i += step) {
        picks[d].push_back(i);
        if (step == INT64_MIN || i - e <= -step) break;
      }
    }
  }
  out->clear();
  for (const auto& p : picks) out->push_back(static_cast<int64_t>(p.size()));
  std::vector<float> y;
  for (int64_t o = 0; o < count(*out); ++o) {
    const Dims oi = unravel(o, *out);
    Dims ii(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) ii[d] = picks[d][oi[d]];
    y.push_back(x[ravel(ii, shape)]);
  }
  return y;
}

TEST(Slice, MatchesReference) {
  struct Case {
    Dims shape, starts, ends, axes, steps;
  };
  const int64_t big = INT64_MAX, small = INT64_MIN;
  const Case cases[] = {
      {{20, 10, 5}, {0, 0}, {3, 10}, {0, 1}, {1, 1}},
      {{20, 10, 5}, {1}, {big}, {1}, {1}},
      {{20, 10, 5}, {-1}, {small}, {1}, {-1}},
      {{20, 10, 5}, {20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2}},
      {{20, 10, 5}, {1000}, {1000}, {1}, {1}},
      {{20, 10, 5}, {-1000}, {-1000}, {1}, {-1}},
      {{20, 10, 5}, {0, 0, 3}, {20, 10, 4}, {0, -2, -1}, {7, 3, 1}},
      {{6}, {5}, {0}, {0}, {-2}},
      {{6}, {2}, {5}, {0}, {big}},
      {{6}, {4}, {-7}, {0}, {small}},
      {{0, 3}, {0}, {2}, {1}, {1}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(dims_str(c.shape) + " starts " + dims_str(c.starts) + " ends " + dims_str(c.ends) +
                 " steps " + dims_str(c.steps));
    const std::vector<float> x = iota_data(c.shape);
    Dims out;
    const std::vector<float> expected =
        ref_slice(x, c.shape, c.starts, c.ends, c.axes, c.steps, &out);
    const SlicePlan plan = plan_slice(c.shape, c.starts, c.ends, c.axes, c.steps);
    ASSERT_EQ(plan.out_shape, out);
    std::vector<float> y(expected.size(), -1);
    slice(x.data(), plan, y.data(), sizeof(float));
    EXPECT_EQ(y, expected);
  }
  // Default axes and steps.
  const SlicePlan p = plan_slice(Dims{4, 4}, Dims{1, 2}, Dims{3, 4}, std::nullopt, std::nullopt);
  EXPECT_EQ(p.out_shape, (Shape{2, 2}));
}

TEST(Slice, RejectsBadArguments) {
  const Dims s{4, 5};
  expect_error([&] { plan_slice(s, Dims{0}, Dims{1}, Shape{0}, Shape{0}); }, INFER_INVALID_ARGUMENT,
               "step for axis 0 is 0");
  expect_error(
      [&] {
        plan_slice(s, Dims{0, 0}, Dims{1, 1}, Shape{1, -1}, std::nullopt);
      },
      INFER_INVALID_ARGUMENT, "sliced twice");
  expect_error([&] { plan_slice(s, Dims{0}, Dims{1}, Shape{2}, std::nullopt); },
               INFER_INVALID_ARGUMENT, "axis 2");
  expect_error(
      [&] {
        plan_slice(s, Dims{0, 1}, Dims{1}, std::nullopt, std::nullopt);
      },
      INFER_INVALID_ARGUMENT, "same length");
}

// Naive numpy.pad for one output element: the source index along one axis or -1.
int64_t ref_pad_index(int64_t i, int64_t n, const std::string& mode) {
  if (i >= 0 && i < n) return i;
  if (mode == "constant") return -1;
  if (mode == "edge") return i < 0 ? 0 : n - 1;
  if (mode == "wrap") {
    while (i < 0) i += n;
    return i % n;
  }
  // reflect: walk step by step from the nearest edge, bouncing off both ends
  if (n == 1) return 0;
  int64_t pos = i < 0 ? 0 : n - 1, dir = i < 0 ? -1 : 1;
  const int64_t steps = i < 0 ? -i : i - (n - 1);
  for (int64_t k = 0; k < steps; ++k) {
    pos += dir;
    if (pos < 0) {
      pos = 1;
      dir = 1;
    } else if (pos > n - 1) {
      pos = n - 2;
      dir = -1;
    }
  }
  return pos;
}

TEST(Pad, MatchesReference) {
  struct Case {
    Dims shape, pads;
    std::string mode;
  };
  const Case cases[] = {
      {{3, 4}, {1, 2, 3, 0}, "constant"},   {{3, 4}, {1, 2, 3, 0}, "edge"},
      {{3, 4}, {2, 3, 2, 5}, "reflect"},    {{3, 4}, {4, 5, 7, 9}, "wrap"},
      {{3, 4}, {-1, 1, 0, -2}, "constant"}, {{3, 4}, {-1, 6, 1, -2}, "reflect"},
      {{1, 3}, {2, 0, 2, 4}, "reflect"},    {{2, 2, 3}, {0, 1, 1, 1, 0, 2}, "edge"},
      {{0, 2}, {1, 0, 1, 0}, "constant"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(dims_str(c.shape) + " pads " + dims_str(c.pads) + " " + c.mode);
    const size_t r = c.shape.size();
    const Dims out = pad_shape(c.shape, c.pads);
    const std::vector<float> x = iota_data(c.shape);
    std::vector<float> expected(static_cast<size_t>(count(out)));
    for (int64_t o = 0; o < count(out); ++o) {
      const Dims oi = unravel(o, out);
      Dims ii(r);
      bool fill = false;
      for (size_t d = 0; d < r; ++d) {
        ii[d] = ref_pad_index(oi[d] - c.pads[d], c.shape[d], c.mode);
        fill = fill || ii[d] < 0;
      }
      expected[o] = fill ? -7.0f : x[ravel(ii, c.shape)];
    }
    const float fill_value = -7.0f;
    std::vector<float> y(expected.size(), -1);
    pad(x.data(), c.shape, c.pads, *parse_pad_mode(c.mode), &fill_value, y.data(), sizeof(float));
    EXPECT_EQ(y, expected);
  }
}

TEST(Pad, RejectsBadPads) {
  const float zero = 0;
  float y[16];
  expect_error([] { pad_shape(Dims{3, 4}, Dims{1, 1}); }, INFER_INVALID_ARGUMENT, "2 * rank");
  expect_error(
      [] {
        pad_shape(Dims{3, 4}, Dims{-2, 0, -2, 0});
      },
      INFER_INVALID_ARGUMENT, "crop more");
  expect_error(
      [] {
        pad_shape(Dims{3}, Dims{INT64_MIN, INT64_MAX});
      },
      INFER_INVALID_ARGUMENT, "too large");
  const float x = 0;
  expect_error(
      [&] {
        pad(&x, Dims{0}, Dims{1, 1}, PadMode::kEdge, &zero, y, 4);
      },
      INFER_INVALID_ARGUMENT, "empty dimension");
  EXPECT_FALSE(parse_pad_mode("mirror").has_value());
}

TEST(CenterCropPad, Pads) {
  EXPECT_EQ(center_crop_pad_pads(Dims{5, 4}, Dims{3, 7}), (Shape{-1, 1, -1, 2}));
  EXPECT_EQ(center_crop_pad_pads(Dims{6, 4}, Dims{3, 4}), (Shape{-1, 0, -2, 0}));
  expect_error([] { center_crop_pad_pads(Dims{2}, Dims{-1}); }, INFER_INVALID_ARGUMENT, "negative");
}

TEST(DepthToSpace, MatchesReference) {
  const Dims in{2, 8, 2, 3};
  const int64_t bs = 2;
  const std::vector<float> x = iota_data(in);
  for (bool crd : {false, true}) {
    SCOPED_TRACE(crd ? "CRD" : "DCR");
    const Dims out = depth_to_space_shape(in, bs);
    ASSERT_EQ(out, (Dims{2, 2, 4, 6}));
    std::vector<float> expected(x.size());
    for (int64_t o = 0; o < count(out); ++o) {
      const Dims oi = unravel(o, out);  // n, c, h, w
      const int64_t bh = oi[2] % bs, bw = oi[3] % bs, c = oi[1];
      const int64_t ic = crd ? c * bs * bs + bh * bs + bw : (bh * bs + bw) * out[1] + c;
      expected[o] = x[ravel({oi[0], ic, oi[2] / bs, oi[3] / bs}, in)];
    }
    std::vector<float> y(x.size(), -1), back(x.size(), -1);
    depth_to_space(x.data(), in, bs, crd, y.data(), sizeof(float));
    EXPECT_EQ(y, expected);
    // SpaceToDepth in the same mode undoes it.
    ASSERT_EQ(space_to_depth_shape(out, bs), in);
    space_to_depth(y.data(), out, bs, crd, back.data(), sizeof(float));
    EXPECT_EQ(back, x);
  }
  expect_error(
      [] {
        depth_to_space_shape(Dims{1, 6, 2, 2}, 2);
      },
      INFER_INVALID_ARGUMENT, "divisible");
  expect_error(
      [] {
        space_to_depth_shape(Dims{1, 1, 3, 2}, 2);
      },
      INFER_INVALID_ARGUMENT, "divisible");
  expect_error([] { depth_to_space_shape(Dims{1, 4, 2}, 2); }, INFER_INVALID_ARGUMENT, "4-D");
  expect_error(
      [] {
        space_to_depth_shape(Dims{1, 4, 2, 2}, 0);
      },
      INFER_INVALID_ARGUMENT, "positive");
}

TEST(SqueezeUnsqueeze, Shapes) {
  EXPECT_EQ(squeeze_shape(Dims{1, 3, 1, 2}, std::nullopt), (Shape{3, 2}));
  EXPECT_EQ(squeeze_shape(Dims{1, 3, 1, 2}, Shape{-2}), (Shape{1, 3, 2}));
  EXPECT_EQ(squeeze_shape(Dims{1}, Shape{}), (Shape{1}));
  expect_error([] { squeeze_shape(Dims{1, 3}, Shape{1}); }, INFER_INVALID_ARGUMENT, "not 1");
  expect_error([] { squeeze_shape(Dims{1, 3}, Shape{0, -2}); }, INFER_INVALID_ARGUMENT, "repeat");
  expect_error([] { squeeze_shape(Dims{1, 3}, Shape{2}); }, INFER_INVALID_ARGUMENT, "axis 2");
  EXPECT_EQ(unsqueeze_shape(Dims{3, 4}, Dims{0, 3}), (Shape{1, 3, 4, 1}));
  EXPECT_EQ(unsqueeze_shape(Dims{3, 4}, Dims{-1, 1}), (Shape{3, 1, 4, 1}));
  EXPECT_EQ(unsqueeze_shape(Dims{}, Dims{0}), (Shape{1}));
  expect_error([] { unsqueeze_shape(Dims{3}, Dims{0, 0}); }, INFER_INVALID_ARGUMENT, "repeat");
  expect_error([] { unsqueeze_shape(Dims{3}, Dims{2}); }, INFER_INVALID_ARGUMENT, "axis 2");
}

TEST(Split, Sizes) {
  EXPECT_EQ(split_sizes(6, std::nullopt, 3), (Shape{2, 2, 2}));
  EXPECT_EQ(split_sizes(7, std::nullopt, 3), (Shape{3, 3, 1}));
  EXPECT_EQ(split_sizes(0, std::nullopt, 2), (Shape{0, 0}));
  EXPECT_EQ(split_sizes(5, Shape{2, 0, 3}, 3), (Shape{2, 0, 3}));
  expect_error([] { split_sizes(5, Shape{2, 2}, 2); }, INFER_INVALID_ARGUMENT, "sums to 4");
  expect_error([] { split_sizes(5, Shape{6, -1}, 2); }, INFER_INVALID_ARGUMENT, "negative");
  expect_error([] { split_sizes(5, Shape{5}, 2); }, INFER_INVALID_ARGUMENT, "2 outputs");
  expect_error([] { split_sizes(5, std::nullopt, 4); }, INFER_INVALID_ARGUMENT, "cannot split");
}

TEST(GatherByAxisMaps, FillsAndGathers) {
  const std::vector<int16_t> x{1, 2, 3, 4, 5, 6};
  const std::vector<Shape> maps{{1, -1}, {2, 0, 0}};
  const int16_t fill = -9;
  std::vector<int16_t> y(6);
  gather_by_axis_maps(x.data(), Dims{2, 3}, maps, &fill, y.data(), sizeof(int16_t));
  EXPECT_EQ(y, (std::vector<int16_t>{6, 4, 4, -9, -9, -9}));
}

}  // namespace
}  // namespace infer::cpu::test
