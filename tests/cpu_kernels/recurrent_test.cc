#include "kernels/recurrent.h"

#include <cmath>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

using V = std::vector<double>;

V random_values(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-0.8, 0.8);
  V v(static_cast<size_t>(n));
  for (double& x : v) x = d(rng);
  return v;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// Straight from the ONNX equations, layout 0, one direction at a time. act(k, x) applies the
// k-th activation of the direction; W/R/B/P per the ONNX gate order.
struct RefInputs {
  int64_t seq, batch, input, hidden;
  V x, w, r, b, h0, c0, p;
  std::vector<int32_t> lens;
};
struct RefOutputs {
  V y, yh, yc;
};

RefOutputs reference(RnnCell cell, const RefInputs& in, int dirs, bool reverse_only,
                     const std::function<double(int, int, double)>& act, double clip,
                     bool linear_before_reset, bool input_forget) {
  const int64_t S = in.seq, B = in.batch, I = in.input, H = in.hidden;
  const int64_t G = cell == RnnCell::kRnn ? 1 : cell == RnnCell::kGru ? 3 : 4;
  RefOutputs out{V(static_cast<size_t>(S * dirs * B * H), 0.0),
                 V(static_cast<size_t>(dirs * B * H)), V(static_cast<size_t>(dirs * B * H))};
  auto cl = [&](double v) { return clip > 0 ? std::max(-clip, std::min(clip, v)) : v; };
  for (int d = 0; d < dirs; ++d) {
    const bool back = d == 1 || reverse_only;
    // W[d][g*H + j][k], R[d][g*H + j][k], Wb[d][g*H + j], Rb[d][G*H + g*H + j]
    auto W = [&](int64_t g, int64_t j, int64_t k) {
      return in.w[static_cast<size_t>(((d * G + g) * H + j) * I + k)];
    };
    auto R = [&](int64_t g, int64_t j, int64_t k) {
      return in.r[static_cast<size_t>(((d * G + g) * H + j) * H + k)];
    };
    auto Wb = [&](int64_t g, int64_t j) {
      return in.b.empty() ? 0.0 : in.b[static_cast<size_t>(d * 2 * G * H + g * H + j)];
    };
    auto Rb = [&](int64_t g, int64_t j) {
      return in.b.empty() ? 0.0 : in.b[static_cast<size_t>(d * 2 * G * H + G * H + g * H + j)];
    };
    auto P = [&](int64_t g, int64_t j) {
      return in.p.empty() ? 0.0 : in.p[static_cast<size_t>(d * 3 * H + g * H + j)];
    };
    for (int64_t b = 0; b < B; ++b) {
      V h(static_cast<size_t>(H)), c(static_cast<size_t>(H));
      for (int64_t j = 0; j < H; ++j) {
        const size_t at = static_cast<size_t>((d * B + b) * H + j);
        h[j] = in.h0.empty() ? 0 : in.h0[at];
        c[j] = in.c0.empty() ? 0 : in.c0[at];
      }
      const int64_t len = in.lens.empty() ? S : in.lens[static_cast<size_t>(b)];
      for (int64_t s = 0; s < len; ++s) {
        const int64_t t = back ? len - 1 - s : s;
        auto xw = [&](int64_t g, int64_t j) {
          double v = Wb(g, j);
          for (int64_t k = 0; k < I; ++k)
            v += in.x[static_cast<size_t>((t * B + b) * I + k)] * W(g, j, k);
          return v;
        };
        auto hr = [&](const V& hv, int64_t g, int64_t j) {
          double v = 0;
          for (int64_t k = 0; k < H; ++k) v += hv[static_cast<size_t>(k)] * R(g, j, k);
          return v;
        };
        V nh(static_cast<size_t>(H)), nc = c;
        if (cell == RnnCell::kRnn) {
          for (int64_t j = 0; j < H; ++j) nh[j] = act(d, 0, cl(xw(0, j) + hr(h, 0, j) + Rb(0, j)));
        } else if (cell == RnnCell::kGru) {
          V z(static_cast<size_t>(H)), rg(static_cast<size_t>(H)), rh(static_cast<size_t>(H));
          for (int64_t j = 0; j < H; ++j) {
            z[j] = act(d, 0, cl(xw(0, j) + hr(h, 0, j) + Rb(0, j)));
            rg[j] = act(d, 0, cl(xw(1, j) + hr(h, 1, j) + Rb(1, j)));
            rh[j] = rg[j] * h[j];
          }
          for (int64_t j = 0; j < H; ++j) {
            const double pre = linear_before_reset ? xw(2, j) + rg[j] * (hr(h, 2, j) + Rb(2, j))
                                                   : xw(2, j) + hr(rh, 2, j) + Rb(2, j);
            nh[j] = (1 - z[j]) * act(d, 1, cl(pre)) + z[j] * h[j];
          }
        } else {
          for (int64_t j = 0; j < H; ++j) {
            const double i = act(d, 0, cl(xw(0, j) + hr(h, 0, j) + Rb(0, j) + P(0, j) * c[j]));
            const double f =
                input_forget ? 1 - i
                             : act(d, 0, cl(xw(2, j) + hr(h, 2, j) + Rb(2, j) + P(2, j) * c[j]));
            const double g = act(d, 1, cl(xw(3, j) + hr(h, 3, j) + Rb(3, j)));
            nc[j] = f * c[j] + i * g;
            const double o = act(d, 0, cl(xw(1, j) + hr(h, 1, j) + Rb(1, j) + P(1, j) * nc[j]));
            nh[j] = o * act(d, 2, nc[j]);
          }
        }
        h = nh;
        c = nc;
        for (int64_t j = 0; j < H; ++j)
          out.y[static_cast<size_t>(((t * dirs + d) * B + b) * H + j)] = h[j];
      }
      for (int64_t j = 0; j < H; ++j) {
        out.yh[static_cast<size_t>((d * B + b) * H + j)] = h[j];
        out.yc[static_cast<size_t>((d * B + b) * H + j)] = c[j];
      }
    }
  }
  return out;
}

void expect_near_all(const V& got, const V& want, double tol = 1e-9) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

struct Case {
  RnnCell cell;
  int dirs;
  bool reverse;
  bool with_bias, with_lens, with_initial, with_peepholes;
  double clip;
  bool linear_before_reset, input_forget;
  std::vector<Activation> acts;  // empty: the defaults
};

double apply(const Activation& a, double x) {
  switch (a.kind) {
    case ActivationKind::kTanh:
      return std::tanh(x);
    case ActivationKind::kSigmoid:
      return sigmoid(x);
    case ActivationKind::kRelu:
      return x > 0 ? x : 0;
    case ActivationKind::kLeakyRelu:
      return x >= 0 ? x : a.alpha * x;
    case ActivationKind::kHardSigmoid:
      return std::max(0.0, std::min(1.0, a.alpha * x + a.beta));
    case ActivationKind::kAffine:
      return a.alpha * x + a.beta;
    case ActivationKind::kScaledTanh:
      return a.alpha * std::tanh(a.beta * x);
    case ActivationKind::kElu:
      return x >= 0 ? x : a.alpha * (std::exp(x) - 1);
    case ActivationKind::kSoftsign:
      return x / (1 + std::fabs(x));
    case ActivationKind::kSoftplus:
      return std::log(1 + std::exp(x));
    case ActivationKind::kThresholdedRelu:
      return x > a.alpha ? x : 0;
  }
  return x;
}

void run_case(const Case& c, bool batch_major) {
  std::mt19937 rng(17);
  const int64_t S = 5, B = 3, I = 4, H = 3, D = c.dirs;
  const int64_t G = rnn_gates(c.cell);
  RefInputs in{S,
               B,
               I,
               H,
               random_values(S * B * I, rng),
               random_values(D * G * H * I, rng),
               random_values(D * G * H * H, rng),
               {},
               {},
               {},
               {},
               {}};
  if (c.with_bias) in.b = random_values(D * 2 * G * H, rng);
  if (c.with_initial) {
    in.h0 = random_values(D * B * H, rng);
    if (c.cell == RnnCell::kLstm) in.c0 = random_values(D * B * H, rng);
  }
  if (c.with_peepholes) in.p = random_values(D * 3 * H, rng);
  if (c.with_lens) in.lens = {5, 0, 2};
  RnnParams params;
  params.cell = c.cell;
  params.hidden_size = H;
  params.directions = D;
  params.reverse = c.reverse;
  params.linear_before_reset = c.linear_before_reset;
  params.input_forget = c.input_forget;
  params.batch_major = batch_major;
  if (c.clip > 0) params.clip = static_cast<float>(c.clip);
  const size_t per = rnn_activation_count(c.cell);
  if (c.acts.empty()) {
    const ActivationKind defaults[] = {
        c.cell == RnnCell::kRnn ? ActivationKind::kTanh : ActivationKind::kSigmoid,
        ActivationKind::kTanh, ActivationKind::kTanh};
    for (int d = 0; d < D; ++d)
      for (size_t k = 0; k < per; ++k)
        params.activations.push_back(default_activation(defaults[k]));
  } else {
    params.activations = c.acts;
  }
  const auto act = [&](int d, int k, double x) {
    return apply(params.activations[static_cast<size_t>(d) * per + static_cast<size_t>(k)], x);
  };
  // The kernel holds clip as a float.
  const RefOutputs want = reference(c.cell, in, c.dirs, c.reverse, act, static_cast<float>(c.clip),
                                    c.linear_before_reset, c.input_forget);
  // Batch-major layout: transpose the inputs here and the outputs back.
  auto swap01 = [](const V& v, int64_t a, int64_t b, int64_t inner) {
    V o(v.size());
    for (int64_t i = 0; i < a; ++i)
      for (int64_t j = 0; j < b; ++j)
        for (int64_t k = 0; k < inner; ++k)
          o[static_cast<size_t>((j * a + i) * inner + k)] =
              v[static_cast<size_t>((i * b + j) * inner + k)];
    return o;
  };
  const V x = batch_major ? swap01(in.x, S, B, I) : in.x;
  const V h0 = batch_major && !in.h0.empty() ? swap01(in.h0, D, B, H) : in.h0;
  const V c0 = batch_major && !in.c0.empty() ? swap01(in.c0, D, B, H) : in.c0;
  const Dims xs = batch_major ? Dims{B, S, I} : Dims{S, B, I};
  const Dims ws{D, G * H, I}, rs{D, G * H, H}, bs{D, 2 * G * H}, ls{B}, ps{D, 3 * H};
  const Dims hs = batch_major ? Dims{B, D, H} : Dims{D, B, H};
  RnnShapes shapes{xs, ws, rs};
  if (c.with_bias) shapes.b = bs;
  if (c.with_lens) shapes.sequence_lens = ls;
  if (c.with_initial) shapes.initial_h = hs;
  if (!c0.empty()) shapes.initial_c = hs;
  if (c.with_peepholes) shapes.p = ps;
  const RnnPlan plan = plan_rnn(params, shapes);
  ASSERT_EQ(plan.y_shape, batch_major ? (Dims{B, S, D, H}) : (Dims{S, D, B, H}));
  V y(static_cast<size_t>(count(plan.y_shape)), 7.0), yh(static_cast<size_t>(D * B * H)),
      yc(static_cast<size_t>(D * B * H));
  RnnData<double> data;
  data.x = x.data();
  data.w = in.w.data();
  data.r = in.r.data();
  data.b = c.with_bias ? in.b.data() : nullptr;
  data.sequence_lens = c.with_lens ? in.lens.data() : nullptr;
  data.initial_h = h0.empty() ? nullptr : h0.data();
  data.initial_c = c0.empty() ? nullptr : c0.data();
  data.p = c.with_peepholes ? in.p.data() : nullptr;
  data.y = y.data();
  data.y_h = yh.data();
  data.y_c = c.cell == RnnCell::kLstm ? yc.data() : nullptr;
  rnn(params, plan, data);
  if (batch_major) {
    // [B, S, D, H] -> [S, D, B, H]
    V ys(y.size());
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < S; ++t)
        for (int64_t d = 0; d < D; ++d)
          for (int64_t j = 0; j < H; ++j)
            ys[static_cast<size_t>(((t * D + d) * B + b) * H + j)] =
                y[static_cast<size_t>(((b * S + t) * D + d) * H + j)];
    expect_near_all(ys, want.y);
    expect_near_all(swap01(yh, B, D, H), want.yh);
    if (c.cell == RnnCell::kLstm) expect_near_all(swap01(yc, B, D, H), want.yc);
  } else {
    expect_near_all(y, want.y);
    expect_near_all(yh, want.yh);
    if (c.cell == RnnCell::kLstm) expect_near_all(yc, want.yc);
  }
}

TEST(Recurrent, MatchesReference) {
  const Activation leaky{ActivationKind::kLeakyRelu, 0.1f, 0};
  const Activation hard{ActivationKind::kHardSigmoid, 0.3f, 0.4f};
  const Activation scaled{ActivationKind::kScaledTanh, 0.9f, 1.1f};
  const Activation tanh_a{ActivationKind::kTanh, 0, 0};
  const Case cases[] = {
      {RnnCell::kRnn, 1, false, false, false, false, false, 0, false, false, {}},
      {RnnCell::kRnn, 2, false, true, true, true, false, 0, false, false, {leaky, tanh_a}},
      {RnnCell::kRnn, 1, true, true, false, true, false, 0.5, false, false, {}},
      {RnnCell::kGru, 1, false, true, false, true, false, 0, false, false, {}},
      {RnnCell::kGru, 1, false, true, true, true, false, 0, true, false, {}},
      {RnnCell::kGru,
       2,
       false,
       true,
       true,
       false,
       false,
       0.4,
       true,
       false,
       {hard, scaled, hard, tanh_a}},
      {RnnCell::kLstm, 1, false, false, false, false, false, 0, false, false, {}},
      {RnnCell::kLstm, 1, true, true, true, true, true, 0, false, false, {}},
      {RnnCell::kLstm,
       2,
       false,
       true,
       true,
       true,
       true,
       0.6,
       false,
       true,
       {hard, scaled, leaky, hard, tanh_a, tanh_a}},
  };
  int n = 0;
  for (const Case& c : cases) {
    for (bool batch_major : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "case " << n << " batch_major " << batch_major);
      run_case(c, batch_major);
    }
    ++n;
  }
}

TEST(Recurrent, ParsesActivations) {
  EXPECT_EQ(parse_activation("tanh"), ActivationKind::kTanh);
  EXPECT_EQ(parse_activation("HardSigmoid"), ActivationKind::kHardSigmoid);
  EXPECT_EQ(parse_activation("nope"), std::nullopt);
  EXPECT_FLOAT_EQ(default_activation(ActivationKind::kLeakyRelu).alpha, 0.01f);
  EXPECT_TRUE(activation_takes_beta(ActivationKind::kAffine));
  EXPECT_FALSE(activation_takes_alpha(ActivationKind::kSoftsign));
}

TEST(Recurrent, RejectsBadShapesAndLengths) {
  RnnParams p;
  p.cell = RnnCell::kLstm;
  p.activations.assign(3, default_activation(ActivationKind::kTanh));
  const Dims x{5, 2, 4}, w{1, 12, 4}, r{1, 12, 3}, bad_w{1, 12, 5}, bad_b{1, 12}, h{1, 2, 3},
      bad_h{2, 1, 3}, lens{3}, p3{1, 9}, x2{5, 4};
  expect_error([&] { plan_rnn(p, {x, bad_w, r}); }, INFER_INVALID_ARGUMENT, "W must have shape");
  expect_error([&] { plan_rnn(p, {x2, w, r}); }, INFER_INVALID_ARGUMENT, "X must be 3-D");
  RnnShapes s{x, w, r};
  s.b = bad_b;
  expect_error([&] { plan_rnn(p, s); }, INFER_INVALID_ARGUMENT, "B must have shape");
  s = {x, w, r};
  s.initial_h = bad_h;
  expect_error([&] { plan_rnn(p, s); }, INFER_INVALID_ARGUMENT, "initial_h");
  s = {x, w, r};
  s.sequence_lens = lens;
  expect_error([&] { plan_rnn(p, s); }, INFER_INVALID_ARGUMENT, "sequence_lens");
  p.hidden_size = 4;  // disagrees with R
  expect_error([&] { plan_rnn(p, {x, w, r}); }, INFER_INVALID_ARGUMENT, "must have shape");
  p.hidden_size = 0;
  // A sequence length past the sequence is refused at run time, before any read.
  const RnnPlan plan = plan_rnn(p, {x, w, r});
  std::vector<double> xs(40), ws(48), rs(36), y(static_cast<size_t>(count(plan.y_shape)));
  const std::vector<int32_t> too_long = {6, 1};
  RnnData<double> d;
  d.x = xs.data();
  d.w = ws.data();
  d.r = rs.data();
  d.sequence_lens = too_long.data();
  d.y = y.data();
  expect_error([&] { rnn(p, plan, d); }, INFER_INVALID_ARGUMENT, "sequence_lens[0] = 6");
  (void)h;
  (void)p3;
}

}  // namespace
}  // namespace infer::cpu::test
