// QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul, ConvInteger,
// MatMulInteger. Output dtypes come from a zero point, the output_dtype
// attribute or the scale; shapes are x's, or Conv's and MatMul's (shared
// helpers, with the operands at their quantized input positions).
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/conv_matmul_shapes.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

constexpr DtypeSet kInt8s = Bit(INFER_DTYPE_INT8) | Bit(INFER_DTYPE_UINT8);
constexpr DtypeSet kInt32 = Bit(INFER_DTYPE_INT32);
// Float scales (19 on; QLinearMatMul 21) and DequantizeLinear's y.
constexpr DtypeSet kScaleFloats =
    Bit(INFER_DTYPE_FLOAT32) | Bit(INFER_DTYPE_FLOAT16) | Bit(INFER_DTYPE_BFLOAT16);

// QuantizeLinear's y / DequantizeLinear's x: 19 adds float8, 21 the 16-bit
// integers (and int4, which the IR cannot hold, like 23's float4).
constexpr DtypeSet QuantizedAt(int64_t since) {
  return kInt8s | (since >= 19 ? kFloat8 : 0) |
         (since >= 21 ? Bit(INFER_DTYPE_INT16) | Bit(INFER_DTYPE_UINT16) : 0);
}
// QuantizeLinear's x (and scale from 19): 19 adds float16 and bfloat16.
constexpr DtypeSet QuantizeInputAt(int64_t since) {
  return since >= 19 ? kScaleFloats | kInt32 : Bit(INFER_DTYPE_FLOAT32) | kInt32;
}

// A scalar, or a tensor of one element ([1], as many exporters write a
// per-tensor scale): ONNX's reference and runtimes take both.
bool SingleElement(const Shape& s) {
  if (!s.rank_known) return false;
  for (const Dim& d : s.dims) {
    if (!d.known() || d.value != 1) return false;
  }
  return true;
}

// Whether `p` may be `want` at run time: same rank, no two known sizes differ.
bool Fits(const Shape& p, const Shape& want) {
  if (p.rank() != want.rank()) return false;
  for (size_t i = 0; i < p.rank(); ++i) {
    if (!UnifyDims(p.dims[i], want.dims[i]).ok()) return false;
  }
  return true;
}

absl::Status ShapeError(const InferenceContext& ctx, absl::string_view name, const Shape& p,
                        absl::string_view expected) {
  return ctx.Error(absl::StrCat(name, " has shape ", p.ToString(), ", expected ", expected));
}

// The per-axis (1-D, x.shape[axis] long) or blocked (x's shape with
// ceil(D / block_size) along axis) shape a scale or zero point must have.
absl::StatusOr<Shape> GranularShape(const InferenceContext& ctx, const Shape& x,
                                    int64_t block_size) {
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 1), x.rank());
  if (!axis.ok()) return ctx.Error(absl::StrCat(axis.status().message(), " of x ", x.ToString()));
  if (block_size == 0) return RankedShape({x.dims[*axis]});
  std::vector<Dim> dims = x.dims;
  Dim& blocked = dims[*axis];
  blocked =
      blocked.known() ? KnownDim((blocked.value + block_size - 1) / block_size) : DynamicDim();
  return RankedShape(std::move(dims));
}

// Checks the shape of QuantizeLinear's / DequantizeLinear's scale or zero
// point (input i) against x: per tensor, per axis (13 on) or blocked (21 on).
absl::Status CheckGranularity(const InferenceContext& ctx, size_t i, absl::string_view name,
                              int64_t block_size) {
  const Shape& x = ctx.input_shape(0);
  const Shape& p = ctx.input_shape(i);
  if (!p.rank_known || SingleElement(p)) return absl::OkStatus();
  if (block_size == 0) {
    if (ctx.opset() < 13) return ShapeError(ctx, name, p, "a scalar (per-axis needs opset 13)");
    if (p.rank() > 1) {
      return ShapeError(ctx, name, p,
                        ctx.opset() < 21 ? "a scalar or a 1-D tensor (per axis)"
                                         : "a scalar, a 1-D tensor (per axis) or block_size set");
    }
    if (!p.dims[0].known()) return absl::OkStatus();  // may hold one element
  }
  if (!x.rank_known) return absl::OkStatus();
  absl::StatusOr<Shape> want = GranularShape(ctx, x, block_size);
  if (!want.ok()) return want.status();
  if (Fits(p, *want)) return absl::OkStatus();
  return ShapeError(
      ctx, name, p,
      absl::StrCat(want->ToString(), " for x ", x.ToString(), " along axis ",
                   ctx.attr_int("axis", 1),
                   block_size > 0 ? absl::StrCat(" with block_size ", block_size) : ""));
}

// Scale (input 1) and zero point (input 2) of QuantizeLinear/DequantizeLinear.
absl::Status CheckScaleAndZeroPoint(const InferenceContext& ctx, absl::string_view scale,
                                    absl::string_view zero_point) {
  const int64_t block_size = ctx.attr_int("block_size", 0);  // 21 on
  if (block_size < 0) {
    return ctx.Error(absl::StrCat("block_size must be positive, got ", block_size));
  }
  if (absl::Status s = CheckGranularity(ctx, 1, scale, block_size); !s.ok()) return s;
  if (!ctx.has_input(2)) return absl::OkStatus();
  if (absl::Status s = CheckGranularity(ctx, 2, zero_point, block_size); !s.ok()) return s;
  // A scalar beside a [1] is fine; two granular shapes must be the same.
  const Shape& ps = ctx.input_shape(1);
  const Shape& pz = ctx.input_shape(2);
  if (ps.rank_known && pz.rank_known && ps.rank() == pz.rank() && !Fits(pz, ps)) {
    return ctx.Error(absl::StrCat(zero_point, " has shape ", pz.ToString(), ", but ", scale,
                                  " has shape ", ps.ToString(), "; they must match"));
  }
  return absl::OkStatus();
}

// The output_dtype attribute (QuantizeLinear 21, DequantizeLinear 23):
// UNDEFINED when absent or a type the IR cannot hold (int4, float4, ...).
absl::StatusOr<infer_dtype> OutputDtypeAttr(const InferenceContext& ctx, DtypeSet allowed) {
  const int64_t to = ctx.attr_int("output_dtype", 0);
  if (to == 0 || to > INFER_DTYPE_FLOAT8E5M2FNUZ) return INFER_DTYPE_UNDEFINED;
  if (to < 0 || ((allowed >> to) & 1u) == 0) {
    return ctx.Error(absl::StrCat("output_dtype ", to, " is not one of the allowed output types"));
  }
  return static_cast<infer_dtype>(to);
}

absl::Status InferQuantize(InferenceContext& ctx) {
  if (absl::Status s = CheckScaleAndZeroPoint(ctx, "y_scale", "y_zero_point"); !s.ok()) return s;
  // y is the zero point's type (bound by the constraint), else output_dtype, else uint8.
  absl::StatusOr<infer_dtype> to = OutputDtypeAttr(ctx, QuantizedAt(ctx.opset()));
  if (!to.ok()) return to.status();
  const infer_dtype zp = ctx.has_input(2) ? ctx.input_type(2) : INFER_DTYPE_UNDEFINED;
  if (*to != INFER_DTYPE_UNDEFINED && zp != INFER_DTYPE_UNDEFINED && zp != *to) {
    return ctx.Error(absl::StrCat("output_dtype ", DtypeName(*to),
                                  " differs from y_zero_point's type ", DtypeName(zp)));
  }
  if (*to != INFER_DTYPE_UNDEFINED) {
    ctx.set_output_type(0, *to);
  } else if (!ctx.has_input(2) && ctx.attr("output_dtype") == nullptr) {
    ctx.set_output_type(0, INFER_DTYPE_UINT8);
  }
  ctx.set_output_shape(0, ctx.input_shape(0));
  return absl::OkStatus();
}

absl::Status InferDequantize(InferenceContext& ctx) {
  if (absl::Status s = CheckScaleAndZeroPoint(ctx, "x_scale", "x_zero_point"); !s.ok()) return s;
  // y is output_dtype (23 on), else the scale's type: bound by the constraint
  // from 19 to 21, a constraint of its own (T3) from 23.
  absl::StatusOr<infer_dtype> to = OutputDtypeAttr(ctx, kScaleFloats);
  if (!to.ok()) return to.status();
  if (*to != INFER_DTYPE_UNDEFINED) {
    ctx.set_output_type(0, *to);
  } else if (ctx.output_type(0) == INFER_DTYPE_UNDEFINED && ctx.attr("output_dtype") == nullptr) {
    ctx.set_output_type(0, ctx.input_type(1));
  }
  ctx.set_output_shape(0, ctx.input_shape(0));
  return absl::OkStatus();
}

// A per-tensor scale or zero point: it must be able to hold one element.
absl::Status CheckPerTensor(const InferenceContext& ctx, size_t i, absl::string_view name) {
  if (!ctx.has_input(i)) return absl::OkStatus();  // also past the node's last input
  const Shape& p = ctx.input_shape(i);
  if (!p.rank_known) return absl::OkStatus();
  for (const Dim& d : p.dims) {
    if (d.known() && d.value != 1) return ShapeError(ctx, name, p, "a scalar");
  }
  return absl::OkStatus();
}

// The weights' scale or zero point: per tensor, or 1-D per output channel.
absl::Status CheckPerChannel(const InferenceContext& ctx, size_t i, absl::string_view name,
                             size_t w_index) {
  if (!ctx.has_input(i)) return absl::OkStatus();
  const Shape& p = ctx.input_shape(i);
  const Shape& w = ctx.input_shape(w_index);
  if (!p.rank_known || SingleElement(p)) return absl::OkStatus();
  const Dim m = w.rank_known && w.rank() > 0 ? w.dims[0] : DynamicDim();
  if (p.rank() != 1 || !UnifyDims(p.dims[0], m).ok()) {
    return ShapeError(ctx, name, p, absl::StrCat("a scalar or [M] for w ", w.ToString()));
  }
  return absl::OkStatus();
}

absl::Status InferQLinearConv(InferenceContext& ctx) {
  for (auto [i, name] : {std::pair<size_t, const char*>{1, "x_scale"},
                         {2, "x_zero_point"},
                         {6, "y_scale"},
                         {7, "y_zero_point"}}) {
    if (absl::Status s = CheckPerTensor(ctx, i, name); !s.ok()) return s;
  }
  for (auto [i, name] : {std::pair<size_t, const char*>{4, "w_scale"}, {5, "w_zero_point"}}) {
    if (absl::Status s = CheckPerChannel(ctx, i, name, 3); !s.ok()) return s;
  }
  return InferConvShape(ctx, {.x = 0, .w = 3, .b = 8});
}

absl::Status InferConvInteger(InferenceContext& ctx) {
  if (absl::Status s = CheckPerTensor(ctx, 2, "x_zero_point"); !s.ok()) return s;
  if (absl::Status s = CheckPerChannel(ctx, 3, "w_zero_point", 1); !s.ok()) return s;
  return InferConvShape(ctx, {.x = 0, .w = 1, .b = std::nullopt});
}

// QLinearMatMul's and MatMulInteger's scales and zero points may be per row
// of a or per column of b in several layouts; only the product's shape is inferred.
absl::Status InferQLinearMatMul(InferenceContext& ctx) { return InferMatMulShape(ctx, 0, 3); }
absl::Status InferMatMulInteger(InferenceContext& ctx) { return InferMatMulShape(ctx, 0, 1); }

std::vector<OpSchema> QuantizeLinearSchemas() {
  std::vector<OpSchema> out;
  // 13 adds axis (per-axis scales), 19 saturate, float16/bfloat16 inputs and
  // float8 outputs, 21 block_size, output_dtype and 16-bit integers, 23
  // precision and a scale type apart from x's.
  for (int64_t since : {10, 13, 19, 21, 23}) {
    // The names follow ONNX: 23 gives the scale a constraint of its own (T2).
    const char* scale = since < 19 ? "tensor(float)" : since < 23 ? "T1" : "T2";
    const char* quantized = since < 23 ? "T2" : "T3";
    OpSchema s{.op_type = "QuantizeLinear",
               .since_version = since,
               .doc = "y = saturate(round(x / y_scale) + y_zero_point).",
               .inputs = {In("x", "T1"), In("y_scale", scale), Optional("y_zero_point", quantized)},
               .outputs = {Out("y", quantized)},
               .type_constraints = {Types("T1", QuantizeInputAt(since)),
                                    Types(quantized, QuantizedAt(since))},
               .infer = InferQuantize};
    if (since >= 13) s.attributes.push_back(Attr("axis", INFER_ATTR_INT));
    if (since >= 19) s.attributes.push_back(Attr("saturate", INFER_ATTR_INT));
    if (since >= 21) {
      s.attributes.push_back(Attr("block_size", INFER_ATTR_INT));
      s.attributes.push_back(Attr("output_dtype", INFER_ATTR_INT));
    }
    if (since >= 23) {
      s.attributes.push_back(Attr("precision", INFER_ATTR_INT));
      s.type_constraints.push_back(Types("T2", QuantizeInputAt(since)));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<OpSchema> DequantizeLinearSchemas() {
  std::vector<OpSchema> out;
  // 13 adds axis, 19 float8 inputs and float16/bfloat16 scales (y takes the
  // scale's type), 21 block_size and 16-bit integers, 23 output_dtype.
  for (int64_t since : {10, 13, 19, 21, 23}) {
    // The names follow ONNX: x's constraint is T before 19, T1 from then on.
    const char* quantized = since < 19 ? "T" : "T1";
    OpSchema s{.op_type = "DequantizeLinear",
               .since_version = since,
               .doc = "y = (x - x_zero_point) * x_scale.",
               .inputs = {In("x", quantized), In("x_scale", since < 19 ? "tensor(float)" : "T2"),
                          Optional("x_zero_point", quantized)},
               .outputs = {Out("y", since < 19   ? "tensor(float)"
                                    : since < 23 ? "T2"
                                                 : "T3")},
               .type_constraints = {Types(quantized, QuantizedAt(since) | kInt32)},
               .infer = InferDequantize};
    if (since >= 13) s.attributes.push_back(Attr("axis", INFER_ATTR_INT));
    if (since >= 19) s.type_constraints.push_back(Types("T2", kScaleFloats));
    if (since >= 21) s.attributes.push_back(Attr("block_size", INFER_ATTR_INT));
    if (since >= 23) {
      s.attributes.push_back(Attr("output_dtype", INFER_ATTR_INT));
      s.type_constraints.push_back(Types("T3", kScaleFloats));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<OpSchema> QuantizationSchemas() {
  std::vector<OpSchema> out = QuantizeLinearSchemas();
  Append(out, DequantizeLinearSchemas());
  const auto conv_attrs =
      ConvPoolAttrs({Attr("dilations", INFER_ATTR_INTS), Attr("group", INFER_ATTR_INT),
                     Attr("kernel_shape", INFER_ATTR_INTS)});
  out.push_back(
      {.op_type = "QLinearConv",
       .since_version = 10,
       .doc = "Convolution of quantized x and w, requantized to y's scale and zero point.",
       .inputs = {In("x", "T1"), In("x_scale", "tensor(float)"), In("x_zero_point", "T1"),
                  In("w", "T2"), In("w_scale", "tensor(float)"), In("w_zero_point", "T2"),
                  In("y_scale", "tensor(float)"), In("y_zero_point", "T3"), Optional("B", "T4")},
       .outputs = {Out("y", "T3")},
       .attributes = conv_attrs,
       .type_constraints = {Types("T1", kInt8s), Types("T2", kInt8s), Types("T3", kInt8s),
                            Types("T4", kInt32)},
       .infer = InferQLinearConv});
  // 21 adds float16/bfloat16 scales and float8 operands.
  for (int64_t since : {10, 21}) {
    const DtypeSet types = since < 21 ? kInt8s : kInt8s | kFloat8;
    const char* scale = since < 21 ? "tensor(float)" : "TS";
    OpSchema s{
        .op_type = "QLinearMatMul",
        .since_version = since,
        .doc = "Matrix product of quantized a and b, requantized to y's scale and zero point.",
        .inputs = {In("a", "T1"), In("a_scale", scale), In("a_zero_point", "T1"), In("b", "T2"),
                   In("b_scale", scale), In("b_zero_point", "T2"), In("y_scale", scale),
                   In("y_zero_point", "T3")},
        .outputs = {Out("y", "T3")},
        .type_constraints = {Types("T1", types), Types("T2", types), Types("T3", types)},
        .infer = InferQLinearMatMul};
    if (since >= 21) s.type_constraints.push_back(Types("TS", kScaleFloats));
    out.push_back(std::move(s));
  }
  out.push_back(
      {.op_type = "ConvInteger",
       .since_version = 10,
       .doc = "Convolution of 8-bit integers (less their zero points), int32 result.",
       .inputs = {In("x", "T1"), In("w", "T2"), Optional("x_zero_point", "T1"),
                  Optional("w_zero_point", "T2")},
       .outputs = {Out("y", "T3")},
       .attributes = conv_attrs,
       .type_constraints = {Types("T1", kInt8s), Types("T2", kInt8s), Types("T3", kInt32)},
       .infer = InferConvInteger});
  out.push_back(
      {.op_type = "MatMulInteger",
       .since_version = 10,
       .doc = "Matrix product of 8-bit integers (less their zero points), int32 result.",
       .inputs = {In("A", "T1"), In("B", "T2"), Optional("a_zero_point", "T1"),
                  Optional("b_zero_point", "T2")},
       .outputs = {Out("Y", "T3")},
       .type_constraints = {Types("T1", kInt8s), Types("T2", kInt8s), Types("T3", kInt32)},
       .infer = InferMatMulInteger});
  return out;
}

}  // namespace infer::core::defs
