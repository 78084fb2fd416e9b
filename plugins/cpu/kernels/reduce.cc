#include "kernels/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

namespace infer::cpu {

ReducePlan plan_reduce(ShapeSpan x, std::span<const int64_t> axes, bool keepdims,
                       bool noop_with_empty_axes) {
  const size_t rank = x.size();
  std::vector<bool> reduced(rank, axes.empty() && !noop_with_empty_axes);
  for (int64_t a : axes) {
    const size_t axis = normalize_axis(a, rank);
    if (reduced[axis]) fail_input(str_cat("axis ", a, " is listed twice in axes"));
    reduced[axis] = true;
  }
  ReducePlan p;
  p.x_shape.assign(x.begin(), x.end());
  p.y_strides.assign(rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    if (reduced[i]) {
      p.count = checked_mul(p.count, x[i]);
      if (keepdims) p.y_shape.push_back(1);
    } else {
      p.y_shape.push_back(x[i]);
    }
  }
  numel(x);
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    if (reduced[i]) continue;
    p.y_strides[i] = stride;
    stride *= x[i];
  }
  return p;
}

namespace {

template <typename T>
constexpr bool kIsFloat = !std::is_integral_v<compute_t<T>>;

// Rounds a double result of an integer reduction (mean, L2, log-sums) into T without UB.
template <typename T>
T to_int(double v) {
  if (std::isnan(v)) return T{0};
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) {
    return std::numeric_limits<T>::lowest();
  }
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) {
    return std::numeric_limits<T>::max();
  }
  return static_cast<T>(v);
}

// Walks x in row-major order, calling fn(y_index, value) for every element.
template <typename T, typename Fn>
void for_each_input(const ReducePlan& p, const T* x, Fn&& fn) {
  for_each_broadcast_run(
      p.x_shape, p.y_strides, p.y_strides,
      [&](int64_t x_off, int64_t y_off, int64_t, int64_t n, int64_t y_step, int64_t) {
        for (int64_t j = 0; j < n; ++j) fn(y_off + j * y_step, x[x_off + j]);
      });
}

// Max and min in the element type (bool: any / all). NaN propagates like numpy.
template <typename T>
void reduce_extremum(bool is_max, const ReducePlan& p, const T* x, T* y, int64_t ny) {
  using C = compute_t<T>;
  C init;
  if constexpr (std::is_same_v<C, bool>) {
    init = !is_max;
  } else if constexpr (kIsFloat<T>) {
    init = is_max ? -std::numeric_limits<C>::infinity() : std::numeric_limits<C>::infinity();
  } else {
    init = is_max ? std::numeric_limits<C>::lowest() : std::numeric_limits<C>::max();
  }
  // Not std::vector: vector<bool> has no bool& elements.
  const auto acc = std::make_unique<C[]>(static_cast<size_t>(ny));
  std::fill_n(acc.get(), ny, init);
  for_each_input(p, x, [&](int64_t i, T raw) {
    C& a = acc[static_cast<size_t>(i)];
    const C v = load(raw);
    if constexpr (kIsFloat<T>) {
      if (std::isnan(a)) return;
      if (std::isnan(v)) {
        a = v;
        return;
      }
    }
    if (is_max ? v > a : v < a) a = v;
  });
  for (int64_t i = 0; i < ny; ++i) y[i] = store<T>(acc[static_cast<size_t>(i)]);
}

// Sums of f(x) in Acc: double for floating types and for the integer ops whose result is not
// an integer (mean, L2, log-sums); uint64_t for the others, so that integer sums wrap.
template <typename T, typename Acc>
void reduce_sum_like(ReduceOp op, const ReducePlan& p, const T* x, T* y, int64_t ny) {
  std::vector<Acc> acc(static_cast<size_t>(ny), op == ReduceOp::kProd ? Acc{1} : Acc{0});
  std::vector<double> shift;  // per-output maximum for log-sum-exp
  if (op == ReduceOp::kLogSumExp) {
    // Like ONNX's reference, the maximum ignores infinities.
    shift.assign(static_cast<size_t>(ny), -std::numeric_limits<double>::infinity());
    for_each_input(p, x, [&](int64_t i, T raw) {
      const auto v = static_cast<double>(load(raw));
      double& s = shift[static_cast<size_t>(i)];
      if (std::isfinite(v) && v > s) s = v;
    });
  }
  for_each_input(p, x, [&](int64_t i, T raw) {
    Acc& a = acc[static_cast<size_t>(i)];
    const auto v = static_cast<Acc>(load(raw));
    switch (op) {
      case ReduceOp::kProd:
        a *= v;
        break;
      case ReduceOp::kL1:
        if constexpr (std::is_same_v<Acc, double>) {
          a += std::fabs(v);
        } else if constexpr (std::is_signed_v<T>) {
          a += load(raw) < 0 ? Acc{0} - v : v;
        } else {
          a += v;
        }
        break;
      case ReduceOp::kL2:
      case ReduceOp::kSumSquare:
        a += v * v;
        break;
      case ReduceOp::kLogSumExp:
        if constexpr (std::is_same_v<Acc, double>) a += std::exp(v - shift[static_cast<size_t>(i)]);
        break;
      default:  // kSum, kMean, kLogSum
        a += v;
        break;
    }
  });
  for (int64_t i = 0; i < ny; ++i) {
    const Acc a = acc[static_cast<size_t>(i)];
    if constexpr (std::is_same_v<Acc, double>) {
      double r = a;
      switch (op) {
        case ReduceOp::kMean:
          r = a / static_cast<double>(p.count);
          break;
        case ReduceOp::kL2:
          r = std::sqrt(a);
          break;
        case ReduceOp::kLogSum:
          r = std::log(a);
          break;
        case ReduceOp::kLogSumExp:
          r = std::log(a) + shift[static_cast<size_t>(i)];
          break;
        default:
          break;
      }
      if constexpr (kIsFloat<T>) {
        y[i] = store<T>(static_cast<compute_t<T>>(r));
      } else {
        y[i] = to_int<T>(r);
      }
    } else {
      y[i] = static_cast<T>(a);  // modular, like numpy's integer sums
    }
  }
}

}  // namespace

template <typename T>
void reduce(ReduceOp op, const ReducePlan& p, const T* x, T* y) {
  const int64_t ny = numel(p.y_shape);
  if (ny == 0) return;
  if (op == ReduceOp::kMax || op == ReduceOp::kMin) {
    reduce_extremum(op == ReduceOp::kMax, p, x, y, ny);
    return;
  }
  if constexpr (std::is_same_v<T, bool>) {
    fail_input("bool tensors support only ReduceMax and ReduceMin");
  } else if constexpr (kIsFloat<T>) {
    reduce_sum_like<T, double>(op, p, x, y, ny);
  } else {
    switch (op) {
      case ReduceOp::kMean:
      case ReduceOp::kL2:
      case ReduceOp::kLogSum:
      case ReduceOp::kLogSumExp:
        reduce_sum_like<T, double>(op, p, x, y, ny);
        break;
      default:
        reduce_sum_like<T, uint64_t>(op, p, x, y, ny);
        break;
    }
  }
}

ArgPlan plan_arg_reduce(ShapeSpan x, int64_t axis, bool keepdims) {
  const size_t a = normalize_axis(axis, x.size());
  ArgPlan p;
  p.outer = dims_product(x, 0, a);
  p.len = x[a];
  p.inner = dims_product(x, a + 1, x.size());
  if (p.len == 0)
    fail_input(str_cat("cannot take the index of an extremum over empty axis ", axis, " of shape ",
                       shape_str(x)));
  for (size_t i = 0; i < x.size(); ++i) {
    if (i != a) {
      p.y_shape.push_back(x[i]);
    } else if (keepdims) {
      p.y_shape.push_back(1);
    }
  }
  return p;
}

template <typename T>
void arg_reduce(bool is_max, bool select_last_index, const ArgPlan& p, const T* x, int64_t* y) {
  using C = compute_t<T>;
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int64_t i = 0; i < p.inner; ++i) {
      const T* src = x + o * p.len * p.inner + i;
      C best = load(src[0]);
      int64_t best_j = 0;
      for (int64_t j = 1; j < p.len; ++j) {
        const C v = load(src[j * p.inner]);
        if constexpr (kIsFloat<T>) {
          if (std::isnan(best)) break;  // the first NaN wins
          if (std::isnan(v)) {
            best = v;
            best_j = j;
            break;
          }
        }
        const bool better = is_max ? v > best : v < best;
        if (better || (select_last_index && v == best)) {
          best = v;
          best_j = j;
        }
      }
      y[o * p.inner + i] = best_j;
    }
  }
}

#define INFER_CPU_REDUCE_INSTANTIATE(T)                               \
  template void reduce<T>(ReduceOp, const ReducePlan&, const T*, T*); \
  template void arg_reduce<T>(bool, bool, const ArgPlan&, const T*, int64_t*);
INFER_CPU_REDUCE_INSTANTIATE(float)
INFER_CPU_REDUCE_INSTANTIATE(double)
INFER_CPU_REDUCE_INSTANTIATE(Float16)
INFER_CPU_REDUCE_INSTANTIATE(BFloat16)
INFER_CPU_REDUCE_INSTANTIATE(int8_t)
INFER_CPU_REDUCE_INSTANTIATE(int16_t)
INFER_CPU_REDUCE_INSTANTIATE(int32_t)
INFER_CPU_REDUCE_INSTANTIATE(int64_t)
INFER_CPU_REDUCE_INSTANTIATE(uint8_t)
INFER_CPU_REDUCE_INSTANTIATE(uint16_t)
INFER_CPU_REDUCE_INSTANTIATE(uint32_t)
INFER_CPU_REDUCE_INSTANTIATE(uint64_t)
INFER_CPU_REDUCE_INSTANTIATE(bool)
#undef INFER_CPU_REDUCE_INSTANTIATE

}  // namespace infer::cpu
