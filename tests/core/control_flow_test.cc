#include "runtime/control_flow.h"

#include <gtest/gtest.h>

#include <numeric>

namespace infer::core {
namespace {

TensorPtr Iota(std::vector<int64_t> shape) {
  TensorPtr t = *Tensor::Allocate(INFER_DTYPE_INT32, std::move(shape));
  auto* p = static_cast<int32_t*>(t->data());
  std::iota(p, p + t->element_count(), 0);
  return t;
}

TEST(SliceAxis, TakesOneIndexOfAMiddleAxis) {
  TensorPtr t = Iota({2, 3, 2});  // [[[0,1],[2,3],[4,5]],[[6,7],[8,9],[10,11]]]
  auto s = SliceAxis(*t, 1, 2);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ((*s)->shape(), (std::vector<int64_t>{2, 2}));
  const auto* p = (*s)->as<int32_t>();
  EXPECT_EQ(std::vector<int32_t>(p, p + 4), (std::vector<int32_t>{4, 5, 10, 11}));
  EXPECT_FALSE(SliceAxis(*t, 1, 3).ok());
  EXPECT_FALSE(SliceAxis(*t, 3, 0).ok());
}

TEST(StackAxis, InvertsSlicing) {
  TensorPtr t = Iota({2, 3, 2});
  for (size_t axis = 0; axis < 3; ++axis) {
    std::vector<TensorPtr> parts;
    for (int64_t i = 0; i < t->shape()[axis]; ++i) parts.push_back(*SliceAxis(*t, axis, i));
    auto back = StackAxis(parts, axis);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ((*back)->shape(), t->shape());
    EXPECT_EQ(std::memcmp((*back)->data(), t->data(), t->nbytes()), 0) << "axis " << axis;
  }
}

TEST(StackAxis, RefusesMismatchedParts) {
  EXPECT_FALSE(StackAxis({Iota({2}), Iota({3})}, 0).ok());
  EXPECT_FALSE(StackAxis({}, 0).ok());
}

}  // namespace
}  // namespace infer::core
