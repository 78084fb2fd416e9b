#include "kernels/conv.h"

#include "reference.h"

namespace infer::cpu::test {
namespace {

ConvParams to_params(const ref::WindowAttrs& a) {
  ConvParams p;
  p.window.kernel_shape = a.kernel_shape;
  p.window.strides = a.strides;
  p.window.dilations = a.dilations;
  p.window.pads = a.pads;
  p.window.auto_pad = parse_auto_pad(a.auto_pad);
  p.group = a.group;
  return p;
}

struct ConvCase {
  const char* name;
  Dims x, w;
  bool bias;
  ref::WindowAttrs attrs;
};

TEST(Conv, MatchesReference) {
  std::mt19937 rng(1);
  const ConvCase cases[] = {
      {"3x3 pad 1", {2, 3, 7, 7}, {4, 3, 3, 3}, true, {.pads = {1, 1, 1, 1}}},
      {"stride 2, asymmetric pads",
       {1, 3, 8, 9},
       {5, 3, 3, 3},
       false,
       {.strides = {2, 2}, .pads = {0, 1, 1, 0}}},
      {"dilation 2", {1, 2, 9, 9}, {3, 2, 3, 3}, true, {.dilations = {2, 2}, .pads = {2, 2, 2, 2}}},
      {"mixed strides and dilations",
       {2, 2, 11, 10},
       {2, 2, 3, 2},
       true,
       {.strides = {2, 3}, .dilations = {2, 1}, .pads = {1, 0, 1, 2}}},
      {"2 groups", {2, 4, 6, 6}, {6, 2, 3, 3}, true, {.pads = {1, 1, 1, 1}, .group = 2}},
      {"depthwise, stride 2",
       {1, 5, 9, 8},
       {5, 1, 3, 3},
       true,
       {.strides = {2, 2}, .pads = {1, 1, 1, 1}, .group = 5}},
      {"depthwise, multiplier 2", {1, 3, 6, 6}, {6, 1, 3, 3}, false, {.group = 3}},
      {"pointwise", {2, 8, 5, 5}, {4, 8, 1, 1}, true, {}},
      {"pointwise, stride 2", {1, 4, 5, 5}, {3, 4, 1, 1}, false, {.strides = {2, 2}}},
      {"SAME_UPPER, stride 2",
       {1, 2, 7, 8},
       {3, 2, 3, 3},
       true,
       {.strides = {2, 2}, .auto_pad = "SAME_UPPER"}},
      {"SAME_LOWER, stride 2",
       {1, 2, 7, 8},
       {3, 2, 4, 4},
       true,
       {.strides = {2, 2}, .auto_pad = "SAME_LOWER"}},
      {"SAME_UPPER, even kernel", {1, 1, 6, 6}, {2, 1, 2, 2}, false, {.auto_pad = "SAME_UPPER"}},
      {"SAME_LOWER, even kernel", {1, 1, 6, 6}, {2, 1, 2, 2}, false, {.auto_pad = "SAME_LOWER"}},
      {"VALID", {1, 3, 8, 7}, {2, 3, 3, 2}, true, {.strides = {2, 1}, .auto_pad = "VALID"}},
      {"kernel_shape given", {1, 2, 5, 5}, {2, 2, 2, 3}, false, {.kernel_shape = {2, 3}}},
      {"1-D", {2, 3, 10}, {4, 3, 3}, true, {.strides = {2}, .pads = {1, 2}}},
      {"3-D",
       {1, 2, 5, 6, 4},
       {3, 2, 3, 2, 3},
       true,
       {.strides = {1, 2, 1}, .pads = {1, 0, 1, 1, 1, 0}}},
      // GEMM inner dimension 144 and 576 columns cross the kernel's K and N blocks.
      {"several GEMM blocks", {1, 16, 24, 24}, {8, 16, 3, 3}, true, {.pads = {1, 1, 1, 1}}},
      {"empty batch", {0, 2, 4, 4}, {2, 2, 3, 3}, true, {}},
  };
  for (const ConvCase& c : cases) {
    SCOPED_TRACE(c.name);
    const TTensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng);
    const TTensor b = random_tensor({c.w[0]}, rng);
    const ConvPlan plan = plan_conv(to_params(c.attrs), c.x, c.w,
                                    c.bias ? std::optional<ShapeSpan>(b.shape) : std::nullopt);
    const TTensor expected = ref::conv(x, w, c.bias ? &b : nullptr, c.attrs);
    ASSERT_EQ(plan.y_shape, expected.shape);
    std::vector<float> y(static_cast<size_t>(count(plan.y_shape)), NAN);
    conv(plan, x.data.data(), w.data.data(), c.bias ? b.data.data() : nullptr, y.data());
    expect_close(y, expected.data);
  }
}

TEST(Conv, RejectsBadAttributes) {
  ConvParams p;
  p.window.strides = {0, 1};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'strides'");
  expect_error([&] { validate_conv_params(p, 0); }, INFER_INVALID_MODEL, "'strides'");
  p = {};
  p.window.dilations = {1, -1};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'dilations'");
  p = {};
  p.group = 0;
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'group'");
  p = {};
  p.window.strides = {1, 1, 1};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "3 values, expected 2");
  p = {};
  p.window.pads = {1, 1};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'pads'");
  p = {};
  p.window.pads = {0, -1, 0, 0};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'pads'");
  p = {};
  p.window.pads = {0, int64_t{1} << 40, 0, 0};
  expect_error([&] { validate_conv_params(p, 2); }, INFER_INVALID_MODEL, "'pads'");
  expect_error([] { parse_auto_pad("SAME"); }, INFER_INVALID_MODEL, "auto_pad");
}

TEST(Conv, RejectsBadShapes) {
  const ConvParams p;
  const Dims x{1, 3, 5, 5}, w_bad_channels{2, 2, 3, 3}, w{2, 3, 3, 3}, w_rank3{2, 3, 3};
  expect_error([&] { plan_conv(p, x, w_bad_channels, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "input channels");
  expect_error([&] { plan_conv(p, x, w_rank3, std::nullopt); }, INFER_INVALID_ARGUMENT, "rank");
  const Dims bias_bad{3};
  expect_error([&] { plan_conv(p, x, w, ShapeSpan(bias_bad)); }, INFER_INVALID_ARGUMENT, "bias");
  ConvParams grouped;
  grouped.group = 2;
  expect_error([&] { plan_conv(grouped, x, w, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "divisible");
  const Dims small{1, 3, 2, 2};
  expect_error([&] { plan_conv(p, small, w, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "larger than padded input");
  const Dims x4d{1, 1, 2, 2, 2, 2}, w4d{1, 1, 1, 1, 1, 1};
  expect_error([&] { plan_conv(p, x4d, w4d, std::nullopt); }, INFER_UNIMPLEMENTED, "spatial");
  ConvParams ks;
  ks.window.kernel_shape = {2, 2};
  expect_error([&] { plan_conv(ks, x, w, std::nullopt); }, INFER_INVALID_ARGUMENT, "kernel_shape");
  ConvParams stride0;
  stride0.window.strides = {1, 0};
  expect_error([&] { plan_conv(stride0, x, w, std::nullopt); }, INFER_INVALID_MODEL, "'strides'");
}

TEST(Window, ResolvesKnownGeometries) {
  WindowParams p;
  p.strides = {2};
  p.auto_pad = AutoPad::kSameUpper;
  const Dims in{7}, k{3};
  WindowGeometry g = resolve_window(p, in, k);
  EXPECT_EQ(g.out[2], 4);
  EXPECT_EQ(g.pad_begin[2], 1);
  EXPECT_EQ(g.pad_end[2], 1);
  const Dims in8{8};
  p.auto_pad = AutoPad::kSameLower;
  g = resolve_window(p, in8, k);  // total pad 1 goes to the beginning
  EXPECT_EQ(g.out[2], 4);
  EXPECT_EQ(g.pad_begin[2], 1);
  EXPECT_EQ(g.pad_end[2], 0);
  p.auto_pad = AutoPad::kNotSet;
  p.ceil_mode = true;
  p.pads = {1, 1};
  const Dims in5{5}, k2{2};
  g = resolve_window(p, in5, k2);  // the 4th window would start in the end padding
  EXPECT_EQ(g.out[2], 3);
}

}  // namespace
}  // namespace infer::cpu::test
