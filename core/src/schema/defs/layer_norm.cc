// LayerNormalization, InstanceNormalization, LRN: normalisations whose output
// is shaped like X (LayerNormalization's optional statistics keep the leading
// axes and reduce the rest to 1).
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferLayerNormalization(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  ctx.set_output_shape(0, x);
  // Mean and InvStdDev have the stash type (float by default).
  const int64_t stash = ctx.attr_int("stash_type", INFER_DTYPE_FLOAT32);
  if (stash != INFER_DTYPE_FLOAT32 && stash != INFER_DTYPE_BFLOAT16) {
    return ctx.Error(absl::StrCat("stash_type ", stash, " is not float or bfloat16"));
  }
  if (!x.rank_known) {
    for (size_t i = 1; i < 3; ++i) ctx.set_output_type(i, static_cast<infer_dtype>(stash));
    return absl::OkStatus();
  }
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", -1), x.rank());
  if (!axis.ok()) return ctx.Error(axis.status());
  // Scale and B broadcast to the normalised axes X[axis:].
  const Shape normalized = RankedShape(
      std::vector<Dim>(x.dims.begin() + static_cast<std::ptrdiff_t>(*axis), x.dims.end()));
  for (size_t i = 1; i < 3; ++i) {
    if (!ctx.has_input(i)) continue;
    if (absl::Status s = CheckUnidirectionalBroadcast(ctx.input_shape(i), normalized); !s.ok()) {
      return ctx.Error(absl::StrCat(i == 1 ? "Scale: " : "B: ", s.message()));
    }
  }
  std::vector<Dim> stat = x.dims;
  for (size_t d = *axis; d < stat.size(); ++d) stat[d] = KnownDim(1);
  for (size_t i = 1; i < 3; ++i) {
    if (i >= ctx.output_count()) break;
    ctx.set_output(i, static_cast<infer_dtype>(stash), RankedShape(stat));
  }
  return absl::OkStatus();
}

// Scale and B of InstanceNormalization hold one entry per channel.
absl::Status InferInstanceNormalization(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (x.rank_known && x.rank() < 2) {
    return ctx.Error(absl::StrCat("input has shape ", x.ToString(), ", expected [N, C, ...]"));
  }
  for (size_t i = 1; i < 3; ++i) {
    const Shape& s = ctx.input_shape(i);
    if (!s.rank_known) continue;
    if (s.rank() != 1) {
      return ctx.Error(absl::StrCat(i == 1 ? "scale" : "B", " must be 1-D, got ", s.ToString()));
    }
    if (x.rank_known && !UnifyDims(s.dims[0], x.dims[1]).ok()) {
      return ctx.Error(absl::StrCat(i == 1 ? "scale" : "B", " has shape ", s.ToString(),
                                    ", expected one entry per channel of ", x.ToString()));
    }
  }
  ctx.set_output_shape(0, x);
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> LayerNormSchemas() {
  std::vector<OpSchema> out;
  out.push_back(
      {.op_type = "LayerNormalization",
       .since_version = 17,
       .doc = "Normalises over the axes from axis on; Scale and B broadcast there.",
       .inputs = {In("X"), In("Scale"), Optional("B")},
       .outputs = {Out("Y"), FormalParameter{"Mean", "U", FormalParameter::Kind::kOptional},
                   FormalParameter{"InvStdDev", "U", FormalParameter::Kind::kOptional}},
       .attributes = {Attr("axis", INFER_ATTR_INT), Attr("epsilon", INFER_ATTR_FLOAT),
                      Attr("stash_type", INFER_ATTR_INT)},
       .type_constraints = {Types("T", FloatsAt(17)),
                            Types("U", Bit(INFER_DTYPE_FLOAT32) | kBfloat16)},
       .infer = InferLayerNormalization});
  // InstanceNormalization: 22 adds bfloat16.
  for (Since v : {Since{6, kFloats}, Since{22, FloatsAt(22)}}) {
    out.push_back({.op_type = "InstanceNormalization",
                   .since_version = v.version,
                   .doc = "Normalises each channel of each instance; scale and B per channel.",
                   .inputs = {In("input"), In("scale"), In("B")},
                   .outputs = {Out("output")},
                   .attributes = {Attr("epsilon", INFER_ATTR_FLOAT)},
                   .type_constraints = {Types("T", v.types)},
                   .infer = InferInstanceNormalization});
  }
  for (int64_t since : {1, 13}) {
    for (OpSchema& s : SameShapeUnarySchemas("LRN", "X", "Y", "Local response normalisation.",
                                             {{since, FloatsAt(since)}})) {
      s.attributes = {Attr("alpha", INFER_ATTR_FLOAT), Attr("beta", INFER_ATTR_FLOAT),
                      Attr("bias", INFER_ATTR_FLOAT), RequiredAttr("size", INFER_ATTR_INT)};
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace infer::core::defs
