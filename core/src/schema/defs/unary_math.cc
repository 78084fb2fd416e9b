// Elementwise math with one input (Erf, Sqrt, Exp, Log, Neg, Abs, ...) and
// Pow: the output has the input's (Pow: the broadcast) shape.
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferPow(InferenceContext& ctx) {
  absl::StatusOr<Shape> shape = BroadcastShapes(ctx.input_shape(0), ctx.input_shape(1));
  if (!shape.ok()) return ctx.Error(shape.status());
  ctx.set_output_shape(0, *std::move(shape));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> UnaryMathSchemas() {
  std::vector<OpSchema> out;
  struct Unary {
    const char* op;
    const char* doc;
  };
  // Float-only ops: opset 6 (and 13 for bfloat16).
  for (Unary u :
       {Unary{"Sqrt", "sqrt(x)"}, Unary{"Exp", "exp(x)"}, Unary{"Log", "ln(x)"},
        Unary{"Reciprocal", "1 / x"}, Unary{"Floor", "floor(x)"}, Unary{"Ceil", "ceil(x)"}}) {
    Append(out, SameShapeUnarySchemas(u.op, "X", "Y", u.doc, {{6, kFloats}, {13, FloatsAt(13)}}));
  }
  Append(out, SameShapeUnarySchemas("Erf", "input", "output", "erf(x)",
                                    {{9, kNumeric}, {13, NumericAt(13)}}));
  Append(out, SameShapeUnarySchemas("Abs", "X", "Y", "|x|", {{6, kNumeric}, {13, NumericAt(13)}}));
  Append(out,
         SameShapeUnarySchemas("Neg", "X", "Y", "-x",
                               {{6, kFloats | kSignedInts}, {13, FloatsAt(13) | kSignedInts}}));
  Append(out, SameShapeUnarySchemas("Sign", "input", "output", "sign(x)",
                                    {{9, kNumeric}, {13, NumericAt(13)}}));
  // 22 adds bfloat16 to these.
  for (const char* op : {"Sin", "Cos", "Tan", "Asin", "Acos", "Atan"}) {
    Append(out, SameShapeUnarySchemas(op, "input", "output", "trigonometric, elementwise",
                                      {{7, kFloats}, {22, FloatsAt(22)}}));
  }
  Append(out, SameShapeUnarySchemas("Round", "X", "Y", "round half to even",
                                    {{11, kFloats}, {22, FloatsAt(22)}}));

  // Pow: 12 lets the exponent have its own (also integer) type, 13 adds
  // bfloat16 to the base, 15 to the exponent.
  const DtypeSet base12 = kFloats | Bit(INFER_DTYPE_INT32) | kInt64;
  for (auto [since, base, exponent] :
       {std::tuple{7, kFloats, kFloats}, std::tuple{12, base12, kNumeric},
        std::tuple{13, base12 | kBfloat16, kNumeric},
        std::tuple{15, base12 | kBfloat16, NumericAt(13)}}) {
    out.push_back({.op_type = "Pow",
                   .since_version = since,
                   .doc = "x ^ y with numpy-style broadcasting.",
                   .inputs = {In("X"), In("Y", since >= 12 ? "T1" : "T")},
                   .outputs = {Out("Z")},
                   .type_constraints = {Types("T", base)},
                   .infer = InferPow});
    if (since >= 12) out.back().type_constraints.push_back(Types("T1", exponent));
  }
  return out;
}

}  // namespace infer::core::defs
