// Flatten, Reshape, Concat, Transpose: ops that only move data around.
#include <algorithm>
#include <span>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferFlatten(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  if (!x.rank_known) {
    ctx.set_output_shape(0, DynamicShape(2));
    return absl::OkStatus();
  }
  // axis may equal the rank (output [N, 1]); negative axes are accepted for
  // every version, as onnxruntime does, though ONNX only allows them from 11.
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 1), x.rank(), true);
  if (!axis.ok()) return ctx.Error(axis.status());
  const std::span<const Dim> dims(x.dims);
  absl::StatusOr<Dim> outer = DimProduct(dims.first(*axis));
  absl::StatusOr<Dim> inner = DimProduct(dims.subspan(*axis));
  if (!outer.ok()) return ctx.Error(outer.status());
  if (!inner.ok()) return ctx.Error(inner.status());
  ctx.set_output_shape(0, RankedShape({*std::move(outer), *std::move(inner)}));
  return absl::OkStatus();
}

// A product of dimensions as a known factor times named unknown factors, so
// that "batch" on both sides of a Reshape cancels out.
struct Factors {
  int64_t known = 1;
  std::vector<std::string> symbols;
  bool anonymous = false;  // an unknown dimension without a name
};

absl::StatusOr<Factors> Factorize(std::span<const Dim> dims) {
  Factors f;
  for (const Dim& d : dims) {
    if (d.known()) {
      std::optional<int64_t> p = CheckedMul(f.known, d.value);
      if (!p) return absl::InvalidArgumentError("the element count overflows");
      f.known = *p;
    } else if (d.symbol.empty()) {
      f.anonymous = true;
    } else {
      f.symbols.push_back(d.symbol);
    }
  }
  return f;
}

// Fills in the -1 entry of `out` (if any) and checks that the element counts
// agree, as far as the known and named dimensions allow.
absl::Status ResolveReshape(const Shape& data, std::vector<Dim>& out,
                            std::optional<size_t> inferred) {
  if (!data.rank_known) return absl::OkStatus();
  std::vector<Dim> requested = out;
  if (inferred) requested.erase(requested.begin() + static_cast<std::ptrdiff_t>(*inferred));
  absl::StatusOr<Factors> in = Factorize(data.dims);
  absl::StatusOr<Factors> want = Factorize(requested);
  if (!in.ok()) return in.status();
  if (!want.ok()) return want.status();
  if (in->anonymous || want->anonymous) return absl::OkStatus();
  for (const std::string& s : want->symbols) {
    auto it = std::find(in->symbols.begin(), in->symbols.end(), s);
    if (it == in->symbols.end()) return absl::OkStatus();  // a new unknown: nothing to check
    in->symbols.erase(it);
  }
  const auto mismatch = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot reshape ", data.ToString(), " into ", RankedShape(out).ToString()));
  };
  if (!inferred) {
    if (in->symbols.empty() && in->known != want->known) return mismatch();
    return absl::OkStatus();
  }
  Dim& dim = out[*inferred];
  if (in->symbols.empty()) {
    // 0 elements into a shape with a 0 leaves -1 undetermined.
    if (want->known == 0) return in->known == 0 ? absl::OkStatus() : mismatch();
    if (in->known % want->known != 0) return mismatch();
    dim = KnownDim(in->known / want->known);
  } else if (in->symbols.size() == 1 && in->known == want->known) {
    dim = DynamicDim(in->symbols.front());
  }
  return absl::OkStatus();
}

absl::Status InferReshape(InferenceContext& ctx) {
  const Shape& data = ctx.input_shape(0);
  const Shape& shape_shape = ctx.input_shape(1);
  if (shape_shape.rank_known && shape_shape.rank() != 1) {
    return ctx.Error(absl::StrCat("shape must be 1-D, got ", shape_shape.ToString()));
  }
  const Tensor* shape = ctx.input_constant(1);
  if (shape == nullptr) {
    // Only the output rank is known, from the length of the shape input
    // (unless absurdly long: the declared shape is untrusted).
    constexpr int64_t kMaxRank = 1024;
    if (shape_shape.rank_known && shape_shape.dims[0].known() &&
        shape_shape.dims[0].value <= kMaxRank) {
      ctx.set_output_shape(0, DynamicShape(static_cast<size_t>(shape_shape.dims[0].value)));
    }
    return absl::OkStatus();
  }
  if (shape->dtype() != INFER_DTYPE_INT64 || shape->rank() != 1) {
    return ctx.Error("shape must be a 1-D int64 tensor");
  }
  const bool allow_zero = ctx.attr_int("allowzero", 0) != 0;
  const std::span<const int64_t> requested(shape->as<int64_t>(), shape->element_count());
  std::vector<Dim> out;
  std::optional<size_t> inferred;
  bool has_zero = false;
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t v = requested[i];
    if (v == -1) {
      if (inferred) return ctx.Error("shape has more than one -1");
      inferred = i;
      out.push_back(DynamicDim());
    } else if (v == 0 && !allow_zero) {
      // 0 copies the input dimension at the same index.
      if (data.rank_known && i >= data.rank()) {
        return ctx.Error(absl::StrCat("shape has 0 at index ", i, " but data ", data.ToString(),
                                      " has no such dimension"));
      }
      out.push_back(data.rank_known ? data.dims[i] : DynamicDim());
    } else if (v < 0) {
      return ctx.Error(absl::StrCat("shape has invalid entry ", v));
    } else {
      has_zero = has_zero || v == 0;
      out.push_back(KnownDim(v));
    }
  }
  if (has_zero && inferred) {
    return ctx.Error("with allowzero=1, shape must not contain both 0 and -1");
  }
  if (absl::Status s = ResolveReshape(data, out, inferred); !s.ok()) {
    return ctx.Error(s);
  }
  ctx.set_output_shape(0, RankedShape(std::move(out)));
  return absl::OkStatus();
}

// Joins tracked 1-D shape values (Unsqueeze -> Concat -> Reshape).
void PropagateConcatInts(InferenceContext& ctx) {
  std::vector<int64_t> values;
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    std::optional<IntData> in = InputInts(ctx, i);
    if (!in || in->shape.size() != 1) return;
    values.insert(values.end(), in->values.begin(), in->values.end());
  }
  if (values.size() > kMaxPropagatedElements) return;
  SetOutputInts(ctx, 0, {static_cast<int64_t>(values.size())}, values);
}

absl::Status InferConcat(InferenceContext& ctx) {
  // The first input of known rank fixes the rank and non-axis dimensions.
  const Shape* first = nullptr;
  for (size_t i = 0; i < ctx.input_count() && first == nullptr; ++i) {
    if (ctx.input_shape(i).rank_known) first = &ctx.input_shape(i);
  }
  if (first == nullptr) return absl::OkStatus();
  if (first->rank() == 0) return ctx.Error("cannot concatenate scalars");
  absl::StatusOr<size_t> axis = NormalizeAxis(ctx.attr_int("axis", 0), first->rank());
  if (!axis.ok()) return ctx.Error(axis.status());

  std::vector<Dim> dims = first->dims;
  std::vector<Dim> axis_dims;
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    const Shape& s = ctx.input_shape(i);
    if (!s.rank_known) {
      axis_dims.push_back(DynamicDim());
      continue;
    }
    if (s.rank() != first->rank()) {
      return ctx.Error(absl::StrCat("input ", i, " has shape ", s.ToString(), ", expected rank ",
                                    first->rank(), " like ", first->ToString()));
    }
    for (size_t d = 0; d < s.rank(); ++d) {
      if (d == *axis) continue;
      absl::StatusOr<Dim> merged = UnifyDims(dims[d], s.dims[d]);
      if (!merged.ok()) {
        return ctx.Error(absl::StrCat("input ", i, " has shape ", s.ToString(),
                                      ", which differs from ", first->ToString(), " outside axis ",
                                      *axis));
      }
      dims[d] = *std::move(merged);
    }
    axis_dims.push_back(s.dims[*axis]);
  }
  // Sum along the axis: known when all parts are; a single unknown part
  // (with every other part 0) keeps its symbol.
  int64_t total = 0;
  size_t unknown = 0;
  for (const Dim& d : axis_dims) {
    if (!d.known()) {
      ++unknown;
      continue;
    }
    std::optional<int64_t> sum = CheckedAdd(total, d.value);
    if (!sum) return ctx.Error("the concatenated dimension overflows");
    total = *sum;
  }
  if (unknown == 0) {
    dims[*axis] = KnownDim(total);
  } else if (unknown == 1 && total == 0) {
    dims[*axis] =
        *std::find_if(axis_dims.begin(), axis_dims.end(), [](const Dim& d) { return !d.known(); });
  } else {
    dims[*axis] = DynamicDim();
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  PropagateConcatInts(ctx);
  return absl::OkStatus();
}

absl::Status InferTranspose(InferenceContext& ctx) {
  const Shape& x = ctx.input_shape(0);
  const Attribute* perm_attr = ctx.attr("perm");
  if (!x.rank_known) {
    if (perm_attr != nullptr) ctx.set_output_shape(0, DynamicShape(perm_attr->ints.size()));
    return absl::OkStatus();
  }
  std::vector<int64_t> perm;
  if (perm_attr != nullptr) {
    perm = perm_attr->ints;
  } else {  // default: reverse the dimensions
    for (size_t i = x.rank(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
  }
  std::vector<bool> seen(x.rank(), false);
  const auto bad_perm = [&] {
    return ctx.Error(absl::StrCat("perm [", absl::StrJoin(perm, ","),
                                  "] is not a permutation of the axes of ", x.ToString()));
  };
  if (perm.size() != x.rank()) return bad_perm();
  std::vector<Dim> dims;
  for (int64_t p : perm) {
    if (p < 0 || static_cast<size_t>(p) >= x.rank() || seen[static_cast<size_t>(p)]) {
      return bad_perm();
    }
    seen[static_cast<size_t>(p)] = true;
    dims.push_back(x.dims[static_cast<size_t>(p)]);
  }
  ctx.set_output_shape(0, RankedShape(std::move(dims)));
  return absl::OkStatus();
}

}  // namespace

std::vector<OpSchema> TensorShapeSchemas() {
  std::vector<OpSchema> out;
  // Flatten: 9 accepts all types, 11 negative axes.
  for (int64_t since : {1, 9, 11, 13, 21}) {
    out.push_back({.op_type = "Flatten",
                   .since_version = since,
                   .doc = "Reshapes to 2-D: [d0*...*d(axis-1), d(axis)*...*dn].",
                   .inputs = {In("input")},
                   .outputs = {Out("output")},
                   .attributes = {Attr("axis", INFER_ATTR_INT)},
                   .type_constraints = {Types("T", since == 1 ? kFloats : AllTypesAt(since))},
                   .infer = InferFlatten});
  }
  // Reshape: 14 adds allowzero.
  for (int64_t since : {5, 13, 14, 19, 21}) {
    OpSchema s{.op_type = "Reshape",
               .since_version = since,
               .doc = "Reshapes data to the shape input (0 copies a dimension, -1 is inferred).",
               .inputs = {In("data"), In("shape", "tensor(int64)")},
               .outputs = {Out("reshaped")},
               .type_constraints = {Types("T", AllTypesAt(since))},
               .infer = InferReshape};
    if (since >= 14) s.attributes.push_back(Attr("allowzero", INFER_ATTR_INT));
    out.push_back(std::move(s));
  }
  // Concat: 11 allows negative axes.
  for (int64_t since : {4, 11, 13}) {
    out.push_back({.op_type = "Concat",
                   .since_version = since,
                   .doc = "Concatenates the inputs along axis.",
                   .inputs = {Variadic("inputs")},
                   .outputs = {Out("concat_result")},
                   .attributes = {RequiredAttr("axis", INFER_ATTR_INT)},
                   .type_constraints = {Types("T", AllTypesAt(since))},
                   .infer = InferConcat});
  }
  for (int64_t since : {1, 13, 21}) {
    out.push_back({.op_type = "Transpose",
                   .since_version = since,
                   .doc = "Permutes the dimensions (reverses them by default).",
                   .inputs = {In("data")},
                   .outputs = {Out("transposed")},
                   .attributes = {Attr("perm", INFER_ATTR_INTS)},
                   .type_constraints = {Types("T", AllTypesAt(since))},
                   .infer = InferTranspose});
  }
  return out;
}

}  // namespace infer::core::defs
