// Constant: the output is the value held in exactly one of its attributes.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// The value_* attributes added in opset 12: scalar or 1-D of a fixed type.
struct ValueAttribute {
  const char* name;
  infer_attr_type type;
  infer_dtype dtype;
};
constexpr ValueAttribute kValueAttributes[] = {
    {"value_float", INFER_ATTR_FLOAT, INFER_DTYPE_FLOAT32},
    {"value_floats", INFER_ATTR_FLOATS, INFER_DTYPE_FLOAT32},
    {"value_int", INFER_ATTR_INT, INFER_DTYPE_INT64},
    {"value_ints", INFER_ATTR_INTS, INFER_DTYPE_INT64},
    {"value_string", INFER_ATTR_STRING, INFER_DTYPE_STRING},
    {"value_strings", INFER_ATTR_STRINGS, INFER_DTYPE_STRING},
};

size_t ListLength(const Attribute& a) {
  switch (a.type) {
    case INFER_ATTR_FLOATS:
      return a.floats.size();
    case INFER_ATTR_INTS:
      return a.ints.size();
    case INFER_ATTR_STRINGS:
      return a.strings.size();
    default:
      return 0;
  }
}

bool IsList(infer_attr_type t) {
  return t == INFER_ATTR_FLOATS || t == INFER_ATTR_INTS || t == INFER_ATTR_STRINGS;
}

absl::Status InferConstant(InferenceContext& ctx) {
  const Node& node = ctx.node();
  if (node.attributes.size() != 1) {
    return ctx.Error(
        absl::StrCat("needs exactly one value attribute, has ", node.attributes.size()));
  }
  const auto& [name, attr] = node.attributes.front();
  if (name == "value") {
    if (attr.tensor == nullptr) return ctx.Error("value holds no tensor");
    const Tensor& t = *attr.tensor;
    ctx.set_output(0, t.dtype(), Shape::Of(t.shape()));
    ctx.set_output_constant(0, attr.tensor);
    return absl::OkStatus();
  }
  for (const ValueAttribute& v : kValueAttributes) {
    if (name != v.name) continue;
    const bool list = IsList(v.type);
    const std::vector<int64_t> dims =
        list ? std::vector<int64_t>{static_cast<int64_t>(ListLength(attr))}
             : std::vector<int64_t>{};
    // Integer constants usually feed Reshape and friends: keep their data.
    if (v.dtype == INFER_DTYPE_INT64) {
      const std::vector<int64_t> data = list ? attr.ints : std::vector<int64_t>{attr.i};
      absl::StatusOr<TensorPtr> t =
          Tensor::Copy(v.dtype, dims, data.data(), data.size() * sizeof(int64_t));
      if (!t.ok()) return ctx.Error(t.status());
      ctx.set_output_constant(0, *std::move(t));
    }
    ctx.set_output(0, v.dtype, Shape::Of(dims));
    return absl::OkStatus();
  }
  return ctx.Error(absl::StrCat("attribute '", name, "' is not supported"));
}

}  // namespace

std::vector<OpSchema> ConstantSchemas() {
  std::vector<OpSchema> out;
  // 1: float tensors only; 9: all types; 11: sparse_value; 12: value_*; 13:
  // bfloat16. One value attribute must be set from 11 on; before, value was
  // required.
  for (int64_t since : {1, 9, 11, 12, 13, 19, 21}) {
    OpSchema s{.op_type = "Constant",
               .since_version = since,
               .doc = "Produces the constant held in its attribute.",
               .outputs = {Out("output")},
               .attributes = {Attr("value", INFER_ATTR_TENSOR)},
               .type_constraints = {Types("T", since == 1   ? kFloats
                                               : since < 13 ? kAllTypes
                                                            : kAllTypes | kBfloat16)},
               .infer = InferConstant};
    if (since < 11) s.attributes[0].required = true;
    // Sparse tensors have no IR attribute type: UNDEFINED skips the type
    // check, and InferConstant reports the attribute as unsupported.
    if (since >= 11) s.attributes.push_back(Attr("sparse_value", INFER_ATTR_UNDEFINED));
    if (since >= 12) {
      for (const ValueAttribute& v : kValueAttributes) s.attributes.push_back(Attr(v.name, v.type));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
