// The NCHWc kernels against the naive NCHW references: each test reorders an NCHW input into
// blocks, runs the blocked kernel and reorders the result back.
#include "kernels/nchwc.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/parallel.h"
#include "nchwc_test_util.h"
#include "reference.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

class Nchwc : public ::testing::TestWithParam<int64_t> {
 protected:
  int64_t block() const { return GetParam(); }

  std::vector<float> to_blocked(const TTensor& x) const {
    std::vector<float> y(static_cast<size_t>(count(nchwc_shape(x.shape, block()))), -1.0f);
    nchwc_reorder_input(x.data.data(), x.shape, block(), y.data());
    return y;
  }

  std::mt19937 rng_{42};
};

TEST_P(Nchwc, ReorderRoundTripPadsWithZeros) {
  for (int64_t channels : {int64_t{3}, int64_t{5}, block(), block() + 3, 3 * block()}) {
    const TTensor x = random_tensor({2, channels, 3, 4}, rng_);
    const Dims blocked = nchwc_shape(x.shape, block());
    EXPECT_EQ(blocked, (Dims{2, (channels + block() - 1) / block(), 3, 4, block()}));
    const std::vector<float> xb = to_blocked(x);
    // Lane l of block cb at pixel p holds channel cb * b + l, or 0 past the last channel.
    for (int64_t n = 0; n < 2; ++n) {
      for (int64_t cb = 0; cb < blocked[1]; ++cb) {
        for (int64_t p = 0; p < 12; ++p) {
          for (int64_t l = 0; l < block(); ++l) {
            const int64_t c = cb * block() + l;
            const float got =
                xb[static_cast<size_t>(((n * blocked[1] + cb) * 12 + p) * block() + l)];
            const float want =
                c < channels ? x.data[static_cast<size_t>((n * channels + c) * 12 + p)] : 0.0f;
            ASSERT_EQ(got, want) << "n " << n << " c " << c << " p " << p;
          }
        }
      }
    }
    EXPECT_EQ(blocked_to_nchw(xb, blocked, channels).data, x.data);
  }
  expect_error(
      [&] {
        nchwc_reorder_output_shape(Dims{1, 2, 3, 3, block()}, 2 * block() + 1);
      },
      INFER_INVALID_ARGUMENT, "do not fit");
}

struct ConvCase {
  Dims x, w;  // NCHW input, OIHW weight
  ref::WindowAttrs attrs;
  bool residual = false;
  const char* activation = "";
  std::vector<float> activation_params = {};
  bool nchw_input = false;  // feed X in NCHW (first conv)
};

float reference_activation(const std::string& name, const std::vector<float>& p, float v) {
  if (name == "Relu") return v > 0 ? v : 0;
  if (name == "LeakyRelu") return v >= 0 ? v : p[0] * v;
  if (name == "Clip") return std::min(std::max(v, p[0]), p[1]);
  if (name == "HardSigmoid") return std::max(0.0f, std::min(1.0f, p[0] * v + p[1]));
  if (name == "Sigmoid") return 1.0f / (1.0f + std::exp(-v));
  if (name == "Tanh") return std::tanh(v);
  if (name == "Gelu") return 0.5f * v * (1.0f + std::erf(v / std::sqrt(2.0f)));
  return v;
}

WindowParams window_params(const ref::WindowAttrs& a) {
  WindowParams p;
  p.kernel_shape = a.kernel_shape;
  p.strides = a.strides;
  p.dilations = a.dilations;
  p.pads = a.pads;
  p.auto_pad = parse_auto_pad(a.auto_pad);
  p.ceil_mode = a.ceil_mode;
  return p;
}

class NchwcConvTest : public Nchwc {
 protected:
  void check(const ConvCase& c) {
    SCOPED_TRACE(dims_str(c.x) + " * " + dims_str(c.w));
    const TTensor x = random_tensor(c.x, rng_), w = random_tensor(c.w, rng_);
    const TTensor bias = random_tensor({c.w[0]}, rng_);
    TTensor want = ref::conv(x, w, &bias, c.attrs);
    const TTensor z = random_tensor(want.shape, rng_);
    const FusedActivation act = parse_fused_activation(c.activation, c.activation_params);
    for (size_t i = 0; i < want.data.size(); ++i) {
      want.data[i] = reference_activation(c.activation, c.activation_params,
                                          want.data[i] + (c.residual ? z.data[i] : 0.0f));
    }

    const NchwcConvWeights packed =
        pack_nchwc_conv_weights(w.data.data(), w.shape, bias.data.data(), c.attrs.group, block());
    ConvParams params{window_params(c.attrs), c.attrs.group};
    const std::vector<float> xb = c.nchw_input ? x.data : to_blocked(x);
    const Dims x_shape = c.nchw_input ? c.x : nchwc_shape(c.x, block());
    const NchwcConvPlan plan = plan_nchwc_conv(params, x_shape, packed);
    ASSERT_EQ(plan.y_shape, nchwc_shape(want.shape, block()));
    const std::vector<float> zb = to_blocked(z);
    std::vector<float> yb(static_cast<size_t>(count(plan.y_shape)), NAN);
    nchwc_conv(plan, packed, xb.data(), c.residual ? zb.data() : nullptr, act, yb.data());
    expect_close(blocked_to_nchw(yb, plan.y_shape, want.shape[1]).data, want.data);
    // Split over threads (3, so that units do not divide evenly) the sums are the same.
    static IntraOpPool pool(3);
    const ScopedIntraOpPool use(&pool);
    std::vector<float> threaded(yb.size(), NAN);
    nchwc_conv(plan, packed, xb.data(), c.residual ? zb.data() : nullptr, act, threaded.data());
    EXPECT_EQ(std::memcmp(threaded.data(), yb.data(), yb.size() * sizeof(float)), 0);
  }
};

TEST_P(NchwcConvTest, PaddedThreeByThree) {
  // 7 output blocks of 16 (or 14 of 8) exercise the 4-, 2- and 1-block tiles; width 30 the
  // interior pixel tiles between checked edges.
  check({.x = {1, 16, 9, 30}, .w = {112, 16, 3, 3}, .attrs = {.pads = {1, 1, 1, 1}}});
  check({.x = {2, 5, 6, 7}, .w = {20, 5, 3, 3}, .attrs = {.pads = {0, 2, 1, 0}}});
}

TEST_P(NchwcConvTest, StrideTwoAndDilation) {
  check({.x = {1, 24, 15, 17},
         .w = {40, 24, 3, 3},
         .attrs = {.strides = {2, 2}, .pads = {1, 1, 1, 1}}});
  check({.x = {1, 8, 13, 20},
         .w = {24, 8, 3, 3},
         .attrs = {.strides = {1, 2}, .dilations = {2, 3}, .pads = {2, 3, 2, 3}}});
  check({.x = {1, 16, 8, 8}, .w = {32, 16, 1, 1}, .attrs = {.strides = {2, 2}}});
  check({.x = {1, 16, 9, 9},
         .w = {16, 16, 3, 3},
         .attrs = {.strides = {2, 2}, .auto_pad = "SAME_UPPER"}});
}

TEST_P(NchwcConvTest, PointwiseTreatsTheImageAsOneRow) {
  check({.x = {2, 24, 7, 5}, .w = {40, 24, 1, 1}, .attrs = {}});
  check({.x = {1, 3 * block(), 14, 14}, .w = {4 * block(), 3 * block(), 1, 1}, .attrs = {}});
}

TEST_P(NchwcConvTest, FirstConvReadsNchw) {
  check({.x = {1, 3, 23, 21},
         .w = {16, 3, 7, 7},
         .attrs = {.strides = {2, 2}, .pads = {3, 3, 3, 3}},
         .nchw_input = true});
  check({.x = {2, 3, 10, 10},
         .w = {24, 3, 3, 3},
         .attrs = {.pads = {1, 1, 1, 1}},
         .activation = "Relu",
         .nchw_input = true});
}

TEST_P(NchwcConvTest, Depthwise) {
  check({.x = {1, 24, 11, 19}, .w = {24, 1, 3, 3}, .attrs = {.pads = {1, 1, 1, 1}, .group = 24}});
  check({.x = {2, 40, 12, 29},
         .w = {40, 1, 3, 3},
         .attrs = {.strides = {2, 2}, .pads = {1, 1, 1, 1}, .group = 40},
         .activation = "Clip",
         .activation_params = {0.0f, 6.0f}});
  check({.x = {1, 16, 10, 10},
         .w = {16, 1, 5, 5},
         .attrs = {.dilations = {2, 2}, .pads = {4, 4, 4, 4}, .group = 16},
         .residual = true});
}

TEST_P(NchwcConvTest, ResidualAndActivations) {
  const ConvCase base{
      .x = {1, 16, 6, 19}, .w = {24, 16, 3, 3}, .attrs = {.pads = {1, 1, 1, 1}}, .residual = true};
  for (const auto& [name, params] :
       std::vector<std::pair<const char*, std::vector<float>>>{{"", {}},
                                                               {"Relu", {}},
                                                               {"LeakyRelu", {0.1f}},
                                                               {"Clip", {-0.5f, 0.5f}},
                                                               {"HardSigmoid", {0.3f, 0.4f}},
                                                               {"Sigmoid", {}},
                                                               {"Tanh", {}},
                                                               {"Gelu", {}}}) {
    SCOPED_TRACE(name);
    ConvCase c = base;
    c.activation = name;
    c.activation_params = params;
    check(c);
  }
}

TEST_P(NchwcConvTest, RejectsMismatchedInputs) {
  const std::vector<float> w(16 * 8 * 9, 0.0f);
  const NchwcConvWeights packed =
      pack_nchwc_conv_weights(w.data(), Dims{16, 8, 3, 3}, nullptr, 1, block());
  const ConvParams params{};
  expect_error(
      [&] {
        plan_nchwc_conv(params, Dims{1, 3, 5, 5, block()}, packed);
      },
      INFER_INVALID_ARGUMENT, "does not hold");
  expect_error(
      [&] {
        plan_nchwc_conv(params, Dims{1, 9, 5, 5}, packed);
      },
      INFER_INVALID_ARGUMENT, "must be blocked");
  expect_error(
      [&] {
        pack_nchwc_conv_weights(w.data(), Dims{16, 4, 3, 3}, nullptr, 2, block());
      },
      INFER_UNIMPLEMENTED, "group");
}

class NchwcPoolTest : public Nchwc {
 protected:
  // kind: 'm' max, 'a' average, 'M' global max, 'A' global average.
  void check(char kind, const Dims& x_shape, const ref::WindowAttrs& attrs = {}) {
    SCOPED_TRACE(std::string(1, kind) + " " + dims_str(x_shape));
    const TTensor x = random_tensor(x_shape, rng_);
    const std::vector<float> xb = to_blocked(x);
    const Dims xs = nchwc_shape(x_shape, block());
    TTensor want;
    std::vector<float> yb;
    Dims ys;
    if (kind == 'm' || kind == 'a') {
      want = kind == 'm' ? ref::max_pool(x, attrs) : ref::average_pool(x, attrs);
      const NchwcPoolPlan plan = plan_nchwc_pool(window_params(attrs), xs);
      ys = plan.y_shape;
      yb.resize(static_cast<size_t>(count(ys)));
      if (kind == 'm') {
        nchwc_max_pool(plan, xs, xb.data(), yb.data());
      } else {
        nchwc_average_pool(plan, xs, attrs.count_include_pad, xb.data(), yb.data());
      }
    } else {
      want = kind == 'A' ? ref::global_average_pool(x)
                         : ref::max_pool(x, {.kernel_shape = {x_shape[2], x_shape[3]}});
      ys = {xs[0], xs[1], 1, 1, xs[4]};
      yb.resize(static_cast<size_t>(count(ys)));
      nchwc_global_pool(kind == 'M', xb.data(), xs, yb.data());
    }
    ASSERT_EQ(ys, nchwc_shape(want.shape, block()));
    expect_close(blocked_to_nchw(yb, ys, x_shape[1]).data, want.data, 1e-5f);
  }
};

TEST_P(NchwcPoolTest, MaxPool) {
  check('m', {2, 20, 11, 13}, {.kernel_shape = {3, 3}, .strides = {2, 2}, .pads = {1, 1, 1, 1}});
  check('m', {1, 16, 8, 9}, {.kernel_shape = {2, 3}, .dilations = {2, 1}, .ceil_mode = true});
}

TEST_P(NchwcPoolTest, AveragePool) {
  check('a', {1, 24, 9, 10}, {.kernel_shape = {3, 3}, .strides = {2, 2}, .pads = {1, 1, 1, 1}});
  check(
      'a', {2, 5, 9, 10},
      {.kernel_shape = {3, 3}, .strides = {2, 2}, .pads = {1, 0, 1, 2}, .count_include_pad = true});
  check('a', {1, 8, 7, 7}, {.kernel_shape = {2, 2}, .strides = {2, 2}, .ceil_mode = true});
}

TEST_P(NchwcPoolTest, GlobalPools) {
  check('A', {2, 20, 7, 7});
  check('M', {1, 37, 5, 3});
}

INSTANTIATE_TEST_SUITE_P(Blocks, Nchwc, ::testing::Values(8, 16));
INSTANTIATE_TEST_SUITE_P(Blocks, NchwcConvTest, ::testing::Values(8, 16));
INSTANTIATE_TEST_SUITE_P(Blocks, NchwcPoolTest, ::testing::Values(8, 16));

}  // namespace
}  // namespace infer::cpu::test
