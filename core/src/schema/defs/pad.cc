// Pad: every axis (or those in `axes`, opset 18) grows by its begin and end
// pads; pads are an attribute before opset 11 and an int64 input after.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferPad(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  std::optional<std::vector<int64_t>> pads;
  if (ctx.opset() < 11) {
    pads = ctx.attr_ints("pads");
  } else if (std::optional<IntData> data = InputInts(ctx, 1)) {
    pads = std::move(data->values);
  }
  if (ctx.opset() >= 11) {
    if (absl::Status s = CheckScalarInput(ctx, 2, "constant_value"); !s.ok()) return s;
  }
  const AxesArg axes_arg = ReadAxesArg(ctx, "", 3, 18);
  if (!pads || !axes_arg.known) {
    ctx.set_output_shape(0, DynamicShape(x.rank()));
    return absl::OkStatus();
  }
  std::vector<size_t> axes;
  if (axes_arg.present) {
    absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(axes_arg.values, x.rank());
    if (!normalized.ok()) return ctx.Error(normalized.status());
    axes = *std::move(normalized);
  } else {
    for (size_t a = 0; a < x.rank(); ++a) axes.push_back(a);
  }
  if (pads->size() != 2 * axes.size()) {
    return ctx.Error(absl::StrCat("pads has ", pads->size(), " entries, expected ", 2 * axes.size(),
                                  " for input ", x.ToString()));
  }
  std::vector<Dim> dims = x.dims;
  for (size_t i = 0; i < axes.size(); ++i) {
    Dim& d = dims[axes[i]];
    const int64_t begin = (*pads)[i];
    const int64_t end = (*pads)[i + axes.size()];
    if (!d.known()) {
      if (begin != 0 || end != 0) d = DynamicDim();
      continue;
    }
    std::optional<int64_t> size = CheckedAdd(d.value, begin);
    if (size) size = CheckedAdd(*size, end);
    if (!size || *size < 0) {
      return ctx.Error(absl::StrCat("pads ", begin, " and ", end, " do not fit axis ", axes[i],
                                    " of ", x.ToString()));
    }
    d = KnownDim(*size);
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> PadSchemas() {
  std::vector<OpSchema> out;
  out.push_back(
      {.op_type = "Pad",
       .since_version = 2,
       .doc = "Pads each axis by pads[i] at the start and pads[i + rank] at the end.",
       .inputs = {In("data")},
       .outputs = {Out("output")},
       .attributes = {Attr("mode", INFER_ATTR_STRING), RequiredAttr("pads", INFER_ATTR_INTS),
                      Attr("value", INFER_ATTR_FLOAT)},
       .type_constraints = {Types("T", kFloats)},
       .infer = InferPad});
  // 11 moves pads and the value to inputs, 13 adds types, 18 axes, 19 mode
  // "wrap", 21 types.
  for (int64_t since : {11, 13, 18, 19, 21}) {
    OpSchema s{.op_type = "Pad",
               .since_version = since,
               .doc = "Pads each axis by pads[i] at the start and pads[i + n] at the end.",
               .inputs = {In("data"), In("pads", "tensor(int64)"), Optional("constant_value")},
               .outputs = {Out("output")},
               .attributes = {Attr("mode", INFER_ATTR_STRING)},
               .type_constraints = {Types("T", since == 11 ? kNumeric : AllTypesAt(since, 21))},
               .infer = InferPad};
    if (since >= 18) {
      s.inputs.push_back(Optional("axes", "Tind"));
      s.type_constraints.push_back(Types("Tind", Bit(INFER_DTYPE_INT32) | kInt64));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
