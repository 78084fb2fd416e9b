#include "kernels/detection.h"

#include <cmath>

#include "kernels/deform_conv.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

using V = std::vector<double>;

V random_values(int64_t n, std::mt19937& rng, double lo = -1, double hi = 1) {
  std::uniform_real_distribution<double> d(lo, hi);
  V v(static_cast<size_t>(n));
  for (double& x : v) x = d(rng);
  return v;
}

TEST(RoiAlign, LinearRampGivesBinCentres) {
  // x[h][w] = w + 10 h: bilinear sampling of a linear map is exact, so an averaged bin is the
  // ramp at the mean of its sample points, the bin centre.
  const int64_t H = 8, W = 9;
  V x(static_cast<size_t>(H * W));
  for (int64_t h = 0; h < H; ++h)
    for (int64_t w = 0; w < W; ++w)
      x[static_cast<size_t>(h * W + w)] = static_cast<double>(w + 10 * h);
  const V rois = {1.5, 2.0, 6.5, 5.0};  // x1, y1, x2, y2 well inside
  const std::vector<int64_t> idx = {0};
  for (bool half_pixel : {false, true}) {
    RoiAlignParams p;
    p.half_pixel = half_pixel;
    p.output_height = 3;
    p.output_width = 5;
    p.sampling_ratio = 2;
    const Dims xs{1, 1, H, W}, rs{1, 4}, is{1};
    const RoiAlignPlan plan = plan_roi_align(p, xs, rs, is);
    ASSERT_EQ(plan.y_shape, (Dims{1, 1, 3, 5}));
    V y(15);
    roi_align(p, plan, x.data(), rois.data(), idx.data(), y.data());
    const double off = half_pixel ? 0.5 : 0.0;
    const double x0 = rois[0] - off, y0 = rois[1] - off;
    const double bw = (rois[2] - rois[0]) / 5, bh = (rois[3] - rois[1]) / 3;
    for (int64_t ph = 0; ph < 3; ++ph)
      for (int64_t pw = 0; pw < 5; ++pw) {
        const double cx = x0 + (static_cast<double>(pw) + 0.5) * bw;
        const double cy = y0 + (static_cast<double>(ph) + 0.5) * bh;
        EXPECT_NEAR(y[static_cast<size_t>(ph * 5 + pw)], cx + 10 * cy, 1e-9);
      }
  }
}

// Naive RoiAlign: every sample point interpolated directly from the four neighbours.
double bilinear(const V& plane, int64_t H, int64_t W, double y, double x, double* corner_max) {
  if (y < -1.0 || y > static_cast<double>(H) || x < -1.0 || x > static_cast<double>(W)) {
    *corner_max = 0;
    return 0;
  }
  y = std::max(y, 0.0);
  x = std::max(x, 0.0);
  int64_t yl = static_cast<int64_t>(y), xl = static_cast<int64_t>(x), yh = yl + 1, xh = xl + 1;
  if (yl >= H - 1) yh = yl = H - 1, y = static_cast<double>(yl);
  if (xl >= W - 1) xh = xl = W - 1, x = static_cast<double>(xl);
  const double ly = y - static_cast<double>(yl), lx = x - static_cast<double>(xl);
  const double v[4] = {(1 - ly) * (1 - lx) * plane[static_cast<size_t>(yl * W + xl)],
                       (1 - ly) * lx * plane[static_cast<size_t>(yl * W + xh)],
                       ly * (1 - lx) * plane[static_cast<size_t>(yh * W + xl)],
                       ly * lx * plane[static_cast<size_t>(yh * W + xh)]};
  *corner_max = std::max({v[0], v[1], v[2], v[3]});
  return v[0] + v[1] + v[2] + v[3];
}

TEST(RoiAlign, MatchesNaive) {
  const auto dbl = [](int64_t v) { return static_cast<double>(v); };
  std::mt19937 rng(21);
  const int64_t N = 2, C = 3, H = 6, W = 7, PH = 2, PW = 3;
  const V x = random_values(N * C * H * W, rng);
  // Includes a ROI hanging over the border and a degenerate one.
  const V rois = {0.5, 0.5, 4.0, 3.0, -2.0, 1.0, 8.5, 7.5, 3.0, 3.0, 3.0, 3.0};
  const std::vector<int64_t> idx = {1, 0, 1};
  for (bool max_mode : {false, true}) {
    for (int64_t ratio : {int64_t{0}, int64_t{2}}) {
      for (bool half_pixel : {false, true}) {
        SCOPED_TRACE(::testing::Message() << max_mode << ratio << half_pixel);
        RoiAlignParams p;
        p.max_mode = max_mode;
        p.half_pixel = half_pixel;
        p.output_height = PH;
        p.output_width = PW;
        p.sampling_ratio = ratio;
        p.spatial_scale = 0.5f;
        const Dims xs{N, C, H, W}, rs{3, 4}, is{3};
        const RoiAlignPlan plan = plan_roi_align(p, xs, rs, is);
        V y(static_cast<size_t>(count(plan.y_shape)));
        roi_align(p, plan, x.data(), rois.data(), idx.data(), y.data());
        for (int64_t r = 0; r < 3; ++r) {
          const double off = half_pixel ? 0.5 : 0;
          const double* roi = &rois[static_cast<size_t>(r * 4)];
          const double sx = roi[0] * 0.5 - off, sy = roi[1] * 0.5 - off;
          double rw = roi[2] * 0.5 - off - sx, rh = roi[3] * 0.5 - off - sy;
          if (!half_pixel) rw = std::max(rw, 1.0), rh = std::max(rh, 1.0);
          const double bh = rh / PH, bw = rw / PW;
          const int64_t gh = ratio ? ratio : static_cast<int64_t>(std::ceil(rh / PH));
          const int64_t gw = ratio ? ratio : static_cast<int64_t>(std::ceil(rw / PW));
          for (int64_t c = 0; c < C; ++c) {
            const V plane(x.begin() + (idx[static_cast<size_t>(r)] * C + c) * H * W,
                          x.begin() + (idx[static_cast<size_t>(r)] * C + c + 1) * H * W);
            for (int64_t ph = 0; ph < PH; ++ph)
              for (int64_t pw = 0; pw < PW; ++pw) {
                double sum = 0, mx = 0;
                bool first = true;
                for (int64_t iy = 0; iy < gh; ++iy)
                  for (int64_t ix = 0; ix < gw; ++ix) {
                    const double yy = sy + dbl(ph) * bh + (dbl(iy) + 0.5) * bh / dbl(gh);
                    const double xx = sx + dbl(pw) * bw + (dbl(ix) + 0.5) * bw / dbl(gw);
                    double cm = 0;
                    sum += bilinear(plane, H, W, yy, xx, &cm);
                    mx = first ? cm : std::max(mx, cm);
                    first = false;
                  }
                const double want = max_mode ? mx : sum / dbl(std::max<int64_t>(gh * gw, 1));
                EXPECT_NEAR(y[static_cast<size_t>(((r * C + c) * PH + ph) * PW + pw)], want, 1e-9);
              }
          }
        }
      }
    }
  }
}

TEST(RoiAlign, RejectsBadInputs) {
  RoiAlignParams p;
  const Dims x{1, 2, 4, 4}, rois{2, 4}, idx{2}, bad_rois{2, 5}, bad_idx{3}, x3{2, 4, 4};
  expect_error([&] { plan_roi_align(p, x3, rois, idx); }, INFER_INVALID_ARGUMENT, "[N, C, H, W]");
  expect_error([&] { plan_roi_align(p, x, bad_rois, idx); }, INFER_INVALID_ARGUMENT, "rois");
  expect_error([&] { plan_roi_align(p, x, rois, bad_idx); }, INFER_INVALID_ARGUMENT,
               "batch_indices");
  const RoiAlignPlan plan = plan_roi_align(p, x, rois, idx);
  const std::vector<float> xv(32), rv(8);
  std::vector<float> y(4);
  const std::vector<int64_t> out_of_range = {0, 1};
  expect_error([&] { roi_align(p, plan, xv.data(), rv.data(), out_of_range.data(), y.data()); },
               INFER_INVALID_ARGUMENT, "batch_indices[1] = 1");
}

TEST(NonMaxSuppression, OnnxExamples) {
  // Six boxes [y1, x1, y2, x2] in one class: the ONNX suppress-by-IoU example.
  const std::vector<float> boxes = {0, 0,  1, 1,  0, 0.1f,  1, 1.1f,  0, -0.1f, 1, 0.9f,
                                    0, 10, 1, 11, 0, 10.1f, 1, 11.1f, 0, 100,   1, 101};
  const std::vector<float> scores = {0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f};
  const Dims bs{1, 6, 4}, ss{1, 1, 6};
  const NmsPlan plan = plan_nms(bs, ss);
  NmsParams p;
  p.max_output_boxes_per_class = 3;
  p.iou_threshold = 0.5f;
  p.score_threshold = 0.0f;
  EXPECT_EQ(non_max_suppression(p, plan, boxes.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 3, 0, 0, 0, 0, 0, 5}));
  p.score_threshold = 0.4f;  // drops box 5
  EXPECT_EQ(non_max_suppression(p, plan, boxes.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 3, 0, 0, 0}));
  p.score_threshold.reset();
  p.max_output_boxes_per_class = 2;
  EXPECT_EQ(non_max_suppression(p, plan, boxes.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 3, 0, 0, 0}));
  // The same boxes as centres and sizes give the same selection.
  std::vector<float> centred;
  for (size_t i = 0; i < 6; ++i) {
    const float* b = &boxes[i * 4];
    centred.insert(centred.end(), {(b[1] + b[3]) / 2, (b[0] + b[2]) / 2, b[3] - b[1], b[2] - b[0]});
  }
  p.center_point_box = true;
  p.max_output_boxes_per_class = 3;
  EXPECT_EQ(non_max_suppression(p, plan, centred.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 3, 0, 0, 0, 0, 0, 5}));
}

TEST(NonMaxSuppression, TiesAndThresholdBoundary) {
  // Equal scores keep box order; an IoU equal to the threshold does not suppress.
  const std::vector<float> boxes = {0, 0, 1, 1, 0.5f, 0.5f, 1.5f, 1.5f};
  const std::vector<float> scores = {0.8f, 0.8f};
  const Dims bs{1, 2, 4}, ss{1, 1, 2};
  NmsParams p;
  p.max_output_boxes_per_class = 5;
  p.iou_threshold = 0.25f / 1.75f;
  EXPECT_EQ(non_max_suppression(p, plan_nms(bs, ss), boxes.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 0, 0, 0, 1}));
  p.iou_threshold = 0.1f;
  EXPECT_EQ(non_max_suppression(p, plan_nms(bs, ss), boxes.data(), scores.data()),
            (std::vector<int64_t>{0, 0, 0}));
}

TEST(NonMaxSuppression, RejectsBadShapes) {
  const Dims b{1, 6, 4}, b_bad{1, 6, 5}, s{1, 2, 5}, s_ok{1, 2, 6}, s_batch{2, 2, 6};
  expect_error([&] { plan_nms(b_bad, s_ok); }, INFER_INVALID_ARGUMENT, "boxes");
  expect_error([&] { plan_nms(b, s); }, INFER_INVALID_ARGUMENT, "scores");
  expect_error([&] { plan_nms(b, s_batch); }, INFER_INVALID_ARGUMENT, "scores");
}

// Naive deformable conv: every tap sampled bilinearly (zero outside) at its offset position.
V naive_deform(const Dims& xs, const V& x, const Dims& ws, const V& w, const V& off, const V* mask,
               const V* bias, int64_t group, int64_t og, int64_t stride, int64_t pad, int64_t dil,
               int64_t OH, int64_t OW) {
  const int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3], M = ws[0], KH = ws[2], KW = ws[3];
  const int64_t cg = C / group, mg = M / group;
  V y(static_cast<size_t>(N * M * OH * OW));
  auto at = [&](int64_t n, int64_t c, double py, double px) {
    double v = 0;
    const int64_t y0 = static_cast<int64_t>(std::floor(py)),
                  x0 = static_cast<int64_t>(std::floor(px));
    for (int64_t yy = y0; yy <= y0 + 1; ++yy)
      for (int64_t xx = x0; xx <= x0 + 1; ++xx) {
        if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
        v += (1 - std::fabs(py - static_cast<double>(yy))) *
             (1 - std::fabs(px - static_cast<double>(xx))) *
             x[static_cast<size_t>(((n * C + c) * H + yy) * W + xx)];
      }
    return v;
  };
  for (int64_t n = 0; n < N; ++n)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          double s = bias ? (*bias)[static_cast<size_t>(m)] : 0;
          for (int64_t ci = 0; ci < cg; ++ci) {
            const int64_t c = (m / mg) * cg + ci, g = c / (C / og);
            for (int64_t kh = 0; kh < KH; ++kh)
              for (int64_t kw = 0; kw < KW; ++kw) {
                const int64_t t = kh * KW + kw;
                auto O = [&](int64_t ch) {
                  return off[static_cast<size_t>(((n * og * KH * KW * 2 + ch) * OH + oh) * OW +
                                                 ow)];
                };
                const double py =
                    static_cast<double>(oh * stride - pad + kh * dil) + O((g * KH * KW + t) * 2);
                const double px = static_cast<double>(ow * stride - pad + kw * dil) +
                                  O((g * KH * KW + t) * 2 + 1);
                double v = at(n, c, py, px);
                if (mask) {
                  v *= (*mask)[static_cast<size_t>(
                      ((n * og * KH * KW + g * KH * KW + t) * OH + oh) * OW + ow)];
                }
                s += v * w[static_cast<size_t>(((m * cg + ci) * KH + kh) * KW + kw)];
              }
          }
          y[static_cast<size_t>(((n * M + m) * OH + oh) * OW + ow)] = s;
        }
  return y;
}

TEST(DeformConv, MatchesNaive) {
  std::mt19937 rng(31);
  struct Case {
    int64_t group, og, stride, pad, dil;
    bool mask, bias, zero_offsets;
  };
  const Case cases[] = {{1, 1, 1, 0, 1, false, false, true},
                        {1, 1, 1, 1, 1, true, true, false},
                        {2, 2, 2, 1, 1, true, false, false},
                        {1, 2, 1, 0, 2, false, true, false}};
  for (const Case& c : cases) {
    const Dims xs{2, 4, 5, 6}, ws{4, 4 / c.group, 3, 2};
    DeformConvParams p;
    p.group = c.group;
    p.offset_group = c.og;
    p.strides = {c.stride, c.stride};
    p.pads = {c.pad, c.pad, c.pad, c.pad};
    p.dilations = {c.dil, c.dil};
    const int64_t OH = (5 + 2 * c.pad - c.dil * 2 - 1) / c.stride + 1;
    const int64_t OW = (6 + 2 * c.pad - c.dil * 1 - 1) / c.stride + 1;
    const Dims os{2, c.og * 6 * 2, OH, OW}, ms{2, c.og * 6, OH, OW}, bsh{4};
    const V x = random_values(count(xs), rng), w = random_values(count(ws), rng);
    const V off = c.zero_offsets ? V(static_cast<size_t>(count(os)), 0.0)
                                 : random_values(count(os), rng, -1.5, 1.5);
    const V mask = random_values(count(ms), rng), bias = random_values(4, rng);
    const DeformConvPlan plan =
        plan_deform_conv(p, xs, ws, os, c.bias ? std::optional<ShapeSpan>(bsh) : std::nullopt,
                         c.mask ? std::optional<ShapeSpan>(ms) : std::nullopt);
    ASSERT_EQ(plan.y_shape, (Dims{2, 4, OH, OW}));
    V y(static_cast<size_t>(count(plan.y_shape)));
    deform_conv(plan, x.data(), w.data(), off.data(), c.bias ? bias.data() : nullptr,
                c.mask ? mask.data() : nullptr, y.data());
    const V want =
        naive_deform(xs, x, ws, w, off, c.mask ? &mask : nullptr, c.bias ? &bias : nullptr, c.group,
                     c.og, c.stride, c.pad, c.dil, OH, OW);
    for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], want[i], 1e-9) << i;
  }
}

TEST(DeformConv, RejectsBadShapes) {
  DeformConvParams p;
  const Dims x{1, 4, 5, 5}, w{2, 4, 3, 3}, off{1, 18, 3, 3}, off_bad{1, 18, 4, 3},
      w_bad{2, 3, 3, 3}, mask_bad{1, 8, 3, 3}, x3{1, 4, 5}, b_bad{3};
  expect_error([&] { plan_deform_conv(p, x, w, off_bad, std::nullopt, std::nullopt); },
               INFER_INVALID_ARGUMENT, "offset must have shape");
  expect_error([&] { plan_deform_conv(p, x, w_bad, off, std::nullopt, std::nullopt); },
               INFER_INVALID_ARGUMENT, "group");
  expect_error([&] { plan_deform_conv(p, x, w, off, std::nullopt, ShapeSpan(mask_bad)); },
               INFER_INVALID_ARGUMENT, "mask");
  expect_error([&] { plan_deform_conv(p, x, w, off, ShapeSpan(b_bad), std::nullopt); },
               INFER_INVALID_ARGUMENT, "B must");
  expect_error([&] { plan_deform_conv(p, x3, w, off, std::nullopt, std::nullopt); },
               INFER_UNIMPLEMENTED, "2-D");
  DeformConvParams bad;
  bad.strides = {0, 1};
  expect_error([&] { validate_deform_conv_params(bad); }, INFER_INVALID_MODEL, "strides");
  bad = {};
  bad.offset_group = 3;
  expect_error([&] { plan_deform_conv(bad, x, w, off, std::nullopt, std::nullopt); },
               INFER_INVALID_ARGUMENT, "offset_group");
}

}  // namespace
}  // namespace infer::cpu::test
