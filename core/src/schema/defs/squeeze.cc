// Squeeze, Unsqueeze: remove or insert dimensions of size 1. Axes are an
// attribute before opset 13 and an int64 input from then on.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferUnsqueeze(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  const AxesArg axes = ReadAxesArg(ctx, "axes", 1, 13);
  if (!x.rank_known || !axes.known) return absl::OkStatus();
  // Axes refer to the output, whose rank is known once they are.
  const size_t rank = x.rank() + axes.values.size();
  absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(axes.values, rank);
  if (!normalized.ok()) return ctx.Error(normalized.status());
  std::vector<bool> inserted(rank, false);
  for (size_t a : *normalized) inserted[a] = true;
  std::vector<Dim> dims;
  auto next = x.dims.begin();
  for (size_t i = 0; i < rank; ++i) dims.push_back(inserted[i] ? KnownDim(1) : *next++);
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  PropagateIntsReshaped(ctx);
  return absl::OkStatus();
}

absl::Status InferSqueeze(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  const AxesArg axes = ReadAxesArg(ctx, "axes", 1, 13);
  if (!x.rank_known || !axes.known) return absl::OkStatus();
  std::vector<bool> removed(x.rank(), false);
  if (axes.present) {
    absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(axes.values, x.rank());
    if (!normalized.ok()) return ctx.Error(normalized.status());
    for (size_t a : *normalized) {
      const Dim& d = x.dims[a];
      if (d.known() && d.value != 1) {
        return ctx.Error(
            absl::StrCat("cannot squeeze axis ", a, " of ", x.ToString(), ": its size is not 1"));
      }
      removed[a] = true;
    }
  } else {
    // Without axes every size-1 dimension goes; an unknown one may be 1.
    for (size_t a = 0; a < x.rank(); ++a) {
      if (!x.dims[a].known()) return absl::OkStatus();
      removed[a] = x.dims[a].value == 1;
    }
  }
  std::vector<Dim> dims;
  for (size_t a = 0; a < x.rank(); ++a) {
    if (!removed[a]) dims.push_back(x.dims[a]);
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  PropagateIntsReshaped(ctx);
  return absl::OkStatus();
}

OpSchema SqueezeOp(const char* op, int64_t since, const char* doc, ShapeInferenceFn infer) {
  const bool unsqueeze = std::string_view(op) == "Unsqueeze";
  OpSchema s{.op_type = op,
             .since_version = since,
             .doc = doc,
             .inputs = {In("data")},
             .outputs = {Out(unsqueeze ? "expanded" : "squeezed")},
             .type_constraints = {Types("T", AllTypesAt(since, 21))},
             .infer = std::move(infer)};
  if (since < 13) {
    s.attributes = {unsqueeze ? RequiredAttr("axes", INFER_ATTR_INTS)
                              : Attr("axes", INFER_ATTR_INTS)};
  } else {
    s.inputs.push_back(unsqueeze ? In("axes", "tensor(int64)") : Optional("axes", "tensor(int64)"));
  }
  return s;
}

}  // namespace

std::vector<OpSchema> SqueezeSchemas() {
  std::vector<OpSchema> out;
  // 11 allows negative axes, 13 moves axes to an input, 21 adds types.
  for (int64_t since : {1, 11, 13, 21}) {
    out.push_back(
        SqueezeOp("Squeeze", since, "Removes dimensions of size 1 (all, or axes).", InferSqueeze));
    out.push_back(
        SqueezeOp("Unsqueeze", since, "Inserts dimensions of size 1 at axes.", InferUnsqueeze));
  }
  return out;
}

}  // namespace infer::core::defs
