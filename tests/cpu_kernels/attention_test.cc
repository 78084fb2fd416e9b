#include "kernels/attention.h"

#include <cmath>
#include <limits>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

using V = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

V random_values(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-1, 1);
  V v(static_cast<size_t>(n));
  for (double& x : v) x = d(rng);
  return v;
}

struct AttnCase {
  int64_t B = 2, Hq = 4, Hkv = 2, Sq = 3, Skv = 4, P = 0, D = 5, Dv = 3;
  bool rank3 = false;
  Dims mask_shape;  // empty: no mask
  bool causal = false;
  double softcap = 0;
  std::optional<double> scale;
  std::vector<int64_t> nonpad;  // empty: none
  int64_t left = -1, right = -1;
  int mode = 0;
};

// Naive attention in 4-D layout straight from the ONNX definition.
struct RefOut {
  V y, qk;
};
RefOut reference(const AttnCase& s, const V& q4, const V& k4, const V& v4, const V& mask) {
  const int64_t T = s.P + s.Skv;
  // The kernel holds the scale attribute as a float.
  const double scale =
      s.scale ? static_cast<float>(*s.scale) : 1 / std::sqrt(static_cast<double>(s.D));
  RefOut r{V(static_cast<size_t>(s.B * s.Hq * s.Sq * s.Dv)),
           V(static_cast<size_t>(s.B * s.Hq * s.Sq * T))};
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t h = 0; h < s.Hq; ++h)
      for (int64_t i = 0; i < s.Sq; ++i) {
        const int64_t kvh = h / (s.Hq / s.Hkv);
        const int64_t off = s.nonpad.empty() ? s.P : s.nonpad[static_cast<size_t>(b)] - s.Sq;
        V scores(static_cast<size_t>(T)), bias(static_cast<size_t>(T), 0.0);
        for (int64_t j = 0; j < T; ++j) {
          double dot = 0;
          for (int64_t x = 0; x < s.D; ++x) {
            dot += q4[static_cast<size_t>(((b * s.Hq + h) * s.Sq + i) * s.D + x)] *
                   k4[static_cast<size_t>(((b * s.Hkv + kvh) * T + j) * s.D + x)];
          }
          dot *= scale;
          if (s.softcap > 0) dot = s.softcap * std::tanh(dot / s.softcap);
          if (!s.mask_shape.empty()) {
            // Right-aligned broadcast of the mask onto [B, Hq, Sq, mask_len], -inf past its end.
            const Dims& m = s.mask_shape;
            const int64_t idx[4] = {b, h, i, j};
            const int64_t full[4] = {s.B, s.Hq, s.Sq, m.back()};
            if (j >= m.back()) {
              bias[j] = -kInf;
            } else {
              int64_t o = 0;
              for (size_t a = 0; a < m.size(); ++a) {
                const size_t fa = 4 - m.size() + a;
                o = o * m[a] + (m[a] == 1 && full[fa] != 1 ? 0 : idx[fa]);
              }
              bias[j] = mask[static_cast<size_t>(o)];
            }
          }
          const int64_t diff = i + off - j;
          if (s.causal && j > i + off) bias[j] += -kInf;
          if ((s.left >= 0 && diff > s.left) || (s.right >= 0 && -diff > s.right)) bias[j] += -kInf;
          if (!s.nonpad.empty() && j >= s.nonpad[static_cast<size_t>(b)]) bias[j] += -kInf;
          scores[j] = dot;
        }
        V with_bias(static_cast<size_t>(T));
        for (int64_t j = 0; j < T; ++j) with_bias[j] = scores[j] + bias[j];
        double mx = -kInf;
        for (double x : with_bias) mx = std::max(mx, x);
        V p(static_cast<size_t>(T), 0.0);
        if (mx != -kInf) {
          double sum = 0;
          for (int64_t j = 0; j < T; ++j) sum += p[j] = std::exp(with_bias[j] - mx);
          for (double& x : p) x /= sum;
        }
        const V& qk_out = s.mode <= 1 ? scores : s.mode == 2 ? with_bias : p;
        for (int64_t j = 0; j < T; ++j) {
          r.qk[static_cast<size_t>(((b * s.Hq + h) * s.Sq + i) * T + j)] = qk_out[j];
        }
        for (int64_t x = 0; x < s.Dv; ++x) {
          double acc = 0;
          for (int64_t j = 0; j < T; ++j) {
            acc += p[j] * v4[static_cast<size_t>(((b * s.Hkv + kvh) * T + j) * s.Dv + x)];
          }
          r.y[static_cast<size_t>(((b * s.Hq + h) * s.Sq + i) * s.Dv + x)] = acc;
        }
      }
  return r;
}

void expect_near_all(const V& got, const V& want, double tol = 1e-9) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << "element " << i;
    } else {
      EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
    }
  }
}

// [B, H, S, D] <-> [B, S, H * D]
V to_rank3(const V& v, int64_t B, int64_t H, int64_t S, int64_t D) {
  V o(v.size());
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t t = 0; t < S; ++t)
        for (int64_t x = 0; x < D; ++x)
          o[static_cast<size_t>(((b * S + t) * H + h) * D + x)] =
              v[static_cast<size_t>(((b * H + h) * S + t) * D + x)];
  return o;
}

void run(const AttnCase& s) {
  std::mt19937 rng(5);
  const int64_t T = s.P + s.Skv;
  const V q = random_values(s.B * s.Hq * s.Sq * s.D, rng);
  const V k = random_values(s.B * s.Hkv * s.Skv * s.D, rng);
  const V v = random_values(s.B * s.Hkv * s.Skv * s.Dv, rng);
  const V pk = random_values(s.B * s.Hkv * s.P * s.D, rng);
  const V pv = random_values(s.B * s.Hkv * s.P * s.Dv, rng);
  V mask = s.mask_shape.empty() ? V{} : random_values(count(s.mask_shape), rng);
  // Present = concat(past, new) in 4-D layout, for the reference.
  auto concat = [&](const V& past, const V& cur, int64_t size) {
    V o;
    for (int64_t b = 0; b < s.B; ++b)
      for (int64_t h = 0; h < s.Hkv; ++h) {
        const auto p0 = past.begin() + (b * s.Hkv + h) * s.P * size;
        o.insert(o.end(), p0, p0 + s.P * size);
        const auto c0 = cur.begin() + (b * s.Hkv + h) * s.Skv * size;
        o.insert(o.end(), c0, c0 + s.Skv * size);
      }
    return o;
  };
  const V kall = concat(pk, k, s.D), vall = concat(pv, v, s.Dv);
  const RefOut want = reference(s, q, kall, vall, mask);

  AttentionParams params;
  params.is_causal = s.causal;
  params.softcap = static_cast<float>(s.softcap);
  if (s.scale) params.scale = static_cast<float>(*s.scale);
  params.left_window = s.left;
  params.right_window = s.right;
  params.qk_matmul_output_mode = s.mode;
  const V q_in = s.rank3 ? to_rank3(q, s.B, s.Hq, s.Sq, s.D) : q;
  const V k_in = s.rank3 ? to_rank3(k, s.B, s.Hkv, s.Skv, s.D) : k;
  const V v_in = s.rank3 ? to_rank3(v, s.B, s.Hkv, s.Skv, s.Dv) : v;
  const Dims qs = s.rank3 ? Dims{s.B, s.Sq, s.Hq * s.D} : Dims{s.B, s.Hq, s.Sq, s.D};
  const Dims ks = s.rank3 ? Dims{s.B, s.Skv, s.Hkv * s.D} : Dims{s.B, s.Hkv, s.Skv, s.D};
  const Dims vs = s.rank3 ? Dims{s.B, s.Skv, s.Hkv * s.Dv} : Dims{s.B, s.Hkv, s.Skv, s.Dv};
  if (s.rank3) {
    params.q_num_heads = s.Hq;
    params.kv_num_heads = s.Hkv;
  }
  const Dims pks{s.B, s.Hkv, s.P, s.D}, pvs{s.B, s.Hkv, s.P, s.Dv}, ns{s.B};
  AttentionShapes shapes{qs, ks, vs};
  if (!s.mask_shape.empty()) shapes.mask = s.mask_shape;
  if (s.P > 0) {
    shapes.past_key = pks;
    shapes.past_value = pvs;
  }
  if (!s.nonpad.empty()) shapes.nonpad_kv_seqlen = ns;
  const AttentionPlan plan = plan_attention(params, shapes);
  V y(static_cast<size_t>(count(plan.y_shape))), qk(static_cast<size_t>(count(plan.qk_shape))),
      present_k(static_cast<size_t>(count(plan.present_key_shape))),
      present_v(static_cast<size_t>(count(plan.present_value_shape)));
  ASSERT_EQ(plan.qk_shape, (Dims{s.B, s.Hq, s.Sq, T}));
  AttentionData<double> d;
  d.q = q_in.data();
  d.k = k_in.data();
  d.v = v_in.data();
  d.mask = s.mask_shape.empty() ? nullptr : mask.data();
  d.past_key = s.P > 0 ? pk.data() : nullptr;
  d.past_value = s.P > 0 ? pv.data() : nullptr;
  d.nonpad_kv_seqlen = s.nonpad.empty() ? nullptr : s.nonpad.data();
  d.y = y.data();
  d.qk = qk.data();
  d.present_key = present_k.data();
  d.present_value = present_v.data();
  attention(params, plan, d, Precision::kFloat64, Precision::kFloat64);
  expect_near_all(s.rank3 ? to_rank3(want.y, s.B, s.Hq, s.Sq, s.Dv) : want.y, y);
  expect_near_all(qk, want.qk);
  expect_near_all(present_k, kall, 0);
  expect_near_all(present_v, vall, 0);
}

TEST(Attention, MatchesReference) {
  std::vector<AttnCase> cases;
  AttnCase s;
  cases.push_back(s);  // plain GQA
  s.rank3 = true;
  cases.push_back(s);
  s = AttnCase{};
  s.Hkv = 4;
  s.mask_shape = {3, 4};  // 2-D mask
  s.scale = 0.3;
  s.mode = 2;
  cases.push_back(s);
  s.mask_shape = {4, 1, 2};  // 3-D per-head mask, shorter than the keys: padded with -inf
  s.softcap = 1.5;
  s.mode = 1;
  cases.push_back(s);
  s = AttnCase{};
  s.P = 3;  // past cache with causal masking aligned to the end
  s.causal = true;
  s.mask_shape = {2, 1, 3, 7};
  s.mode = 3;
  cases.push_back(s);
  s = AttnCase{};
  s.Skv = 6;
  s.nonpad = {5, 2};  // per-batch KV lengths, causal from the end of each
  s.causal = true;
  cases.push_back(s);
  s = AttnCase{};
  s.Sq = 5;
  s.Skv = 5;
  s.causal = true;
  s.left = 2;  // sliding window
  s.right = 0;
  cases.push_back(s);
  s = AttnCase{};
  s.left = 0;
  s.right = 1;
  s.mask_shape = {4};
  s.mode = 3;
  cases.push_back(s);
  s = AttnCase{};
  s.nonpad = {0, 4};  // batch 0 fully masked: zeros, not NaN
  s.mode = 3;
  cases.push_back(s);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "case " << i);
    run(cases[i]);
  }
}

TEST(Attention, RejectsBadShapes) {
  AttentionParams p;
  const Dims q{1, 4, 3, 8}, k{1, 2, 5, 8}, v{1, 2, 5, 6}, k_bad{1, 2, 5, 7}, k3{1, 5, 16},
      v_len{1, 2, 4, 6}, q3{1, 3, 32}, mask_long{3, 9}, mask_bad{2, 5}, pk{1, 2, 2, 8},
      pv_bad{1, 2, 3, 6}, np_bad{2};
  expect_error([&] { plan_attention(p, {q, k_bad, v}); }, INFER_INVALID_ARGUMENT, "do not match");
  expect_error([&] { plan_attention(p, {q, k3, v}); }, INFER_INVALID_ARGUMENT, "must all be 3-D");
  expect_error([&] { plan_attention(p, {q, k, v_len}); }, INFER_INVALID_ARGUMENT, "do not match");
  expect_error([&] { plan_attention(p, {q3, k3, k3}); }, INFER_INVALID_ARGUMENT, "q_num_heads");
  AttentionParams p3;
  p3.q_num_heads = 3;
  p3.kv_num_heads = 2;
  expect_error([&] { plan_attention(p3, {q3, k3, k3}); }, INFER_INVALID_ARGUMENT, "divisible");
  const Dims q_heads3{1, 3, 3, 8};
  expect_error([&] { plan_attention(p, {q_heads3, k, v}); }, INFER_INVALID_ARGUMENT, "multiple");
  AttentionShapes s{q, k, v};
  s.mask = mask_long;
  expect_error([&] { plan_attention(p, s); }, INFER_INVALID_ARGUMENT, "longer");
  s.mask = mask_bad;
  expect_error([&] { plan_attention(p, s); }, INFER_INVALID_ARGUMENT, "broadcast");
  s = {q, k, v};
  s.past_key = pk;
  expect_error([&] { plan_attention(p, s); }, INFER_INVALID_ARGUMENT, "together");
  s.past_value = pv_bad;
  expect_error([&] { plan_attention(p, s); }, INFER_INVALID_ARGUMENT, "past_key");
  s = {q, k, v};
  s.nonpad_kv_seqlen = np_bad;
  expect_error([&] { plan_attention(p, s); }, INFER_INVALID_ARGUMENT, "nonpad_kv_seqlen");
  AttentionParams p25;
  p25.heads_attrs_forbidden_for_4d = true;
  p25.q_num_heads = 4;
  expect_error([&] { plan_attention(p25, {q, k, v}); }, INFER_INVALID_ARGUMENT, "4-D");
}

}  // namespace
}  // namespace infer::cpu::test
