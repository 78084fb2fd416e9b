// Add, Sub, Mul, Div: numpy multidirectional broadcasting (since opset 7).
#include <cstdint>
#include <optional>

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

// Integer arithmetic on tracked shape values (Shape -> Gather -> Div -> ...).
using IntFn = std::optional<int64_t> (*)(int64_t, int64_t);
std::optional<int64_t> IntAdd(int64_t a, int64_t b) { return CheckedAdd(a, b); }
std::optional<int64_t> IntSub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}
std::optional<int64_t> IntMul(int64_t a, int64_t b) { return CheckedMul(a, b); }
std::optional<int64_t> IntDiv(int64_t a, int64_t b) {
  // Integer Div truncates toward zero, like the kernels.
  if (b == 0 || (b == -1 && a == INT64_MIN)) return std::nullopt;
  return a / b;
}

template <IntFn fn>
absl::Status InferArithmetic(InferenceContext& ctx) {
  if (absl::Status s = InferBroadcast(ctx); !s.ok()) return s;
  PropagateIntsBinary(ctx, fn);
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ElementwiseSchemas() {
  std::vector<OpSchema> out;
  struct Arith {
    const char* op;
    ShapeInferenceFn infer;
  };
  for (const auto& [op, infer] :
       {Arith{"Add", InferArithmetic<IntAdd>}, Arith{"Sub", InferArithmetic<IntSub>},
        Arith{"Mul", InferArithmetic<IntMul>}, Arith{"Div", InferArithmetic<IntDiv>}}) {
    for (Since v : {Since{7, kWideInts | kFloats}, Since{13, kWideInts | kFloats | kBfloat16},
                    Since{14, kAllInts | kFloats | kBfloat16}}) {
      out.push_back({.op_type = op,
                     .since_version = v.version,
                     .doc = absl::StrCat(op, " with numpy-style broadcasting."),
                     .inputs = {In("A"), In("B")},
                     .outputs = {Out("C")},
                     .type_constraints = {Types("T", v.types)},
                     .infer = infer});
    }
  }
  return out;
}

}  // namespace infer::core::defs
