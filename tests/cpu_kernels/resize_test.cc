// Resize, GridSample, AffineGrid and Col2Im against naive per-output-element references.
#include "kernels/resize.h"

#include <cmath>

#include "kernels/col2im.h"
#include "kernels/grid_sample.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

int64_t clamp_index(int64_t i, int64_t n) { return std::max<int64_t>(0, std::min(i, n - 1)); }

// Source coordinate of output index o (no tf_crop_and_resize).
double ref_coord(int64_t o, int64_t in, int64_t out, double scale, const std::string& mode) {
  const double x = static_cast<double>(o);
  if (mode == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (mode == "asymmetric") return x / scale;
  if (mode == "align_corners") return out == 1 ? 0 : x * double(in - 1) / double(out - 1);
  if (mode == "pytorch_half_pixel") return out == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  ADD_FAILURE() << "mode " << mode;
  return 0;
}

double ref_cubic(double d, double a) {
  d = std::fabs(d);
  if (d <= 1) return (a + 2) * d * d * d - (a + 3) * d * d + 1;
  if (d < 2) return a * d * d * d - 5 * a * d * d + 8 * a * d - 4 * a;
  return 0;
}

// One output value of a 2-D resize, computed point-wise from the 4x4 (or 2x2, 1x1) taps.
double ref_resize_point(const std::vector<float>& x, int64_t h, int64_t w, int64_t oy, int64_t ox,
                        int64_t oh, int64_t ow, double sy, double sx, const std::string& mode,
                        const std::string& coord) {
  const double cy = ref_coord(oy, h, oh, sy, coord), cx = ref_coord(ox, w, ow, sx, coord);
  auto at = [&](int64_t i, int64_t j) {
    return double(x[clamp_index(i, h) * w + clamp_index(j, w)]);
  };
  if (mode == "nearest") {  // round_prefer_floor
    auto round = [](double c) {
      const double f = std::floor(c);
      return static_cast<int64_t>(c - f > 0.5 ? f + 1 : f);
    };
    return at(round(cy), round(cx));
  }
  const int64_t y0 = static_cast<int64_t>(std::floor(cy)),
                x0 = static_cast<int64_t>(std::floor(cx));
  double acc = 0;
  if (mode == "linear") {
    const double ty = cy - double(y0), tx = cx - double(x0);
    for (int64_t i = 0; i < 2; ++i) {
      for (int64_t j = 0; j < 2; ++j) {
        acc += (i ? ty : 1 - ty) * (j ? tx : 1 - tx) * at(y0 + i, x0 + j);
      }
    }
    return acc;
  }
  for (int64_t i = -1; i <= 2; ++i) {  // cubic, A = -0.75
    for (int64_t j = -1; j <= 2; ++j) {
      acc += ref_cubic(cy - double(y0 + i), -0.75) * ref_cubic(cx - double(x0 + j), -0.75) *
             at(y0 + i, x0 + j);
    }
  }
  return acc;
}

TEST(Resize, MatchesPointwiseReference) {
  const int64_t h = 4, w = 5;
  std::vector<float> x(static_cast<size_t>(h * w));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7) % 11) - 3.0f;
  const std::vector<double> scales_list[] = {{2.0, 1.6}, {0.5, 0.6}, {1.5, 3.0}};
  for (const std::string mode : {"nearest", "linear", "cubic"}) {
    for (const std::string coord : {"half_pixel", "asymmetric", "align_corners"}) {
      for (const std::vector<double>& scales : scales_list) {
        SCOPED_TRACE(mode + " " + coord + " scales " + std::to_string(scales[0]) + "," +
                     std::to_string(scales[1]));
        const Dims shape{1, 1, h, w};
        const size_t axes[] = {2, 3};
        const std::vector<ResizeAxis> plan =
            resize_axes(shape, axes, scales, std::nullopt, {}, ResizeAspect::kStretch);
        const Shape out = resize_shape(plan);
        ASSERT_EQ(out[2], static_cast<int64_t>(scales[0] * double(h)));
        ASSERT_EQ(out[3], static_cast<int64_t>(scales[1] * double(w)));
        ResizeParams p;
        p.mode = *parse_resize_mode(mode);
        p.coord = *parse_resize_coord(coord);
        std::vector<float> y(static_cast<size_t>(count(out)));
        resize(INFER_DTYPE_FLOAT32, x.data(), shape, plan, p, y.data());
        std::vector<float> expected;
        for (int64_t oy = 0; oy < out[2]; ++oy) {
          for (int64_t ox = 0; ox < out[3]; ++ox) {
            expected.push_back(static_cast<float>(ref_resize_point(
                x, h, w, oy, ox, out[2], out[3], scales[0], scales[1], mode, coord)));
          }
        }
        expect_close(y, expected, 1e-5f);
      }
    }
  }
}

TEST(Resize, SizesAspectAndIntegers) {
  const Dims shape{2, 4};
  const size_t axes[] = {0, 1};
  // not_larger fits 4x4 into the 2x4 input's aspect: scale min(2, 1) = 1.
  std::vector<ResizeAxis> plan =
      resize_axes(shape, axes, std::nullopt, Shape{4, 4}, {}, ResizeAspect::kNotLarger);
  EXPECT_EQ(resize_shape(plan), (Shape{2, 4}));
  plan = resize_axes(shape, axes, std::nullopt, Shape{4, 4}, {}, ResizeAspect::kNotSmaller);
  EXPECT_EQ(resize_shape(plan), (Shape{4, 8}));
  // uint8 linear upsampling rounds half to even and saturates.
  const std::vector<uint8_t> x{0, 255, 1, 2};
  const size_t one[] = {1};
  plan = resize_axes(Dims{2, 2}, one, std::vector<double>{2.0}, std::nullopt, {},
                     ResizeAspect::kStretch);
  ResizeParams p;
  p.mode = ResizeMode::kLinear;
  p.coord = ResizeCoord::kAsymmetric;
  std::vector<uint8_t> y(8);
  resize(INFER_DTYPE_UINT8, x.data(), Dims{2, 2}, plan, p, y.data());
  EXPECT_EQ(y, (std::vector<uint8_t>{0, 128, 255, 255, 1, 2, 2, 2}));  // 127.5 -> 128, 1.5 -> 2
}

TEST(Resize, RejectsBadArguments) {
  const Dims shape{2, 4};
  const size_t axes[] = {0, 1};
  expect_error(
      [&] { resize_axes(shape, axes, std::nullopt, std::nullopt, {}, ResizeAspect::kStretch); },
      INFER_INVALID_ARGUMENT, "exactly one");
  expect_error(
      [&] {
        resize_axes(shape, axes, std::vector<double>{1.0}, std::nullopt, {},
                    ResizeAspect::kStretch);
      },
      INFER_INVALID_ARGUMENT, "expected 2");
  expect_error(
      [&] {
        resize_axes(shape, axes, std::vector<double>{1.0, -2.0}, std::nullopt, {},
                    ResizeAspect::kStretch);
      },
      INFER_INVALID_ARGUMENT, "positive");
  expect_error(
      [&] {
        resize_axes(shape, axes, std::vector<double>{1.0, NAN}, std::nullopt, {},
                    ResizeAspect::kStretch);
      },
      INFER_INVALID_ARGUMENT, "positive");
  expect_error(
      [&] {
        resize_axes(shape, axes, std::nullopt, Shape{2, -1}, {}, ResizeAspect::kStretch);
      },
      INFER_INVALID_ARGUMENT, "negative");
  const double roi[] = {0, 1};
  expect_error(
      [&] {
        resize_axes(shape, axes, std::nullopt, Shape{2, 2}, roi, ResizeAspect::kStretch);
      },
      INFER_INVALID_ARGUMENT, "roi");
  EXPECT_FALSE(parse_resize_coord("tf_half_pixel").has_value());
}

// PyTorch-style grid sampling of one 2-D image, written from the definition.
double ref_grid_point(const std::vector<float>& img, int64_t h, int64_t w, double gx, double gy,
                      const std::string& mode, const std::string& padding, bool align) {
  auto unnorm = [&](double g, int64_t n) {
    return align ? (g + 1) / 2 * double(n - 1) : ((g + 1) * double(n) - 1) / 2;
  };
  auto fold = [&](double c, int64_t n) {
    const double lo = align ? 0 : -0.5, hi = align ? double(n - 1) : double(n) - 0.5;
    if (hi <= lo) return 0.0;
    while (c < lo || c > hi) c = c < lo ? 2 * lo - c : 2 * hi - c;
    return std::max(0.0, std::min(c, double(n - 1)));
  };
  double cx = unnorm(gx, w), cy = unnorm(gy, h);
  if (mode == "nearest") {
    cx = std::nearbyint(cx);
    cy = std::nearbyint(cy);
  }
  if (padding == "border") {
    cx = std::max(0.0, std::min(cx, double(w - 1)));
    cy = std::max(0.0, std::min(cy, double(h - 1)));
  } else if (padding == "reflection") {
    cx = fold(cx, w);
    cy = fold(cy, h);
  }
  auto at = [&](int64_t i, int64_t j) {
    return i < 0 || i >= h || j < 0 || j >= w ? 0.0 : double(img[i * w + j]);
  };
  if (mode == "nearest") return at(int64_t(cy), int64_t(cx));
  const double fy = std::floor(cy), fx = std::floor(cx);
  const double ty = cy - fy, tx = cx - fx;
  const auto y0 = int64_t(fy), x0 = int64_t(fx);
  return (1 - ty) * (1 - tx) * at(y0, x0) + (1 - ty) * tx * at(y0, x0 + 1) +
         ty * (1 - tx) * at(y0 + 1, x0) + ty * tx * at(y0 + 1, x0 + 1);
}

TEST(GridSample, MatchesReference2D) {
  const int64_t n = 2, c = 2, h = 3, w = 4, gh = 3, gw = 5;
  std::vector<float> x(static_cast<size_t>(n * c * h * w));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 5) % 13) - 4.0f;
  std::vector<float> grid(static_cast<size_t>(n * gh * gw * 2));
  for (size_t i = 0; i < grid.size(); ++i) {
    grid[i] = -1.7f + 0.137f * static_cast<float>((i * 7) % 25);  // inside and outside [-1, 1]
  }
  for (const std::string mode : {"nearest", "bilinear"}) {
    for (const std::string padding : {"zeros", "border", "reflection"}) {
      for (bool align : {false, true}) {
        SCOPED_TRACE(mode + " " + padding + (align ? " align" : ""));
        GridSampleParams p{*parse_grid_mode(mode), *parse_grid_padding(padding), align};
        const Dims xs{n, c, h, w}, gs{n, gh, gw, 2};
        ASSERT_EQ(grid_sample_shape(xs, gs), (Shape{n, c, gh, gw}));
        std::vector<float> y(static_cast<size_t>(n * c * gh * gw));
        grid_sample(INFER_DTYPE_FLOAT32, x.data(), xs, INFER_DTYPE_FLOAT32, grid.data(), gs, p,
                    y.data());
        std::vector<float> expected;
        for (int64_t b = 0; b < n; ++b) {
          for (int64_t ch = 0; ch < c; ++ch) {
            const std::vector<float> img(x.begin() + (b * c + ch) * h * w,
                                         x.begin() + (b * c + ch + 1) * h * w);
            for (int64_t pt = 0; pt < gh * gw; ++pt) {
              const float* g = grid.data() + (b * gh * gw + pt) * 2;
              expected.push_back(
                  static_cast<float>(ref_grid_point(img, h, w, g[0], g[1], mode, padding, align)));
            }
          }
        }
        expect_close(y, expected, 1e-5f);
      }
    }
  }
  expect_error(
      [] {
        grid_sample_shape(Dims{1, 1, 3, 3}, Dims{1, 2, 2, 3});
      },
      INFER_INVALID_ARGUMENT, "grid");
  expect_error(
      [] {
        grid_sample_shape(Dims{1, 3}, Dims{1, 2});
      },
      INFER_INVALID_ARGUMENT, "rank >= 3");
}

TEST(AffineGrid, MatchesReference) {
  const std::vector<float> theta{1.0f, 0.5f, 0.1f, -0.3f, 0.9f, 0.2f};  // [1, 2, 3]
  const Dims size{1, 3, 2, 4};
  for (bool align : {false, true}) {
    ASSERT_EQ(affine_grid_shape(Dims{1, 2, 3}, size), (Shape{1, 2, 4, 2}));
    std::vector<float> y(16);
    affine_grid(INFER_DTYPE_FLOAT32, theta.data(), Dims{1, 2, 3}, size, align, y.data());
    std::vector<float> expected;
    for (int64_t i = 0; i < 2; ++i) {
      for (int64_t j = 0; j < 4; ++j) {
        const double yy = align ? -1 + 2.0 * double(i) / 1 : -1 + (2.0 * double(i) + 1) / 2;
        const double xx = align ? -1 + 2.0 * double(j) / 3 : -1 + (2.0 * double(j) + 1) / 4;
        expected.push_back(float(theta[0] * xx + theta[1] * yy + theta[2]));
        expected.push_back(float(theta[3] * xx + theta[4] * yy + theta[5]));
      }
    }
    expect_close(y, expected, 1e-6f);
  }
  expect_error(
      [] {
        affine_grid_shape(Dims{1, 3, 4}, Dims{1, 3, 2, 4});
      },
      INFER_INVALID_ARGUMENT, "theta");
  expect_error(
      [] {
        affine_grid_shape(Dims{1, 2, 3}, Dims{1, 3, 2});
      },
      INFER_INVALID_ARGUMENT, "4 or 5");
}

TEST(Col2Im, MatchesReference) {
  Col2ImParams p;
  p.image = {5, 4};
  p.block = {2, 3};
  p.dilations = {2, 1};
  p.pads = {1, 0, 0, 2};
  p.strides = {1, 2};
  // Blocks: rows (5 + 1 - 3) / 1 + 1 = 4, cols (4 + 2 - 3) / 2 + 1 = 2.
  const Dims in{2, 2 * 6, 8};
  std::vector<float> x(static_cast<size_t>(count(in)));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 17) - 8.0f;
  ASSERT_EQ(col2im_shape(in, p), (Shape{2, 2, 5, 4}));
  std::vector<float> y(80);
  col2im(INFER_DTYPE_FLOAT32, x.data(), in, p, y.data());
  std::vector<float> expected;
  for (int64_t n = 0; n < 2; ++n) {
    for (int64_t c = 0; c < 2; ++c) {
      for (int64_t i = 0; i < 5; ++i) {
        for (int64_t j = 0; j < 4; ++j) {
          float acc = 0;  // every (kernel offset, block) that lands on (i, j)
          for (int64_t ki = 0; ki < 2; ++ki) {
            for (int64_t kj = 0; kj < 3; ++kj) {
              // Block position * stride = image position + pad - kernel offset * dilation.
              const int64_t ri = i + p.pads[0] - ki * p.dilations[0];
              const int64_t rj = j + p.pads[1] - kj * p.dilations[1];
              if (ri < 0 || ri % p.strides[0] || rj < 0 || rj % p.strides[1]) continue;
              const int64_t bi = ri / p.strides[0], bj = rj / p.strides[1];
              if (bi >= 4 || bj >= 2) continue;
              const int64_t ch = c * 6 + ki * 3 + kj, blk = bi * 2 + bj;
              acc += x[(n * 12 + ch) * 8 + blk];
            }
          }
          expected.push_back(acc);
        }
      }
    }
  }
  expect_close(y, expected, 1e-6f);
  expect_error([&] { col2im_shape(Dims{2, 12, 7}, p); }, INFER_INVALID_ARGUMENT, "sliding blocks");
  expect_error([&] { col2im_shape(Dims{2, 13, 8}, p); }, INFER_INVALID_ARGUMENT, "divisible");
  Col2ImParams bad = p;
  bad.strides = {0, 1};
  expect_error([&] { col2im_shape(in, bad); }, INFER_INVALID_ARGUMENT, "invalid Col2Im");
}

}  // namespace
}  // namespace infer::cpu::test
