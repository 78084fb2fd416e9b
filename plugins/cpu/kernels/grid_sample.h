// GridSample (N-D, nearest / linear / cubic, zeros / border / reflection padding) and
// AffineGrid, following onnx/reference/ops/op_grid_sample.py and op_affine_grid.py.
#ifndef INFER_PLUGINS_CPU_KERNELS_GRID_SAMPLE_H_
#define INFER_PLUGINS_CPU_KERNELS_GRID_SAMPLE_H_

#include <optional>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class GridMode { kNearest, kLinear, kCubic };
enum class GridPadding { kZeros, kBorder, kReflection };
std::optional<GridMode> parse_grid_mode(std::string_view s);  // also bilinear, bicubic
std::optional<GridPadding> parse_grid_padding(std::string_view s);

struct GridSampleParams {
  GridMode mode = GridMode::kLinear;
  GridPadding padding = GridPadding::kZeros;
  bool align_corners = false;
};

// X [N, C, D1..Dr], grid [N, O1..Or, r] -> [N, C, O1..Or].
Shape grid_sample_shape(ShapeSpan x, ShapeSpan grid);
// x_dtype: any numeric type; grid_dtype: a float type.
void grid_sample(infer_dtype x_dtype, const void* x, ShapeSpan x_shape, infer_dtype grid_dtype,
                 const void* grid, ShapeSpan grid_shape, const GridSampleParams& p, void* out);

// theta [N, r, r + 1] (r = 2 or 3), size [N, C, (D,) H, W] -> grid [N, (D,) H, W, r].
Shape affine_grid_shape(ShapeSpan theta, ShapeSpan size);
void affine_grid(infer_dtype dtype, const void* theta, ShapeSpan theta_shape, ShapeSpan size,
                 bool align_corners, void* out);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_GRID_SAMPLE_H_
