#include "kernels/loss.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Naive NLL on [N, C, D] with int64 targets.
std::vector<double> ref_nll(const std::vector<float>& x, const std::vector<int64_t>& t, int64_t n,
                            int64_t c, int64_t d, const std::vector<float>* w,
                            std::optional<int64_t> ignore, LossReduction r) {
  std::vector<double> loss;
  double sum = 0, wsum = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < d; ++k) {
      const int64_t cls = t[static_cast<size_t>(i * d + k)];
      if (ignore && cls == *ignore) {
        loss.push_back(0);
        continue;
      }
      const double wt = w ? (*w)[static_cast<size_t>(cls)] : 1.0;
      loss.push_back(-x[static_cast<size_t>((i * c + cls) * d + k)] * wt);
      sum += loss.back();
      wsum += wt;
    }
  }
  if (r == LossReduction::kSum) return {sum};
  if (r == LossReduction::kMean) return {sum / wsum};
  return loss;
}

TEST(NllLoss, MatchesReference) {
  std::mt19937 rng(91);
  const Dims in_shape{3, 4, 2, 2}, t_shape{3, 2, 2};
  const TTensor x = random_tensor(in_shape, rng);
  const TTensor w = random_tensor({4}, rng, 0.1f, 2.0f);
  std::vector<int64_t> t(12);
  std::uniform_int_distribution<int64_t> cls(0, 3);
  for (int64_t& v : t) v = cls(rng);
  t[5] = -7;  // only valid as ignore_index
  const ShapeSpan w_shape(w.shape);
  const NllPlan plan = plan_nll(in_shape, t_shape, &w_shape);
  EXPECT_EQ(plan.d, 4);
  for (LossReduction r : {LossReduction::kNone, LossReduction::kSum, LossReduction::kMean}) {
    for (bool weighted : {false, true}) {
      SCOPED_TRACE(::testing::Message()
                   << "reduction " << static_cast<int>(r) << " weighted " << weighted);
      const Shape y_shape = nll_output_shape(plan, r);
      EXPECT_EQ(y_shape, r == LossReduction::kNone ? t_shape : Shape{});
      std::vector<float> y(static_cast<size_t>(count(y_shape)));
      nll_loss<float, int64_t>(plan, r, -7, x.data.data(), t.data(),
                               weighted ? w.data.data() : nullptr, y.data());
      const std::vector<double> expected =
          ref_nll(x.data, t, 3, 4, 4, weighted ? &w.data : nullptr, -7, r);
      expect_close(y, std::vector<float>(expected.begin(), expected.end()), 1e-5f);
    }
  }
  // int32 targets and double inputs.
  const std::vector<int32_t> t32(t.begin(), t.end());
  const std::vector<double> xd(x.data.begin(), x.data.end());
  double yd = 0;
  nll_loss<double, int32_t>(plan, LossReduction::kSum, -7, xd.data(), t32.data(), nullptr, &yd);
  EXPECT_NEAR(yd, ref_nll(x.data, t, 3, 4, 4, nullptr, -7, LossReduction::kSum)[0], 1e-9);
}

TEST(NllLoss, RejectsBadTargetsAndShapes) {
  const Dims in{2, 3}, t{2}, t_bad{3}, w_bad{2};
  const NllPlan plan = plan_nll(in, t, nullptr);
  const float x[6] = {};
  float y[2];
  const int64_t out_of_range[] = {0, 3};
  expect_error(
      [&] {
        nll_loss<float, int64_t>(plan, LossReduction::kNone, {}, x, out_of_range, nullptr, y);
      },
      INFER_INVALID_ARGUMENT, "out of range");
  const int64_t negative[] = {-1, 0};
  expect_error(
      [&] { nll_loss<float, int64_t>(plan, LossReduction::kMean, 5, x, negative, nullptr, y); },
      INFER_INVALID_ARGUMENT, "out of range");
  expect_error([&] { plan_nll(in, t_bad, nullptr); }, INFER_INVALID_ARGUMENT, "target");
  const ShapeSpan ws(w_bad);
  expect_error([&] { plan_nll(in, t, &ws); }, INFER_INVALID_ARGUMENT, "weight");
  expect_error([] { parse_reduction("avg"); }, INFER_INVALID_MODEL, "reduction");
}

}  // namespace
}  // namespace infer::cpu::test
