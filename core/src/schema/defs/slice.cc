// Slice: starts/ends/axes are attributes in opset 1; from 10 they are inputs,
// with optional steps. The output shape is static when they are known.
#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Elements selected from a dimension of size `dim` (ONNX's clamping rules).
// Also returns the clamped start, for data propagation.
struct SliceRange {
  int64_t start;
  int64_t count;
};
SliceRange SliceDim(int64_t start, int64_t end, int64_t step, int64_t dim) {
  if (dim == 0) return {0, 0};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  int64_t count = 0;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    if (end > start) count = (end - start - 1) / step + 1;
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    if (start > end) count = (start - end - 1) / -step + 1;
  }
  return {start, count};
}

// An int list from the attribute (opset 1) or input `input` (10+).
std::optional<std::vector<int64_t>> SliceArg(const InferenceContext& ctx, const char* attr,
                                             size_t input) {
  if (ctx.opset() < 10) {
    if (ctx.attr(attr) == nullptr) return std::nullopt;
    return ctx.attr_ints(attr);
  }
  std::optional<IntData> data = InputInts(ctx, input);
  if (!data) return std::nullopt;
  return std::move(data->values);
}

absl::Status InferSlice(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  const std::optional<std::vector<int64_t>> starts = SliceArg(ctx, "starts", 1);
  const std::optional<std::vector<int64_t>> ends = SliceArg(ctx, "ends", 2);
  const bool has_axes = ctx.opset() < 10 ? ctx.attr("axes") != nullptr : ctx.has_input(3);
  const bool has_steps = ctx.opset() >= 10 && ctx.has_input(4);
  std::optional<std::vector<int64_t>> axes = has_axes ? SliceArg(ctx, "axes", 3) : std::nullopt;
  std::optional<std::vector<int64_t>> steps = has_steps ? SliceArg(ctx, "steps", 4) : std::nullopt;
  if (!starts || !ends || (has_axes && !axes) || (has_steps && !steps)) {
    // Unknown bounds: only the rank survives (and the dims outside axes).
    std::vector<Dim> dims(x.rank());
    if (axes) {
      dims = x.dims;
      absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(*axes, x.rank());
      if (!normalized.ok()) return ctx.Error(normalized.status());
      for (size_t a : *normalized) dims[a] = DynamicDim();
    }
    ctx.set_output_shape(0, RankedShape(std::move(dims)));
    return absl::OkStatus();
  }
  if (starts->size() != ends->size()) {
    return ctx.Error(
        absl::StrCat("starts has ", starts->size(), " entries but ends has ", ends->size()));
  }
  if (!has_axes) {
    axes.emplace();
    for (size_t i = 0; i < starts->size(); ++i) axes->push_back(static_cast<int64_t>(i));
  }
  if (!has_steps) steps.emplace(starts->size(), 1);
  if (axes->size() != starts->size() || steps->size() != starts->size()) {
    return ctx.Error(absl::StrCat("starts, ends, axes and steps must have the same length, got ",
                                  starts->size(), ", ", ends->size(), ", ", axes->size(), " and ",
                                  steps->size()));
  }
  absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(*axes, x.rank());
  if (!normalized.ok()) return ctx.Error(normalized.status());
  std::vector<Dim> dims = x.dims;
  // Per axis: the range taken and its step; count -1 where the size is unknown.
  std::vector<SliceRange> ranges;
  for (const Dim& d : x.dims) ranges.push_back({0, d.known() ? d.value : -1});
  std::vector<int64_t> axis_steps(x.rank(), 1);
  for (size_t i = 0; i < normalized->size(); ++i) {
    const size_t a = (*normalized)[i];
    axis_steps[a] = (*steps)[i];
    if ((*steps)[i] == 0) return ctx.Error("steps must not be 0");
    if (!x.dims[a].known()) {
      dims[a] = DynamicDim();
      ranges[a].count = -1;
      continue;
    }
    ranges[a] = SliceDim((*starts)[i], (*ends)[i], (*steps)[i], x.dims[a].value);
    dims[a] = KnownDim(ranges[a].count);
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));

  // Data: slicing a tracked 1-D shape value (shape[1:3]).
  std::optional<IntData> data = InputInts(ctx, 0);
  if (data && data->shape.size() == 1 && ranges[0].count >= 0) {
    std::vector<int64_t> values;
    for (int64_t k = 0, i = ranges[0].start; k < ranges[0].count; ++k, i += axis_steps[0]) {
      values.push_back(data->values[static_cast<size_t>(i)]);
    }
    SetOutputInts(ctx, 0, {ranges[0].count}, values);
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> SliceSchemas() {
  std::vector<OpSchema> out;
  out.push_back(
      {.op_type = "Slice",
       .since_version = 1,
       .doc = "Takes data[starts:ends] along axes.",
       .inputs = {In("data")},
       .outputs = {Out("output")},
       .attributes = {Attr("axes", INFER_ATTR_INTS), RequiredAttr("ends", INFER_ATTR_INTS),
                      RequiredAttr("starts", INFER_ATTR_INTS)},
       .type_constraints = {Types("T", kAllTypes)},
       .infer = InferSlice});
  // 10 moves the bounds to inputs and adds steps, 11 allows negative axes,
  // 13 adds bfloat16.
  for (int64_t since : {10, 11, 13}) {
    out.push_back({.op_type = "Slice",
                   .since_version = since,
                   .doc = "Takes data[starts:ends:steps] along axes.",
                   .inputs = {In("data"), In("starts", "Tind"), In("ends", "Tind"),
                              Optional("axes", "Tind"), Optional("steps", "Tind")},
                   .outputs = {Out("output")},
                   .type_constraints = {Types("T", AllTypesAt(since)),
                                        Types("Tind", Bit(INFER_DTYPE_INT32) | kInt64)},
                   .infer = InferSlice});
  }
  return out;
}

}  // namespace infer::core::defs
