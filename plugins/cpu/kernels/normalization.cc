#include "kernels/normalization.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/reduce.h"
#include "kernels/vector_math.h"

namespace infer::cpu {

namespace {

template <typename T>
T to(double v) {
  return store<T>(static_cast<compute_t<T>>(v));
}

// A parameter tensor broadcast onto x, as a dense array of doubles indexed by x's flat index
// modulo its size: only the trailing [cols] block when it does not vary across rows.
template <typename T>
std::vector<double> expand_param(const T* p, ShapeSpan p_shape, ShapeSpan x_shape, size_t axis) {
  const Shape strides = broadcast_strides(p_shape, x_shape);
  size_t first = axis;
  for (size_t d = 0; d < axis; ++d) {
    if (strides[d] != 0) first = 0;
  }
  const int64_t n = dims_product(x_shape, first, x_shape.size());
  std::vector<double> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i, offset = 0;
    for (size_t d = x_shape.size(); d-- > first;) {
      offset += (rest % x_shape[d]) * strides[d];
      rest /= x_shape[d];
    }
    out[static_cast<size_t>(i)] = static_cast<double>(load(p[offset]));
  }
  return out;
}

// Whether a parameter of shape p_shape broadcast onto x is one dense [cols] block repeated for
// every row: its dimensions before the axis are 1 and the ones from the axis on match x.
bool is_row_param(ShapeSpan p_shape, ShapeSpan x_shape, size_t axis) {
  if (p_shape.size() > x_shape.size()) return false;
  if (numel(p_shape) != dims_product(x_shape, axis, x_shape.size())) return false;
  const size_t lead = x_shape.size() - p_shape.size();
  for (size_t d = 0; d < p_shape.size(); ++d) {
    const size_t xd = d + lead;
    if (p_shape[d] != (xd < axis ? 1 : x_shape[xd])) return false;
  }
  return true;
}

}  // namespace

RowNormPlan plan_row_norm(ShapeSpan x, int64_t axis, ShapeSpan scale, const ShapeSpan* bias) {
  if (x.empty()) fail_input("input must have rank >= 1");
  const size_t a = normalize_axis(axis, x.size());
  RowNormPlan p;
  p.axis = a;
  p.rows = dims_product(x, 0, a);
  p.cols = dims_product(x, a, x.size());
  p.x_shape.assign(x.begin(), x.end());
  p.stat_shape.assign(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(a));
  p.stat_shape.resize(x.size(), 1);
  p.scale_shape.assign(scale.begin(), scale.end());
  broadcast_strides(scale, x);  // throws unless scale broadcasts onto x
  if (bias) {
    p.has_bias = true;
    p.bias_shape.assign(bias->begin(), bias->end());
    broadcast_strides(*bias, x);
  }
  return p;
}

template <typename T>
void row_norm(const RowNormPlan& p, bool rms, float epsilon, const T* x, const T* scale,
              const T* bias, T* y, float* mean, float* inv_std_dev) {
  if (p.rows == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    if (is_row_param(p.scale_shape, p.x_shape, p.axis) &&
        (!p.has_bias || is_row_param(p.bias_shape, p.x_shape, p.axis))) {
      vmath::layer_norm_rows(simd::best_isa(), rms, epsilon, x, scale, p.has_bias ? bias : nullptr,
                             y, mean, inv_std_dev, p.rows, p.cols);
      return;
    }
  }
  const std::vector<double> s = expand_param(scale, p.scale_shape, p.x_shape, p.axis);
  const std::vector<double> b =
      p.has_bias ? expand_param(bias, p.bias_shape, p.x_shape, p.axis) : std::vector<double>{};
  const auto cols = static_cast<double>(p.cols);
  for (int64_t r = 0; r < p.rows; ++r) {
    const T* src = x + r * p.cols;
    T* dst = y + r * p.cols;
    double mu = 0;
    if (!rms) {
      for (int64_t c = 0; c < p.cols; ++c) mu += static_cast<double>(load(src[c]));
      mu /= cols;
    }
    double var = 0;
    for (int64_t c = 0; c < p.cols; ++c) {
      const double d = static_cast<double>(load(src[c])) - mu;
      var += d * d;
    }
    const double inv = 1.0 / std::sqrt(var / cols + static_cast<double>(epsilon));
    if (mean) mean[r] = static_cast<float>(mu);
    if (inv_std_dev) inv_std_dev[r] = static_cast<float>(inv);
    for (int64_t c = 0; c < p.cols; ++c) {
      const int64_t i = r * p.cols + c;
      double v = (static_cast<double>(load(src[c])) - mu) * inv;
      v *= s[static_cast<size_t>(i % static_cast<int64_t>(s.size()))];
      if (!b.empty()) v += b[static_cast<size_t>(i % static_cast<int64_t>(b.size()))];
      dst[c] = to<T>(v);
    }
  }
}

GroupNormPlan plan_group_norm(ShapeSpan x, int64_t groups, bool per_group_params, ShapeSpan scale,
                              ShapeSpan bias) {
  if (x.size() < 2) fail_input(str_cat("input must be [N, C, ...], got ", shape_str(x)));
  GroupNormPlan p;
  p.batch = x[0];
  p.channels = x[1];
  p.groups = groups;
  p.spatial = dims_product(x, 2, x.size());
  p.per_group_params = per_group_params;
  numel(x);
  if (groups <= 0 || p.channels % groups != 0) {
    fail_input(str_cat("number of groups ", groups, " does not divide the ", p.channels,
                       " channels of input ", shape_str(x)));
  }
  const int64_t n = per_group_params ? groups : p.channels;
  for (ShapeSpan s : {scale, bias}) {
    if (s.size() != 1 || s[0] != n) {
      fail_input(str_cat("scale and bias must have shape [", n, "] for input ", shape_str(x),
                         ", got ", shape_str(s)));
    }
  }
  return p;
}

template <typename T>
void group_norm(const GroupNormPlan& p, float epsilon, const T* x, const T* scale, const T* bias,
                T* y) {
  const int64_t cpg = p.groups ? p.channels / p.groups : 0;  // channels per group
  const int64_t size = cpg * p.spatial;
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.groups; ++g) {
      const int64_t base = (n * p.channels + g * cpg) * p.spatial;
      double mu = 0, var = 0;
      for (int64_t i = 0; i < size; ++i) mu += static_cast<double>(load(x[base + i]));
      mu /= static_cast<double>(size);
      for (int64_t i = 0; i < size; ++i) {
        const double d = static_cast<double>(load(x[base + i])) - mu;
        var += d * d;
      }
      const double inv =
          1.0 / std::sqrt(var / static_cast<double>(size) + static_cast<double>(epsilon));
      for (int64_t c = 0; c < cpg; ++c) {
        const int64_t k = p.per_group_params ? g : g * cpg + c;
        const auto s = static_cast<double>(load(scale[k]));
        const auto b = static_cast<double>(load(bias[k]));
        for (int64_t i = c * p.spatial; i < (c + 1) * p.spatial; ++i) {
          y[base + i] = to<T>((static_cast<double>(load(x[base + i])) - mu) * inv * s + b);
        }
      }
    }
  }
}

void check_lrn_shape(ShapeSpan x) {
  if (x.size() < 2) fail_input(str_cat("input must be [N, C, ...], got ", shape_str(x)));
  numel(x);
}

template <typename T>
void lrn(const LrnParams& p, ShapeSpan x_shape, const T* x, T* y) {
  const int64_t batch = x_shape[0], channels = x_shape[1];
  const int64_t spatial = dims_product(x_shape, 2, x_shape.size());
  const int64_t before = (p.size - 1) / 2, after = p.size - 1 - before;
  const double scale = static_cast<double>(p.alpha) / static_cast<double>(p.size);
  for (int64_t n = 0; n < batch; ++n) {
    const T* plane = x + n * channels * spatial;
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t c0 = std::max<int64_t>(0, c - before);
      const int64_t c1 = std::min(channels - 1, c + after);
      for (int64_t s = 0; s < spatial; ++s) {
        double sum = 0;
        for (int64_t k = c0; k <= c1; ++k) {
          const auto v = static_cast<double>(load(plane[k * spatial + s]));
          sum += v * v;
        }
        const auto v = static_cast<double>(load(plane[c * spatial + s]));
        const double d =
            std::pow(static_cast<double>(p.bias) + scale * sum, static_cast<double>(p.beta));
        y[(n * channels + c) * spatial + s] = to<T>(v / d);
      }
    }
  }
}

template <typename T>
void lp_normalize(int64_t p, int64_t outer, int64_t len, int64_t inner, const T* x, T* y) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * len * inner + i;
      double norm = 0;
      for (int64_t j = 0; j < len; ++j) {
        const auto v = static_cast<double>(load(x[base + j * inner]));
        norm += p == 1 ? std::fabs(v) : v * v;
      }
      if (p == 2) norm = std::sqrt(norm);
      for (int64_t j = 0; j < len; ++j) {
        const auto v = static_cast<double>(load(x[base + j * inner]));
        y[base + j * inner] = to<T>(norm == 0 ? 0.0 : v / norm);
      }
    }
  }
}

template <typename T>
void mean_variance_normalize(ShapeSpan x_shape, std::span<const int64_t> axes, const T* x, T* y) {
  const ReducePlan plan = plan_reduce(x_shape, axes, true, false);
  const int64_t n = numel(x_shape), groups = numel(plan.y_shape);
  std::vector<double> x_double(static_cast<size_t>(n)), sq(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    x_double[static_cast<size_t>(i)] = static_cast<double>(load(x[i]));
    sq[static_cast<size_t>(i)] =
        x_double[static_cast<size_t>(i)] * x_double[static_cast<size_t>(i)];
  }
  std::vector<double> mean(static_cast<size_t>(groups)), mean_sq(static_cast<size_t>(groups));
  reduce<double>(ReduceOp::kMean, plan, x_double.data(), mean.data());
  reduce<double>(ReduceOp::kMean, plan, sq.data(), mean_sq.data());
  // The group of each element, walked like the reduction does.
  for_each_broadcast_run(
      plan.x_shape, plan.y_strides, plan.y_strides,
      [&](int64_t x_off, int64_t g_off, int64_t, int64_t len, int64_t g_step, int64_t) {
        for (int64_t j = 0; j < len; ++j) {
          const auto g = static_cast<size_t>(g_off + j * g_step);
          // Rounding can make E[x^2] - E[x]^2 slightly negative.
          const double var = std::max(0.0, mean_sq[g] - mean[g] * mean[g]);
          y[x_off + j] =
              to<T>((x_double[static_cast<size_t>(x_off + j)] - mean[g]) / (std::sqrt(var) + 1e-9));
        }
      });
}

#define INFER_CPU_NORM_INSTANTIATE(T)                                                          \
  template void row_norm<T>(const RowNormPlan&, bool, float, const T*, const T*, const T*, T*, \
                            float*, float*);                                                   \
  template void group_norm<T>(const GroupNormPlan&, float, const T*, const T*, const T*, T*);  \
  template void lrn<T>(const LrnParams&, ShapeSpan, const T*, T*);                             \
  template void lp_normalize<T>(int64_t, int64_t, int64_t, int64_t, const T*, T*);             \
  template void mean_variance_normalize<T>(ShapeSpan, std::span<const int64_t>, const T*, T*);
INFER_CPU_NORM_INSTANTIATE(float)
INFER_CPU_NORM_INSTANTIATE(double)
INFER_CPU_NORM_INSTANTIATE(Float16)
INFER_CPU_NORM_INSTANTIATE(BFloat16)
#undef INFER_CPU_NORM_INSTANTIATE

}  // namespace infer::cpu
