// BatchNormalization (inference form; training outputs optional), Softmax,
// LogSoftmax and Hardmax.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferBatchNormalization(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (x.rank_known && x.rank() < 1) return ctx.Error("X must have at least one dimension");
  // Opset 7 with spatial=0 normalises per element: the statistics are C x D1 x ...
  const bool per_channel = ctx.attr_int("spatial", 1) != 0;
  Dim channels = DynamicDim();
  if (x.rank_known) channels = x.rank() > 1 ? x.dims[1] : KnownDim(1);
  if (per_channel) {
    static constexpr const char* kStats[] = {"scale", "B", "mean", "var"};
    for (size_t i = 1; i < 5; ++i) {
      const Shape& s = ctx.input_shape(i);
      if (!s.rank_known) continue;
      if (s.rank() != 1) {
        return ctx.Error(absl::StrCat(kStats[i - 1], " must be 1-D, got ", s.ToString()));
      }
      absl::StatusOr<Dim> c = UnifyDims(channels, s.dims[0]);
      if (!c.ok()) {
        return ctx.Error(absl::StrCat(kStats[i - 1], " has shape ", s.ToString(),
                                      ", which does not match the channels of X ", x.ToString()));
      }
      channels = *std::move(c);
    }
  }
  ctx.set_output_shape(0, x);
  for (size_t i = 1; i < ctx.output_count(); ++i) {
    ctx.set_output_shape(i, per_channel ? RankedShape({channels}) : ctx.input_shape(3));
  }
  return absl::OkStatus();
}

OpSchema BatchNormalization(int64_t since) {
  // Opset 7 and 9 have one type T and the training statistics as outputs.
  OpSchema s{.op_type = "BatchNormalization",
             .since_version = since,
             .doc = "Normalises X per channel with the given statistics.",
             .inputs = {In("X"), In("scale"), In("B"), In("mean"), In("var")},
             .outputs = {Out("Y"), Optional("mean"), Optional("var"), Optional("saved_mean"),
                         Optional("saved_var")},
             .attributes = {Attr("epsilon", INFER_ATTR_FLOAT), Attr("momentum", INFER_ATTR_FLOAT)},
             .type_constraints = {Types("T", kFloats)},
             .infer = InferBatchNormalization};
  if (since == 7) s.attributes.push_back(Attr("spatial", INFER_ATTR_INT));
  if (since >= 14) {
    // 14: mean/var may have their own type U; 15: scale/B get T1, stats T2.
    const std::string scale_type = since >= 15 ? "T1" : "T";
    const std::string stat_type = since >= 15 ? "T2" : "U";
    s.inputs = {In("X"), In("scale", scale_type), In("B", scale_type), In("input_mean", stat_type),
                In("input_var", stat_type)};
    s.outputs = {Out("Y"), Optional("running_mean", stat_type), Optional("running_var", stat_type)};
    s.attributes.push_back(Attr("training_mode", INFER_ATTR_INT));
    s.type_constraints = {Types("T", kFloats | kBfloat16)};
    if (since >= 15) s.type_constraints.push_back(Types("T1", kFloats | kBfloat16));
    s.type_constraints.push_back(Types(stat_type, kFloats | kBfloat16));
  }
  return s;
}

// Before 13, Softmax flattens to 2-D at `axis` (default 1); from 13 it works
// along `axis` (default -1). The output shape is the input's either way.
ShapeInferenceFn InferSoftmax(int64_t default_axis) {
  return [default_axis](InferenceContext& ctx) -> absl::Status {
    const Shape& x = ctx.input_shape(0);
    if (x.rank_known) {
      absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", default_axis), x.rank());
      if (!axis.ok()) return ctx.Error(axis.status());
    }
    return SameShapeAsInput(ctx);
  };
}

}  // namespace

std::vector<OpSchema> NormalizationSchemas() {
  std::vector<OpSchema> out;
  for (int64_t since : {7, 9, 14, 15}) out.push_back(BatchNormalization(since));
  struct SoftmaxVersion {
    int64_t since;
    DtypeSet types;
    int64_t default_axis;
  };
  // LogSoftmax and Hardmax share Softmax's versions and axis rules.
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    for (SoftmaxVersion v : {SoftmaxVersion{1, kFloats, 1}, SoftmaxVersion{11, kFloats, 1},
                             SoftmaxVersion{13, kFloats | kBfloat16, -1}}) {
      out.push_back(
          {.op_type = op,
           .since_version = v.since,
           .doc = absl::StrCat(
               op, v.since < 13 ? " over the input coerced to 2-D at axis." : " along axis."),
           .inputs = {In("input")},
           .outputs = {Out("output")},
           .attributes = {Attr("axis", INFER_ATTR_INT)},
           .type_constraints = {Types("T", v.types)},
           .infer = InferSoftmax(v.default_axis)});
    }
  }
  return out;
}

}  // namespace infer::core::defs
