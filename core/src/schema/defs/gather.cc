// Gather, GatherElements: index a tensor along one axis. Gather also computes
// tracked shape values (Shape -> Gather picks one dimension).
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// data[..., indices, ...] along `axis` when both are known.
absl::Status PropagateGather(InferenceContext& ctx, size_t axis) {
  std::optional<IntData> data = InputInts(ctx, 0);
  std::optional<IntData> indices = InputInts(ctx, 1);
  std::optional<std::vector<int64_t>> out_shape = KnownDims(ctx.output_shape(0).dims);
  if (!data || !indices || !out_shape) return absl::OkStatus();
  const int64_t n = data->shape[axis];
  size_t outer = 1;
  size_t inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= static_cast<size_t>(data->shape[d]);
  for (size_t d = axis + 1; d < data->shape.size(); ++d) {
    inner *= static_cast<size_t>(data->shape[d]);
  }
  std::vector<int64_t> values;
  for (size_t o = 0; o < outer; ++o) {
    for (int64_t index : indices->values) {
      if (index < -n || index >= n) {
        return ctx.Error(absl::StrCat("index ", index, " is out of range for dimension ", n));
      }
      const auto i = static_cast<size_t>(index < 0 ? index + n : index);
      const size_t base = (o * static_cast<size_t>(n) + i) * inner;
      values.insert(values.end(), data->values.begin() + static_cast<std::ptrdiff_t>(base),
                    data->values.begin() + static_cast<std::ptrdiff_t>(base + inner));
    }
  }
  if (values.size() <= kMaxPropagatedElements) SetOutputInts(ctx, 0, *out_shape, values);
  return absl::OkStatus();
}

absl::Status InferGather(InferenceContext& ctx) {
  const Shape& data = ctx.input_shape(0);
  const Shape& indices = ctx.input_shape(1);
  if (!data.rank_known || !indices.rank_known) return absl::OkStatus();
  if (data.rank() == 0) return ctx.Error("data must have at least one dimension");
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 0), data.rank());
  if (!axis.ok()) return ctx.Error(axis.status());
  // data[:axis] + indices + data[axis+1:]
  std::vector<Dim> dims(data.dims.begin(), data.dims.begin() + static_cast<std::ptrdiff_t>(*axis));
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), data.dims.begin() + static_cast<std::ptrdiff_t>(*axis) + 1,
              data.dims.end());
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return PropagateGather(ctx, *axis);
}

absl::Status InferGatherElements(InferenceContext& ctx) {
  const Shape& data = ctx.input_shape(0);
  const Shape& indices = ctx.input_shape(1);
  if (data.rank_known) {
    if (data.rank() == 0) return ctx.Error("data must have at least one dimension");
    absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 0), data.rank());
    if (!axis.ok()) return ctx.Error(axis.status());
    if (indices.rank_known && indices.rank() != data.rank()) {
      return ctx.Error(absl::StrCat("indices has shape ", indices.ToString(),
                                    ", expected the rank of data ", data.ToString()));
    }
  }
  ctx.set_output_shape(0, indices);
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> GatherSchemas() {
  std::vector<OpSchema> out;
  // Gather: 11 allows negative indices and axis, 13 adds bfloat16.
  for (int64_t since : {1, 11, 13}) {
    out.push_back({.op_type = "Gather",
                   .since_version = since,
                   .doc = "Picks entries of data along axis at the given indices.",
                   .inputs = {In("data"), In("indices", "Tind")},
                   .outputs = {Out("output")},
                   .attributes = {Attr("axis", INFER_ATTR_INT)},
                   .type_constraints = {Types("T", AllTypesAt(since)),
                                        Types("Tind", Bit(INFER_DTYPE_INT32) | kInt64)},
                   .infer = InferGather});
  }
  for (int64_t since : {11, 13}) {
    out.push_back({.op_type = "GatherElements",
                   .since_version = since,
                   .doc = "Picks one entry of data along axis per entry of indices.",
                   .inputs = {In("data"), In("indices", "Tind")},
                   .outputs = {Out("output")},
                   .attributes = {Attr("axis", INFER_ATTR_INT)},
                   .type_constraints = {Types("T", AllTypesAt(since)),
                                        Types("Tind", Bit(INFER_DTYPE_INT32) | kInt64)},
                   .infer = InferGatherElements});
  }
  return out;
}

}  // namespace infer::core::defs
