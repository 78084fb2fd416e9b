#include "kernels/conv_transpose.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

Dims unravel(int64_t i, const Dims& shape) {
  Dims idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = i % shape[d];
    i /= shape[d];
  }
  return idx;
}

// Naive scatter form: every input element times every kernel tap adds into one output.
std::vector<float> ref_conv_transpose(const TTensor& x, const TTensor& w, const TTensor* b,
                                      int64_t group, const Dims& strides, const Dims& dilations,
                                      const Dims& pad_begin, const Dims& y_shape) {
  const size_t rank = x.shape.size() - 2;
  const int64_t c = x.shape[1], cg = c / group, mg = w.shape[1];
  const Dims in(x.shape.begin() + 2, x.shape.end()), k(w.shape.begin() + 2, w.shape.end());
  const Dims out(y_shape.begin() + 2, y_shape.end());
  std::vector<double> y(static_cast<size_t>(count(y_shape)), 0.0);
  for (int64_t n = 0; n < x.shape[0]; ++n) {
    for (int64_t ci = 0; ci < c; ++ci) {
      const int64_t grp = ci / cg;
      for (int64_t i = 0; i < count(in); ++i) {
        const Dims ii = unravel(i, in);
        const double xv = x.data[static_cast<size_t>((n * c + ci) * count(in) + i)];
        for (int64_t m = 0; m < mg; ++m) {
          for (int64_t t = 0; t < count(k); ++t) {
            const Dims kk = unravel(t, k);
            int64_t o = 0;
            bool inside = true;
            for (size_t d = 0; d < rank; ++d) {
              const int64_t pos = ii[d] * strides[d] - pad_begin[d] + kk[d] * dilations[d];
              inside = inside && pos >= 0 && pos < out[d];
              o = o * out[d] + pos;
            }
            if (!inside) continue;
            const double wv = w.data[static_cast<size_t>((ci * mg + m) * count(k) + t)];
            y[static_cast<size_t>((n * mg * group + grp * mg + m) * count(out) + o)] += xv * wv;
          }
        }
      }
    }
  }
  std::vector<float> yf(y.size());
  for (size_t i = 0; i < y.size(); ++i) {
    const int64_t channel = static_cast<int64_t>(i) / count(out) % (mg * group);
    yf[i] = static_cast<float>(y[i] + (b ? b->data[static_cast<size_t>(channel)] : 0.0f));
  }
  return yf;
}

struct Case {
  const char* name;
  Dims x, w;
  ConvTransposeParams p;
  Dims expected_spatial, pad_begin;
};

Case make(const char* name, Dims x, Dims w, ConvTransposeParams p, Dims spatial, Dims pb) {
  return {name, std::move(x), std::move(w), std::move(p), std::move(spatial), std::move(pb)};
}

TEST(ConvTranspose, MatchesReference) {
  std::vector<Case> cases;
  cases.push_back(make("2-D default", {1, 2, 3, 3}, {2, 3, 3, 3}, {}, {5, 5}, {0, 0}));
  cases.push_back(make("1-D stride 2", {2, 1, 4}, {1, 2, 3}, {.strides = {2}}, {9}, {0}));
  cases.push_back(make("pads and output_padding", {1, 1, 3, 3}, {1, 2, 3, 3},
                       {.strides = {3, 2}, .pads = {1, 2, 1, 2}, .output_padding = {1, 0}}, {8, 3},
                       {1, 2}));
  cases.push_back(
      make("dilations", {1, 1, 3, 3}, {1, 1, 2, 2}, {.dilations = {2, 2}}, {5, 5}, {0, 0}));
  cases.push_back(make("groups", {2, 4, 3, 2}, {4, 3, 2, 2}, {.group = 2}, {4, 3}, {0, 0}));
  cases.push_back(make("output_shape larger than natural", {1, 1, 3, 3}, {1, 2, 3, 3},
                       {.strides = {3, 2}, .output_shape = {10, 8}}, {10, 8}, {0, 0}));
  cases.push_back(make("output_shape smaller: pads split", {1, 1, 3, 3}, {1, 1, 3, 3},
                       {.strides = {2, 2}, .output_shape = {5, 6}}, {5, 6}, {1, 1}));
  cases.push_back(make("SAME_UPPER", {1, 1, 3, 3}, {1, 2, 3, 3},
                       {.strides = {2, 2}, .auto_pad = AutoPad::kSameUpper}, {6, 6}, {0, 0}));
  cases.push_back(make("SAME_LOWER", {1, 1, 3, 3}, {1, 2, 4, 4},
                       {.strides = {2, 2}, .auto_pad = AutoPad::kSameLower}, {6, 6}, {1, 1}));
  cases.push_back(make("3-D", {1, 2, 2, 3, 2}, {2, 1, 2, 2, 3},
                       {.strides = {1, 2, 1}, .pads = {0, 1, 1, 0, 0, 1}}, {3, 5, 2}, {0, 1, 1}));
  std::mt19937 rng(61);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const TTensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng);
    const Dims bias_shape{c.w[1] * (c.p.group)};
    const TTensor b = random_tensor(bias_shape, rng);
    const ConvTransposePlan plan = plan_conv_transpose(c.p, c.x, c.w, ShapeSpan(bias_shape));
    Dims y_shape{c.x[0], c.w[1] * c.p.group};
    y_shape.insert(y_shape.end(), c.expected_spatial.begin(), c.expected_spatial.end());
    ASSERT_EQ(plan.y_shape, y_shape);
    const size_t rank = c.x.size() - 2;
    const Dims strides = c.p.strides.empty() ? Dims(rank, 1) : c.p.strides;
    const Dims dilations = c.p.dilations.empty() ? Dims(rank, 1) : c.p.dilations;
    const std::vector<float> expected =
        ref_conv_transpose(x, w, &b, c.p.group, strides, dilations, c.pad_begin, y_shape);
    std::vector<float> y(expected.size(), NAN);
    conv_transpose<float>(plan, x.data.data(), w.data.data(), b.data.data(), y.data());
    expect_close(y, expected);

    // float64 natively and float16 through float.
    const std::vector<double> xd(x.data.begin(), x.data.end()), wd(w.data.begin(), w.data.end());
    std::vector<double> yd(expected.size());
    conv_transpose<double>(plan, xd.data(), wd.data(), nullptr, yd.data());
    const std::vector<float> no_bias =
        ref_conv_transpose(x, w, nullptr, c.p.group, strides, dilations, c.pad_begin, y_shape);
    expect_close(std::vector<float>(yd.begin(), yd.end()), no_bias);
    std::vector<Float16> xh(x.data.size()), wh(w.data.size()), yh(expected.size());
    for (size_t i = 0; i < xh.size(); ++i) xh[i] = {float_to_half(x.data[i])};
    for (size_t i = 0; i < wh.size(); ++i) wh[i] = {float_to_half(w.data[i])};
    conv_transpose<Float16>(plan, xh.data(), wh.data(), nullptr, yh.data());
    std::vector<float> yhf(yh.size());
    for (size_t i = 0; i < yh.size(); ++i) yhf[i] = half_to_float(yh[i].bits);
    expect_close(yhf, no_bias, 1e-2f);
  }
}

TEST(ConvTranspose, RejectsBadInputs) {
  const Dims x{1, 2, 3, 3}, w{2, 1, 2, 2}, w_bad{3, 1, 2, 2}, w_rank{2, 1, 2}, b_bad{3};
  const ConvTransposeParams p;
  expect_error([&] { plan_conv_transpose(p, x, w_bad, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "[C, M / group");
  expect_error([&] { plan_conv_transpose(p, x, w_rank, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "rank");
  expect_error([&] { plan_conv_transpose(p, x, w, ShapeSpan(b_bad)); }, INFER_INVALID_ARGUMENT,
               "bias");
  ConvTransposeParams big_pads;
  big_pads.pads = {3, 3, 3, 3};
  expect_error([&] { plan_conv_transpose(big_pads, x, w, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "negative output size");
  ConvTransposeParams bad;
  bad.strides = {0, 1};
  expect_error([&] { validate_conv_transpose_params(bad, 2); }, INFER_INVALID_MODEL, "strides");
  bad = {};
  bad.group = 0;
  expect_error([&] { validate_conv_transpose_params(bad, 2); }, INFER_INVALID_MODEL, "group");
  bad = {};
  bad.output_padding = {1};
  expect_error([&] { validate_conv_transpose_params(bad, 2); }, INFER_INVALID_MODEL,
               "output_padding");
  bad = {};
  bad.group = 3;
  expect_error([&] { plan_conv_transpose(bad, x, w, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "divisible by group 3");
}

}  // namespace
}  // namespace infer::cpu::test
