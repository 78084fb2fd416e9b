#include "kernels/window.h"

#include <algorithm>

namespace infer::cpu {

namespace {

// Attribute values above this are rejected so that window arithmetic cannot overflow.
constexpr int64_t kMaxWindowValue = int64_t{1} << 31;

void check_size(const Shape& v, size_t expected, const char* name) {
  if (!v.empty() && v.size() != expected) {
    fail_attr(str_cat("attribute '", name, "' has ", v.size(), " values, expected ", expected));
  }
}

void check_range(const Shape& v, int64_t min, const char* name) {
  for (int64_t x : v) {
    if (x < min || x > kMaxWindowValue) {
      fail_attr(str_cat("attribute '", name, "' has invalid value ", x, " in ", shape_str(v),
                        min > 0 ? " (must be > 0)" : " (must be >= 0)"));
    }
  }
}

int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

}  // namespace

AutoPad parse_auto_pad(std::string_view s) {
  if (s.empty() || s == "NOTSET") return AutoPad::kNotSet;
  if (s == "SAME_UPPER") return AutoPad::kSameUpper;
  if (s == "SAME_LOWER") return AutoPad::kSameLower;
  if (s == "VALID") return AutoPad::kValid;
  fail_attr(str_cat("attribute 'auto_pad' has unknown value '", s, "'"));
}

void validate_window(const WindowParams& p, size_t spatial_rank) {
  if (spatial_rank > kMaxSpatialRank) {
    fail(INFER_UNIMPLEMENTED, str_cat("only 1-D to ", kMaxSpatialRank,
                                      "-D windows are supported, got spatial rank ", spatial_rank));
  }
  if (spatial_rank) {
    check_size(p.kernel_shape, spatial_rank, "kernel_shape");
    check_size(p.strides, spatial_rank, "strides");
    check_size(p.dilations, spatial_rank, "dilations");
    check_size(p.pads, 2 * spatial_rank, "pads");
  } else if (p.pads.size() % 2) {
    fail_attr(str_cat("attribute 'pads' has an odd number of values ", shape_str(p.pads)));
  }
  check_range(p.kernel_shape, 1, "kernel_shape");
  check_range(p.strides, 1, "strides");
  check_range(p.dilations, 1, "dilations");
  check_range(p.pads, 0, "pads");
}

WindowGeometry resolve_window(const WindowParams& p, ShapeSpan in, ShapeSpan kernel) {
  const size_t rank = in.size();
  if (rank == 0) fail_input("a window needs at least one spatial dimension");
  validate_window(p, rank);
  if (kernel.size() != rank) {
    fail_input(
        str_cat("kernel ", shape_str(kernel), " does not match spatial input ", shape_str(in)));
  }
  WindowGeometry g;
  g.rank = rank;
  g.in.fill(1);
  g.kernel.fill(1);
  g.stride.fill(1);
  g.dilation.fill(1);
  g.out.fill(1);
  const size_t lead = kMaxSpatialRank - rank;
  for (size_t i = 0; i < rank; ++i) {
    const size_t a = lead + i;
    if (kernel[i] < 1 || kernel[i] > kMaxWindowValue) {
      fail_input(str_cat("invalid kernel size ", shape_str(kernel)));
    }
    if (in[i] < 0 || in[i] > kMaxWindowValue) {
      fail_input(str_cat("unsupported spatial input size ", shape_str(in)));
    }
    const int64_t x = in[i], k = kernel[i];
    const int64_t s = p.strides.empty() ? 1 : p.strides[i];
    const int64_t d = p.dilations.empty() ? 1 : p.dilations[i];
    const int64_t extent = (k - 1) * d + 1;  // dilated window size
    int64_t pb = p.pads.empty() ? 0 : p.pads[i];
    int64_t pe = p.pads.empty() ? 0 : p.pads[rank + i];
    int64_t out = 0;
    switch (p.auto_pad) {
      case AutoPad::kSameUpper:
      case AutoPad::kSameLower: {
        out = ceil_div(x, s);
        const int64_t total = std::max<int64_t>(0, (out - 1) * s + extent - x);
        // SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning.
        pb = p.auto_pad == AutoPad::kSameUpper ? total / 2 : total - total / 2;
        pe = total - pb;
        break;
      }
      case AutoPad::kValid:
        pb = pe = 0;
        [[fallthrough]];
      case AutoPad::kNotSet: {
        const int64_t span = x + pb + pe - extent;
        if (span < 0) {
          fail_input(str_cat("window of size ", extent, " (kernel ", k, ", dilation ", d,
                             ") is larger than padded input ", x + pb + pe, " on spatial axis ",
                             i));
        }
        // The ONNX spec applies ceil_mode to explicit pads only, not to VALID.
        const bool ceil = p.ceil_mode && p.auto_pad == AutoPad::kNotSet;
        out = (ceil ? ceil_div(span, s) : span / s) + 1;
        // With ceil_mode the last window must still start inside the input or its begin pad.
        if (ceil && (out - 1) * s >= x + pb) --out;
        break;
      }
    }
    g.in[a] = x;
    g.kernel[a] = k;
    g.stride[a] = s;
    g.dilation[a] = d;
    g.pad_begin[a] = pb;
    g.pad_end[a] = pe;
    g.out[a] = out;
  }
  return g;
}

std::vector<AxisTaps> axis_taps(const WindowGeometry& g, size_t axis) {
  const int64_t in = g.in[axis], k = g.kernel[axis], d = g.dilation[axis];
  std::vector<AxisTaps> taps(static_cast<size_t>(g.out[axis]));
  for (int64_t o = 0; o < g.out[axis]; ++o) {
    AxisTaps& t = taps[static_cast<size_t>(o)];
    t.start = o * g.stride[axis] - g.pad_begin[axis];
    // Taps t with 0 <= start + t * d < limit, clamped to [0, k).
    auto first_at_or_after = [&](int64_t pos) {
      return std::clamp(ceil_div(pos - t.start, d), int64_t{0}, k);
    };
    t.begin = first_at_or_after(0);
    t.end = std::max(t.begin, first_at_or_after(in));
    t.padded = first_at_or_after(in + g.pad_end[axis]);
  }
  return taps;
}

}  // namespace infer::cpu
