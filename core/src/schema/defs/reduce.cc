// Reduce* (Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare)
// and ArgMax/ArgMin: reduced axes become 1 (keepdims) or disappear. Reduce*
// take axes as an attribute until they move to an input (ReduceSum at 13,
// the others at 18), which also adds noop_with_empty_axes.
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

Shape ReducedShape(const Shape& x, const std::vector<bool>& reduced, bool keepdims) {
  std::vector<Dim> dims;
  for (size_t d = 0; d < x.rank(); ++d) {
    if (!reduced[d]) {
      dims.push_back(x.dims[d]);
    } else if (keepdims) {
      dims.push_back(KnownDim(1));
    }
  }
  return RankedShape(std::move(dims));
}

ShapeInferenceFn InferReduce(int64_t axes_input_since) {
  return [axes_input_since](InferenceContext& ctx) -> absl::Status {
    const Shape& x = ctx.input_shape(0);
    const bool keepdims = ctx.attr_int("keepdims", 1) != 0;
    const AxesArg axes = ReadAxesArg(ctx, "axes", 1, axes_input_since);
    if (!x.rank_known) return absl::OkStatus();
    if (!axes.known) {
      // Unknown axes: with keepdims only the rank is known.
      if (keepdims) ctx.set_output_shape(0, DynamicShape(x.rank()));
      return absl::OkStatus();
    }
    if (axes.values.empty() && ctx.attr_int("noop_with_empty_axes", 0) != 0) {
      ctx.set_output_shape(0, x);
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(axes.values, x.rank());
    if (!normalized.ok()) return ctx.Error(normalized.status());
    // No axes: reduce over all of them.
    std::vector<bool> reduced(x.rank(), normalized->empty());
    for (size_t a : *normalized) reduced[a] = true;
    ctx.set_output_shape(0, ReducedShape(x, reduced, keepdims));
    return absl::OkStatus();
  };
}

absl::Status InferArgMinMax(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 0), x.rank());
  if (!axis.ok()) return ctx.Error(axis.status());
  std::vector<bool> reduced(x.rank(), false);
  reduced[*axis] = true;
  ctx.set_output_shape(0, ReducedShape(x, reduced, ctx.attr_int("keepdims", 1) != 0));
  return absl::OkStatus();
}

OpSchema Reduce(const char* op, int64_t since, DtypeSet types, int64_t axes_input_since) {
  OpSchema s{.op_type = op,
             .since_version = since,
             .doc = absl::StrCat(op, " over axes (all axes by default)."),
             .inputs = {In("data")},
             .outputs = {Out("reduced")},
             .attributes = {Attr("keepdims", INFER_ATTR_INT)},
             .type_constraints = {Types("T", types)},
             .infer = InferReduce(axes_input_since)};
  if (since < axes_input_since) {
    s.attributes.push_back(Attr("axes", INFER_ATTR_INTS));
  } else {
    s.inputs.push_back(Optional("axes", "tensor(int64)"));
    s.attributes.push_back(Attr("noop_with_empty_axes", INFER_ATTR_INT));
  }
  return s;
}

}  // namespace

std::vector<OpSchema> ReduceSchemas() {
  std::vector<OpSchema> out;
  const DtypeSet numeric = kFloats | kWideInts;
  out.push_back(Reduce("ReduceSum", 1, numeric, 13));
  out.push_back(Reduce("ReduceSum", 11, numeric, 13));
  out.push_back(Reduce("ReduceSum", 13, numeric | kBfloat16, 13));
  for (const char* op : {"ReduceMean", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
                         "ReduceLogSumExp", "ReduceSumSquare"}) {
    for (Since v : {Since{1, numeric}, Since{11, numeric}, Since{13, numeric | kBfloat16},
                    Since{18, numeric | kBfloat16}}) {
      out.push_back(Reduce(op, v.version, v.types, 18));
    }
  }
  // ReduceMax/ReduceMin: 12 adds int8/uint8, 20 bool.
  const DtypeSet bytes = Bit(INFER_DTYPE_INT8) | Bit(INFER_DTYPE_UINT8);
  for (const char* op : {"ReduceMax", "ReduceMin"}) {
    for (Since v : {Since{1, numeric}, Since{11, numeric}, Since{12, numeric | bytes},
                    Since{13, numeric | bytes | kBfloat16}, Since{18, numeric | bytes | kBfloat16},
                    Since{20, numeric | bytes | kBfloat16 | kBool}}) {
      out.push_back(Reduce(op, v.version, v.types, 18));
    }
  }
  // ArgMax/ArgMin: 11 negative axis, 12 select_last_index, 13 bfloat16.
  for (const char* op : {"ArgMax", "ArgMin"}) {
    for (Since v : {Since{1, numeric}, Since{11, numeric}, Since{12, numeric},
                    Since{13, numeric | kBfloat16}}) {
      OpSchema s{.op_type = op,
                 .since_version = v.version,
                 .doc = absl::StrCat(op, ": int64 indices along axis."),
                 .inputs = {In("data")},
                 .outputs = {Out("reduced", "tensor(int64)")},
                 .attributes = {Attr("axis", INFER_ATTR_INT), Attr("keepdims", INFER_ATTR_INT)},
                 .type_constraints = {Types("T", v.types)},
                 .infer = InferArgMinMax};
      if (v.version >= 12) s.attributes.push_back(Attr("select_last_index", INFER_ATTR_INT));
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace infer::core::defs
