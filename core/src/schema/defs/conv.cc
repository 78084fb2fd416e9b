// Conv: N x C x D1... convolved with M x C/group x k1... gives N x M x O1...
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/conv_matmul_shapes.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Number of spatial axes, from X, W or kernel_shape, whichever is known.
absl::StatusOr<std::optional<size_t>> SpatialRank(const InferenceContext& ctx,
                                                  const ConvOperands& in) {
  const Shape& x = ctx.input_shape(in.x);
  const Shape& w = ctx.input_shape(in.w);
  if (x.rank_known && x.rank() < 3) {
    return ctx.Error(absl::StrCat("X has shape ", x.ToString(),
                                  ", expected at least 3 dimensions (N x C x D1 ...)"));
  }
  if (w.rank_known && w.rank() < 3) {
    return ctx.Error(absl::StrCat("W has shape ", w.ToString(),
                                  ", expected at least 3 dimensions (M x C/group x k1 ...)"));
  }
  if (x.rank_known && w.rank_known && x.rank() != w.rank()) {
    return ctx.Error(
        absl::StrCat("X ", x.ToString(), " and W ", w.ToString(), " must have the same rank"));
  }
  std::optional<size_t> n;
  if (x.rank_known) n = x.rank() - 2;
  if (w.rank_known) n = w.rank() - 2;
  if (const Attribute* k = ctx.attr("kernel_shape")) {
    if (n && k->ints.size() != *n) {
      return ctx.Error(
          absl::StrCat("kernel_shape has ", k->ints.size(), " values for ", *n, " spatial axes"));
    }
    n = k->ints.size();
  }
  return n;
}

// kernel_shape, or W's spatial sizes when it is absent; the two must agree.
absl::StatusOr<std::optional<std::vector<int64_t>>> KernelShape(const InferenceContext& ctx,
                                                                const Shape& w, size_t n) {
  std::optional<std::vector<int64_t>> kernel;
  if (const Attribute* k = ctx.attr("kernel_shape")) kernel = k->ints;
  if (!w.rank_known) return kernel;
  std::vector<int64_t> from_w;
  for (size_t i = 0; i < n; ++i) {
    const Dim& d = w.dims[2 + i];
    if (!d.known()) return kernel;
    from_w.push_back(d.value);
  }
  if (kernel && *kernel != from_w) {
    return ctx.Error(absl::StrCat("kernel_shape [", absl::StrJoin(*kernel, ","),
                                  "] does not match W ", w.ToString()));
  }
  return from_w;
}

absl::Status CheckChannels(const InferenceContext& ctx, const ConvOperands& in, int64_t group) {
  const Shape& x = ctx.input_shape(in.x);
  const Shape& w = ctx.input_shape(in.w);
  const Dim c = x.rank_known ? x.dims[1] : DynamicDim();
  if (c.known() && c.value % group != 0) {
    return ctx.Error(absl::StrCat("X has ", c.value, " channels, not divisible by group ", group));
  }
  if (!w.rank_known) return absl::OkStatus();
  const Dim& m = w.dims[0];
  if (m.known() && m.value % group != 0) {
    return ctx.Error(
        absl::StrCat("W has ", m.value, " output channels, not divisible by group ", group));
  }
  const Dim& c_per_group = w.dims[1];
  if (c.known() && c_per_group.known() && c_per_group.value != c.value / group) {
    return ctx.Error(absl::StrCat("W ", w.ToString(), " has ", c_per_group.value,
                                  " input channels per group, expected C / group = ", c.value,
                                  " / ", group));
  }
  if (in.b && ctx.has_input(*in.b) && ctx.input_shape(*in.b).rank_known) {
    const Shape& b = ctx.input_shape(*in.b);
    if (b.rank() != 1 || !UnifyDims(b.dims[0], m).ok()) {
      return ctx.Error(
          absl::StrCat("B has shape ", b.ToString(), ", expected [M] for W ", w.ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status InferConv(InferenceContext& ctx) { return InferConvShape(ctx, ConvOperands{}); }

}  // namespace

absl::Status InferConvShape(InferenceContext& ctx, const ConvOperands& in) {
  const int64_t group = ctx.attr_int("group", 1);
  if (group <= 0) return ctx.Error(absl::StrCat("group must be positive, got ", group));
  absl::StatusOr<std::optional<size_t>> n = SpatialRank(ctx, in);
  if (!n.ok()) return n.status();
  if (absl::Status s = CheckChannels(ctx, in, group); !s.ok()) return s;
  if (!n->has_value()) return absl::OkStatus();  // rank unknown: output stays unknown
  const size_t spatial = **n;

  absl::StatusOr<std::optional<std::vector<int64_t>>> kernel =
      KernelShape(ctx, ctx.input_shape(in.w), spatial);
  if (!kernel.ok()) return kernel.status();
  // Without a kernel size the attributes are still checked; sizes stay dynamic.
  const bool kernel_known = kernel->has_value();
  absl::StatusOr<ConvPoolGeometry> geometry = ReadConvPoolGeometry(
      ctx, kernel_known ? **std::move(kernel) : std::vector<int64_t>(spatial, 1));
  if (!geometry.ok()) return geometry.status();

  const Shape& x = ctx.input_shape(in.x);
  const Shape& w = ctx.input_shape(in.w);
  std::vector<Dim> dims = {x.rank_known ? x.dims[0] : DynamicDim(),
                           w.rank_known ? w.dims[0] : DynamicDim()};
  if (x.rank_known && kernel_known) {
    absl::StatusOr<std::vector<Dim>> out =
        ConvPoolSpatialDims(*geometry, std::span(x.dims).subspan(2));
    if (!out.ok()) return ctx.Error(out.status());
    dims.insert(dims.end(), out->begin(), out->end());
  } else {
    dims.resize(2 + spatial);
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

std::vector<OpSchema> ConvSchemas() {
  std::vector<OpSchema> out;
  // 11 only clarified the default pads and kernel_shape inference from W.
  for (int64_t since : {1, 11}) {
    out.push_back({.op_type = "Conv",
                   .since_version = since,
                   .doc = "N-D convolution with optional bias.",
                   .inputs = {In("X"), In("W"), Optional("B")},
                   .outputs = {Out("Y")},
                   .attributes = ConvPoolAttrs({Attr("dilations", INFER_ATTR_INTS),
                                                Attr("group", INFER_ATTR_INT),
                                                Attr("kernel_shape", INFER_ATTR_INTS)}),
                   .type_constraints = {Types("T", kFloats)},
                   .infer = InferConv});
  }
  return out;
}

}  // namespace infer::core::defs
