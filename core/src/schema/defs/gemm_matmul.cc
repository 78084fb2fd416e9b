// Gemm (Y = alpha * A' * B' + beta * C) and MatMul (numpy matmul).
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/conv_matmul_shapes.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferGemm(InferenceContext& ctx) {
  const Shape& a = ctx.input_shape(0);
  const Shape& b = ctx.input_shape(1);
  for (const auto& [name, s] : {std::pair{"A", &a}, std::pair{"B", &b}}) {
    if (s->rank_known && s->rank() != 2) {
      return ctx.Error(absl::StrCat(name, " has shape ", s->ToString(), ", expected a matrix"));
    }
  }
  const bool trans_a = ctx.attr_int("transA", 0) != 0;
  const bool trans_b = ctx.attr_int("transB", 0) != 0;
  // A is M x K (K x M when transposed), B is K x N (N x K when transposed).
  const Dim m = a.rank_known ? a.dims[trans_a ? 1 : 0] : DynamicDim();
  const Dim ka = a.rank_known ? a.dims[trans_a ? 0 : 1] : DynamicDim();
  const Dim kb = b.rank_known ? b.dims[trans_b ? 1 : 0] : DynamicDim();
  const Dim n = b.rank_known ? b.dims[trans_b ? 0 : 1] : DynamicDim();
  if (!UnifyDims(ka, kb).ok()) {
    return ctx.Error(absl::StrCat("inner dimensions differ: A ", a.ToString(),
                                  trans_a ? " (transposed)" : "", " and B ", b.ToString(),
                                  trans_b ? " (transposed)" : ""));
  }
  Shape y = RankedShape({m, n});
  if (ctx.has_input(2)) {
    if (absl::Status s = CheckUnidirectionalBroadcast(ctx.input_shape(2), y); !s.ok()) {
      return ctx.Error(absl::StrCat("C: ", s.message()));
    }
  }
  ctx.set_output_shape(0, std::move(y));
  return absl::OkStatus();
}

absl::Status InferMatMul(InferenceContext& ctx) { return InferMatMulShape(ctx, 0, 1); }

}  // namespace

absl::Status InferMatMulShape(InferenceContext& ctx, size_t a_index, size_t b_index) {
  const Shape& a = ctx.input_shape(a_index);
  const Shape& b = ctx.input_shape(b_index);
  if (!a.rank_known || !b.rank_known) return absl::OkStatus();
  if (a.rank() == 0 || b.rank() == 0) {
    return ctx.Error(absl::StrCat("MatMul needs at least 1-D inputs, got ", a.ToString(), " and ",
                                  b.ToString()));
  }
  // 1-D operands are promoted to a row (A) or column (B) matrix; the
  // promoted dimension is dropped from the result again.
  std::vector<Dim> ad = a.dims;
  std::vector<Dim> bd = b.dims;
  if (ad.size() == 1) ad.insert(ad.begin(), KnownDim(1));
  if (bd.size() == 1) bd.push_back(KnownDim(1));
  if (!UnifyDims(ad.back(), bd[bd.size() - 2]).ok()) {
    return ctx.Error(
        absl::StrCat("inner dimensions differ: A ", a.ToString(), " and B ", b.ToString()));
  }
  absl::StatusOr<Shape> batch =
      BroadcastShapes(RankedShape(std::vector<Dim>(ad.begin(), ad.end() - 2)),
                      RankedShape(std::vector<Dim>(bd.begin(), bd.end() - 2)));
  if (!batch.ok()) return ctx.Error(absl::StrCat("batch dimensions: ", batch.status().message()));
  std::vector<Dim> dims = std::move(batch->dims);
  if (a.rank() > 1) dims.push_back(ad[ad.size() - 2]);
  if (b.rank() > 1) dims.push_back(bd.back());
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

std::vector<OpSchema> GemmMatMulSchemas() {
  std::vector<OpSchema> out;
  // Gemm: 7 makes C broadcast unidirectionally, 9 adds integers, 11 makes C
  // optional, 13 adds bfloat16.
  for (Since v : {Since{7, kFloats}, Since{9, kFloats | kWideInts}, Since{11, kFloats | kWideInts},
                  Since{13, kFloats | kWideInts | kBfloat16}}) {
    out.push_back({.op_type = "Gemm",
                   .since_version = v.version,
                   .doc = "General matrix multiply: alpha * A' * B' + beta * C.",
                   .inputs = {In("A"), In("B"), v.version >= 11 ? Optional("C") : In("C")},
                   .outputs = {Out("Y")},
                   .attributes = {Attr("alpha", INFER_ATTR_FLOAT), Attr("beta", INFER_ATTR_FLOAT),
                                  Attr("transA", INFER_ATTR_INT), Attr("transB", INFER_ATTR_INT)},
                   .type_constraints = {Types("T", v.types)},
                   .infer = InferGemm});
  }
  for (Since v : {Since{1, kFloats}, Since{9, kFloats | kWideInts},
                  Since{13, kFloats | kWideInts | kBfloat16}}) {
    out.push_back({.op_type = "MatMul",
                   .since_version = v.version,
                   .doc = "Matrix product with numpy semantics (batching, 1-D promotion).",
                   .inputs = {In("A"), In("B")},
                   .outputs = {Out("Y")},
                   .type_constraints = {Types("T", v.types)},
                   .infer = InferMatMul});
  }
  return out;
}

}  // namespace infer::core::defs
