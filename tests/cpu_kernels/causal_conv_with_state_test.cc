// CausalConvWithState through the plugin ABI against a naive concat + conv + slice reference.
#include <cmath>

#include "op_runner.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

using V = std::vector<float>;

V random_values(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-1, 1);
  V v(static_cast<size_t>(n));
  for (float& x : v) x = d(rng);
  return v;
}

OpResult run(const std::vector<OpTensor>& in, const std::vector<OpAttr>& attrs = {}) {
  OpRunOptions o;
  o.opset = 27;
  o.outputs = 2;
  return run_op("CausalConvWithState", in, attrs, o);
}

// Builds the padded sequence explicitly, convolves it, slices its tail as the state.
void reference(int64_t B, int64_t C, int64_t L, int64_t K, const V& x, const V& w, const V* bias,
               const V* past, bool silu, V& y, V& state) {
  y.assign(static_cast<size_t>(B * C * L), 0);
  state.assign(static_cast<size_t>(B * C * (K - 1)), 0);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t c = 0; c < C; ++c) {
      V padded;
      for (int64_t i = 0; i < K - 1; ++i) {
        padded.push_back(past ? (*past)[static_cast<size_t>((b * C + c) * (K - 1) + i)] : 0.f);
      }
      for (int64_t i = 0; i < L; ++i) padded.push_back(x[static_cast<size_t>((b * C + c) * L + i)]);
      for (int64_t t = 0; t < L; ++t) {
        double s = bias ? (*bias)[static_cast<size_t>(c)] : 0.0;
        for (int64_t j = 0; j < K; ++j) {
          s += double(w[static_cast<size_t>(c * K + j)]) * padded[static_cast<size_t>(t + j)];
        }
        if (silu) s = s / (1 + std::exp(-s));
        y[static_cast<size_t>((b * C + c) * L + t)] = static_cast<float>(s);
      }
      for (int64_t i = 0; i < K - 1; ++i) {
        state[static_cast<size_t>((b * C + c) * (K - 1) + i)] =
            padded[padded.size() - static_cast<size_t>(K - 1) + static_cast<size_t>(i)];
      }
    }
  }
}

void expect_near_all(const V& got, const V& want, float tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

TEST(CausalConvWithState, MatchesReference) {
  std::mt19937 rng(5);
  const int64_t B = 2, C = 3;
  for (int64_t L : {1, 2, 6}) {
    for (int64_t K : {1, 3, 4}) {
      for (int mask = 0; mask < 8; ++mask) {
        const bool with_bias = mask & 1, with_past = mask & 2, silu = mask & 4;
        SCOPED_TRACE(::testing::Message() << "L=" << L << " K=" << K << " mask=" << mask);
        const V x = random_values(B * C * L, rng), w = random_values(C * K, rng);
        const V bias = random_values(C, rng), past = random_values(B * C * (K - 1), rng);
        V y, state;
        reference(B, C, L, K, x, w, with_bias ? &bias : nullptr, with_past ? &past : nullptr, silu,
                  y, state);
        std::vector<OpTensor> in{OpTensor::of({B, C, L}, x), OpTensor::of({C, 1, K}, w),
                                 with_bias ? OpTensor::of({C}, bias) : absent()};
        if (with_past) in.push_back(OpTensor::of({B, C, K - 1}, past));
        const OpResult r = run(in, {attr("activation", silu ? "silu" : "none")});
        ASSERT_EQ(r.code, INFER_OK) << r.message;
        ASSERT_EQ(r.outputs.size(), 2u);
        EXPECT_EQ(r.outputs[0].shape, (Dims{B, C, L}));
        EXPECT_EQ(r.outputs[1].shape, (Dims{B, C, K - 1}));
        expect_near_all(r.outputs[0].values<float>(), y, 1e-5f);
        expect_near_all(r.outputs[1].values<float>(), state, 0);
      }
    }
  }
}

TEST(CausalConvWithState, Float16) {
  std::mt19937 rng(6);
  const int64_t B = 1, C = 2, L = 5, K = 3;
  const V x = random_values(B * C * L, rng), w = random_values(C * K, rng);
  const V past = random_values(B * C * (K - 1), rng);
  auto half = [](const V& v) {
    std::vector<Float16> h;
    for (float f : v) h.push_back(store<Float16>(f));
    return h;
  };
  auto back = [](const std::vector<Float16>& h) {
    V v;
    for (Float16 f : h) v.push_back(load(f));
    return v;
  };
  // The reference sees the values as rounded to float16.
  const V xr = back(half(x)), wr = back(half(w)), pr = back(half(past));
  V y, state;
  reference(B, C, L, K, xr, wr, nullptr, &pr, true, y, state);
  const OpResult r = run({OpTensor::of({B, C, L}, half(x)), OpTensor::of({C, 1, K}, half(w)),
                          absent(), OpTensor::of({B, C, K - 1}, half(past))},
                         {attr("activation", "swish")});
  ASSERT_EQ(r.code, INFER_OK) << r.message;
  expect_near_all(back(r.outputs[0].values<Float16>()), y, 2e-3f);
  expect_near_all(back(r.outputs[1].values<Float16>()), state, 0);
}

TEST(CausalConvWithState, BadInputs) {
  const OpTensor x = OpTensor::of({1, 2, 3}, V(6, 1.f));
  const OpTensor w = OpTensor::of({2, 1, 2}, V(4, 1.f));
  auto expect_fail = [](const OpResult& r, infer_status_code code, const std::string& needle) {
    EXPECT_EQ(r.code, code) << r.message;
    EXPECT_NE(r.message.find(needle), std::string::npos) << r.message;
  };
  expect_fail(run({x, w}, {attr("activation", "relu")}), INFER_INVALID_MODEL, "activation");
  expect_fail(run({OpTensor::of({2, 3}, V(6, 1.f)), w}), INFER_INVALID_ARGUMENT, "rank 3");
  expect_fail(run({x, OpTensor::of({3, 1, 2}, V(6, 1.f))}), INFER_INVALID_ARGUMENT, "weight");
  expect_fail(run({x, OpTensor::of({2, 1, 0}, V{})}), INFER_INVALID_ARGUMENT, "weight");
  expect_fail(run({x, w, OpTensor::of({3}, V(3, 1.f))}), INFER_INVALID_ARGUMENT, "bias");
  expect_fail(run({x, w, absent(), OpTensor::of({1, 2, 2}, V(4, 1.f))}), INFER_INVALID_ARGUMENT,
              "past_state");
}

}  // namespace
}  // namespace infer::cpu::test
