// Pad (constant, reflect, edge, wrap) on opaque elements; negative pads crop.
#ifndef INFER_PLUGINS_CPU_KERNELS_PAD_H_
#define INFER_PLUGINS_CPU_KERNELS_PAD_H_

#include <optional>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class PadMode { kConstant, kReflect, kEdge, kWrap };
std::optional<PadMode> parse_pad_mode(std::string_view s);

// pads = [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}], one pair per input dimension.
Shape pad_shape(ShapeSpan in, ShapeSpan pads);
// fill: one element, used by kConstant. Reflect and wrap repeat as often as needed (numpy).
void pad(const void* in, ShapeSpan in_shape, ShapeSpan pads, PadMode mode, const void* fill,
         void* out, size_t elem_size);

// CenterCropPad: the pads that crop (negative) or pad each axis of `in` to `target`, centred
// with the extra element at the end.
Shape center_crop_pad_pads(ShapeSpan in, ShapeSpan target);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_PAD_H_
