// Max, Min, Sum, Mean: elementwise over any number of inputs, broadcast
// together numpy-style.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferVariadicBroadcast(InferenceContext& ctx) {
  Shape shape = ctx.input_shape(0);
  for (size_t i = 1; i < ctx.input_count(); ++i) {
    absl::StatusOr<Shape> s = BroadcastShapes(shape, ctx.input_shape(i));
    if (!s.ok()) return ctx.Error(absl::StrCat("input ", i, ": ", s.status().message()));
    shape = *std::move(s);
  }
  ctx.set_output_shape(0, std::move(shape));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> VariadicSchemas() {
  std::vector<OpSchema> out;
  struct Versions {
    const char* op;
    const char* output;
    std::initializer_list<Since> versions;
  };
  // Max/Min: 12 adds integer types; all: 13 adds bfloat16.
  for (const Versions& v :
       {Versions{"Max", "max", {{8, kFloats}, {12, kNumeric}, {13, NumericAt(13)}}},
        Versions{"Min", "min", {{8, kFloats}, {12, kNumeric}, {13, NumericAt(13)}}},
        Versions{"Sum", "sum", {{8, kFloats}, {13, FloatsAt(13)}}},
        Versions{"Mean", "mean", {{8, kFloats}, {13, FloatsAt(13)}}}}) {
    for (Since s : v.versions) {
      out.push_back({.op_type = v.op,
                     .since_version = s.version,
                     .doc = absl::StrCat(v.op, " of the inputs, elementwise, with broadcasting."),
                     .inputs = {Variadic("data_0")},
                     .outputs = {Out(v.output)},
                     .type_constraints = {Types("T", s.types)},
                     .infer = InferVariadicBroadcast});
    }
  }
  return out;
}

}  // namespace infer::core::defs
