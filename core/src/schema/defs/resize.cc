// Resize (and the older Upsample): output sizes from the `sizes` input, or
// floor(dim * scale) from `scales`, when those are known.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Known float data of input i (scales), or nullopt; an empty tensor counts
// as absent (opset 11-12 pass "" or an empty scales next to sizes).
std::optional<std::vector<float>> FloatData(const InferenceContext& ctx, size_t i) {
  if (!ctx.has_input(i)) return std::nullopt;
  const Tensor* t = ctx.input_constant(i);
  if (t == nullptr || t->dtype() != INFER_DTYPE_FLOAT32) return std::nullopt;
  return std::vector<float>(t->as<float>(), t->as<float>() + t->element_count());
}

bool InputIsEmpty(const InferenceContext& ctx, size_t i) {
  if (!ctx.has_input(i)) return true;
  const Shape& s = ctx.input_shape(i);
  return s.rank_known && s.rank() == 1 && s.dims[0].known() && s.dims[0].value == 0;
}

// Output dims for `scales` (one per entry of `axes`).
absl::Status ApplyScales(const InferenceContext& ctx, const std::vector<float>& scales,
                         const std::vector<size_t>& axes, std::vector<Dim>& dims) {
  if (scales.size() != axes.size()) {
    return ctx.Error(
        absl::StrCat("scales has ", scales.size(), " entries, expected ", axes.size()));
  }
  for (size_t i = 0; i < axes.size(); ++i) {
    if (!(scales[i] > 0)) return ctx.Error(absl::StrCat("scale ", scales[i], " is not positive"));
    Dim& d = dims[axes[i]];
    if (scales[i] == 1.0f) continue;
    d = d.known() ? KnownDim(static_cast<int64_t>(
                        std::floor(static_cast<double>(d.value) * static_cast<double>(scales[i]))))
                  : DynamicDim();
  }
  return absl::OkStatus();
}

// Sizes with keep_aspect_ratio_policy (opset 18): one scale for all axes.
absl::Status ApplySizes(const InferenceContext& ctx, const std::vector<int64_t>& sizes,
                        const std::vector<size_t>& axes, std::vector<Dim>& dims) {
  if (sizes.size() != axes.size()) {
    return ctx.Error(absl::StrCat("sizes has ", sizes.size(), " entries, expected ", axes.size()));
  }
  const std::string policy = ctx.attr_string("keep_aspect_ratio_policy", "stretch");
  if (policy == "stretch") {
    for (size_t i = 0; i < axes.size(); ++i) {
      if (sizes[i] < 0) return ctx.Error(absl::StrCat("sizes has invalid entry ", sizes[i]));
      dims[axes[i]] = KnownDim(sizes[i]);
    }
    return absl::OkStatus();
  }
  if (policy != "not_larger" && policy != "not_smaller") {
    return ctx.Error(absl::StrCat("keep_aspect_ratio_policy '", policy, "' is not supported"));
  }
  double scale = policy == "not_larger" ? INFINITY : 0.0;
  for (size_t i = 0; i < axes.size(); ++i) {
    const Dim& d = dims[axes[i]];
    if (!d.known() || d.value == 0) {
      for (size_t a : axes) dims[a] = DynamicDim();
      return absl::OkStatus();
    }
    const double s = static_cast<double>(sizes[i]) / static_cast<double>(d.value);
    scale = policy == "not_larger" ? std::min(scale, s) : std::max(scale, s);
  }
  for (size_t a : axes) {
    dims[a] =
        KnownDim(static_cast<int64_t>(std::round(scale * static_cast<double>(dims[a].value))));
  }
  return absl::OkStatus();
}

absl::Status InferResize(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) return absl::OkStatus();
  std::vector<size_t> axes;
  if (const Attribute* a = ctx.attr("axes"); a != nullptr && ctx.opset() >= 18) {
    absl::StatusOr<std::vector<size_t>> normalized = NormalizeAxes(a->ints, x.rank());
    if (!normalized.ok()) return ctx.Error(normalized.status());
    axes = *std::move(normalized);
  } else {
    for (size_t i = 0; i < x.rank(); ++i) axes.push_back(i);
  }
  std::vector<Dim> dims = x.dims;
  // Upsample-7 keeps scales in an attribute; Resize-10 and Upsample-9 have
  // them as input 1; from Resize-11 on, roi, scales, sizes are inputs 1-3.
  const bool v10 = ctx.node().op_type == "Upsample" || ctx.opset() < 11;
  if (ctx.node().op_type == "Upsample" && ctx.opset() < 9) {
    const Attribute* a = ctx.attr("scales");
    if (a == nullptr) return ctx.Error("required attribute 'scales' is missing");
    if (absl::Status s = ApplyScales(ctx, a->floats, axes, dims); !s.ok()) return s;
  } else if (!v10 && !InputIsEmpty(ctx, 3)) {
    std::optional<IntData> sizes = InputInts(ctx, 3);
    if (!sizes) {
      ctx.set_output_shape(0, DynamicShape(x.rank()));
      return absl::OkStatus();
    }
    if (absl::Status s = ApplySizes(ctx, sizes->values, axes, dims); !s.ok()) return s;
  } else {
    std::optional<std::vector<float>> scales = FloatData(ctx, v10 ? 1 : 2);
    if (!scales) {
      ctx.set_output_shape(0, DynamicShape(x.rank()));
      return absl::OkStatus();
    }
    if (absl::Status s = ApplyScales(ctx, *scales, axes, dims); !s.ok()) return s;
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> ResizeSchemas() {
  std::vector<OpSchema> out;
  // Upsample: 7 scales attribute, 9 scales input; deprecated by Resize-10.
  out.push_back(
      {.op_type = "Upsample",
       .since_version = 7,
       .doc = "Upsamples by the scales attribute (nearest or linear).",
       .inputs = {In("X")},
       .outputs = {Out("Y")},
       .attributes = {Attr("mode", INFER_ATTR_STRING), RequiredAttr("scales", INFER_ATTR_FLOATS)},
       .type_constraints = {Types("T", kAllTypes)},
       .infer = InferResize});
  out.push_back({.op_type = "Upsample",
                 .since_version = 9,
                 .doc = "Upsamples by the scales input (nearest or linear).",
                 .inputs = {In("X"), In("scales", "tensor(float)")},
                 .outputs = {Out("Y")},
                 .attributes = {Attr("mode", INFER_ATTR_STRING)},
                 .type_constraints = {Types("T", kAllTypes)},
                 .infer = InferResize});
  out.push_back({.op_type = "Resize",
                 .since_version = 10,
                 .doc = "Resizes by the scales input.",
                 .inputs = {In("X"), In("scales", "tensor(float)")},
                 .outputs = {Out("Y")},
                 .attributes = {Attr("mode", INFER_ATTR_STRING)},
                 .type_constraints = {Types("T", kAllTypes)},
                 .infer = InferResize});
  // 11 adds roi and sizes and the coordinate attributes, 13 bfloat16, 18
  // antialias/axes/keep_aspect_ratio_policy, 19 the half_pixel_symmetric mode.
  for (int64_t since : {11, 13, 18, 19}) {
    OpSchema s{
        .op_type = "Resize",
        .since_version = since,
        .doc = "Resizes to sizes, or by scales, along axes.",
        .inputs = {In("X", "T1"), Optional("roi", "T2"), Optional("scales", "tensor(float)"),
                   Optional("sizes", "tensor(int64)")},
        .outputs = {Out("Y", "T1")},
        .attributes = {Attr("coordinate_transformation_mode", INFER_ATTR_STRING),
                       Attr("cubic_coeff_a", INFER_ATTR_FLOAT),
                       Attr("exclude_outside", INFER_ATTR_INT),
                       Attr("extrapolation_value", INFER_ATTR_FLOAT),
                       Attr("mode", INFER_ATTR_STRING), Attr("nearest_mode", INFER_ATTR_STRING)},
        .type_constraints = {Types("T1", AllTypesAt(since)), Types("T2", kFloats)},
        .infer = InferResize};
    if (since >= 18) {
      s.attributes.push_back(Attr("antialias", INFER_ATTR_INT));
      s.attributes.push_back(Attr("axes", INFER_ATTR_INTS));
      s.attributes.push_back(Attr("keep_aspect_ratio_policy", INFER_ATTR_STRING));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
