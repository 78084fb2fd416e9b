// Resize (and Upsample): separable nearest / n-linear / cubic interpolation, one axis at a time
// in double precision, following onnx/reference/ops/op_resize.py.
#ifndef INFER_PLUGINS_CPU_KERNELS_RESIZE_H_
#define INFER_PLUGINS_CPU_KERNELS_RESIZE_H_

#include <optional>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class ResizeMode { kNearest, kLinear, kCubic };
enum class ResizeCoord {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize
};
// kSimple: floor when upsampling, ceil when downsampling (Upsample and Resize-10).
enum class ResizeNearest { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kSimple };
enum class ResizeAspect { kStretch, kNotLarger, kNotSmaller };

std::optional<ResizeMode> parse_resize_mode(std::string_view s);
std::optional<ResizeCoord> parse_resize_coord(std::string_view s);
std::optional<ResizeNearest> parse_resize_nearest(std::string_view s);
std::optional<ResizeAspect> parse_resize_aspect(std::string_view s);

struct ResizeParams {
  ResizeMode mode = ResizeMode::kNearest;
  ResizeCoord coord = ResizeCoord::kHalfPixel;
  ResizeNearest nearest = ResizeNearest::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation_value = 0;
  bool antialias = false;
};

// One input dimension: output size, scale (output / input, as used by the coordinate
// transform) and region of interest (tf_crop_and_resize).
struct ResizeAxis {
  int64_t out = 0;
  double scale = 1;
  double roi_start = 0, roi_end = 1;
};

// Output axes from either scales or sizes (one per entry of `axes`, which are distinct and
// normalised), with keep_aspect_ratio_policy applied to sizes. roi, if not empty, has
// 2 * axes.size() entries [starts..., ends...].
std::vector<ResizeAxis> resize_axes(ShapeSpan in, std::span<const size_t> axes,
                                    const std::optional<std::vector<double>>& scales,
                                    const std::optional<Shape>& sizes, std::span<const double> roi,
                                    ResizeAspect aspect);
Shape resize_shape(std::span<const ResizeAxis> axes);

// dtype: any numeric type; integers round half to even and saturate.
void resize(infer_dtype dtype, const void* in, ShapeSpan shape, std::span<const ResizeAxis> axes,
            const ResizeParams& p, void* out);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_RESIZE_H_
