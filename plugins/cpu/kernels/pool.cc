#include "kernels/pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/parallel.h"

namespace infer::cpu {

PoolPlan plan_pool(const WindowParams& p, ShapeSpan x) {
  if (x.size() < 3 || x.size() > 2 + kMaxSpatialRank) {
    fail(x.size() < 3 ? INFER_INVALID_ARGUMENT : INFER_UNIMPLEMENTED,
         str_cat("input must be [N, C, D1...] with 1 to ", kMaxSpatialRank,
                 " spatial dimensions, got ", shape_str(x)));
  }
  const size_t rank = x.size() - 2;
  if (p.kernel_shape.size() != rank) {
    fail_input(str_cat("kernel_shape ", shape_str(p.kernel_shape), " does not match input ",
                       shape_str(x)));
  }
  PoolPlan plan;
  plan.planes = checked_mul(x[0], x[1]);
  plan.geo = resolve_window(p, x.subspan(2), p.kernel_shape);
  plan.y_shape = {x[0], x[1]};
  for (size_t i = 0; i < rank; ++i)
    plan.y_shape.push_back(plan.geo.out[kMaxSpatialRank - rank + i]);
  numel(plan.y_shape);
  return plan;
}

namespace {

// Visits every output position of every plane with the valid taps of its window per axis.
// reduce(plane_index, plane_in, taps_d, taps_h, taps_w) returns the output value.
template <typename T, typename Reduce>
void pool_loop(const PoolPlan& plan, const T* x, T* y, Reduce&& reduce) {
  const WindowGeometry& g = plan.geo;
  const std::vector<AxisTaps> td = axis_taps(g, 0), th = axis_taps(g, 1), tw = axis_taps(g, 2);
  for (int64_t p = 0; p < plan.planes; ++p) {
    const T* plane = x + p * g.in_size();
    for (const AxisTaps& d : td) {
      for (const AxisTaps& h : th) {
        for (const AxisTaps& w : tw) *y++ = reduce(p, plane, d, h, w);
      }
    }
  }
}

// Calls fn(value, position in the plane as (d, h, w)) for every input element under one
// window.
template <typename T, typename Fn>
void for_each_tap(const WindowGeometry& g, const T* plane, const AxisTaps& d, const AxisTaps& h,
                  const AxisTaps& w, Fn&& fn) {
  for (int64_t kd = d.begin; kd < d.end; ++kd) {
    const int64_t id = d.start + kd * g.dilation[0];
    for (int64_t kh = h.begin; kh < h.end; ++kh) {
      const int64_t ih = h.start + kh * g.dilation[1];
      const T* row = plane + (id * g.in[1] + ih) * g.in[2];
      for (int64_t kw = w.begin; kw < w.end; ++kw) {
        const int64_t iw = w.start + kw * g.dilation[2];
        fn(load(row[iw]), id, ih, iw);
      }
    }
  }
}

template <typename C>
C lowest() {
  if constexpr (std::is_floating_point_v<C>) return -std::numeric_limits<C>::infinity();
  return std::numeric_limits<C>::lowest();
}

}  // namespace

template <typename T>
void max_pool(const PoolPlan& plan, const T* x, T* y, int64_t* indices, bool column_major) {
  using C = compute_t<T>;
  const WindowGeometry& g = plan.geo;
  int64_t* out_index = indices;
  pool_loop(
      plan, x, y,
      [&](int64_t p, const T* plane, const AxisTaps& d, const AxisTaps& h, const AxisTaps& w) {
        C best = lowest<C>();
        int64_t best_pos = -1;
        for_each_tap(g, plane, d, h, w, [&](C v, int64_t id, int64_t ih, int64_t iw) {
          if (best_pos < 0 || v > best) {
            best = v;
            best_pos = column_major ? id + (ih + iw * g.in[1]) * g.in[0]
                                    : (id * g.in[1] + ih) * g.in[2] + iw;
          }
        });
        if (out_index) *out_index++ = best_pos < 0 ? -1 : p * g.in_size() + best_pos;
        return store<T>(best);
      });
}

template <typename T>
void average_pool(const PoolPlan& plan, bool count_include_pad, const T* x, T* y) {
  using C = compute_t<T>;
  const WindowGeometry& g = plan.geo;
  pool_loop(plan, x, y,
            [&](int64_t, const T* plane, const AxisTaps& d, const AxisTaps& h, const AxisTaps& w) {
              C sum = 0;
              for_each_tap(g, plane, d, h, w, [&](C v, int64_t, int64_t, int64_t) { sum += v; });
              const int64_t count = count_include_pad
                                        ? d.padded * h.padded * w.padded
                                        : (d.end - d.begin) * (h.end - h.begin) * (w.end - w.begin);
              // A window entirely in padding (only with extreme pads) averages to 0, not NaN.
              return store<T>(count > 0 ? sum / static_cast<C>(count) : C{0});
            });
}

template <typename T>
void lp_pool(const PoolPlan& plan, float p, const T* x, T* y) {
  using C = compute_t<T>;
  const WindowGeometry& g = plan.geo;
  const auto pc = static_cast<C>(p);
  pool_loop(plan, x, y,
            [&](int64_t, const T* plane, const AxisTaps& d, const AxisTaps& h, const AxisTaps& w) {
              C sum = 0;
              for_each_tap(g, plane, d, h, w, [&](C v, int64_t, int64_t, int64_t) {
                sum += std::pow(std::fabs(v), pc);
              });
              return store<T>(std::pow(sum, C{1} / pc));
            });
}

Shape global_pool_shape(ShapeSpan x) {
  if (x.size() < 2) fail_input(str_cat("input must have rank >= 2, got ", shape_str(x)));
  Shape y(x.begin(), x.end());
  std::fill(y.begin() + 2, y.end(), 1);
  return y;
}

namespace {

// Reduces one plane with kLanes independent accumulators: with a single one, the add's latency
// chain (not the loads) bounds the loop; fixed lanes also let the compiler vectorise without
// reassociating. `step` folds in one element, `combine` merges two lanes.
template <typename C, typename T, typename Step, typename Combine>
C reduce_plane(const T* src, int64_t size, C init, Step step, Combine combine) {
  constexpr int64_t kLanes = 8;
  C acc[kLanes];
  std::fill(acc, acc + kLanes, init);
  int64_t j = 0;
  for (; j + kLanes <= size; j += kLanes) {
    for (int64_t k = 0; k < kLanes; ++k) acc[k] = step(acc[k], load(src[j + k]));
  }
  for (; j < size; ++j) acc[0] = step(acc[0], load(src[j]));
  C r = acc[0];
  for (int64_t k = 1; k < kLanes; ++k) r = combine(r, acc[k]);
  return r;
}

}  // namespace

template <typename T>
void global_pool(GlobalPool kind, float p, const T* x, ShapeSpan x_shape, T* y) {
  using C = compute_t<T>;
  const int64_t planes = dims_product(x_shape, 0, 2);
  const int64_t size = dims_product(x_shape, 2, x_shape.size());
  const auto pc = static_cast<C>(p);
  const auto plus = [](C a, C b) { return a + b; };
  const auto max = [](C a, C b) { return std::max(a, b); };
  // Planes are independent: split them over the threads, some thousands of elements per task.
  const int64_t grain = std::max<int64_t>(1, 8192 / std::max<int64_t>(size, 1));
  parallel_for(planes, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const T* src = x + i * size;
      C acc{0};
      switch (kind) {
        case GlobalPool::kAverage:
          acc = size > 0 ? reduce_plane(src, size, C{0}, plus, plus) / static_cast<C>(size) : C{0};
          break;
        case GlobalPool::kMax:
          acc = reduce_plane(src, size, lowest<C>(), max, max);
          break;
        case GlobalPool::kLp: {
          const auto lp = [pc](C a, C v) { return a + std::pow(std::fabs(v), pc); };
          acc = std::pow(reduce_plane(src, size, C{0}, lp, plus), C{1} / pc);
          break;
        }
      }
      y[i] = store<T>(acc);
    }
  });
}

UnpoolPlan plan_max_unpool(const WindowParams& p, ShapeSpan x, ShapeSpan indices,
                           std::optional<std::span<const int64_t>> output_shape) {
  if (x.size() < 3) fail_input(str_cat("input must be [N, C, D1...], got ", shape_str(x)));
  const size_t rank = x.size() - 2;
  validate_window(p, rank);
  if (p.kernel_shape.size() != rank) {
    fail_input(str_cat("kernel_shape ", shape_str(p.kernel_shape), " does not match input ",
                       shape_str(x)));
  }
  if (!std::equal(x.begin(), x.end(), indices.begin(), indices.end())) {
    fail_input(str_cat("indices ", shape_str(indices), " must have the shape of X ", shape_str(x)));
  }
  UnpoolPlan plan;
  plan.count = numel(x);
  plan.inferred_shape = {x[0], x[1]};
  for (size_t i = 0; i < rank; ++i) {
    const int64_t s = p.strides.empty() ? 1 : p.strides[i];
    const int64_t pads = p.pads.empty() ? 0 : p.pads[i] + p.pads[rank + i];
    const int64_t d = checked_add(checked_mul(x[2 + i] - 1, s) - pads, p.kernel_shape[i]);
    if (d < 0) fail_input(str_cat("pads leave no output on spatial axis ", i));
    plan.inferred_shape.push_back(d);
  }
  numel(plan.inferred_shape);
  plan.y_shape = plan.inferred_shape;
  if (output_shape) {
    const std::span<const int64_t> os = *output_shape;
    if (os.size() != x.size() || os[0] != x[0] || os[1] != x[1]) {
      fail_input(str_cat("output_shape ", shape_str(os), " must be [", x[0], ", ", x[1],
                         ", ...] with ", rank, " spatial dimensions"));
    }
    for (size_t i = 2; i < os.size(); ++i) {
      if (os[i] < plan.inferred_shape[i]) {
        fail_input(str_cat("output_shape ", shape_str(os), " is smaller than the unpooled size ",
                           shape_str(plan.inferred_shape)));
      }
    }
    plan.y_shape.assign(os.begin(), os.end());
    numel(plan.y_shape);
  }
  return plan;
}

template <typename T>
void max_unpool(const UnpoolPlan& plan, const T* x, const int64_t* indices, T* y) {
  const int64_t y_count = numel(plan.y_shape);
  const int64_t inferred_count = numel(plan.inferred_shape);
  std::fill_n(y, y_count, store<T>(compute_t<T>{0}));
  const size_t rank = plan.y_shape.size();
  for (int64_t i = 0; i < plan.count; ++i) {
    int64_t idx = indices[i];
    if (idx < 0 || idx >= inferred_count) {
      fail_input(str_cat("index ", idx, " is out of range for the unpooled shape ",
                         shape_str(plan.inferred_shape)));
    }
    // Re-linearize from the inferred layout into the (possibly larger) output.
    int64_t offset = 0, stride = 1;
    for (size_t d = rank; d-- > 0;) {
      offset += (idx % plan.inferred_shape[d]) * stride;
      idx /= plan.inferred_shape[d];
      stride *= plan.y_shape[d];
    }
    y[offset] = x[i];
  }
}

#define INFER_CPU_POOL_INSTANTIATE(T)                                       \
  template void max_pool<T>(const PoolPlan&, const T*, T*, int64_t*, bool); \
  template void max_unpool<T>(const UnpoolPlan&, const T*, const int64_t*, T*);
#define INFER_CPU_POOL_INSTANTIATE_FLOAT(T)                           \
  INFER_CPU_POOL_INSTANTIATE(T)                                       \
  template void average_pool<T>(const PoolPlan&, bool, const T*, T*); \
  template void lp_pool<T>(const PoolPlan&, float, const T*, T*);     \
  template void global_pool<T>(GlobalPool, float, const T*, ShapeSpan, T*);
INFER_CPU_POOL_INSTANTIATE_FLOAT(float)
INFER_CPU_POOL_INSTANTIATE_FLOAT(double)
INFER_CPU_POOL_INSTANTIATE_FLOAT(Float16)
INFER_CPU_POOL_INSTANTIATE_FLOAT(BFloat16)
INFER_CPU_POOL_INSTANTIATE(int8_t)
INFER_CPU_POOL_INSTANTIATE(uint8_t)
#undef INFER_CPU_POOL_INSTANTIATE_FLOAT
#undef INFER_CPU_POOL_INSTANTIATE

}  // namespace infer::cpu
