// NCHWc pooling: the window walk of the NCHW pools with the b lanes of a pixel innermost.
#include <algorithm>
#include <limits>

#include "kernels/nchwc.h"
#include "kernels/parallel.h"

namespace infer::cpu {

namespace {

void check_blocked(ShapeSpan x) {
  if (x.size() != 5 || !nchwc_block_supported(x[4])) {
    fail_input(str_cat("expected a blocked [N, Cb, H, W, 8|16] input, got ", shape_str(x)));
  }
}

// Calls reduce(window_begin, taps_h, taps_w, y) for every output pixel of every block, with
// window_begin pointing at the first input pixel (start) of the window; output rows of all
// blocks are spread over the threads.
template <typename Reduce>
void pool_loop(const NchwcPoolPlan& plan, ShapeSpan x_shape, const float* x, float* y,
               Reduce&& reduce) {
  const WindowGeometry& g = plan.geo;
  const int64_t b = x_shape[4], plane = g.in[1] * g.in[2] * b;
  const std::vector<AxisTaps> th = axis_taps(g, 1), tw = axis_taps(g, 2);
  const auto rows = static_cast<int64_t>(th.size()), cols = static_cast<int64_t>(tw.size());
  parallel_for(x_shape[0] * x_shape[1] * rows, 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* in = x + r / rows * plane;
      float* out = y + r * cols * b;
      for (const AxisTaps& w : tw) {
        reduce(in, th[static_cast<size_t>(r % rows)], w, out);
        out += b;
      }
    }
  });
}

// Visits the input pixels inside the window: fn(pixel) with pixel pointing at b lanes.
template <typename Fn>
void for_each_tap(const WindowGeometry& g, int64_t b, const float* in, const AxisTaps& h,
                  const AxisTaps& w, Fn&& fn) {
  for (int64_t r = h.begin; r < h.end; ++r) {
    const float* row = in + (h.start + r * g.dilation[1]) * g.in[2] * b;
    for (int64_t c = w.begin; c < w.end; ++c) fn(row + (w.start + c * g.dilation[2]) * b);
  }
}

}  // namespace

NchwcPoolPlan plan_nchwc_pool(const WindowParams& p, ShapeSpan x) {
  check_blocked(x);
  if (p.kernel_shape.size() != 2) {
    fail_input(str_cat("NCHWc pooling needs a 2-D kernel_shape, got ", shape_str(p.kernel_shape)));
  }
  NchwcPoolPlan plan;
  plan.geo = resolve_window(p, x.subspan(2, 2), p.kernel_shape);
  plan.y_shape = {x[0], x[1], plan.geo.out[1], plan.geo.out[2], x[4]};
  numel(plan.y_shape);
  return plan;
}

void nchwc_max_pool(const NchwcPoolPlan& plan, ShapeSpan x_shape, const float* x, float* y) {
  const int64_t b = x_shape[4];
  pool_loop(plan, x_shape, x, y,
            [&](const float* in, const AxisTaps& h, const AxisTaps& w, float* out) {
              // A window with no input tap gives the lowest value, like the NCHW MaxPool.
              std::fill_n(out, b, std::numeric_limits<float>::lowest());
              for_each_tap(plan.geo, b, in, h, w, [&](const float* px) {
                for (int64_t l = 0; l < b; ++l) out[l] = std::max(out[l], px[l]);
              });
            });
}

void nchwc_average_pool(const NchwcPoolPlan& plan, ShapeSpan x_shape, bool count_include_pad,
                        const float* x, float* y) {
  const int64_t b = x_shape[4];
  pool_loop(plan, x_shape, x, y,
            [&](const float* in, const AxisTaps& h, const AxisTaps& w, float* out) {
              std::fill_n(out, b, 0.0f);
              for_each_tap(plan.geo, b, in, h, w, [&](const float* px) {
                for (int64_t l = 0; l < b; ++l) out[l] += px[l];
              });
              const int64_t count =
                  count_include_pad ? h.padded * w.padded : (h.end - h.begin) * (w.end - w.begin);
              // A window entirely in padding averages to 0, not NaN.
              const float divisor = count > 0 ? static_cast<float>(count) : 0.0f;
              for (int64_t l = 0; l < b; ++l) out[l] = count > 0 ? out[l] / divisor : 0.0f;
            });
}

void nchwc_global_pool(bool max, const float* x, ShapeSpan x_shape, float* y) {
  check_blocked(x_shape);
  const int64_t b = x_shape[4], pixels = x_shape[2] * x_shape[3];
  parallel_for(x_shape[0] * x_shape[1], 4, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const float* in = x + p * pixels * b;
      float* out = y + p * b;
      std::fill_n(out, b, max ? std::numeric_limits<float>::lowest() : 0.0f);
      for (int64_t i = 0; i < pixels; ++i, in += b) {
        for (int64_t l = 0; l < b; ++l) out[l] = max ? std::max(out[l], in[l]) : out[l] + in[l];
      }
      if (!max && pixels > 0) {
        for (int64_t l = 0; l < b; ++l) out[l] /= static_cast<float>(pixels);
      }
    }
  });
}

}  // namespace infer::cpu
