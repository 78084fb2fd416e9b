#include "kernels/grid_sample.h"

#include <algorithm>
#include <cmath>

namespace infer::cpu {
namespace {

// Numeric tensor <-> double buffers (interpolation runs in double).
std::vector<double> to_doubles(infer_dtype dtype, const void* p, int64_t n) {
  std::vector<double> v(static_cast<size_t>(n));
  const bool ok = visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = static_cast<double>(load(static_cast<const T*>(p)[i]));
  });
  if (!ok) fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  return v;
}

void from_doubles(const std::vector<double>& v, infer_dtype dtype, void* out) {
  visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    T* y = static_cast<T*>(out);
    for (size_t i = 0; i < v.size(); ++i) {
      if constexpr (std::is_integral_v<T>) {
        y[i] = static_cast<T>(std::isfinite(v[i]) ? v[i] : 0.0);
      } else {
        y[i] = store<T>(static_cast<compute_t<T>>(v[i]));
      }
    }
  });
}

// Reflects x into [lo, hi] by bouncing off the borders (the reference's _gs_reflect).
template <typename G>
G reflect(G x, G lo, G hi) {
  const G range = hi - lo;
  if (range <= 0) return lo;
  if (x < lo) {
    const G dx = lo - x;
    const auto n = static_cast<int64_t>(dx / range);
    const G r = dx - static_cast<G>(n) * range;
    return n % 2 == 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const G dx = x - hi;
    const auto n = static_cast<int64_t>(dx / range);
    const G r = dx - static_cast<G>(n) * range;
    return n % 2 == 0 ? hi - r : lo + r;
  }
  return x;
}

void cubic_coeffs(double t, double c[4]) {
  constexpr double a = -0.75;
  t = std::fabs(t);
  c[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
  c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  c[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
  c[3] = ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a;
}

// G: the type the reference computes coordinates in (float, or double for float64 grids).
template <typename G>
void sample(const std::vector<double>& x, ShapeSpan x_shape, const G* grid, ShapeSpan grid_shape,
            const GridSampleParams& p, std::vector<double>& y) {
  const size_t r = x_shape.size() - 2;
  const int64_t batch = x_shape[0], channels = x_shape[1];
  const Shape dims(x_shape.begin() + 2, x_shape.end());
  const int64_t in_size = dims_product(dims, 0, r);
  const int64_t points = dims_product(grid_shape, 1, grid_shape.size() - 1);
  std::vector<G> lo(r), hi(r);
  for (size_t i = 0; i < r; ++i) {
    lo[i] = p.align_corners ? G(0) : G(-0.5);
    hi[i] = p.align_corners ? static_cast<G>(dims[i] - 1) : static_cast<G>(dims[i]) - G(0.5);
  }
  const size_t taps = p.mode == GridMode::kNearest ? 1 : p.mode == GridMode::kLinear ? 2 : 4;
  // Per point: tap input offsets per dimension (-1 = zero padding) and weights.
  std::vector<int64_t> tap_index(r * taps);
  std::vector<double> tap_weight(r * taps);
  Shape strides(r, 1);
  for (size_t i = r - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
  auto pixel_index = [&](int64_t i, size_t d) -> int64_t {
    const int64_t n = dims[d];
    if (i >= 0 && i < n) return i;
    switch (p.padding) {
      case GridPadding::kZeros:
        return -1;
      case GridPadding::kBorder:
        return std::clamp<int64_t>(i, 0, n - 1);
      case GridPadding::kReflection:
        return std::clamp<int64_t>(static_cast<int64_t>(reflect(static_cast<G>(i), lo[d], hi[d])),
                                   0, n - 1);
    }
    return -1;
  };
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t pt = 0; pt < points; ++pt) {
      const G* g = grid + (b * points + pt) * static_cast<int64_t>(r);
      for (size_t d = 0; d < r; ++d) {
        const G n = g[r - 1 - d];  // the grid lists coordinates innermost dimension first
        const auto len = static_cast<G>(dims[d]);
        G c = p.align_corners ? (n + G(1)) / G(2) * (len - G(1)) : ((n + G(1)) * len - G(1)) / G(2);
        if (p.mode == GridMode::kNearest) c = std::nearbyint(c);  // half to even, as PyTorch
        if (c < lo[d] || c > hi[d]) {
          if (p.padding == GridPadding::kBorder) c = std::clamp(c, G(0), len - G(1));
          if (p.padding == GridPadding::kReflection) c = reflect(c, lo[d], hi[d]);
        }
        // NaN reads padding; huge coordinates are clamped so that the casts below stay defined.
        c = std::isfinite(c) ? std::clamp(c, G(-1e15), G(1e15)) : G(-2);
        int64_t* ti = &tap_index[d * taps];
        double* tw = &tap_weight[d * taps];
        if (p.mode == GridMode::kNearest) {
          ti[0] = pixel_index(static_cast<int64_t>(c), d);
          tw[0] = 1;
          continue;
        }
        const G f = std::floor(c);
        const auto i0 = static_cast<int64_t>(f);
        const auto t = static_cast<double>(c - f);
        if (p.mode == GridMode::kLinear) {
          ti[0] = pixel_index(i0, d);
          ti[1] = pixel_index(i0 + 1, d);
          tw[0] = 1 - t;
          tw[1] = t;
        } else {
          cubic_coeffs(t, tw);
          for (size_t k = 0; k < 4; ++k) ti[k] = pixel_index(i0 - 1 + int64_t(k), d);
        }
      }
      for (int64_t ch = 0; ch < channels; ++ch) {
        const double* img = x.data() + (b * channels + ch) * in_size;
        // Sum over every combination of taps (odometer over r dimensions).
        double acc = 0;
        std::vector<size_t> k(r, 0);
        while (true) {
          double w = 1;
          int64_t off = 0;
          for (size_t d = 0; d < r && off >= 0; ++d) {
            const int64_t i = tap_index[d * taps + k[d]];
            w *= tap_weight[d * taps + k[d]];
            off = i < 0 ? -1 : off + i * strides[d];
          }
          if (off >= 0) acc += w * img[off];
          size_t d = r;
          while (d-- > 0 && ++k[d] == taps) k[d] = 0;
          if (d == SIZE_MAX) break;
        }
        y[static_cast<size_t>((b * channels + ch) * points + pt)] = acc;
      }
    }
  }
}

}  // namespace

std::optional<GridMode> parse_grid_mode(std::string_view s) {
  if (s == "nearest") return GridMode::kNearest;
  if (s == "linear" || s == "bilinear") return GridMode::kLinear;
  if (s == "cubic" || s == "bicubic") return GridMode::kCubic;
  return std::nullopt;
}

std::optional<GridPadding> parse_grid_padding(std::string_view s) {
  if (s == "zeros") return GridPadding::kZeros;
  if (s == "border") return GridPadding::kBorder;
  if (s == "reflection") return GridPadding::kReflection;
  return std::nullopt;
}

Shape grid_sample_shape(ShapeSpan x, ShapeSpan grid) {
  if (x.size() < 3) fail_input(str_cat("X must have rank >= 3, got ", shape_str(x)));
  const size_t r = x.size() - 2;
  if (grid.size() != x.size() || grid[0] != x[0] || grid.back() != static_cast<int64_t>(r)) {
    fail_input(str_cat("grid ", shape_str(grid), " must be [N, spatial..., ", r, "] for X ",
                       shape_str(x)));
  }
  Shape out{x[0], x[1]};
  out.insert(out.end(), grid.begin() + 1, grid.end() - 1);
  numel(out);
  return out;
}

void grid_sample(infer_dtype x_dtype, const void* x, ShapeSpan x_shape, infer_dtype grid_dtype,
                 const void* grid, ShapeSpan grid_shape, const GridSampleParams& p, void* out) {
  const Shape out_shape = grid_sample_shape(x_shape, grid_shape);
  std::vector<double> y(static_cast<size_t>(numel(out_shape)));
  if (!y.empty()) {
    for (size_t d = 2; d < x_shape.size(); ++d) {
      if (x_shape[d] == 0)
        fail_input(str_cat("cannot sample the empty input ", shape_str(x_shape)));
    }
    const std::vector<double> xd = to_doubles(x_dtype, x, numel(x_shape));
    if (grid_dtype == INFER_DTYPE_FLOAT64) {
      sample(xd, x_shape, static_cast<const double*>(grid), grid_shape, p, y);
    } else {
      // 16-bit and 32-bit grids: coordinates in float, as the reference computes them.
      std::vector<float> g(static_cast<size_t>(numel(grid_shape)));
      const bool ok = visit_dtype<kFloats>(grid_dtype, [&]<typename T>(T) {
        for (size_t i = 0; i < g.size(); ++i) {
          g[i] = static_cast<float>(load(static_cast<const T*>(grid)[i]));
        }
      });
      if (!ok) fail_input("grid must be a float tensor");
      sample(xd, x_shape, g.data(), grid_shape, p, y);
    }
  }
  from_doubles(y, x_dtype, out);
}

Shape affine_grid_shape(ShapeSpan theta, ShapeSpan size) {
  if (size.size() != 4 && size.size() != 5) {
    fail_input(str_cat("size must have 4 or 5 entries, got ", shape_str(size)));
  }
  const auto r = static_cast<int64_t>(size.size()) - 2;
  if (theta.size() != 3 || theta[0] != size[0] || theta[1] != r || theta[2] != r + 1) {
    fail_input(str_cat("theta ", shape_str(theta), " must be [", size[0], ", ", r, ", ", r + 1,
                       "] for size ", shape_str(size)));
  }
  Shape out{size[0]};
  out.insert(out.end(), size.begin() + 2, size.end());
  out.push_back(r);
  numel(out);
  return out;
}

void affine_grid(infer_dtype dtype, const void* theta, ShapeSpan theta_shape, ShapeSpan size,
                 bool align_corners, void* out) {
  const Shape out_shape = affine_grid_shape(theta_shape, size);
  const size_t r = size.size() - 2;
  const std::vector<double> th = to_doubles(dtype, theta, numel(theta_shape));
  const Shape dims(size.begin() + 2, size.end());
  // Normalised base coordinate of index i on an axis of length n.
  auto base = [&](int64_t i, int64_t n) {
    if (align_corners) return n == 1 ? -1.0 : -1.0 + 2.0 * double(i) / double(n - 1);
    return -1.0 + (2.0 * double(i) + 1.0) / double(n);
  };
  const int64_t points = dims_product(dims, 0, r);
  std::vector<double> y(static_cast<size_t>(numel(out_shape)));
  std::vector<double> h(r + 1, 1.0);  // homogeneous (x, y[, z], 1), innermost first
  for (int64_t b = 0; b < size[0]; ++b) {
    const double* t = th.data() + b * static_cast<int64_t>(r * (r + 1));
    for (int64_t pt = 0; pt < points; ++pt) {
      int64_t rest = pt;
      for (size_t d = r; d-- > 0;) {
        h[r - 1 - d] = base(rest % dims[d], dims[d]);
        rest /= dims[d];
      }
      double* dst = y.data() + (b * points + pt) * static_cast<int64_t>(r);
      for (size_t row = 0; row < r; ++row) {
        double acc = 0;
        for (size_t c = 0; c <= r; ++c) acc += t[row * (r + 1) + c] * h[c];
        dst[row] = acc;
      }
    }
  }
  from_doubles(y, dtype, out);
}

}  // namespace infer::cpu
