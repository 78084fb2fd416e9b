// Comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual), logical
// ops (And, Or, Xor, Not) and Where: numpy broadcasting, bool results.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Broadcasts every input's shape (two for comparisons, three for Where).
absl::Status InferBroadcastAll(InferenceContext& ctx) {
  Shape shape = ctx.input_shape(0);
  for (size_t i = 1; i < ctx.input_count(); ++i) {
    absl::StatusOr<Shape> s = BroadcastShapes(shape, ctx.input_shape(i));
    if (!s.ok()) return ctx.Error(s.status());
    shape = *std::move(s);
  }
  ctx.set_output_shape(0, std::move(shape));
  return absl::OkStatus();
}

OpSchema BinaryToBool(const char* op, int64_t since, DtypeSet types) {
  return {.op_type = op,
          .since_version = since,
          .doc = absl::StrCat(op, " elementwise with numpy-style broadcasting; bool result."),
          .inputs = {In("A"), In("B")},
          .outputs = {Out("C", "T1")},
          .type_constraints = {Types("T", types), Types("T1", kBool)},
          .infer = InferBroadcastAll};
}

}  // namespace

std::vector<OpSchema> LogicalSchemas() {
  std::vector<OpSchema> out;
  // Equal: 11 adds every numeric type, 13 bfloat16, 19 string.
  for (Since v : {Since{7, kBool | Bit(INFER_DTYPE_INT32) | kInt64}, Since{11, kBool | kNumeric},
                  Since{13, kBool | kNumeric | kBfloat16},
                  Since{19, kBool | kNumeric | kBfloat16 | Bit(INFER_DTYPE_STRING)}}) {
    out.push_back(BinaryToBool("Equal", v.version, v.types));
  }
  for (const char* op : {"Less", "Greater"}) {
    for (Since v : {Since{7, kFloats}, Since{9, kNumeric}, Since{13, kNumeric | kBfloat16}}) {
      out.push_back(BinaryToBool(op, v.version, v.types));
    }
  }
  for (const char* op : {"LessOrEqual", "GreaterOrEqual"}) {
    for (Since v : {Since{12, kNumeric}, Since{16, kNumeric | kBfloat16}}) {
      out.push_back(BinaryToBool(op, v.version, v.types));
    }
  }
  for (const char* op : {"And", "Or", "Xor"}) out.push_back(BinaryToBool(op, 7, kBool));
  Append(out,
         SameShapeUnarySchemas("Not", "X", "Y", "Logical negation, elementwise.", {{1, kBool}}));
  for (Since v : {Since{9, kAllTypes}, Since{16, kAllTypes | kBfloat16}}) {
    out.push_back({.op_type = "Where",
                   .since_version = v.version,
                   .doc = "X where condition is true, else Y, with numpy broadcasting.",
                   .inputs = {In("condition", "B"), In("X"), In("Y")},
                   .outputs = {Out("output")},
                   .type_constraints = {Types("B", kBool), Types("T", v.types)},
                   .infer = InferBroadcastAll});
  }
  return out;
}

}  // namespace infer::core::defs
