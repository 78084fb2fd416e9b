#include "kernels/pool.h"

#include "reference.h"

namespace infer::cpu::test {
namespace {

WindowParams to_params(const ref::WindowAttrs& a) {
  WindowParams p;
  p.kernel_shape = a.kernel_shape;
  p.strides = a.strides;
  p.dilations = a.dilations;
  p.pads = a.pads;
  p.auto_pad = parse_auto_pad(a.auto_pad);
  p.ceil_mode = a.ceil_mode;
  return p;
}

struct PoolCase {
  const char* name;
  Dims x;
  ref::WindowAttrs attrs;
};

const PoolCase kCases[] = {
    {"3x3 pad 1", {2, 3, 6, 6}, {.kernel_shape = {3, 3}, .pads = {1, 1, 1, 1}}},
    {"2x2 stride 2", {1, 2, 8, 7}, {.kernel_shape = {2, 2}, .strides = {2, 2}}},
    {"ceil_mode", {1, 2, 8, 8}, {.kernel_shape = {3, 3}, .strides = {2, 2}, .ceil_mode = true}},
    {"ceil_mode, asymmetric pads",
     {1, 1, 9, 10},
     {.kernel_shape = {3, 3}, .strides = {2, 2}, .pads = {1, 0, 1, 1}, .ceil_mode = true}},
    {"ceil_mode drops a window in the padding",
     {1, 1, 5, 5},
     {.kernel_shape = {2, 2}, .strides = {2, 2}, .pads = {1, 1, 1, 1}, .ceil_mode = true}},
    {"dilation 2",
     {1, 2, 9, 9},
     {.kernel_shape = {3, 3}, .dilations = {2, 2}, .pads = {1, 1, 1, 1}}},
    {"SAME_UPPER",
     {1, 2, 7, 6},
     {.kernel_shape = {3, 3}, .strides = {2, 2}, .auto_pad = "SAME_UPPER"}},
    {"SAME_LOWER",
     {1, 2, 7, 6},
     {.kernel_shape = {2, 2}, .strides = {2, 2}, .auto_pad = "SAME_LOWER"}},
    {"VALID", {1, 1, 7, 7}, {.kernel_shape = {3, 3}, .strides = {2, 2}, .auto_pad = "VALID"}},
    {"non-square",
     {1, 1, 10, 7},
     {.kernel_shape = {3, 2}, .strides = {1, 2}, .pads = {1, 0, 1, 1}}},
    {"1-D", {2, 3, 11}, {.kernel_shape = {3}, .strides = {2}, .pads = {1, 1}}},
    {"3-D",
     {1, 2, 5, 6, 7},
     {.kernel_shape = {2, 3, 2}, .strides = {2, 1, 2}, .pads = {0, 1, 1, 1, 1, 0}}},
};

TEST(Pool, MaxAndAverageMatchReference) {
  std::mt19937 rng(2);
  for (const PoolCase& c : kCases) {
    SCOPED_TRACE(c.name);
    const TTensor x = random_tensor(c.x, rng);
    const PoolPlan plan = plan_pool(to_params(c.attrs), c.x);
    std::vector<float> y(static_cast<size_t>(count(plan.y_shape)));

    const TTensor expected_max = ref::max_pool(x, c.attrs);
    ASSERT_EQ(plan.y_shape, expected_max.shape);
    max_pool(plan, x.data.data(), y.data());
    expect_close(y, expected_max.data);

    for (bool include_pad : {false, true}) {
      SCOPED_TRACE(include_pad ? "count_include_pad" : "exclude pad");
      ref::WindowAttrs a = c.attrs;
      a.count_include_pad = include_pad;
      average_pool(plan, include_pad, x.data.data(), y.data());
      expect_close(y, ref::average_pool(x, a).data);
    }
  }
}

TEST(Pool, GlobalAverageMatchesReference) {
  std::mt19937 rng(3);
  for (const Dims& shape : {Dims{2, 3, 4, 5}, Dims{1, 4, 7}, Dims{2, 3, 2, 2, 2}, Dims{1, 2}}) {
    SCOPED_TRACE(dims_str(shape));
    const TTensor x = random_tensor(shape, rng);
    const TTensor expected = ref::global_average_pool(x);
    ASSERT_EQ(global_pool_shape(shape), expected.shape);
    std::vector<float> y(expected.data.size());
    global_average_pool(x.data.data(), shape, y.data());
    expect_close(y, expected.data);
  }
}

TEST(Pool, RejectsBadInput) {
  const Dims x{1, 1, 5, 5};
  WindowParams p;
  p.kernel_shape = {2, 2};
  p.strides = {0, 1};
  expect_error([&] { plan_pool(p, x); }, INFER_INVALID_MODEL, "'strides'");
  p.strides = {};
  p.pads = {1, 1, 1};
  expect_error([&] { plan_pool(p, x); }, INFER_INVALID_MODEL, "'pads'");
  p.pads = {};
  p.kernel_shape = {2};
  expect_error([&] { plan_pool(p, x); }, INFER_INVALID_ARGUMENT, "kernel_shape");
  p.kernel_shape = {6, 6};
  expect_error([&] { plan_pool(p, x); }, INFER_INVALID_ARGUMENT, "larger than padded input");
  p.kernel_shape = {0, 2};
  expect_error([&] { plan_pool(p, x); }, INFER_INVALID_MODEL, "'kernel_shape'");
  const Dims flat{1, 5};
  p.kernel_shape = {2};
  expect_error([&] { plan_pool(p, flat); }, INFER_INVALID_ARGUMENT, "[N, C, D1...]");
  const Dims scalar{};
  expect_error([&] { global_pool_shape(scalar); }, INFER_INVALID_ARGUMENT, "rank >= 2");
}

}  // namespace
}  // namespace infer::cpu::test
