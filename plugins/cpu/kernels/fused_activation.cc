#include "kernels/fused_activation.h"

#include <algorithm>
#include <cmath>

#include "kernels/unary_math.h"

namespace infer::cpu {
namespace {

struct Identity {
  float operator()(float x) const { return x; }
};

// Clip with NaN kept, as the standalone Clip.
struct ClipFn {
  float lo, hi;
  float operator()(float x) const { return x < lo ? lo : x > hi ? hi : x; }
};

// Calls fn with the functor of the activation, so that each loop is compiled per activation.
template <typename Fn>
void visit_activation(const FusedActivation& a, Fn&& fn) {
  switch (a.kind) {
    case FusedActivationKind::kNone:
      return fn(Identity{});
    case FusedActivationKind::kRelu:
      return fn(fn::Relu{});
    case FusedActivationKind::kClip:
      return fn(ClipFn{a.alpha, a.beta});
    case FusedActivationKind::kSigmoid:
      return fn(fn::Sigmoid{});
    case FusedActivationKind::kTanh:
      return fn(fn::Tanh{});
    case FusedActivationKind::kLeakyRelu:
      return fn(fn::LeakyRelu{a.alpha});
    case FusedActivationKind::kHardSigmoid:
      return fn(fn::HardSigmoid{a.alpha, a.beta});
    case FusedActivationKind::kGelu:
      return fn(fn::Gelu{});
    case FusedActivationKind::kHardSwish:
      return fn(fn::HardSwish{});
  }
}

}  // namespace

FusedActivation parse_fused_activation(std::string_view name, std::span<const float> params) {
  struct Entry {
    std::string_view name;
    FusedActivationKind kind;
    size_t params;
  };
  static constexpr Entry kTable[] = {
      {"", FusedActivationKind::kNone, 0},
      {"Relu", FusedActivationKind::kRelu, 0},
      {"Clip", FusedActivationKind::kClip, 2},
      {"Sigmoid", FusedActivationKind::kSigmoid, 0},
      {"Tanh", FusedActivationKind::kTanh, 0},
      {"LeakyRelu", FusedActivationKind::kLeakyRelu, 1},
      {"HardSigmoid", FusedActivationKind::kHardSigmoid, 2},
      {"Gelu", FusedActivationKind::kGelu, 0},
      {"HardSwish", FusedActivationKind::kHardSwish, 0},
  };
  for (const Entry& e : kTable) {
    if (e.name != name) continue;
    if (params.size() != e.params) {
      fail_attr(str_cat("activation '", name, "' takes ", e.params, " activation_params, got ",
                        params.size()));
    }
    FusedActivation a{e.kind};
    if (e.params > 0) a.alpha = params[0];
    if (e.params > 1) a.beta = params[1];
    return a;
  }
  fail_attr(str_cat("unsupported fused activation '", name, "'"));
}

void fused_epilogue(const FusedActivation& act, float* y, int64_t outer, int64_t channels,
                    int64_t inner, const float* bias, const float* z) {
  visit_activation(act, [&](auto f) {
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t c = 0; c < channels; ++c) {
        const int64_t off = (o * channels + c) * inner;
        float* yr = y + off;
        const float b = bias ? bias[c] : 0.0f;
        if (z) {
          const float* zr = z + off;
          for (int64_t i = 0; i < inner; ++i) yr[i] = f(yr[i] + b + zr[i]);
        } else {
          for (int64_t i = 0; i < inner; ++i) yr[i] = f(yr[i] + b);
        }
      }
    }
  });
}

void fused_activation(const FusedActivation& act, const float* x, float* y, int64_t n) {
  visit_activation(act, [&](auto f) {
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
  });
}

}  // namespace infer::cpu
