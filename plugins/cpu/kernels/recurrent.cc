#include "kernels/recurrent.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace infer::cpu {

namespace {

constexpr struct {
  const char* name;
  ActivationKind kind;
} kActivationNames[] = {
    {"relu", ActivationKind::kRelu},
    {"tanh", ActivationKind::kTanh},
    {"sigmoid", ActivationKind::kSigmoid},
    {"affine", ActivationKind::kAffine},
    {"leakyrelu", ActivationKind::kLeakyRelu},
    {"thresholdedrelu", ActivationKind::kThresholdedRelu},
    {"scaledtanh", ActivationKind::kScaledTanh},
    {"hardsigmoid", ActivationKind::kHardSigmoid},
    {"elu", ActivationKind::kElu},
    {"softsign", ActivationKind::kSoftsign},
    {"softplus", ActivationKind::kSoftplus},
};

template <typename T>
T activate(const Activation& a, T x) {
  const T alpha = static_cast<T>(a.alpha), beta = static_cast<T>(a.beta);
  switch (a.kind) {
    case ActivationKind::kRelu:
      return std::max(x, T(0));
    case ActivationKind::kTanh:
      return std::tanh(x);
    case ActivationKind::kSigmoid:
      return T(1) / (T(1) + std::exp(-x));
    case ActivationKind::kAffine:
      return alpha * x + beta;
    case ActivationKind::kLeakyRelu:
      return x >= 0 ? x : alpha * x;
    case ActivationKind::kThresholdedRelu:
      return x > alpha ? x : T(0);
    case ActivationKind::kScaledTanh:
      return alpha * std::tanh(beta * x);
    case ActivationKind::kHardSigmoid:
      return std::clamp(alpha * x + beta, T(0), T(1));
    case ActivationKind::kElu:
      return x >= 0 ? x : alpha * (std::exp(x) - T(1));
    case ActivationKind::kSoftsign:
      return x / (T(1) + std::fabs(x));
    case ActivationKind::kSoftplus:
      return std::log1p(std::exp(x));
  }
  return x;
}

void check_shape(const char* what, ShapeSpan got, const Shape& want) {
  if (!std::equal(got.begin(), got.end(), want.begin(), want.end())) {
    fail_input(str_cat(what, " must have shape ", shape_str(want), ", got ", shape_str(got)));
  }
}

}  // namespace

std::optional<ActivationKind> parse_activation(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& n : kActivationNames) {
    if (lower == n.name) return n.kind;
  }
  return std::nullopt;
}

bool activation_takes_alpha(ActivationKind k) {
  return k == ActivationKind::kAffine || k == ActivationKind::kLeakyRelu ||
         k == ActivationKind::kThresholdedRelu || k == ActivationKind::kScaledTanh ||
         k == ActivationKind::kHardSigmoid || k == ActivationKind::kElu;
}

bool activation_takes_beta(ActivationKind k) {
  return k == ActivationKind::kAffine || k == ActivationKind::kScaledTanh ||
         k == ActivationKind::kHardSigmoid;
}

Activation default_activation(ActivationKind k) {
  switch (k) {
    case ActivationKind::kAffine:
      return {k, 1.0f, 0.0f};
    case ActivationKind::kLeakyRelu:
      return {k, 0.01f, 0.0f};
    case ActivationKind::kThresholdedRelu:
    case ActivationKind::kElu:
      return {k, 1.0f, 0.0f};
    case ActivationKind::kScaledTanh:
      return {k, 1.0f, 1.0f};
    case ActivationKind::kHardSigmoid:
      return {k, 0.2f, 0.5f};
    default:
      return {k, 0.0f, 0.0f};
  }
}

int64_t rnn_gates(RnnCell cell) {
  return cell == RnnCell::kRnn ? 1 : cell == RnnCell::kGru ? 3 : 4;
}

size_t rnn_activation_count(RnnCell cell) {
  return cell == RnnCell::kRnn ? 1 : cell == RnnCell::kGru ? 2 : 3;
}

RnnPlan plan_rnn(const RnnParams& params, const RnnShapes& s) {
  RnnPlan p;
  p.gates = rnn_gates(params.cell);
  p.directions = params.directions;
  if (s.x.size() != 3) fail_input(str_cat("X must be 3-D, got ", shape_str(s.x)));
  p.seq = s.x[params.batch_major ? 1 : 0];
  p.batch = s.x[params.batch_major ? 0 : 1];
  p.input = s.x[2];
  if (s.r.size() != 3) fail_input(str_cat("R must be 3-D, got ", shape_str(s.r)));
  p.hidden = params.hidden_size > 0 ? params.hidden_size : s.r[2];
  const int64_t gh = checked_mul(p.gates, p.hidden);
  const int64_t dirs = p.directions;
  check_shape("W", s.w, {dirs, gh, p.input});
  check_shape("R", s.r, {dirs, gh, p.hidden});
  if (s.b) check_shape("B", *s.b, {dirs, 2 * gh});
  if (s.sequence_lens) check_shape("sequence_lens", *s.sequence_lens, {p.batch});
  const Shape state =
      params.batch_major ? Shape{p.batch, dirs, p.hidden} : Shape{dirs, p.batch, p.hidden};
  if (s.initial_h) check_shape("initial_h", *s.initial_h, state);
  if (s.initial_c) check_shape("initial_c", *s.initial_c, state);
  if (s.p) check_shape("P", *s.p, {dirs, 3 * p.hidden});
  p.y_shape = params.batch_major ? Shape{p.batch, p.seq, dirs, p.hidden}
                                 : Shape{p.seq, dirs, p.batch, p.hidden};
  p.state_shape = state;
  numel(p.y_shape);
  return p;
}

template <typename T>
void rnn(const RnnParams& params, const RnnPlan& p, const RnnData<T>& d) {
  const int64_t H = p.hidden, G = p.gates, I = p.input, B = p.batch, S = p.seq;
  const int64_t GH = G * H;
  const bool bm = params.batch_major;
  // Element offsets of X[t, b, :], Y[t, dir, b, :] and a state [dir, b, :] for either layout.
  auto x_at = [&](int64_t t, int64_t b) { return (bm ? b * S + t : t * B + b) * I; };
  auto y_at = [&](int64_t t, int64_t dir, int64_t b) {
    return (bm ? (b * S + t) * p.directions + dir : (t * p.directions + dir) * B + b) * H;
  };
  auto state_at = [&](int64_t dir, int64_t b) {
    return (bm ? b * p.directions + dir : dir * B + b) * H;
  };
  auto clip = [&](T v) {
    if (!params.clip) return v;
    const T c = static_cast<T>(*params.clip);
    return std::clamp(v, -c, c);
  };
  for (int64_t t = 0; d.sequence_lens && t < B; ++t) {
    if (d.sequence_lens[t] < 0 || d.sequence_lens[t] > S) {
      fail_input(str_cat("sequence_lens[", t, "] = ", d.sequence_lens[t],
                         " is outside [0, sequence length ", S, "]"));
    }
  }
  if (d.y) std::fill_n(d.y, numel(p.y_shape), T(0));
  const size_t acts = rnn_activation_count(params.cell);
  std::vector<T> gates(static_cast<size_t>(GH)), h(static_cast<size_t>(H)),
      c(static_cast<size_t>(H)), hr(static_cast<size_t>(H));
  for (int64_t dir = 0; dir < p.directions; ++dir) {
    const bool backward = dir == 1 || params.reverse;
    const T* w = d.w + dir * GH * I;
    const T* r = d.r + dir * GH * H;
    const T* wb = d.b ? d.b + dir * 2 * GH : nullptr;
    const T* rb = wb ? wb + GH : nullptr;
    const T* peep = d.p ? d.p + dir * 3 * H : nullptr;
    const Activation* act = &params.activations[static_cast<size_t>(dir) * acts];
    for (int64_t b = 0; b < B; ++b) {
      const int64_t len = d.sequence_lens ? d.sequence_lens[b] : S;
      const int64_t s0 = state_at(dir, b);
      for (int64_t j = 0; j < H; ++j) {
        h[j] = d.initial_h ? d.initial_h[s0 + j] : T(0);
        c[j] = d.initial_c ? d.initial_c[s0 + j] : T(0);
      }
      for (int64_t step = 0; step < len; ++step) {
        const int64_t t = backward ? len - 1 - step : step;
        const T* x = d.x + x_at(t, b);
        // gates = x W^T + Wb (+ h R^T + Rb, except GRU's candidate gate, added below).
        for (int64_t g = 0; g < GH; ++g) {
          T s = wb ? wb[g] : T(0);
          const T* wr = w + g * I;
          for (int64_t k = 0; k < I; ++k) s += x[k] * wr[k];
          const bool gru_candidate = params.cell == RnnCell::kGru && g >= 2 * H;
          if (!gru_candidate) {
            if (rb) s += rb[g];
            const T* rr = r + g * H;
            for (int64_t k = 0; k < H; ++k) s += h[k] * rr[k];
          }
          gates[g] = s;
        }
        switch (params.cell) {
          case RnnCell::kRnn:
            for (int64_t j = 0; j < H; ++j) h[j] = activate(act[0], clip(gates[j]));
            break;
          case RnnCell::kGru: {
            T* z = gates.data();
            T* rg = z + H;
            T* cand = rg + H;
            for (int64_t j = 0; j < H; ++j) {
              z[j] = activate(act[0], clip(z[j]));
              rg[j] = activate(act[0], clip(rg[j]));
            }
            const T* rh = r + 2 * H * H;
            const T* rbh = rb ? rb + 2 * H : nullptr;
            // Before reset: (r * h) Rh^T + Rbh; linear: r * (h Rh^T + Rbh).
            for (int64_t j = 0; j < H; ++j)
              hr[j] = params.linear_before_reset ? h[j] : rg[j] * h[j];
            for (int64_t j = 0; j < H; ++j) {
              T s = rbh ? rbh[j] : T(0);
              for (int64_t k = 0; k < H; ++k) s += hr[k] * rh[j * H + k];
              cand[j] += params.linear_before_reset ? rg[j] * s : s;
            }
            for (int64_t j = 0; j < H; ++j) {
              const T hh = activate(act[1], clip(cand[j]));
              h[j] = (T(1) - z[j]) * hh + z[j] * h[j];
            }
            break;
          }
          case RnnCell::kLstm: {
            T* ig = gates.data();
            T* og = ig + H;
            T* fg = og + H;
            T* cg = fg + H;
            for (int64_t j = 0; j < H; ++j) {
              const T i = activate(act[0], clip(ig[j] + (peep ? peep[j] * c[j] : T(0))));
              const T f =
                  params.input_forget
                      ? T(1) - i
                      : activate(act[0], clip(fg[j] + (peep ? peep[2 * H + j] * c[j] : T(0))));
              const T cand = activate(act[1], clip(cg[j]));
              c[j] = f * c[j] + i * cand;
              const T o = activate(act[0], clip(og[j] + (peep ? peep[H + j] * c[j] : T(0))));
              h[j] = o * activate(act[2], c[j]);
            }
            break;
          }
        }
        if (d.y) std::copy(h.begin(), h.end(), d.y + y_at(t, dir, b));
      }
      if (d.y_h) std::copy(h.begin(), h.end(), d.y_h + s0);
      if (d.y_c) std::copy(c.begin(), c.end(), d.y_c + s0);
    }
  }
}

template void rnn<float>(const RnnParams&, const RnnPlan&, const RnnData<float>&);
template void rnn<double>(const RnnParams&, const RnnPlan&, const RnnData<double>&);

}  // namespace infer::cpu
