#include "kernels/pad.h"

#include "kernels/movement.h"

namespace infer::cpu {
namespace {

int64_t floor_mod(int64_t a, int64_t m) { return ((a % m) + m) % m; }

// Source index along one axis of size dim for input coordinate i, or -1 for the fill value.
int64_t source_index(int64_t i, int64_t dim, PadMode mode) {
  if (i >= 0 && i < dim) return i;
  switch (mode) {
    case PadMode::kConstant:
      return -1;
    case PadMode::kEdge:
      return i < 0 ? 0 : dim - 1;
    case PadMode::kWrap:
      return floor_mod(i, dim);
    case PadMode::kReflect: {
      if (dim == 1) return 0;
      const int64_t period = 2 * (dim - 1);
      const int64_t j = floor_mod(i, period);
      return j < dim ? j : period - j;
    }
  }
  return -1;
}

}  // namespace

std::optional<PadMode> parse_pad_mode(std::string_view s) {
  if (s == "constant") return PadMode::kConstant;
  if (s == "reflect") return PadMode::kReflect;
  if (s == "edge") return PadMode::kEdge;
  if (s == "wrap") return PadMode::kWrap;
  return std::nullopt;
}

Shape pad_shape(ShapeSpan in, ShapeSpan pads) {
  const size_t rank = in.size();
  if (pads.size() != 2 * rank) {
    fail_input(str_cat("pads ", shape_str(pads), " must have 2 * rank = ", 2 * rank, " entries"));
  }
  Shape out(rank);
  constexpr int64_t kMaxPad = int64_t{1} << 62;  // keeps index arithmetic free of overflow
  for (int64_t p : pads) {
    if (p > kMaxPad || p < -kMaxPad) fail_input(str_cat("pad ", p, " is too large"));
  }
  for (size_t i = 0; i < rank; ++i) {
    out[i] = checked_add(checked_add(in[i], pads[i]), pads[rank + i]);
    if (out[i] < 0) {
      fail_input(str_cat("pads ", shape_str(pads), " crop more than dimension ", i, " of ",
                         shape_str(in), " holds"));
    }
  }
  numel(out);
  return out;
}

void pad(const void* in, ShapeSpan in_shape, ShapeSpan pads, PadMode mode, const void* fill,
         void* out, size_t elem_size) {
  const Shape out_shape = pad_shape(in_shape, pads);
  const size_t rank = in_shape.size();
  std::vector<Shape> maps(rank);
  for (size_t k = 0; k < rank; ++k) {
    const int64_t dim = in_shape[k];
    if (dim == 0 && out_shape[k] > 0 && mode != PadMode::kConstant) {
      fail_input(str_cat("cannot pad the empty dimension ", k, " in this mode"));
    }
    maps[k].resize(static_cast<size_t>(out_shape[k]));
    for (int64_t o = 0; o < out_shape[k]; ++o) {
      maps[k][o] = source_index(o - pads[k], dim, mode);
    }
  }
  gather_by_axis_maps(in, in_shape, maps, fill, out, elem_size);
}

Shape center_crop_pad_pads(ShapeSpan in, ShapeSpan target) {
  const size_t rank = in.size();
  Shape pads(2 * rank, 0);
  for (size_t k = 0; k < rank; ++k) {
    if (target[k] < 0) fail_input(str_cat("target shape ", shape_str(target), " is negative"));
    const int64_t diff = target[k] - in[k];
    // Crop or pad by half the difference at the start, the rest (one more if odd) at the end.
    const int64_t begin = diff >= 0 ? diff / 2 : -((-diff) / 2);
    pads[k] = begin;
    pads[rank + k] = diff - begin;
  }
  return pads;
}

}  // namespace infer::cpu
