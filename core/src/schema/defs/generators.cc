// ConstantOfShape, Range: outputs whose shape comes from input data.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferConstantOfShape(InferenceContext& ctx) {
  const Attribute* value = ctx.attr("value");
  if (value != nullptr && value->tensor != nullptr) {
    if (value->tensor->element_count() != 1) {
      return ctx.Error("value must hold exactly one element");
    }
    ctx.set_output_type(0, value->tensor->dtype());
  } else {
    ctx.set_output_type(0, INFER_DTYPE_FLOAT32);
  }
  const Shape& s = ctx.input_shape(0);
  if (s.rank_known && s.rank() != 1) {
    return ctx.Error(absl::StrCat("input must be 1-D, got ", s.ToString()));
  }
  if (const std::optional<IntData> shape = InputInts(ctx, 0)) {
    std::vector<Dim> dims;
    for (int64_t v : shape->values) {
      if (v < 0) return ctx.Error(absl::StrCat("shape has invalid entry ", v));
      dims.push_back(KnownDim(v));
    }
    ctx.set_output_shape(0, RankedShape(std::move(dims)));
  } else if (s.rank_known && s.dims[0].known() && s.dims[0].value <= 1024) {
    ctx.set_output_shape(0, DynamicShape(static_cast<size_t>(s.dims[0].value)));
  }
  return absl::OkStatus();
}

// A scalar input's value as a double, when known.
std::optional<double> ScalarValue(const InferenceContext& ctx, size_t i) {
  const Tensor* t = ctx.input_constant(i);
  if (t == nullptr || t->element_count() != 1) return std::nullopt;
  switch (t->dtype()) {
    case INFER_DTYPE_FLOAT32:
      return *t->as<float>();
    case INFER_DTYPE_FLOAT64:
      return *t->as<double>();
    case INFER_DTYPE_INT16:
      return *t->as<int16_t>();
    case INFER_DTYPE_INT32:
      return *t->as<int32_t>();
    case INFER_DTYPE_INT64:
      return static_cast<double>(*t->as<int64_t>());
    default:
      return std::nullopt;
  }
}

absl::Status InferRange(InferenceContext& ctx) {
  const char* names[] = {"start", "limit", "delta"};
  for (size_t i = 0; i < 3; ++i) {
    if (absl::Status s = CheckScalarInput(ctx, i, names[i]); !s.ok()) return s;
  }
  const std::optional<double> start = ScalarValue(ctx, 0);
  const std::optional<double> limit = ScalarValue(ctx, 1);
  const std::optional<double> delta = ScalarValue(ctx, 2);
  if (!start || !limit || !delta) {
    ctx.set_output_shape(0, DynamicShape(1));
    return absl::OkStatus();
  }
  if (*delta == 0) return ctx.Error("delta must not be 0");
  const double n = std::ceil((*limit - *start) / *delta);
  if (!(n < 9.0e15)) return ctx.Error("the output length is too large");
  ctx.set_output_shape(0, RankedShape({KnownDim(n > 0 ? static_cast<int64_t>(n) : 0)}));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> GeneratorSchemas() {
  std::vector<OpSchema> out;
  // ConstantOfShape: 20 adds bfloat16 (and float8), 21 int4.
  for (int64_t since : {9, 20, 21}) {
    out.push_back(
        {.op_type = "ConstantOfShape",
         .since_version = since,
         .doc = "A tensor of the given shape filled with value (default 0.0f).",
         .inputs = {In("input", "T1")},
         .outputs = {Out("output", "T2")},
         .attributes = {Attr("value", INFER_ATTR_TENSOR)},
         .type_constraints = {Types("T1", kInt64),
                              Types("T2", since >= 20 ? kNumeric | kBool | kBfloat16 | kFloat8
                                                      : kNumeric | kBool)},
         .infer = InferConstantOfShape});
  }
  // Range: 27 adds float16/bfloat16 and stash_type.
  const DtypeSet range_types = Bit(INFER_DTYPE_FLOAT32) | Bit(INFER_DTYPE_FLOAT64) |
                               Bit(INFER_DTYPE_INT16) | Bit(INFER_DTYPE_INT32) | kInt64;
  for (Since v : {Since{11, range_types}, Since{27, range_types | FloatsAt(13)}}) {
    out.push_back({.op_type = "Range",
                   .since_version = v.version,
                   .doc = "[start, start + delta, ...) up to limit.",
                   .inputs = {In("start"), In("limit"), In("delta")},
                   .outputs = {Out("output")},
                   .type_constraints = {Types("T", v.types)},
                   .infer = InferRange});
    if (v.version >= 27) out.back().attributes.push_back(Attr("stash_type", INFER_ATTR_INT));
  }
  return out;
}

}  // namespace infer::core::defs
