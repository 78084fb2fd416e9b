// Split: cuts the input along axis into the outputs, by `split` sizes
// (attribute before 13, input after) or evenly (num_outputs from 18).
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

// Part sizes when the axis size `dim` is known; error if they cannot add up.
absl::StatusOr<std::vector<int64_t>> EvenSplit(const InferenceContext& ctx, int64_t dim,
                                               size_t parts) {
  const auto n = static_cast<int64_t>(parts);
  if (ctx.opset() < 18) {
    if (dim % n != 0) {
      return ctx.Error(absl::StrCat("axis size ", dim, " does not split evenly into ", n));
    }
    return std::vector<int64_t>(parts, dim / n);
  }
  // From 18 the last part may be smaller: ceil(dim / n) each, the rest last.
  const int64_t chunk = (dim + n - 1) / n;
  if (chunk * (n - 1) > dim) {
    return ctx.Error(absl::StrCat("axis size ", dim, " cannot be split into ", n, " parts"));
  }
  std::vector<int64_t> out(parts, chunk);
  out.back() = dim - chunk * (n - 1);
  return out;
}

absl::Status InferSplit(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  const size_t parts = ctx.output_count();
  if (ctx.opset() >= 18 && !ctx.has_input(1)) {
    const int64_t n = ctx.attr_int("num_outputs", -1);
    if (n < 0) return ctx.Error("needs either the split input or num_outputs");
    if (static_cast<size_t>(n) != parts) {
      return ctx.Error(absl::StrCat("num_outputs is ", n, " but the node has ", parts, " outputs"));
    }
  }
  if (!x.rank_known) return absl::OkStatus();
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 0), x.rank());
  if (!axis.ok()) return ctx.Error(axis.status());
  const AxesArg split = ReadAxesArg(ctx, "split", 1, 13);  // an int list like axes
  std::vector<Dim> part_dims(parts, DynamicDim());
  if (split.present && !split.known) {
    // Sizes come at run time: the axis stays unknown in every output.
  } else if (split.present && !split.values.empty()) {
    if (split.values.size() != parts) {
      return ctx.Error(
          absl::StrCat("split has ", split.values.size(), " entries for ", parts, " outputs"));
    }
    int64_t total = 0;
    for (int64_t v : split.values) {
      if (v < 0) return ctx.Error(absl::StrCat("split has negative entry ", v));
      std::optional<int64_t> sum = CheckedAdd(total, v);
      if (!sum) return ctx.Error("split overflows");
      total = *sum;
    }
    const Dim& d = x.dims[*axis];
    if (d.known() && d.value != total) {
      return ctx.Error(absl::StrCat("split [", absl::StrJoin(split.values, ","), "] adds up to ",
                                    total, ", but axis ", *axis, " of ", x.ToString(), " has ",
                                    d.value));
    }
    for (size_t i = 0; i < parts; ++i) part_dims[i] = KnownDim(split.values[i]);
  } else if (x.dims[*axis].known()) {
    absl::StatusOr<std::vector<int64_t>> sizes = EvenSplit(ctx, x.dims[*axis].value, parts);
    if (!sizes.ok()) return sizes.status();
    for (size_t i = 0; i < parts; ++i) part_dims[i] = KnownDim((*sizes)[i]);
  }
  for (size_t i = 0; i < parts; ++i) {
    std::vector<Dim> dims = x.dims;
    dims[*axis] = part_dims[i];
    ctx.set_output_shape(i, RankedShape(std::move(dims)));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> SplitSchemas() {
  std::vector<OpSchema> out;
  // 11 allows a negative axis, 13 moves split to an input and adds
  // bfloat16, 18 adds num_outputs (uneven last part).
  for (int64_t since : {2, 11, 13, 18}) {
    OpSchema s{.op_type = "Split",
               .since_version = since,
               .doc = "Splits the input along axis into the outputs.",
               .inputs = {In("input")},
               .outputs = {Variadic("outputs")},
               .attributes = {Attr("axis", INFER_ATTR_INT)},
               .type_constraints = {Types("T", AllTypesAt(since))},
               .infer = InferSplit};
    if (since < 13) {
      s.attributes.push_back(Attr("split", INFER_ATTR_INTS));
    } else {
      s.inputs.push_back(Optional("split", "tensor(int64)"));
    }
    if (since >= 18) s.attributes.push_back(Attr("num_outputs", INFER_ATTR_INT));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace infer::core::defs
