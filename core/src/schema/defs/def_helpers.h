// Vocabulary for the schema definitions in defs/*.cc: dtype sets as they
// grew across ONNX opsets, and short constructors for formal parameters,
// attributes and type constraints, so that a schema reads like the ONNX
// operator table.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "infer/plugin_api.h"
#include "schema/op_schema.h"

namespace infer::core::defs {

// A set of dtypes as a bit mask (enum values are < 32), so the sets below are
// compile-time constants and compose with |.
using DtypeSet = uint32_t;
constexpr DtypeSet Bit(infer_dtype t) { return DtypeSet{1} << static_cast<unsigned>(t); }

constexpr DtypeSet kFloats =  // float16, float, double
    Bit(INFER_DTYPE_FLOAT16) | Bit(INFER_DTYPE_FLOAT32) | Bit(INFER_DTYPE_FLOAT64);
constexpr DtypeSet kBfloat16 = Bit(INFER_DTYPE_BFLOAT16);
constexpr DtypeSet kWideInts = Bit(INFER_DTYPE_INT32) | Bit(INFER_DTYPE_INT64) |
                               Bit(INFER_DTYPE_UINT32) | Bit(INFER_DTYPE_UINT64);
constexpr DtypeSet kNarrowInts = Bit(INFER_DTYPE_INT8) | Bit(INFER_DTYPE_INT16) |
                                 Bit(INFER_DTYPE_UINT8) | Bit(INFER_DTYPE_UINT16);
constexpr DtypeSet kSignedInts = Bit(INFER_DTYPE_INT8) | Bit(INFER_DTYPE_INT16) |
                                 Bit(INFER_DTYPE_INT32) | Bit(INFER_DTYPE_INT64);
constexpr DtypeSet kAllInts = kWideInts | kNarrowInts;
constexpr DtypeSet kBool = Bit(INFER_DTYPE_BOOL);
constexpr DtypeSet kInt64 = Bit(INFER_DTYPE_INT64);
// ONNX's "all tensor types" of opset 1..12, minus complex types, which the IR
// cannot hold; opset 13 adds bfloat16 (later float8/int4 additions are not
// representable either).
constexpr DtypeSet kAllTypes = kAllInts | kFloats | kBool | Bit(INFER_DTYPE_STRING);

// Data-movement ops accept every tensor type: opset 13 adds bfloat16;
// later additions (float8, int4) are not representable in the IR.
constexpr DtypeSet AllTypesAt(int64_t since) {
  return since >= 13 ? kAllTypes | kBfloat16 : kAllTypes;
}
// The float8 types (opset 19 on, for data movement and casts).
constexpr DtypeSet kFloat8 = Bit(INFER_DTYPE_FLOAT8E4M3FN) | Bit(INFER_DTYPE_FLOAT8E4M3FNUZ) |
                             Bit(INFER_DTYPE_FLOAT8E5M2) | Bit(INFER_DTYPE_FLOAT8E5M2FNUZ);
// AllTypesAt, plus float8 from `float8_since` (the version of that operator
// which added them: Shape 19, Squeeze 21, ...).
constexpr DtypeSet AllTypesAt(int64_t since, int64_t float8_since) {
  return AllTypesAt(since) | (since >= float8_since ? kFloat8 : 0);
}
// Numeric types as ONNX's math ops list them: 13 adds bfloat16.
constexpr DtypeSet kNumeric = kAllInts | kFloats;
constexpr DtypeSet NumericAt(int64_t since) {
  return since >= 13 ? kNumeric | kBfloat16 : kNumeric;
}
constexpr DtypeSet FloatsAt(int64_t since) { return since >= 13 ? kFloats | kBfloat16 : kFloats; }

inline std::vector<infer_dtype> DtypesOf(DtypeSet set) {
  std::vector<infer_dtype> out;
  for (unsigned v = 0; v < 32; ++v) {
    if ((set >> v) & 1u) out.push_back(static_cast<infer_dtype>(v));
  }
  return out;
}

inline TypeConstraint Types(std::string name, DtypeSet set) {
  return TypeConstraint{std::move(name), DtypesOf(set)};
}

inline FormalParameter In(std::string name, std::string type = "T") {
  return {std::move(name), std::move(type), FormalParameter::Kind::kSingle};
}
inline FormalParameter Optional(std::string name, std::string type = "T") {
  return {std::move(name), std::move(type), FormalParameter::Kind::kOptional};
}
inline FormalParameter Variadic(std::string name, std::string type = "T") {
  return {std::move(name), std::move(type), FormalParameter::Kind::kVariadic};
}
// Outputs use the same three kinds; this name reads better in output lists.
inline FormalParameter Out(std::string name, std::string type = "T") {
  return In(std::move(name), std::move(type));
}

inline AttributeSpec Attr(std::string name, infer_attr_type type) {
  return {std::move(name), type, false};
}
inline AttributeSpec RequiredAttr(std::string name, infer_attr_type type) {
  return {std::move(name), type, true};
}

// The attributes Conv and the pooling ops share, plus `extra`.
inline std::vector<AttributeSpec> ConvPoolAttrs(std::initializer_list<AttributeSpec> extra) {
  std::vector<AttributeSpec> attrs = {Attr("auto_pad", INFER_ATTR_STRING),
                                      Attr("pads", INFER_ATTR_INTS),
                                      Attr("strides", INFER_ATTR_INTS)};
  attrs.insert(attrs.end(), extra.begin(), extra.end());
  return attrs;
}

inline void Append(std::vector<OpSchema>& out, std::vector<OpSchema> more) {
  for (OpSchema& s : more) out.push_back(std::move(s));
}

// One since-version of an operator whose versions differ only in types.
struct Since {
  int64_t version;
  DtypeSet types;
};

// Schemas for a one-input, one-output operator whose output has the input's
// type and shape (Relu, Sigmoid, Identity, ...), one per since-version.
std::vector<OpSchema> SameShapeUnarySchemas(std::string_view op, std::string_view input,
                                            std::string_view output, std::string_view doc,
                                            std::initializer_list<Since> versions,
                                            std::string_view type_name = "T");

}  // namespace infer::core::defs
