#include "kernels/pool.h"

#include <algorithm>
#include <limits>

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
// reduce(plane_in, taps_d, taps_h, taps_w) returns the output value.
template <typename Reduce>
void pool_loop(const PoolPlan& plan, const float* x, float* y, Reduce&& reduce) {
  const WindowGeometry& g = plan.geo;
  const std::vector<AxisTaps> td = axis_taps(g, 0), th = axis_taps(g, 1), tw = axis_taps(g, 2);
  for (int64_t p = 0; p < plan.planes; ++p) {
    const float* plane = x + p * g.in_size();
    for (const AxisTaps& d : td) {
      for (const AxisTaps& h : th) {
        for (const AxisTaps& w : tw) *y++ = reduce(plane, d, h, w);
      }
    }
  }
}

// Calls fn(value) for every input element under one window.
template <typename Fn>
void for_each_tap(const WindowGeometry& g, const float* plane, const AxisTaps& d, const AxisTaps& h,
                  const AxisTaps& w, Fn&& fn) {
  for (int64_t kd = d.begin; kd < d.end; ++kd) {
    for (int64_t kh = h.begin; kh < h.end; ++kh) {
      const float* row =
          plane +
          ((d.start + kd * g.dilation[0]) * g.in[1] + h.start + kh * g.dilation[1]) * g.in[2];
      for (int64_t kw = w.begin; kw < w.end; ++kw) fn(row[w.start + kw * g.dilation[2]]);
    }
  }
}

}  // namespace

void max_pool(const PoolPlan& plan, const float* x, float* y) {
  const WindowGeometry& g = plan.geo;
  pool_loop(plan, x, y,
            [&](const float* plane, const AxisTaps& d, const AxisTaps& h, const AxisTaps& w) {
              float best = -std::numeric_limits<float>::infinity();
              for_each_tap(g, plane, d, h, w, [&](float v) { best = std::max(best, v); });
              return best;
            });
}

void average_pool(const PoolPlan& plan, bool count_include_pad, const float* x, float* y) {
  const WindowGeometry& g = plan.geo;
  pool_loop(plan, x, y,
            [&](const float* plane, const AxisTaps& d, const AxisTaps& h, const AxisTaps& w) {
              float sum = 0.0f;
              for_each_tap(g, plane, d, h, w, [&](float v) { sum += v; });
              const int64_t count = count_include_pad
                                        ? d.padded * h.padded * w.padded
                                        : (d.end - d.begin) * (h.end - h.begin) * (w.end - w.begin);
              // A window entirely in padding (only with extreme pads) averages to 0, not NaN.
              return count > 0 ? sum / static_cast<float>(count) : 0.0f;
            });
}

Shape global_pool_shape(ShapeSpan x) {
  if (x.size() < 2) fail_input(str_cat("input must have rank >= 2, got ", shape_str(x)));
  Shape y(x.begin(), x.end());
  std::fill(y.begin() + 2, y.end(), 1);
  return y;
}

void global_average_pool(const float* x, ShapeSpan x_shape, float* y) {
  const int64_t planes = dims_product(x_shape, 0, 2);
  const int64_t size = dims_product(x_shape, 2, x_shape.size());
  for (int64_t p = 0; p < planes; ++p) {
    const float* src = x + p * size;
    float sum = 0.0f;
    for (int64_t i = 0; i < size; ++i) sum += src[i];
    y[p] = size > 0 ? sum / static_cast<float>(size) : 0.0f;
  }
}

}  // namespace infer::cpu
