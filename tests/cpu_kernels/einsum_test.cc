#include "kernels/einsum.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

std::vector<float> run(const std::string& equation, const std::vector<TTensor>& ops,
                       Shape* y_shape = nullptr) {
  const EinsumEquation eq = parse_einsum(equation);
  std::vector<ShapeSpan> shapes;
  std::vector<const float*> ptrs;
  for (const TTensor& t : ops) {
    shapes.push_back(t.shape);
    ptrs.push_back(t.data.data());
  }
  const EinsumPlan plan = plan_einsum(eq, shapes);
  if (y_shape) *y_shape = plan.y_shape;
  std::vector<float> y(static_cast<size_t>(count(plan.y_shape)), NAN);
  einsum<float>(plan, ptrs, y.data());
  return y;
}

float at(const TTensor& t, const Dims& idx) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off = off * t.shape[d] + idx[d];
  return t.data[static_cast<size_t>(off)];
}

TEST(Einsum, MatrixProductsAndTransposes) {
  std::mt19937 rng(81);
  const TTensor a = random_tensor({3, 4}, rng), b = random_tensor({4, 5}, rng);
  const TTensor batch_a = random_tensor({2, 3, 4}, rng), batch_b = random_tensor({2, 4, 5}, rng);
  Shape shape;
  // Naive loops for each equation.
  std::vector<float> expected;
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t k = 0; k < 5; ++k) {
      double s = 0;
      for (int64_t j = 0; j < 4; ++j) s += at(a, {i, j}) * at(b, {j, k});
      expected.push_back(static_cast<float>(s));
    }
  }
  expect_close(run("ij,jk->ik", {a, b}, &shape), expected);
  EXPECT_EQ(shape, (Shape{3, 5}));
  expect_close(run("ij,jk", {a, b}), expected);  // implicit output: i, k

  expected.clear();
  for (int64_t k = 0; k < 5; ++k) {
    for (int64_t i = 0; i < 3; ++i) {
      double s = 0;
      for (int64_t j = 0; j < 4; ++j) s += at(a, {i, j}) * at(b, {j, k});
      expected.push_back(static_cast<float>(s));
    }
  }
  expect_close(run("ij,jk->ki", {a, b}), expected);

  expected.clear();
  for (int64_t n = 0; n < 2; ++n) {
    for (int64_t i = 0; i < 3; ++i) {
      for (int64_t k = 0; k < 5; ++k) {
        double s = 0;
        for (int64_t j = 0; j < 4; ++j) s += at(batch_a, {n, i, j}) * at(batch_b, {n, j, k});
        expected.push_back(static_cast<float>(s));
      }
    }
  }
  expect_close(run("bij, bjk -> bik", {batch_a, batch_b}), expected);
  expect_close(run("...ij,...jk->...ik", {batch_a, batch_b}), expected);

  expected.clear();
  for (int64_t j = 0; j < 4; ++j) {
    for (int64_t i = 0; i < 3; ++i) expected.push_back(at(a, {i, j}));
  }
  expect_close(run("ij->ji", {a}), expected);
  expect_close(run("ba", {a}), expected);  // implicit: alphabetical a, b
}

TEST(Einsum, DiagonalsSumsAndScalars) {
  std::mt19937 rng(82);
  const TTensor x = random_tensor({3, 4, 4}, rng), v = random_tensor({4}, rng);
  std::vector<float> expected;
  for (int64_t n = 0; n < 3; ++n) {
    for (int64_t i = 0; i < 4; ++i) expected.push_back(at(x, {n, i, i}));
  }
  expect_close(run("...ii ->...i", {x}), expected);

  expected.clear();
  for (int64_t n = 0; n < 3; ++n) {
    double trace = 0;
    for (int64_t i = 0; i < 4; ++i) trace += at(x, {n, i, i});
    expected.push_back(static_cast<float>(trace));
  }
  expect_close(run("nii->n", {x}), expected);

  double dot = 0, total = 0;
  for (int64_t i = 0; i < 4; ++i)
    dot += v.data[static_cast<size_t>(i)] * v.data[static_cast<size_t>(i)];
  for (float f : x.data) total += f;
  Shape shape{9};
  expect_close(run("i,i", {v, v}, &shape), {static_cast<float>(dot)});
  EXPECT_TRUE(shape.empty());
  expect_close(run("ijk->", {x}), {static_cast<float>(total)});
  const TTensor scalar{{}, {2.5f}};
  expect_close(run("->", {scalar}), {2.5f});
  expect_close(run(",i->i", {scalar, v}),
               {2.5f * v.data[0], 2.5f * v.data[1], 2.5f * v.data[2], 2.5f * v.data[3]});
}

TEST(Einsum, EllipsisBroadcastsAndZeroSizedSums) {
  const TTensor a{{2, 1, 2}, {1, 2, 3, 4}}, b{{3, 2}, {1, 0, 0, 1, 1, 1}};
  Shape shape;
  // "...j,...j->..." : a's ellipsis [2, 1] broadcasts against b's [3].
  const std::vector<float> y = run("...j,...j->...", {a, b}, &shape);
  EXPECT_EQ(shape, (Shape{2, 3}));
  expect_close(y, {1, 2, 3, 3, 4, 7});
  // Labelled dimensions of size 1 broadcast too: b is 1 in the first operand.
  const TTensor c{{1, 2}, {1, 2}}, d{{3, 2}, {1, 1, 2, 2, 3, 3}};
  expect_close(run("bj,bj->b", {c, d}, &shape), {3, 6, 9});
  EXPECT_EQ(shape, (Shape{3}));
  const TTensor empty{{2, 0}, {}};
  expect_close(run("ij->i", {empty}), {0.0f, 0.0f});
}

TEST(Einsum, IntegerAndHalfTypes) {
  const EinsumEquation eq = parse_einsum("ij,j->i");
  const Dims as{2, 2}, bs{2};
  const ShapeSpan shapes[] = {as, bs};
  const EinsumPlan plan = plan_einsum(eq, shapes);
  const int32_t a[] = {2000000000, 1, 3, 4}, b[] = {2, 5};
  int32_t y[2];
  const int32_t* ops[] = {a, b};
  einsum<int32_t>(plan, ops, y);
  EXPECT_EQ(y[0], static_cast<int32_t>(4000000005LL - 4294967296LL));  // wraps
  EXPECT_EQ(y[1], 26);
  const BFloat16 ab[] = {{float_to_bfloat16(1)},
                         {float_to_bfloat16(2)},
                         {float_to_bfloat16(3)},
                         {float_to_bfloat16(4)}};
  const BFloat16 bb[] = {{float_to_bfloat16(0.5f)}, {float_to_bfloat16(-1)}};
  BFloat16 yb[2];
  const BFloat16* bops[] = {ab, bb};
  einsum<BFloat16>(plan, bops, yb);
  EXPECT_EQ(bfloat16_to_float(yb[0].bits), -1.5f);
  EXPECT_EQ(bfloat16_to_float(yb[1].bits), -2.5f);
}

TEST(Einsum, RejectsBadEquationsAndShapes) {
  expect_error([] { parse_einsum("ij,jk->ix"); }, INFER_INVALID_MODEL, "in no input");
  expect_error([] { parse_einsum("ij->ii"); }, INFER_INVALID_MODEL, "repeated");
  expect_error([] { parse_einsum("i1->i"); }, INFER_INVALID_MODEL, "invalid term");
  expect_error([] { parse_einsum("i....->i"); }, INFER_INVALID_MODEL, "invalid term");
  const EinsumEquation eq = parse_einsum("ij,jk->ik");
  const Dims a{2, 3}, b{4, 5}, c{3};
  const ShapeSpan mismatch[] = {a, b};
  expect_error([&] { plan_einsum(eq, mismatch); }, INFER_INVALID_ARGUMENT, "label 'j'");
  const ShapeSpan wrong_rank[] = {a, c};
  expect_error([&] { plan_einsum(eq, wrong_rank); }, INFER_INVALID_ARGUMENT, "operand 1");
  const ShapeSpan one[] = {a};
  expect_error([&] { plan_einsum(eq, one); }, INFER_INVALID_ARGUMENT, "2 operands");
  const EinsumEquation diag = parse_einsum("ii->i");
  const ShapeSpan not_square[] = {a};
  expect_error([&] { plan_einsum(diag, not_square); }, INFER_INVALID_ARGUMENT, "label 'i'");
  const EinsumEquation ell = parse_einsum("...i,...i->...");
  const Dims e1{2, 3}, e2{3, 3};
  const ShapeSpan no_broadcast[] = {e1, e2};
  expect_error([&] { plan_einsum(ell, no_broadcast); }, INFER_INVALID_ARGUMENT, "broadcast");
}

}  // namespace
}  // namespace infer::cpu::test
