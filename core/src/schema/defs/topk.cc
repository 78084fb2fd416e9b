// TopK: the k largest (or smallest) entries along axis and their indices;
// k is an attribute in opset 1 and a 1-element int64 input from 10.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferTopK(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (ctx.opset() >= 10) {
    const Shape& k_shape = ctx.input_shape(1);
    if (k_shape.rank_known &&
        (k_shape.rank() != 1 || !UnifyDims(k_shape.dims[0], KnownDim(1)).ok())) {
      return ctx.Error(
          absl::StrCat("K must be a 1-D tensor of one element, got ", k_shape.ToString()));
    }
  }
  if (!x.rank_known) return absl::OkStatus();
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", -1), x.rank());
  if (!axis.ok()) return ctx.Error(axis.status());
  std::optional<int64_t> k;
  if (ctx.opset() < 10) {
    k = ctx.attr_int("k", 0);
  } else if (std::optional<IntData> data = InputInts(ctx, 1); data && data->values.size() == 1) {
    k = data->values[0];
  }
  std::vector<Dim> dims = x.dims;
  dims[*axis] = DynamicDim();
  if (k) {
    const Dim& d = x.dims[*axis];
    if (*k < 0 || (d.known() && *k > d.value)) {
      return ctx.Error(
          absl::StrCat("k = ", *k, " is out of range for axis ", *axis, " of ", x.ToString()));
    }
    dims[*axis] = KnownDim(*k);
  }
  for (size_t i = 0; i < ctx.output_count(); ++i) ctx.set_output_shape(i, RankedShape(dims));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> TopKSchemas() {
  std::vector<OpSchema> out;
  // 10 moves k to an input, 11 adds largest/sorted and integer types.
  // 24 adds bfloat16.
  for (Since v :
       {Since{1, kFloats}, Since{10, kFloats}, Since{11, kNumeric}, Since{24, NumericAt(13)}}) {
    OpSchema s{.op_type = "TopK",
               .since_version = v.version,
               .doc = "The k largest (or smallest) entries along axis, and their indices.",
               .inputs = {In("X")},
               .outputs = {Out("Values"), Out("Indices", "I")},
               .attributes = {Attr("axis", INFER_ATTR_INT)},
               .type_constraints = {Types("T", v.types), Types("I", kInt64)},
               .infer = InferTopK};
    if (v.version == 1) {
      s.attributes.push_back(RequiredAttr("k", INFER_ATTR_INT));
    } else {
      s.inputs.push_back(In("K", "tensor(int64)"));
    }
    if (v.version >= 11) {
      s.attributes.push_back(Attr("largest", INFER_ATTR_INT));
      s.attributes.push_back(Attr("sorted", INFER_ATTR_INT));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
