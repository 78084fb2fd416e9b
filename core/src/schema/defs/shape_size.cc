// Shape, Size: a tensor's dimensions or element count as int64 data, which
// shape inference tracks when the dimensions are known.
#include <algorithm>

#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Opset 15's start/end: negative values count from the back, then both are
// clamped to [0, rank].
size_t ClampShapeBound(int64_t v, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  if (v < 0) v += r;
  return static_cast<size_t>(std::clamp<int64_t>(v, 0, r));
}

absl::Status InferShape(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) {
    ctx.set_output_shape(0, DynamicShape(1));
    return absl::OkStatus();
  }
  const size_t start = ClampShapeBound(ctx.attr_int("start", 0), x.rank());
  const size_t end =
      ctx.attr("end") == nullptr ? x.rank() : ClampShapeBound(ctx.attr_int("end", 0), x.rank());
  const std::span<const Dim> dims = start < end
                                        ? std::span<const Dim>(x.dims).subspan(start, end - start)
                                        : std::span<const Dim>();
  ctx.set_output_shape(0, RankedShape({KnownDim(static_cast<int64_t>(dims.size()))}));
  if (std::optional<std::vector<int64_t>> known = KnownDims(dims)) {
    SetOutputInts(ctx, 0, {static_cast<int64_t>(known->size())}, *known);
  }
  return absl::OkStatus();
}

absl::Status InferSize(InferenceContext& ctx) {
  ctx.set_output_shape(0, RankedShape({}));
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  absl::StatusOr<Dim> count = DimProduct(x.dims);
  if (!count.ok()) return ctx.Error(count.status());
  if (count->known()) SetOutputInts(ctx, 0, {}, std::span<const int64_t>(&count->value, 1));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ShapeSizeSchemas() {
  std::vector<OpSchema> out;
  // Shape: 13 adds bfloat16, 15 start/end; 19 and 21 only add types.
  for (int64_t since : {1, 13, 15, 19, 21}) {
    OpSchema s{.op_type = "Shape",
               .since_version = since,
               .doc = "The input's dimensions (those in [start, end)) as a 1-D int64 tensor.",
               .inputs = {In("data")},
               .outputs = {Out("shape", "T1")},
               .type_constraints = {Types("T", AllTypesAt(since, 19)), Types("T1", kInt64)},
               .infer = InferShape};
    if (since >= 15) s.attributes = {Attr("end", INFER_ATTR_INT), Attr("start", INFER_ATTR_INT)};
    out.push_back(std::move(s));
  }
  for (int64_t since : {1, 13, 19, 21}) {
    out.push_back({.op_type = "Size",
                   .since_version = since,
                   .doc = "The input's element count as an int64 scalar.",
                   .inputs = {In("data")},
                   .outputs = {Out("size", "T1")},
                   .type_constraints = {Types("T", AllTypesAt(since, 19)), Types("T1", kInt64)},
                   .infer = InferSize});
  }
  return out;
}

}  // namespace infer::core::defs
