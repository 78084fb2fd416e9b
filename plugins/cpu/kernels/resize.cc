#include "kernels/resize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infer::cpu {
namespace {

// Interpolation weights for one output position: n taps starting at input index `first`
// (before clamping); `extrapolate` replaces the result (tf_crop_and_resize outside the input).
struct AxisTaps {
  size_t n = 0;
  std::vector<int64_t> index;  // out * n, clamped into [0, in)
  std::vector<double> weight;  // out * n
  std::vector<char> extrapolate;
};

std::vector<double> nearest_coeffs(double ratio, double scale, ResizeNearest mode) {
  if (ratio == 1.0) return {0, 1};  // an integral coordinate picks itself
  bool right = false;
  switch (mode) {
    case ResizeNearest::kRoundPreferFloor:
      right = ratio > 0.5;
      break;
    case ResizeNearest::kRoundPreferCeil:
      right = ratio >= 0.5;
      break;
    case ResizeNearest::kFloor:
      right = false;
      break;
    case ResizeNearest::kCeil:
      right = true;
      break;
    case ResizeNearest::kSimple:
      right = scale < 1;
      break;
  }
  return {right ? 0.0 : 1.0, right ? 1.0 : 0.0};
}

std::vector<double> linear_coeffs(double ratio, double scale, bool antialias) {
  if (!antialias) return {1 - ratio, ratio};
  // A tent filter stretched by 1 / scale when downsampling.
  const double s = std::min(scale, 1.0);
  const auto start = static_cast<int64_t>(std::floor(-1 / s) + 1);
  const int64_t footprint = 2 - 2 * start;
  std::vector<double> c(static_cast<size_t>(footprint));
  double sum = 0;
  for (int64_t j = 0; j < footprint; ++j) {
    const double arg = (static_cast<double>(start + j) - ratio) * s;
    c[j] = std::clamp(1 - std::fabs(arg), 0.0, 1.0);
    sum += c[j];
  }
  for (double& v : c) v /= sum;
  return c;
}

double cubic_weight(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

std::vector<double> cubic_coeffs(double ratio, double scale, double a, bool antialias) {
  if (!antialias) {
    return {((a * (ratio + 1) - 5 * a) * (ratio + 1) + 8 * a) * (ratio + 1) - 4 * a,
            ((a + 2) * ratio - (a + 3)) * ratio * ratio + 1,
            ((a + 2) * (1 - ratio) - (a + 3)) * (1 - ratio) * (1 - ratio) + 1,
            ((a * (2 - ratio) - 5 * a) * (2 - ratio) + 8 * a) * (2 - ratio) - 4 * a};
  }
  const double s = std::min(scale, 1.0);
  const auto start = static_cast<int64_t>(std::floor(-2 / s) + 1);
  const int64_t end = 2 - start;
  std::vector<double> c;
  double sum = 0;
  for (int64_t i = start; i < end; ++i) {
    c.push_back(cubic_weight(s * (static_cast<double>(i) - ratio), a));
    sum += c.back();
  }
  for (double& v : c) v /= sum;
  return c;
}

// Source coordinate of output position o, and whether it lies outside (tf_crop_and_resize).
double source_coord(double o, int64_t in_size, const ResizeAxis& ax, ResizeCoord coord,
                    bool* outside) {
  const auto in = static_cast<double>(in_size);
  const double out_w = ax.scale * in;  // the unrounded output size
  const int64_t out_i = ax.out;
  switch (coord) {
    case ResizeCoord::kHalfPixel:
      return (o + 0.5) / ax.scale - 0.5;
    case ResizeCoord::kHalfPixelSymmetric: {
      const double adjustment = static_cast<double>(out_i) / out_w;
      const double offset = in / 2 * (1 - adjustment);
      return offset + (o + 0.5) / ax.scale - 0.5;
    }
    case ResizeCoord::kPytorchHalfPixel:
      return out_w == 1 ? -0.5 : (o + 0.5) / ax.scale - 0.5;
    case ResizeCoord::kAlignCorners:
      return out_w == 1 ? 0.0 : o * (in - 1) / (out_w - 1);
    case ResizeCoord::kAsymmetric:
      return o / ax.scale;
    case ResizeCoord::kTfHalfPixelForNn:
      return (o + 0.5) / ax.scale;
    case ResizeCoord::kTfCropAndResize: {
      const double span = ax.roi_end - ax.roi_start;
      double x = out_w == 1 ? span * (in - 1) / 2 : o * span * (in - 1) / (out_w - 1);
      x += ax.roi_start * (in - 1);
      *outside = x < 0 || x > in - 1;
      return x;
    }
  }
  return 0;
}

AxisTaps axis_taps(int64_t in, const ResizeAxis& ax, const ResizeParams& p) {
  AxisTaps t;
  t.extrapolate.assign(static_cast<size_t>(ax.out), 0);
  for (int64_t o = 0; o < ax.out; ++o) {
    bool outside = false;
    const double x = source_coord(static_cast<double>(o), in, ax, p.coord, &outside);
    t.extrapolate[o] = outside;
    const double xf = std::floor(x);
    const double ratio = x == xf ? 1.0 : x - xf;  // in (0, 1]: prefer the pixel left of x
    std::vector<double> c;
    switch (p.mode) {
      case ResizeMode::kNearest:
        c = nearest_coeffs(ratio, ax.scale, p.nearest);
        break;
      case ResizeMode::kLinear:
        c = linear_coeffs(ratio, ax.scale, p.antialias);
        break;
      case ResizeMode::kCubic:
        c = cubic_coeffs(ratio, ax.scale, p.cubic_a, p.antialias);
        break;
    }
    const size_t n = c.size();
    if (o == 0) t.n = n;
    // The n input positions nearest to x (ties to the smaller), as the reference picks them.
    const auto pad = static_cast<int64_t>((n + 1) / 2);
    const double xp = x + static_cast<double>(pad);
    const double pf = std::floor(xp);
    const double frac = xp - pf;
    const auto half = static_cast<int64_t>(n / 2);
    int64_t offset = 0;
    if (n % 2 == 0) {
      offset = frac == 0 ? -half : -half + 1;
    } else {
      const int64_t base = -static_cast<int64_t>((n - 1) / 2);
      offset = frac <= 0.5 ? base : base + 1;
    }
    const int64_t first = static_cast<int64_t>(pf) + offset - pad;
    if (p.exclude_outside) {
      double sum = 0;
      for (size_t j = 0; j < n; ++j) {
        const int64_t i = first + static_cast<int64_t>(j);
        if (i < 0 || i >= in) c[j] = 0;
        sum += c[j];
      }
      if (sum == 0) sum = 1;
      for (double& v : c) v /= sum;
    }
    for (size_t j = 0; j < n; ++j) {
      t.index.push_back(std::clamp<int64_t>(first + static_cast<int64_t>(j), 0, in - 1));
      t.weight.push_back(c[j]);
    }
  }
  return t;
}

// Resamples `cur` (shape `shape`) along dimension d.
std::vector<double> resize_axis(const std::vector<double>& cur, Shape& shape, size_t d,
                                const ResizeAxis& ax, const ResizeParams& p) {
  const int64_t in = shape[d];
  const int64_t outer = dims_product(shape, 0, d), inner = dims_product(shape, d + 1, shape.size());
  shape[d] = ax.out;
  std::vector<double> next(static_cast<size_t>(numel(shape)));
  if (next.empty()) return next;
  const AxisTaps t = axis_taps(in, ax, p);
  for (int64_t o = 0; o < outer; ++o) {
    const double* src = cur.data() + o * in * inner;
    for (int64_t j = 0; j < ax.out; ++j) {
      double* dst = next.data() + (o * ax.out + j) * inner;
      if (t.extrapolate[j]) {
        std::fill(dst, dst + inner, p.extrapolation_value);
        continue;
      }
      std::fill(dst, dst + inner, 0.0);
      for (size_t k = 0; k < t.n; ++k) {
        const double w = t.weight[j * t.n + k];
        const double* row = src + t.index[j * t.n + k] * inner;
        for (int64_t i = 0; i < inner; ++i) dst[i] += w * row[i];
      }
    }
  }
  return next;
}

bool is_close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

std::optional<ResizeMode> parse_resize_mode(std::string_view s) {
  if (s == "nearest") return ResizeMode::kNearest;
  if (s == "linear" || s == "bilinear" || s == "trilinear") return ResizeMode::kLinear;
  if (s == "cubic" || s == "bicubic") return ResizeMode::kCubic;
  return std::nullopt;
}

std::optional<ResizeCoord> parse_resize_coord(std::string_view s) {
  if (s == "half_pixel") return ResizeCoord::kHalfPixel;
  if (s == "half_pixel_symmetric") return ResizeCoord::kHalfPixelSymmetric;
  if (s == "pytorch_half_pixel") return ResizeCoord::kPytorchHalfPixel;
  if (s == "align_corners") return ResizeCoord::kAlignCorners;
  if (s == "asymmetric") return ResizeCoord::kAsymmetric;
  if (s == "tf_half_pixel_for_nn") return ResizeCoord::kTfHalfPixelForNn;
  if (s == "tf_crop_and_resize") return ResizeCoord::kTfCropAndResize;
  return std::nullopt;
}

std::optional<ResizeNearest> parse_resize_nearest(std::string_view s) {
  if (s == "round_prefer_floor") return ResizeNearest::kRoundPreferFloor;
  if (s == "round_prefer_ceil") return ResizeNearest::kRoundPreferCeil;
  if (s == "floor") return ResizeNearest::kFloor;
  if (s == "ceil") return ResizeNearest::kCeil;
  return std::nullopt;
}

std::optional<ResizeAspect> parse_resize_aspect(std::string_view s) {
  if (s == "stretch") return ResizeAspect::kStretch;
  if (s == "not_larger") return ResizeAspect::kNotLarger;
  if (s == "not_smaller") return ResizeAspect::kNotSmaller;
  return std::nullopt;
}

std::vector<ResizeAxis> resize_axes(ShapeSpan in, std::span<const size_t> axes,
                                    const std::optional<std::vector<double>>& scales,
                                    const std::optional<Shape>& sizes, std::span<const double> roi,
                                    ResizeAspect aspect) {
  const size_t n = axes.size();
  if (scales.has_value() == sizes.has_value()) {
    fail_input("exactly one of scales and sizes must be given");
  }
  const size_t given = scales ? scales->size() : sizes->size();
  if (given != n) {
    fail_input(str_cat(scales ? "scales" : "sizes", " has ", given, " entries, expected ", n));
  }
  if (!roi.empty() && roi.size() != 2 * n) {
    fail_input(str_cat("roi has ", roi.size(), " entries, expected ", 2 * n));
  }
  constexpr double kMaxDim = 4.0e18;
  std::vector<ResizeAxis> out(in.size());
  for (size_t d = 0; d < in.size(); ++d) out[d].out = in[d];
  for (size_t i = 0; i < n; ++i) {
    ResizeAxis& ax = out[axes[i]];
    const int64_t dim = in[axes[i]];
    if (!roi.empty()) {
      ax.roi_start = roi[i];
      ax.roi_end = roi[n + i];
    }
    if (scales) {
      const double s = (*scales)[i];
      if (!(s > 0) || !(s * static_cast<double>(dim) < kMaxDim)) {
        fail_input(str_cat("scale ", s, " must be positive and finite"));
      }
      ax.scale = s;
      ax.out = static_cast<int64_t>(s * static_cast<double>(dim));
    } else {
      const int64_t size = (*sizes)[i];
      if (size < 0) fail_input(str_cat("sizes ", shape_str(*sizes), " has a negative entry"));
      if (dim == 0 && size > 0) fail_input(str_cat("cannot resize an empty axis to ", size));
      ax.out = size;
      ax.scale = dim ? static_cast<double>(size) / static_cast<double>(dim) : 1.0;
    }
  }
  if (sizes && aspect != ResizeAspect::kStretch && n > 0) {
    // One scale for all the axes, the smallest (not_larger) or largest (not_smaller).
    double s = out[axes[0]].scale;
    for (size_t i = 1; i < n; ++i) {
      s = aspect == ResizeAspect::kNotLarger ? std::min(s, out[axes[i]].scale)
                                             : std::max(s, out[axes[i]].scale);
    }
    for (size_t i = 0; i < n; ++i) {
      out[axes[i]].scale = s;
      out[axes[i]].out = static_cast<int64_t>(s * static_cast<double>(in[axes[i]]) + 0.5);
    }
  }
  numel(resize_shape(out));
  return out;
}

Shape resize_shape(std::span<const ResizeAxis> axes) {
  Shape s;
  for (const ResizeAxis& a : axes) s.push_back(a.out);
  return s;
}

void resize(infer_dtype dtype, const void* in, ShapeSpan shape, std::span<const ResizeAxis> axes,
            const ResizeParams& p, void* out) {
  if (p.antialias && p.mode == ResizeMode::kNearest) {
    fail_input("antialias is not defined for nearest mode");
  }
  const auto n = static_cast<size_t>(numel(shape));
  std::vector<double> cur(n);
  Shape cur_shape(shape.begin(), shape.end());
  const bool ok = visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    const T* x = static_cast<const T*>(in);
    for (size_t i = 0; i < n; ++i) cur[i] = static_cast<double>(load(x[i]));
  });
  if (!ok) fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  for (size_t d = 0; d < shape.size(); ++d) {
    const ResizeAxis& ax = axes[d];
    const bool roi_trivial = p.coord != ResizeCoord::kTfCropAndResize ||
                             (is_close(ax.roi_start, 0) && is_close(ax.roi_end, 1));
    // Skipped as the reference does: identity along this axis.
    if (is_close(ax.scale, 1) && ax.out == cur_shape[d] && roi_trivial) continue;
    if (cur_shape[d] == 0 && ax.out > 0) fail_input("cannot resize an empty axis");
    cur = resize_axis(cur, cur_shape, d, ax, p);
  }
  visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    T* y = static_cast<T*>(out);
    for (size_t i = 0; i < cur.size(); ++i) {
      if constexpr (std::is_integral_v<T>) {
        // Round half to even, then saturate (NaN becomes 0).
        const double r = std::nearbyint(cur[i]);
        const double lo = static_cast<double>(std::numeric_limits<T>::min());
        const double hi = static_cast<double>(std::numeric_limits<T>::max());
        y[i] = std::isnan(r) ? T(0)
               : r <= lo     ? std::numeric_limits<T>::min()
               : r >= hi     ? std::numeric_limits<T>::max()
                             : static_cast<T>(r);
      } else {
        y[i] = store<T>(static_cast<compute_t<T>>(cur[i]));
      }
    }
  });
}

}  // namespace infer::cpu
