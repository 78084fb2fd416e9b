#include "kernels/layout.h"

#include "reference.h"

namespace infer::cpu::test {
namespace {

TEST(Flatten, Shapes) {
  const Dims s{2, 3, 4};
  EXPECT_EQ(flatten_shape(s, 0), (Shape{1, 24}));
  EXPECT_EQ(flatten_shape(s, 1), (Shape{2, 12}));
  EXPECT_EQ(flatten_shape(s, 3), (Shape{24, 1}));
  EXPECT_EQ(flatten_shape(s, -1), (Shape{6, 4}));
  EXPECT_EQ(flatten_shape(s, -3), (Shape{1, 24}));
  expect_error([&] { flatten_shape(s, 4); }, INFER_INVALID_ARGUMENT, "axis 4");
  expect_error([&] { flatten_shape(s, -4); }, INFER_INVALID_ARGUMENT, "axis -4");
}

TEST(Reshape, Shapes) {
  auto reshape = [&](const Dims& req, bool allowzero = false, const Dims& in = {2, 3, 4}) {
    return reshape_shape(in, req, allowzero);
  };
  EXPECT_EQ(reshape({4, 0, -1}), (Shape{4, 3, 2}));
  EXPECT_EQ(reshape({0, -1}), (Shape{2, 12}));
  EXPECT_EQ(reshape({-1}), (Shape{24}));
  EXPECT_EQ(reshape({0, 0, 0}), (Shape{2, 3, 4}));
  EXPECT_EQ(reshape({0, 3}, true, {0, 3}), (Shape{0, 3}));
  EXPECT_EQ(reshape({3, 0}, true, {0, 3}), (Shape{3, 0}));
  EXPECT_EQ(reshape({}, false, {1, 1}), (Shape{}));
}

TEST(Reshape, RejectsBadShapes) {
  const Dims in{2, 3, 4}, in0{0, 3};
  auto expect_bad = [&](const Dims& req, bool allowzero, const char* needle, const Dims& input,
                        infer_status_code code = INFER_INVALID_ARGUMENT) {
    SCOPED_TRACE(dims_str(req));
    expect_error([&] { reshape_shape(input, req, allowzero); }, code, needle);
  };
  expect_bad({-1, -1}, false, "more than one -1", in);
  expect_bad({5, 5}, false, "cannot reshape", in);
  expect_bad({5, -1}, false, "cannot reshape", in);
  expect_bad({0, 0, 0, 0}, false, "copies dimension 3", in);
  expect_bad({-2, 12}, false, "invalid dimension -2", in);
  expect_bad({0, -1}, true, "cannot infer -1", in0);
  expect_bad({int64_t{1} << 62, 8}, false, "overflow", in, INFER_RESOURCE_EXHAUSTED);
}

TEST(Concat, MatchesReference) {
  std::mt19937 rng(11);
  const std::pair<std::vector<Dims>, int64_t> cases[] = {
      {{{2, 3, 4}, {2, 1, 4}, {2, 5, 4}}, 1}, {{{2, 3, 4}, {2, 3, 2}}, -1},
      {{{1, 3}, {4, 3}, {0, 3}}, 0},          {{{5}}, 0},
      {{{2, 0, 2}, {2, 3, 2}}, -2},
  };
  for (const auto& [shapes, axis] : cases) {
    SCOPED_TRACE(::testing::Message() << "axis " << axis << " first " << dims_str(shapes[0]));
    std::vector<TTensor> inputs;
    std::vector<ShapeSpan> spans;
    std::vector<const void*> data;
    for (const Dims& s : shapes) inputs.push_back(random_tensor(s, rng));
    for (const TTensor& t : inputs) {
      spans.emplace_back(t.shape);
      data.push_back(t.data.data());
    }
    const TTensor expected = ref::concat(inputs, axis);
    ASSERT_EQ(concat_shape(spans, axis), expected.shape);
    std::vector<float> y(expected.data.size(), NAN);
    concat(data, spans, axis, sizeof(float), y.data());
    expect_close(y, expected.data, 0.0f);
  }
}

TEST(Concat, Int64) {
  const std::vector<int64_t> a{1, 2, 3, 4}, b{5, 6};
  const Dims as{2, 2}, bs{2, 1};
  const ShapeSpan spans[] = {as, bs};
  const void* data[] = {a.data(), b.data()};
  ASSERT_EQ(concat_shape(spans, 1), (Shape{2, 3}));
  std::vector<int64_t> y(6);
  concat(data, spans, 1, sizeof(int64_t), y.data());
  EXPECT_EQ(y, (std::vector<int64_t>{1, 2, 5, 3, 4, 6}));
}

TEST(Concat, RejectsMismatches) {
  const Dims a{2, 3}, b{2, 3, 1}, c{3, 3}, scalar{};
  const ShapeSpan rank_mismatch[] = {a, b};
  const ShapeSpan dim_mismatch[] = {a, c};
  const ShapeSpan scalars[] = {scalar, scalar};
  expect_error([&] { concat_shape(rank_mismatch, 0); }, INFER_INVALID_ARGUMENT,
               "does not match input 0");
  expect_error([&] { concat_shape(dim_mismatch, 1); }, INFER_INVALID_ARGUMENT,
               "does not match input 0");
  expect_error([&] { concat_shape(dim_mismatch, 2); }, INFER_INVALID_ARGUMENT, "axis 2");
  expect_error([&] { concat_shape(scalars, 0); }, INFER_INVALID_ARGUMENT, "scalars");
  expect_error([&] { concat_shape({}, 0); }, INFER_INVALID_ARGUMENT, "at least one input");
  EXPECT_EQ(concat_shape(dim_mismatch, 0), (Shape{5, 3}));
}

}  // namespace
}  // namespace infer::cpu::test
