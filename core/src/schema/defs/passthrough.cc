// Identity and Dropout (inference form): outputs shaped like the input.
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferDropout(InferenceContext& ctx) {
  if (absl::Status s = CheckScalarInput(ctx, 1, "ratio"); !s.ok()) return s;
  if (absl::Status s = CheckScalarInput(ctx, 2, "training_mode"); !s.ok()) return s;
  return SameShapeAsInput(ctx);  // output and mask
}

OpSchema Dropout(int64_t since, DtypeSet types) {
  OpSchema s{.op_type = "Dropout",
             .since_version = since,
             .doc = "Identity at inference; the optional mask is all true.",
             .inputs = {In("data"), Optional("ratio", "T1"), Optional("training_mode", "T2")},
             .outputs = {Out("output"), Optional("mask", "T2")},
             .attributes = {Attr("seed", INFER_ATTR_INT)},
             .type_constraints = {Types("T", types), Types("T1", kFloats), Types("T2", kBool)},
             .infer = InferDropout};
  if (since < 12) {  // ratio was an attribute; the mask was T (7) or bool (10)
    s.inputs.resize(1);
    s.attributes = {Attr("ratio", INFER_ATTR_FLOAT)};
    s.outputs[1].type_constraint = since < 10 ? "T" : "T1";
    s.type_constraints = {Types("T", types)};
    if (since >= 10) s.type_constraints.push_back(Types("T1", kBool));
  }
  return s;
}

}  // namespace

std::vector<OpSchema> PassThroughSchemas() {
  std::vector<OpSchema> out;
  Append(out, SameShapeUnarySchemas("Identity", "input", "output", "Returns its input.",
                                    {{1, kAllTypes}, {13, kAllTypes | kBfloat16}}));
  // From 14 the constraint is V: it also admits sequences and optionals,
  // which the IR does not model, so the tensor types are the same.
  Append(out, SameShapeUnarySchemas("Identity", "input", "output", "Returns its input.",
                                    {{14, kAllTypes | kBfloat16},
                                     {16, kAllTypes | kBfloat16},
                                     {19, kAllTypes | kBfloat16},
                                     {21, kAllTypes | kBfloat16}},
                                    "V"));
  for (Since v : {Since{7, kFloats}, Since{10, kFloats}, Since{12, kFloats},
                  Since{13, kFloats | kBfloat16}}) {
    out.push_back(Dropout(v.version, v.types));
  }
  return out;
}

}  // namespace infer::core::defs
