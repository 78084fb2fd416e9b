// Activations beyond Relu/Sigmoid/Tanh/Clip: HardSigmoid, HardSwish,
// LeakyRelu, Elu, Selu, Celu, ThresholdedRelu, Gelu, Softplus, Softsign,
// Mish and PRelu; all keep the input's shape.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// One-input activation with float attributes (alpha, beta, gamma).
std::vector<OpSchema> Activation(const char* op, const char* doc,
                                 std::initializer_list<Since> versions,
                                 std::initializer_list<const char*> float_attrs) {
  std::vector<OpSchema> out = SameShapeUnarySchemas(op, "X", "Y", doc, versions);
  for (OpSchema& s : out) {
    for (const char* a : float_attrs) s.attributes.push_back(Attr(a, INFER_ATTR_FLOAT));
  }
  return out;
}

absl::Status InferPRelu(InferenceContext& ctx) {
  // slope broadcasts to X in one direction.
  if (absl::Status s = CheckUnidirectionalBroadcast(ctx.input_shape(1), ctx.input_shape(0));
      !s.ok()) {
    return ctx.Error(absl::StrCat("slope: ", s.message()));
  }
  ctx.set_output_shape(0, ctx.input_shape(0));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ActivationExtSchemas() {
  std::vector<OpSchema> out;
  // Opset 22 adds bfloat16 to most of these (Celu: 28, with float16 and
  // double).
  const Since f22 = {22, FloatsAt(22)};
  Append(out, Activation("HardSigmoid", "max(0, min(1, alpha * x + beta))", {{6, kFloats}, f22},
                         {"alpha", "beta"}));
  Append(out,
         Activation("HardSwish", "x * max(0, min(1, x / 6 + 1 / 2))", {{14, kFloats}, f22}, {}));
  Append(out, Activation("LeakyRelu", "x if x >= 0 else alpha * x",
                         {{6, kFloats}, {16, FloatsAt(16)}}, {"alpha"}));
  Append(out, Activation("Elu", "x if x >= 0 else alpha * (exp(x) - 1)", {{6, kFloats}, f22},
                         {"alpha"}));
  Append(out, Activation("Selu", "gamma * (x if x > 0 else alpha * (exp(x) - 1))",
                         {{6, kFloats}, f22}, {"alpha", "gamma"}));
  Append(out, Activation("Celu", "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",
                         {{12, Bit(INFER_DTYPE_FLOAT32)}, {28, FloatsAt(28)}}, {"alpha"}));
  Append(out,
         Activation("ThresholdedRelu", "x if x > alpha else 0", {{10, kFloats}, f22}, {"alpha"}));
  Append(out, Activation("Softplus", "ln(exp(x) + 1)", {{1, kFloats}, f22}, {}));
  Append(out, Activation("Softsign", "x / (1 + |x|)", {{1, kFloats}, f22}, {}));
  Append(out, Activation("Mish", "x * tanh(softplus(x))", {{18, kFloats}, f22}, {}));
  for (OpSchema& s : SameShapeUnarySchemas("Gelu", "X", "Y", "x * Phi(x) (erf or tanh form)",
                                           {{20, FloatsAt(20)}})) {
    s.attributes.push_back(Attr("approximate", INFER_ATTR_STRING));
    out.push_back(std::move(s));
  }
  // PRelu: 9 adds integer types, 16 bfloat16.
  for (Since v : {Since{7, kFloats}, Since{9, kFloats | kWideInts},
                  Since{16, kFloats | kWideInts | kBfloat16}}) {
    out.push_back({.op_type = "PRelu",
                   .since_version = v.version,
                   .doc = "x if x >= 0 else slope * x; slope broadcasts to X.",
                   .inputs = {In("X"), In("slope")},
                   .outputs = {Out("Y")},
                   .type_constraints = {Types("T", v.types)},
                   .infer = InferPRelu});
  }
  return out;
}

}  // namespace infer::core::defs
