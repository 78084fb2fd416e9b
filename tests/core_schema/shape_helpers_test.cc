#include "schema/shape_helpers.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_graph.h"

namespace infer::core {
namespace {

using ::infer::core::testing::S;
using ::testing::HasSubstr;

std::string Broadcast(const Shape& a, const Shape& b) {
  absl::StatusOr<Shape> s = BroadcastShapes(a, b);
  return s.ok() ? s->ToString() : std::string(s.status().message());
}

TEST(BroadcastTest, NumpyRules) {
  EXPECT_EQ(Broadcast(S({2, 3, 4}), S({4})), "[2,3,4]");
  EXPECT_EQ(Broadcast(S({2, 1, 4}), S({3, 1})), "[2,3,4]");
  EXPECT_EQ(Broadcast(S({}), S({5, 6})), "[5,6]");
  EXPECT_EQ(Broadcast(S({0, 1}), S({1, 7})), "[0,7]");
  EXPECT_EQ(Broadcast(S({1}), S({})), "[1]");
}

TEST(BroadcastTest, SymbolicDims) {
  // Equal symbols broadcast to that symbol.
  EXPECT_EQ(Broadcast(S({"batch", 3}), S({"batch", 3})), "[batch,3]");
  // 1 with anything gives the other, symbol included.
  EXPECT_EQ(Broadcast(S({"batch", 1}), S({1, 3})), "[batch,3]");
  EXPECT_EQ(Broadcast(S({1, "seq"}), S({"batch", 1})), "[batch,seq]");
  // A known size other than 1 wins over an unknown one.
  EXPECT_EQ(Broadcast(S({"n", 4}), S({5, 4})), "[5,4]");
  // Different symbols, or a symbol and an anonymous dim, give an unknown.
  EXPECT_EQ(Broadcast(S({"a"}), S({"b"})), "[?]");
  EXPECT_EQ(Broadcast(S({"a"}), S({"?"})), "[?]");
  // An unknown rank makes the result rank unknown.
  EXPECT_FALSE(BroadcastShapes(Shape::Unknown(), S({3})).value().rank_known);
}

TEST(BroadcastTest, Failures) {
  EXPECT_THAT(Broadcast(S({2, 3}), S({4})), HasSubstr("cannot be broadcast"));
  EXPECT_THAT(Broadcast(S({2, 3}), S({4})), HasSubstr("3 vs 4"));
  EXPECT_FALSE(BroadcastShapes(S({"batch", 2}), S({"batch", 5})).ok());
  EXPECT_FALSE(BroadcastShapes(S({0}), S({2})).ok());
}

TEST(DimProductTest, KnownSymbolicZeroAndOverflow) {
  EXPECT_EQ(DimProduct(S({2, 3, 4}).dims).value().value, 24);
  EXPECT_EQ(DimProduct(S({}).dims).value().value, 1);
  EXPECT_EQ(DimProduct(S({"batch", 1, 1}).dims).value().symbol, "batch");
  EXPECT_FALSE(DimProduct(S({"batch", 2}).dims).value().known());
  EXPECT_EQ(DimProduct(S({"batch", 0}).dims).value().value, 0);
  const int64_t big = int64_t{1} << 40;
  EXPECT_FALSE(DimProduct(S({big, big}).dims).ok());
}

TEST(UnifyDimsTest, KeepsTheMoreInformativeDim) {
  EXPECT_EQ(UnifyDims(KnownDim(3), DynamicDim("c")).value().value, 3);
  EXPECT_EQ(UnifyDims(DynamicDim(), DynamicDim("c")).value().symbol, "c");
  EXPECT_FALSE(UnifyDims(KnownDim(3), KnownDim(4)).ok());
}

TEST(NormalizeAxisTest, Ranges) {
  EXPECT_EQ(NormalizeAxis(-1, 4).value(), 3u);
  EXPECT_EQ(NormalizeAxis(0, 4).value(), 0u);
  EXPECT_FALSE(NormalizeAxis(4, 4).ok());
  EXPECT_FALSE(NormalizeAxis(-5, 4).ok());
  EXPECT_EQ(NormalizeAxis(4, 4, /*end_inclusive=*/true).value(), 4u);
  EXPECT_FALSE(NormalizeAxis(0, 0).ok());
}

ConvPoolGeometry Geometry(int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin,
                          int64_t pad_end, AutoPad auto_pad = AutoPad::kNotSet,
                          bool ceil_mode = false) {
  return ConvPoolGeometry{{kernel}, {stride}, {dilation}, {pad_begin, pad_end},
                          auto_pad, ceil_mode};
}

TEST(ConvPoolOutputSizeTest, Formula) {
  EXPECT_EQ(ConvPoolOutputSize(Geometry(3, 1, 1, 1, 1), 0, 224).value(), 224);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(7, 2, 1, 3, 3), 0, 224).value(), 112);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(3, 1, 2, 0, 0), 0, 10).value(), 6);  // effective 5
  EXPECT_EQ(ConvPoolOutputSize(Geometry(3, 2, 1, 0, 0, AutoPad::kSameUpper), 0, 7).value(), 4);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(3, 2, 1, 5, 5, AutoPad::kValid), 0, 7).value(), 3);
  // ceil_mode rounds up, but a window may not start in the end padding.
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 0, 0), 0, 5).value(), 2);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 0, 0, AutoPad::kNotSet, true), 0, 5).value(), 3);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(3, 2, 1, 1, 1, AutoPad::kNotSet, true), 0, 4).value(), 3);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 0, 1, AutoPad::kNotSet, true), 0, 4).value(), 2);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 1, 1, AutoPad::kNotSet, true), 0, 5).value(), 3);
  // ceil_mode applies to explicit pads only, not to VALID or SAME_*.
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 0, 0, AutoPad::kValid, true), 0, 5).value(), 2);
  EXPECT_EQ(ConvPoolOutputSize(Geometry(2, 2, 1, 0, 0, AutoPad::kSameUpper, true), 0, 5).value(),
            3);
  EXPECT_THAT(ConvPoolOutputSize(Geometry(5, 1, 1, 0, 0), 0, 3).status().message(),
              HasSubstr("larger than the padded input"));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_FALSE(ConvPoolOutputSize(Geometry(1, 1, 1, kMax, kMax), 0, 3).ok());
}

}  // namespace
}  // namespace infer::core
