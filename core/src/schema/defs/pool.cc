// MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool: N x C x D1... -> N x C x O1...
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferPool(InferenceContext& ctx) {
  // kernel_shape is required, so the schema check guarantees it is here.
  std::vector<int64_t> kernel = ctx.attr_ints("kernel_shape");
  const size_t spatial = kernel.size();
  if (spatial == 0) return ctx.Error("kernel_shape must not be empty");
  const Shape& x = ctx.input_shape(0);
  if (x.rank_known && x.rank() != spatial + 2) {
    return ctx.Error(absl::StrCat("X has shape ", x.ToString(), ", expected ", spatial + 2,
                                  " dimensions for kernel_shape of ", spatial));
  }
  const int64_t storage_order = ctx.attr_int("storage_order", 0);
  if (storage_order != 0 && storage_order != 1) {
    return ctx.Error(absl::StrCat("storage_order must be 0 or 1, got ", storage_order));
  }
  absl::StatusOr<ConvPoolGeometry> geometry = ReadConvPoolGeometry(ctx, std::move(kernel));
  if (!geometry.ok()) return geometry.status();

  Shape y = DynamicShape(spatial + 2);
  if (x.rank_known) {
    absl::StatusOr<std::vector<Dim>> out =
        ConvPoolSpatialDims(*geometry, std::span(x.dims).subspan(2));
    if (!out.ok()) return ctx.Error(out.status());
    y.dims = {x.dims[0], x.dims[1]};
    y.dims.insert(y.dims.end(), out->begin(), out->end());
  }
  // MaxPool's optional Indices output has Y's shape.
  for (size_t i = 0; i < ctx.output_count(); ++i) ctx.set_output_shape(i, y);
  return absl::OkStatus();
}

absl::Status InferGlobalPool(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  if (x.rank() < 2) {
    return ctx.Error(absl::StrCat("X has shape ", x.ToString(), ", expected N x C x D1 ..."));
  }
  std::vector<Dim> dims(x.rank(), KnownDim(1));
  dims[0] = x.dims[0];
  dims[1] = x.dims[1];
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

OpSchema Pool(std::string op, int64_t since, DtypeSet types,
              std::initializer_list<AttributeSpec> extra_attrs) {
  OpSchema s{.op_type = std::move(op),
             .since_version = since,
             .doc = "Pools each channel over a sliding window.",
             .inputs = {In("X")},
             .outputs = {Out("Y")},
             .attributes = ConvPoolAttrs(extra_attrs),
             .type_constraints = {Types("T", types)},
             .infer = InferPool};
  s.attributes.push_back(RequiredAttr("kernel_shape", INFER_ATTR_INTS));
  return s;
}

}  // namespace

std::vector<OpSchema> PoolSchemas() {
  const AttributeSpec ceil_mode = Attr("ceil_mode", INFER_ATTR_INT);
  const AttributeSpec dilations = Attr("dilations", INFER_ATTR_INTS);
  const AttributeSpec storage_order = Attr("storage_order", INFER_ATTR_INT);
  const AttributeSpec count_include_pad = Attr("count_include_pad", INFER_ATTR_INT);
  std::vector<OpSchema> out;

  // MaxPool: 8 adds the Indices output, 10 ceil_mode and dilations, 11 only
  // clarifies pads, 12 adds int8/uint8.
  out.push_back(Pool("MaxPool", 1, kFloats, {}));
  for (Since v : {Since{8, kFloats}, Since{10, kFloats}, Since{11, kFloats},
                  Since{12, kFloats | Bit(INFER_DTYPE_INT8) | Bit(INFER_DTYPE_UINT8)}}) {
    OpSchema s = v.version < 10
                     ? Pool("MaxPool", v.version, v.types, {storage_order})
                     : Pool("MaxPool", v.version, v.types, {storage_order, ceil_mode, dilations});
    s.outputs.push_back(Optional("Indices", "I"));
    s.type_constraints.push_back(Types("I", kInt64));
    out.push_back(std::move(s));
  }

  // AveragePool: 7 adds count_include_pad, 10 ceil_mode, 11 clarifies pads,
  // 19 adds dilations.
  out.push_back(Pool("AveragePool", 7, kFloats, {count_include_pad}));
  out.push_back(Pool("AveragePool", 10, kFloats, {count_include_pad, ceil_mode}));
  out.push_back(Pool("AveragePool", 11, kFloats, {count_include_pad, ceil_mode}));
  out.push_back(Pool("AveragePool", 19, kFloats, {count_include_pad, ceil_mode, dilations}));

  out.push_back({.op_type = "GlobalAveragePool",
                 .since_version = 1,
                 .doc = "Averages each channel over all spatial positions.",
                 .inputs = {In("X")},
                 .outputs = {Out("Y")},
                 .type_constraints = {Types("T", kFloats)},
                 .infer = InferGlobalPool});
  out.push_back({.op_type = "GlobalMaxPool",
                 .since_version = 1,
                 .doc = "Maximum of each channel over all spatial positions.",
                 .inputs = {In("X")},
                 .outputs = {Out("Y")},
                 .type_constraints = {Types("T", kFloats)},
                 .infer = InferGlobalPool});
  return out;
}

}  // namespace infer::core::defs
