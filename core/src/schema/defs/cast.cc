// Cast, CastLike: convert the element type, keeping the shape. Integer shape
// values stay tracked through casts between integer types.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Cast and CastLike: 9 adds string, 13 bfloat16, 19 float8 (later
// additions such as int4 and float4 are not representable).
DtypeSet CastTypesAt(int64_t since) {
  return since < 9 ? kAllTypes & ~Bit(INFER_DTYPE_STRING) : AllTypesAt(since, 19);
}

// Tracks int32/int64 data into an int32/int64 output (SetOutputInts drops
// values that do not fit an int32).
absl::Status SameShapeKeepingInts(InferenceContext& ctx) {
  ctx.set_output_shape(0, ctx.input_shape(0));
  PropagateIntsReshaped(ctx);
  return absl::OkStatus();
}

absl::Status InferCast(InferenceContext& ctx) {
  const int64_t to = ctx.attr_int("to", 0);
  if (to <= 0) return ctx.Error(absl::StrCat("'to' is not a valid element type: ", to));
  // The IR numbers dtypes like ONNX; types it cannot hold (complex, float8,
  // int4) leave the output type unknown rather than failing here.
  if (to < 32 && ((CastTypesAt(ctx.opset()) >> to) & 1u) != 0) {
    ctx.set_output_type(0, static_cast<infer_dtype>(to));
  }
  return SameShapeKeepingInts(ctx);
}

absl::Status InferCastLike(InferenceContext& ctx) {
  ctx.set_output_type(0, ctx.input_type(1));
  return SameShapeKeepingInts(ctx);
}

}  // namespace

std::vector<OpSchema> CastSchemas() {
  std::vector<OpSchema> out;
  // Cast: 19 adds saturate, 21 int4, 24 round_mode; the rest only types.
  for (int64_t since : {6, 9, 13, 19, 21, 24}) {
    const DtypeSet types = CastTypesAt(since);
    OpSchema s{.op_type = "Cast",
               .since_version = since,
               .doc = "Converts the elements to the type 'to'.",
               .inputs = {In("input", "T1")},
               .outputs = {Out("output", "T2")},
               .attributes = {RequiredAttr("to", INFER_ATTR_INT)},
               .type_constraints = {Types("T1", types), Types("T2", types)},
               .infer = InferCast};
    if (since >= 19) s.attributes.push_back(Attr("saturate", INFER_ATTR_INT));
    if (since >= 24) s.attributes.push_back(Attr("round_mode", INFER_ATTR_STRING));
    out.push_back(std::move(s));
  }
  for (int64_t since : {15, 19, 21, 24}) {
    OpSchema s{
        .op_type = "CastLike",
        .since_version = since,
        .doc = "Converts the elements to the type of target_type.",
        .inputs = {In("input", "T1"), In("target_type", "T2")},
        .outputs = {Out("output", "T2")},
        .type_constraints = {Types("T1", CastTypesAt(since)), Types("T2", CastTypesAt(since))},
        .infer = InferCastLike};
    if (since >= 19) s.attributes.push_back(Attr("saturate", INFER_ATTR_INT));
    if (since >= 24) s.attributes.push_back(Attr("round_mode", INFER_ATTR_STRING));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
