// The elementwise framework: one broadcasting walker for any number of inputs, and the unary,
// binary and ternary loops built on it. The per-element math is a functor (kernels/
// unary_math.h, binary_math.h) passed by value, so each (functor, dtype) pair compiles to its
// own loop with no per-element indirect call.
//
// Functors see and return the compute type of each storage type (compute_t: float for
// float16/bfloat16, the type itself otherwise). A functor whose result is bool for any input
// type (comparisons, IsNaN) declares `static constexpr bool kPredicate = true`.
#ifndef INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_
#define INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_

#include <array>
#include <type_traits>

#include "kernels/common.h"

namespace infer::cpu {

template <typename Op>
constexpr bool is_predicate_v = requires {
  requires Op::kPredicate;
};
// Storage type of the result of Op on elements of type T.
template <typename Op, typename T>
using out_t = std::conditional_t<is_predicate_v<Op>, bool, T>;

// Broadcast shape of several shapes (numpy multidirectional broadcasting).
Shape broadcast_all(std::span<const ShapeSpan> shapes);

// Walks a dense tensor of shape `out` in row-major order while N inputs are read through
// strides (broadcast_strides, one entry per dimension of `out`). Dimensions are merged
// wherever every input stays linear, so a same-shape operation is a single run.
// fn(out_off, offs, n, steps) handles out[out_off + j] for j < n, reading input k at
// offs[k] + j * steps[k].
template <size_t N, typename Fn>
void for_each_broadcast_run_n(ShapeSpan out, const std::array<Shape, N>& strides, Fn&& fn) {
  const int64_t total = numel(out);
  if (total == 0) return;
  Shape dims;               // merged dimensions, innermost first
  std::array<Shape, N> ds;  // their strides per input
  for (size_t i = out.size(); i-- > 0;) {
    if (out[i] == 1) continue;
    bool linear = !dims.empty();
    for (size_t k = 0; k < N && linear; ++k) linear = ds[k].back() * dims.back() == strides[k][i];
    if (linear) {
      dims.back() *= out[i];
    } else {
      dims.push_back(out[i]);
      for (size_t k = 0; k < N; ++k) ds[k].push_back(strides[k][i]);
    }
  }
  std::array<int64_t, N> offs{}, steps{};
  if (dims.empty()) {
    fn(int64_t{0}, offs, int64_t{1}, steps);
    return;
  }
  for (size_t k = 0; k < N; ++k) steps[k] = ds[k][0];
  const int64_t run = dims[0];
  Shape index(dims.size(), 0);
  for (int64_t out_off = 0; out_off < total; out_off += run) {
    fn(out_off, offs, run, steps);
    for (size_t d = 1; d < dims.size(); ++d) {  // odometer over the outer dimensions
      for (size_t k = 0; k < N; ++k) offs[k] += ds[k][d];
      if (++index[d] < dims[d]) break;
      for (size_t k = 0; k < N; ++k) offs[k] -= ds[k][d] * dims[d];
      index[d] = 0;
    }
  }
}

// A functor with a vectorised, multi-threaded float32 array form (kernels/unary_math.h).
template <typename Op>
concept has_f32_array = requires(const Op& op, const float* x, float* y, int64_t n) {
  op.apply_f32(x, y, n);
};

// y[i] = op(x[i]).
template <typename Op, typename TX, typename TY>
void unary_map(const Op& op, const TX* x, TY* y, int64_t n) {
  if constexpr (std::is_same_v<TX, float> && std::is_same_v<TY, float> && has_f32_array<Op>) {
    op.apply_f32(x, y, n);
    return;
  }
  for (int64_t i = 0; i < n; ++i) y[i] = store<TY>(op(load(x[i])));
}

// out = op(a, b) with numpy broadcasting; out_shape must be broadcast_shapes(a_shape, b_shape).
// `out` may alias `a` when a_shape == out_shape (variadic ops fold into their output).
template <typename Op, typename TA, typename TB, typename TO>
void binary_broadcast(const Op& op, const TA* a, ShapeSpan a_shape, const TB* b, ShapeSpan b_shape,
                      TO* out, ShapeSpan out_shape) {
  const std::array<Shape, 2> strides{broadcast_strides(a_shape, out_shape),
                                     broadcast_strides(b_shape, out_shape)};
  for_each_broadcast_run_n<2>(out_shape, strides,
                              [&](int64_t o, const std::array<int64_t, 2>& off, int64_t n,
                                  const std::array<int64_t, 2>& step) {
                                TO* y = out + o;
                                const TA* pa = a + off[0];
                                const TB* pb = b + off[1];
                                // The common cases get their own loops so that they vectorise.
                                if (step[0] == 1 && step[1] == 1) {
                                  for (int64_t j = 0; j < n; ++j)
                                    y[j] = store<TO>(op(load(pa[j]), load(pb[j])));
                                } else if (step[0] == 1 && step[1] == 0) {
                                  const compute_t<TB> vb = load(*pb);
                                  for (int64_t j = 0; j < n; ++j)
                                    y[j] = store<TO>(op(load(pa[j]), vb));
                                } else if (step[0] == 0 && step[1] == 1) {
                                  const compute_t<TA> va = load(*pa);
                                  for (int64_t j = 0; j < n; ++j)
                                    y[j] = store<TO>(op(va, load(pb[j])));
                                } else {
                                  for (int64_t j = 0; j < n; ++j) {
                                    y[j] =
                                        store<TO>(op(load(pa[j * step[0]]), load(pb[j * step[1]])));
                                  }
                                }
                              });
}

// out = cond ? x : y with three-way numpy broadcasting. T only needs to be copyable, so
// callers may pass same-sized unsigned integers for any element type.
template <typename T>
void where_broadcast(const bool* cond, ShapeSpan c_shape, const T* x, ShapeSpan x_shape, const T* y,
                     ShapeSpan y_shape, T* out, ShapeSpan out_shape) {
  const std::array<Shape, 3> strides{broadcast_strides(c_shape, out_shape),
                                     broadcast_strides(x_shape, out_shape),
                                     broadcast_strides(y_shape, out_shape)};
  for_each_broadcast_run_n<3>(out_shape, strides,
                              [&](int64_t o, const std::array<int64_t, 3>& off, int64_t n,
                                  const std::array<int64_t, 3>& step) {
                                T* dst = out + o;
                                const bool* pc = cond + off[0];
                                const T* px = x + off[1];
                                const T* py = y + off[2];
                                for (int64_t j = 0; j < n; ++j) {
                                  dst[j] = pc[j * step[0]] ? px[j * step[1]] : py[j * step[2]];
                                }
                              });
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_
