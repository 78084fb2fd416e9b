// Expand, Tile: repeat the input to a shape given as int64 data; static when
// that data is known (a constant or a tracked shape value).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Length of a 1-D shape-like input when known (and sane), else nullopt.
std::optional<size_t> VectorLength(const InferenceContext& ctx, size_t i, const char* name,
                                   absl::Status& error) {
  const Shape& s = ctx.input_shape(i);
  if (!s.rank_known) return std::nullopt;
  if (s.rank() != 1) {
    error = ctx.Error(absl::StrCat(name, " must be 1-D, got ", s.ToString()));
    return std::nullopt;
  }
  constexpr int64_t kMaxRank = 1024;
  if (!s.dims[0].known() || s.dims[0].value > kMaxRank) return std::nullopt;
  return static_cast<size_t>(s.dims[0].value);
}

absl::Status InferExpand(InferenceContext& ctx) {
  absl::Status error;
  const std::optional<size_t> length = VectorLength(ctx, 1, "shape", error);
  if (!error.ok()) return error;
  const std::optional<IntData> shape = InputInts(ctx, 1);
  const Shape& x = ctx.input_shape(0);
  if (!shape) {
    // Output rank is max(rank(input), len(shape)); the sizes are unknown.
    if (length && x.rank_known) ctx.set_output_shape(0, DynamicShape(std::max(*length, x.rank())));
    return absl::OkStatus();
  }
  std::vector<Dim> target;
  for (int64_t v : shape->values) {
    if (v < 0) return ctx.Error(absl::StrCat("shape has invalid entry ", v));
    target.push_back(KnownDim(v));
  }
  // Bidirectional broadcasting: a 1 in shape keeps the input's size.
  absl::StatusOr<Shape> out = BroadcastShapes(x, RankedShape(std::move(target)));
  if (!out.ok()) return ctx.Error(out.status());
  ctx.set_output_shape(0, *std::move(out));
  return absl::OkStatus();
}

absl::Status InferTile(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  absl::Status error;
  const std::optional<size_t> length = VectorLength(ctx, 1, "repeats", error);
  if (!error.ok()) return error;
  if (!x.rank_known) {
    if (length) ctx.set_output_shape(0, DynamicShape(*length));
    return absl::OkStatus();
  }
  if (length && *length != x.rank()) {
    return ctx.Error(absl::StrCat("repeats has ", *length, " entries for input ", x.ToString()));
  }
  const std::optional<IntData> repeats = InputInts(ctx, 1);
  if (!repeats) {
    ctx.set_output_shape(0, DynamicShape(x.rank()));
    return absl::OkStatus();
  }
  if (repeats->values.size() != x.rank()) {
    return ctx.Error(absl::StrCat("repeats [", absl::StrJoin(repeats->values, ","),
                                  "] does not have one entry per axis of ", x.ToString()));
  }
  std::vector<Dim> dims;
  for (size_t i = 0; i < x.rank(); ++i) {
    const int64_t r = repeats->values[i];
    if (r < 0) return ctx.Error(absl::StrCat("repeats has invalid entry ", r));
    const Dim& d = x.dims[i];
    if (r == 1) {
      dims.push_back(d);
    } else if (d.known() || r == 0) {
      std::optional<int64_t> p = CheckedMul(d.known() ? d.value : 0, r);
      if (!p) return ctx.Error("the output size overflows");
      dims.push_back(KnownDim(*p));
    } else {
      dims.push_back(DynamicDim());
    }
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ExpandTileSchemas() {
  std::vector<OpSchema> out;
  for (int64_t since : {8, 13}) {
    out.push_back({.op_type = "Expand",
                   .since_version = since,
                   .doc = "Broadcasts the input to shape (numpy rules, in both directions).",
                   .inputs = {In("input"), In("shape", "tensor(int64)")},
                   .outputs = {Out("output")},
                   .type_constraints = {Types("T", AllTypesAt(since))},
                   .infer = InferExpand});
  }
  for (int64_t since : {6, 13}) {
    out.push_back({.op_type = "Tile",
                   .since_version = since,
                   .doc = "Repeats the input repeats[i] times along axis i.",
                   .inputs = {In("input"), In("repeats", "T1")},
                   .outputs = {Out("output")},
                   .type_constraints = {Types("T", AllTypesAt(since)), Types("T1", kInt64)},
                   .infer = InferTile});
  }
  return out;
}

}  // namespace infer::core::defs
