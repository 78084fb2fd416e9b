// The Winograd NCHWc convolution against the naive reference and the direct NCHWc kernel, and
// its accuracy on ResNet-like layers against a double-precision convolution.
#include "kernels/nchwc_winograd.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "kernels/parallel.h"
#include "nchwc_test_util.h"
#include "reference.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Conv params with group 1 and the window that `set` fills in.
template <typename Fn>
ConvParams with_window(Fn set) {
  ConvParams p;
  set(p.window);
  return p;
}

class NchwcWinogradTest : public ::testing::TestWithParam<int64_t> {
 protected:
  int64_t block() const { return GetParam(); }

  // Blocked copy of x whose padded lanes hold large finite values that must not leak.
  std::vector<float> to_blocked(const TTensor& x) const {
    const Dims bs = nchwc_shape(x.shape, block());
    std::vector<float> y(static_cast<size_t>(count(bs)));
    nchwc_reorder_input(x.data.data(), x.shape, block(), y.data());
    for (size_t i = 0; i < y.size(); ++i) {
      const int64_t c =
          static_cast<int64_t>(i / static_cast<size_t>(bs[2] * bs[3] * bs[4])) % bs[1] * block() +
          static_cast<int64_t>(i) % block();
      if (c >= x.shape[1]) y[i] = 1e3f + static_cast<float>(i % 7);
    }
    return y;
  }

  struct Case {
    Dims x, w;
    Dims pads = {1, 1, 1, 1};
    bool residual = false;
    const char* activation = "";
    std::vector<float> params = {};
    int tile = kNchwcWinogradTile;
  };

  void check(const Case& c) {
    SCOPED_TRACE(dims_str(c.x) + " * " + dims_str(c.w) + " pads " + dims_str(c.pads) + " tile " +
                 std::to_string(c.tile));
    const TTensor x = random_tensor(c.x, rng_), w = random_tensor(c.w, rng_);
    const TTensor bias = random_tensor({c.w[0]}, rng_);
    const ref::WindowAttrs attrs{.pads = c.pads};
    TTensor want = ref::conv(x, w, &bias, attrs);
    const TTensor z = random_tensor(want.shape, rng_);
    const std::string act_name = c.activation;
    for (size_t i = 0; i < want.data.size(); ++i) {
      float v = want.data[i] + (c.residual ? z.data[i] : 0.0f);
      if (act_name == "Relu") v = std::max(v, 0.0f);
      if (act_name == "Clip") v = std::clamp(v, c.params[0], c.params[1]);
      if (act_name == "Sigmoid") v = 1.0f / (1.0f + std::exp(-v));
      want.data[i] = v;
    }
    const FusedActivation act = parse_fused_activation(c.activation, c.params);
    const ConvParams params = with_window([&](WindowParams& p) { p.pads = c.pads; });
    ASSERT_TRUE(nchwc_winograd_applies(params, c.w));

    const NchwcWinogradWeights packed =
        pack_nchwc_winograd_weights(w.data.data(), w.shape, bias.data.data(), block(), c.tile);
    const std::vector<float> xb = to_blocked(x);
    const Dims x_shape = nchwc_shape(c.x, block());
    const NchwcConvPlan plan = plan_nchwc_winograd(params, x_shape, packed);
    ASSERT_EQ(plan.y_shape, nchwc_shape(want.shape, block()));
    const std::vector<float> zb = to_blocked(z);
    const float* zp = c.residual ? zb.data() : nullptr;
    std::vector<float> yb(static_cast<size_t>(count(plan.y_shape)), NAN);
    nchwc_winograd_conv(plan, packed, xb.data(), zp, act, yb.data());
    expect_close(blocked_to_nchw(yb, plan.y_shape, want.shape[1]).data, want.data);

    // The direct kernel on the same blocked input.
    const NchwcConvWeights direct_w =
        pack_nchwc_conv_weights(w.data.data(), w.shape, bias.data.data(), 1, block());
    const NchwcConvPlan direct_plan = plan_nchwc_conv(params, x_shape, direct_w);
    std::vector<float> direct(yb.size(), NAN);
    nchwc_conv(direct_plan, direct_w, xb.data(), zp, act, direct.data());
    expect_close(blocked_to_nchw(yb, plan.y_shape, want.shape[1]).data,
                 blocked_to_nchw(direct, plan.y_shape, want.shape[1]).data);

    // On 2 threads the chunks differ but every output sums in the same order.
    static IntraOpPool pool(2);
    const ScopedIntraOpPool use(&pool);
    std::vector<float> threaded(yb.size(), NAN);
    nchwc_winograd_conv(plan, packed, xb.data(), zp, act, threaded.data());
    EXPECT_EQ(std::memcmp(threaded.data(), yb.data(), yb.size() * sizeof(float)), 0);
  }

  std::mt19937 rng_{7};
};

TEST_P(NchwcWinogradTest, ImageSizesAndPads) {
  const std::vector<Dims> pads = {{1, 1, 1, 1}, {0, 0, 0, 0}, {0, 1, 1, 0}, {1, 0, 0, 1}};
  for (const Dims& hw : std::vector<Dims>{
           {1, 1}, {1, 2}, {2, 3}, {3, 3}, {4, 4}, {5, 7}, {6, 6}, {7, 7}, {8, 9}, {13, 17}}) {
    for (const Dims& p : pads) {
      // The output must not be empty: each axis needs 3 taps inside the padded extent.
      if (hw[0] + p[0] + p[2] < 3 || hw[1] + p[1] + p[3] < 3) continue;
      for (int tile : {2, 4}) {
        check({.x = {1, 5, hw[0], hw[1]}, .w = {20, 5, 3, 3}, .pads = p, .tile = tile});
      }
    }
  }
}

TEST_P(NchwcWinogradTest, ChannelsBatchResidualAndActivations) {
  const int64_t b = block();
  check({.x = {2, b + 3, 9, 11}, .w = {2 * b + 5, b + 3, 3, 3}, .residual = true});
  check(
      {.x = {2, 3 * b, 14, 14}, .w = {5 * b, 3 * b, 3, 3}, .residual = true, .activation = "Relu"});
  check({.x = {1, 2 * b, 7, 7},
         .w = {3 * b - 1, 2 * b, 3, 3},
         .pads = {0, 1, 1, 0},
         .activation = "Clip",
         .params = {-0.5f, 0.5f},
         .tile = 2});
  check({.x = {2, b, 10, 13}, .w = {4 * b, b, 3, 3}, .residual = true, .activation = "Sigmoid"});
}

TEST_P(NchwcWinogradTest, AppliesAndRejects) {
  const ConvParams same = with_window([](WindowParams& p) { p.auto_pad = AutoPad::kSameUpper; });
  const Dims w3 = {8, 8, 3, 3};
  EXPECT_TRUE(nchwc_winograd_applies(same, w3));
  EXPECT_FALSE(nchwc_winograd_applies(same, Dims{8, 8, 5, 5}));
  EXPECT_FALSE(nchwc_winograd_applies(with_window([](WindowParams& p) {
                                        p.pads = {2, 2, 2, 2};
                                      }),
                                      w3));
  EXPECT_FALSE(nchwc_winograd_applies(with_window([](WindowParams& p) {
                                        p.strides = {2, 2};
                                      }),
                                      w3));
  EXPECT_FALSE(nchwc_winograd_applies(with_window([](WindowParams& p) {
                                        p.dilations = {2, 2};
                                      }),
                                      w3));
  ConvParams grouped;
  grouped.group = 2;
  EXPECT_FALSE(nchwc_winograd_applies(grouped, Dims{8, 4, 3, 3}));
  const std::vector<float> w(8 * 8 * 9, 0.0f);
  const NchwcWinogradWeights packed =
      pack_nchwc_winograd_weights(w.data(), Dims{8, 8, 3, 3}, nullptr, block());
  expect_error(
      [&] {
        plan_nchwc_winograd({}, Dims{1, 3, 5, 5, block()}, packed);
      },
      INFER_INVALID_ARGUMENT, "does not hold");
}

// max |y - y_ref| / max |y_ref| on ResNet-like layers against a double-precision direct conv;
// decided kNchwcWinogradTile (F(4x4, 3x3) only if this stays below 2e-5).
TEST(NchwcWinograd, AccuracyOfTileSizes) {
  constexpr int64_t b = 16;
  std::mt19937 rng(1);
  for (const auto& [c, hw] :
       std::vector<std::pair<int64_t, int64_t>>{{64, 56}, {256, 14}, {512, 7}}) {
    const TTensor x = random_tensor({1, c, hw, hw}, rng);
    TTensor w{{c, c, 3, 3}, std::vector<float>(static_cast<size_t>(c * c * 9))};
    std::normal_distribution<float> normal(0.0f, std::sqrt(2.0f / (9.0f * static_cast<float>(c))));
    for (float& v : w.data) v = normal(rng);
    // Double-precision reference, pads 1.
    std::vector<double> want(static_cast<size_t>(c * hw * hw), 0.0);
    double max_y = 0;
    for (int64_t m = 0; m < c; ++m) {
      for (int64_t ic = 0; ic < c; ++ic) {
        for (int64_t kh = 0; kh < 3; ++kh) {
          for (int64_t kw = 0; kw < 3; ++kw) {
            const double wv = w.data[static_cast<size_t>(((m * c + ic) * 3 + kh) * 3 + kw)];
            for (int64_t oh = 0; oh < hw; ++oh) {
              const int64_t ih = oh + kh - 1;
              if (ih < 0 || ih >= hw) continue;
              for (int64_t ow = 0; ow < hw; ++ow) {
                const int64_t iw = ow + kw - 1;
                if (iw < 0 || iw >= hw) continue;
                want[static_cast<size_t>((m * hw + oh) * hw + ow)] +=
                    wv * x.data[static_cast<size_t>((ic * hw + ih) * hw + iw)];
              }
            }
          }
        }
      }
    }
    for (double v : want) max_y = std::max(max_y, std::fabs(v));
    std::vector<float> xb(static_cast<size_t>(count(nchwc_shape(x.shape, b))));
    nchwc_reorder_input(x.data.data(), x.shape, b, xb.data());
    const ConvParams params = with_window([](WindowParams& p) { p.pads = {1, 1, 1, 1}; });
    for (int tile : {2, 4}) {
      const NchwcWinogradWeights packed =
          pack_nchwc_winograd_weights(w.data.data(), w.shape, nullptr, b, tile);
      const NchwcConvPlan plan = plan_nchwc_winograd(params, nchwc_shape(x.shape, b), packed);
      std::vector<float> yb(static_cast<size_t>(count(plan.y_shape)));
      nchwc_winograd_conv(plan, packed, xb.data(), nullptr, {}, yb.data());
      std::vector<float> y(want.size());
      nchwc_reorder_output(yb.data(), plan.y_shape, c, y.data());
      double err = 0;
      for (size_t i = 0; i < y.size(); ++i) err = std::max(err, std::fabs(y[i] - want[i]));
      std::printf("F(%dx%d,3x3) C=M=%ld %ldx%ld: max|err|/max|y| = %.3g\n", tile, tile,
                  static_cast<long>(c), static_cast<long>(hw), static_cast<long>(hw), err / max_y);
      if (tile == kNchwcWinogradTile) {
        EXPECT_LT(err / max_y, 2e-5);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Blocks, NchwcWinogradTest, ::testing::Values(8, 16));

}  // namespace
}  // namespace infer::cpu::test
