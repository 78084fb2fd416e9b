// Add, Sub, Mul, Div: numpy multidirectional broadcasting (since opset 7).
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferBroadcast(InferenceContext& ctx) {
  absl::StatusOr<Shape> shape = BroadcastShapes(ctx.input_shape(0), ctx.input_shape(1));
  if (!shape.ok()) return ctx.Error(shape.status());
  ctx.set_output_shape(0, *std::move(shape));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ElementwiseSchemas() {
  std::vector<OpSchema> out;
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    for (Since v : {Since{7, kWideInts | kFloats}, Since{13, kWideInts | kFloats | kBfloat16},
                    Since{14, kAllInts | kFloats | kBfloat16}}) {
      out.push_back({.op_type = op,
                     .since_version = v.version,
                     .doc = absl::StrCat(op, " with numpy-style broadcasting."),
                     .inputs = {In("A"), In("B")},
                     .outputs = {Out("C")},
                     .type_constraints = {Types("T", v.types)},
                     .infer = InferBroadcast});
    }
  }
  return out;
}

}  // namespace infer::core::defs
