// Relu, Sigmoid, Tanh, Clip: elementwise, output shaped like the input.
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferClip(InferenceContext& ctx) {
  // Since opset 11, min and max are optional scalar inputs.
  if (absl::Status s = CheckScalarInput(ctx, 1, "min"); !s.ok()) return s;
  if (absl::Status s = CheckScalarInput(ctx, 2, "max"); !s.ok()) return s;
  return SameShapeAsInput(ctx);
}

OpSchema Clip(int64_t since, DtypeSet types) {
  OpSchema s{.op_type = "Clip",
             .since_version = since,
             .doc = "Limits values to [min, max].",
             .inputs = {In("input"), Optional("min"), Optional("max")},
             .outputs = {Out("output")},
             .type_constraints = {Types("T", types)},
             .infer = InferClip};
  if (since < 11) {  // min and max were attributes before opset 11
    s.inputs.resize(1);
    s.attributes = {Attr("max", INFER_ATTR_FLOAT), Attr("min", INFER_ATTR_FLOAT)};
  }
  return s;
}

}  // namespace

std::vector<OpSchema> ActivationSchemas() {
  std::vector<OpSchema> out;
  Append(out,
         SameShapeUnarySchemas(
             "Relu", "X", "Y", "max(x, 0), elementwise.",
             {{6, kFloats}, {13, kFloats | kBfloat16}, {14, kFloats | kBfloat16 | kSignedInts}}));
  Append(out, SameShapeUnarySchemas("Sigmoid", "X", "Y", "1 / (1 + exp(-x)), elementwise.",
                                    {{6, kFloats}, {13, kFloats | kBfloat16}}));
  Append(out, SameShapeUnarySchemas("Tanh", "input", "output", "tanh(x), elementwise.",
                                    {{6, kFloats}, {13, kFloats | kBfloat16}}));
  for (Since v : {Since{6, kFloats}, Since{11, kFloats}, Since{12, kFloats | kAllInts},
                  Since{13, kFloats | kAllInts | kBfloat16}}) {
    out.push_back(Clip(v.version, v.types));
  }
  return out;
}

}  // namespace infer::core::defs
