#include "schema/shape_helpers.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"

namespace infer::core {

std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

absl::StatusOr<Dim> DimProduct(std::span<const Dim> dims) {
  // A known 0 makes the product 0 whatever the other dimensions are.
  if (std::any_of(dims.begin(), dims.end(), [](const Dim& d) { return d.value == 0; })) {
    return KnownDim(0);
  }
  int64_t known = 1;
  const Dim* unknown = nullptr;
  size_t unknown_count = 0;
  for (const Dim& d : dims) {
    if (!d.known()) {
      unknown = &d;
      ++unknown_count;
      continue;
    }
    std::optional<int64_t> product = CheckedMul(known, d.value);
    if (!product) return absl::InvalidArgumentError("the product of the dimensions overflows");
    known = *product;
  }
  if (unknown_count == 0) return KnownDim(known);
  if (unknown_count == 1 && known == 1) return *unknown;
  return DynamicDim();
}

absl::StatusOr<Dim> UnifyDims(const Dim& a, const Dim& b) {
  if (a.known() && b.known()) {
    if (a.value != b.value) {
      return absl::InvalidArgumentError(absl::StrCat("dimension ", a.value, " vs ", b.value));
    }
    return a;
  }
  if (a.known()) return a;
  if (b.known()) return b;
  return a.symbol.empty() ? b : a;
}

absl::StatusOr<Dim> BroadcastDim(const Dim& a, const Dim& b) {
  if (a.known() && b.known()) {
    if (a.value == b.value || b.value == 1) return a;
    if (a.value == 1) return b;
    return absl::InvalidArgumentError(absl::StrCat("dimension ", a.value, " vs ", b.value));
  }
  if (a.known()) return a.value == 1 ? b : a;
  if (b.known()) return b.value == 1 ? a : b;
  // Two unknowns are only known to agree when they carry the same symbol.
  if (!a.symbol.empty() && a.symbol == b.symbol) return a;
  return DynamicDim();
}

absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  if (!a.rank_known || !b.rank_known) return Shape::Unknown();
  const size_t rank = std::max(a.rank(), b.rank());
  std::vector<Dim> dims(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Right-aligned: a missing leading dimension behaves like 1.
    const Dim one = KnownDim(1);
    const Dim& da = i < rank - a.rank() ? one : a.dims[i - (rank - a.rank())];
    const Dim& db = i < rank - b.rank() ? one : b.dims[i - (rank - b.rank())];
    absl::StatusOr<Dim> d = BroadcastDim(da, db);
    if (!d.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("shapes ", a.ToString(), " and ", b.ToString(),
                                                     " cannot be broadcast (", d.status().message(),
                                                     ")"));
    }
    dims[i] = *std::move(d);
  }
  return RankedShape(std::move(dims));
}

absl::StatusOr<size_t> NormalizeAxis(int64_t axis, size_t rank, bool end_inclusive) {
  const auto r = static_cast<int64_t>(rank);
  const int64_t last = end_inclusive ? r : r - 1;
  if (axis < -r || axis > last) {
    return absl::InvalidArgumentError(
        absl::StrCat("axis ", axis, " is out of range [", -r, ", ", last, "] for rank ", rank));
  }
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

absl::Status CheckUnidirectionalBroadcast(const Shape& from, const Shape& to) {
  if (!from.rank_known || !to.rank_known) return absl::OkStatus();
  if (from.rank() > to.rank()) {
    return absl::InvalidArgumentError(
        absl::StrCat("shape ", from.ToString(), " has more dimensions than ", to.ToString()));
  }
  const size_t offset = to.rank() - from.rank();
  for (size_t i = 0; i < from.rank(); ++i) {
    const Dim& f = from.dims[i];
    const Dim& t = to.dims[offset + i];
    if (f.known() && t.known() && f.value != 1 && f.value != t.value) {
      return absl::InvalidArgumentError(
          absl::StrCat("shape ", from.ToString(), " cannot be broadcast to ", to.ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status SameShapeAsInput(InferenceContext& ctx) {
  if (ctx.input_count() == 0) return absl::OkStatus();
  for (size_t i = 0; i < ctx.output_count(); ++i) ctx.set_output_shape(i, ctx.input_shape(0));
  return absl::OkStatus();
}

absl::Status CheckScalarInput(const InferenceContext& ctx, size_t i, const char* name) {
  if (!ctx.has_input(i) || !ctx.input_shape(i).rank_known) return absl::OkStatus();
  absl::StatusOr<Dim> count = DimProduct(ctx.input_shape(i).dims);
  if (!count.ok()) return ctx.Error(count.status());
  if (count->known() && count->value != 1) {
    return ctx.Error(
        absl::StrCat(name, " must be a scalar, got shape ", ctx.input_shape(i).ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<size_t>> NormalizeAxes(std::span<const int64_t> axes, size_t rank) {
  std::vector<size_t> out;
  std::vector<bool> seen(rank, false);
  for (int64_t a : axes) {
    absl::StatusOr<size_t> axis = NormalizeAxis(a, rank);
    if (!axis.ok()) return axis.status();
    if (seen[*axis]) return absl::InvalidArgumentError(absl::StrCat("axis ", a, " is repeated"));
    seen[*axis] = true;
    out.push_back(*axis);
  }
  return out;
}

AxesArg ReadAxesArg(const InferenceContext& ctx, const char* attr, size_t input,
                    int64_t input_since) {
  AxesArg out;
  if (ctx.opset() < input_since) {
    const Attribute* a = ctx.attr(attr);
    out.present = a != nullptr;
    if (a != nullptr) out.values = a->ints;
    return out;
  }
  out.present = ctx.has_input(input);
  if (!out.present) return out;
  std::optional<IntData> data = InputInts(ctx, input);
  out.known = data.has_value();
  if (data) out.values = std::move(data->values);
  return out;
}

std::optional<std::vector<int64_t>> KnownDims(std::span<const Dim> dims) {
  std::vector<int64_t> out;
  for (const Dim& d : dims) {
    if (!d.known()) return std::nullopt;
    out.push_back(d.value);
  }
  return out;
}

std::optional<IntData> InputInts(const InferenceContext& ctx, size_t i) {
  if (!ctx.has_input(i)) return std::nullopt;
  const Tensor* t = ctx.input_constant(i);
  if (t == nullptr || t->element_count() > kMaxPropagatedElements) return std::nullopt;
  IntData out{t->shape(), {}};
  if (t->dtype() == INFER_DTYPE_INT64) {
    out.values.assign(t->as<int64_t>(), t->as<int64_t>() + t->element_count());
  } else if (t->dtype() == INFER_DTYPE_INT32) {
    out.values.assign(t->as<int32_t>(), t->as<int32_t>() + t->element_count());
  } else {
    return std::nullopt;
  }
  return out;
}

void SetOutputInts(InferenceContext& ctx, size_t i, std::vector<int64_t> shape,
                   std::span<const int64_t> values) {
  const infer_dtype dtype = ctx.output_type(i);
  absl::StatusOr<TensorPtr> t = Tensor::Allocate(dtype, std::move(shape));
  if (!t.ok() || (*t)->element_count() != values.size()) return;
  if (dtype == INFER_DTYPE_INT64) {
    std::copy(values.begin(), values.end(), static_cast<int64_t*>((*t)->data()));
  } else if (dtype == INFER_DTYPE_INT32) {
    auto* out = static_cast<int32_t*>((*t)->data());
    for (int64_t v : values) {
      // Values that do not fit stay untracked rather than wrap.
      if (v < INT32_MIN || v > INT32_MAX) return;
      *out++ = static_cast<int32_t>(v);
    }
  } else {
    return;
  }
  ctx.set_output_constant(i, *std::move(t));
}

void PropagateIntsReshaped(InferenceContext& ctx) {
  std::optional<IntData> in = InputInts(ctx, 0);
  std::optional<std::vector<int64_t>> shape = KnownDims(ctx.output_shape(0).dims);
  if (!in || !shape || !ctx.output_shape(0).rank_known) return;
  SetOutputInts(ctx, 0, *std::move(shape), in->values);
}

void PropagateIntsBinary(InferenceContext& ctx,
                         std::optional<int64_t> (*fn)(int64_t a, int64_t b)) {
  std::optional<IntData> a = InputInts(ctx, 0);
  std::optional<IntData> b = InputInts(ctx, 1);
  if (!a || !b) return;
  const size_t rank = std::max(a->shape.size(), b->shape.size());
  // Right-align both shapes, padding with 1s.
  const auto padded = [rank](const std::vector<int64_t>& s) {
    std::vector<int64_t> out(rank - s.size(), 1);
    out.insert(out.end(), s.begin(), s.end());
    return out;
  };
  const std::vector<int64_t> sa = padded(a->shape);
  const std::vector<int64_t> sb = padded(b->shape);
  std::vector<int64_t> shape(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (sa[d] != sb[d] && sa[d] != 1 && sb[d] != 1) return;
    shape[d] = sa[d] == 1 ? sb[d] : sa[d];
  }
  absl::StatusOr<size_t> count = ElementCount(shape);
  if (!count.ok() || *count > kMaxPropagatedElements) return;
  std::vector<int64_t> values(*count);
  std::vector<int64_t> index(rank, 0);
  for (size_t n = 0; n < *count; ++n) {
    // Offsets into a and b for the output index, with broadcast dims fixed at 0.
    size_t ia = 0;
    size_t ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia = ia * static_cast<size_t>(sa[d]) + (sa[d] == 1 ? 0 : static_cast<size_t>(index[d]));
      ib = ib * static_cast<size_t>(sb[d]) + (sb[d] == 1 ? 0 : static_cast<size_t>(index[d]));
    }
    std::optional<int64_t> v = fn(a->values[ia], b->values[ib]);
    if (!v) return;
    values[n] = *v;
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  SetOutputInts(ctx, 0, std::move(shape), values);
}

namespace {

absl::StatusOr<AutoPad> ParseAutoPad(const std::string& s) {
  if (s == "NOTSET" || s.empty()) return AutoPad::kNotSet;
  if (s == "VALID") return AutoPad::kValid;
  if (s == "SAME_UPPER") return AutoPad::kSameUpper;
  if (s == "SAME_LOWER") return AutoPad::kSameLower;
  return absl::InvalidArgumentError(
      absl::StrCat("auto_pad '", s, "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER"));
}

// Reads an INTS attribute that needs `count` values, each >= `min_value`.
absl::StatusOr<std::vector<int64_t>> ReadPerAxis(const InferenceContext& ctx, const char* name,
                                                 size_t count, int64_t fallback,
                                                 int64_t min_value) {
  std::vector<int64_t> values = ctx.attr_ints(name, std::vector<int64_t>(count, fallback));
  if (values.size() != count) {
    return ctx.Error(absl::StrCat(name, " has ", values.size(), " values, expected ", count));
  }
  for (int64_t v : values) {
    if (v < min_value) {
      return ctx.Error(absl::StrCat(name, " must be >= ", min_value, ", got ", v));
    }
  }
  return values;
}

int64_t EffectiveKernel(const ConvPoolGeometry& g, size_t axis) {
  // Both factors were validated and bounded by ReadConvPoolGeometry.
  return (g.kernel[axis] - 1) * g.dilations[axis] + 1;
}

}  // namespace

absl::StatusOr<ConvPoolGeometry> ReadConvPoolGeometry(const InferenceContext& ctx,
                                                      std::vector<int64_t> kernel) {
  ConvPoolGeometry g;
  const size_t n = kernel.size();
  for (int64_t k : kernel) {
    if (k <= 0) return ctx.Error(absl::StrCat("kernel sizes must be positive, got ", k));
  }
  g.kernel = std::move(kernel);
  absl::StatusOr<std::vector<int64_t>> strides = ReadPerAxis(ctx, "strides", n, 1, 1);
  if (!strides.ok()) return strides.status();
  g.strides = *std::move(strides);
  absl::StatusOr<std::vector<int64_t>> dilations = ReadPerAxis(ctx, "dilations", n, 1, 1);
  if (!dilations.ok()) return dilations.status();
  g.dilations = *std::move(dilations);
  absl::StatusOr<std::vector<int64_t>> pads = ReadPerAxis(ctx, "pads", 2 * n, 0, 0);
  if (!pads.ok()) return pads.status();
  g.pads = *std::move(pads);
  absl::StatusOr<AutoPad> auto_pad = ParseAutoPad(ctx.attr_string("auto_pad", "NOTSET"));
  if (!auto_pad.ok()) return ctx.Error(auto_pad.status());
  g.auto_pad = *auto_pad;
  const int64_t ceil_mode = ctx.attr_int("ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1) {
    return ctx.Error(absl::StrCat("ceil_mode must be 0 or 1, got ", ceil_mode));
  }
  g.ceil_mode = ceil_mode == 1;
  for (size_t i = 0; i < n; ++i) {
    // Bound the effective kernel so later arithmetic cannot overflow.
    std::optional<int64_t> span = CheckedMul(g.kernel[i] - 1, g.dilations[i]);
    if (!span || *span > (int64_t{1} << 40)) {
      return ctx.Error("kernel_shape and dilations give an effective kernel that is too large");
    }
  }
  return g;
}

absl::StatusOr<int64_t> ConvPoolOutputSize(const ConvPoolGeometry& g, size_t axis, int64_t in) {
  const int64_t stride = g.strides[axis];
  // SAME_* pads so that out = ceil(in / stride); ceil_mode does not apply.
  if (g.auto_pad == AutoPad::kSameUpper || g.auto_pad == AutoPad::kSameLower) {
    return in == 0 ? 0 : (in - 1) / stride + 1;
  }
  // With auto_pad set, explicit pads are ignored (as onnxruntime does).
  const bool explicit_pads = g.auto_pad == AutoPad::kNotSet;
  const int64_t pad_begin = explicit_pads ? g.pads[axis] : 0;
  const int64_t pad_end = explicit_pads ? g.pads[axis + g.kernel.size()] : 0;
  std::optional<int64_t> padded = CheckedAdd(in, pad_begin);
  if (padded) padded = CheckedAdd(*padded, pad_end);
  if (!padded) return absl::InvalidArgumentError("input size plus pads overflows");
  const int64_t kernel = EffectiveKernel(g, axis);
  if (*padded < kernel) {
    return absl::InvalidArgumentError(
        absl::StrCat("spatial axis ", axis, ": the kernel (effective size ", kernel,
                     ") is larger than the padded input (", *padded, ")"));
  }
  const int64_t span = *padded - kernel;
  // The spec's VALID formula has no ceil_mode; the CPU backend agrees.
  if (!g.ceil_mode || !explicit_pads) return span / stride + 1;
  const int64_t steps = span / stride + (span % stride != 0 ? 1 : 0);
  // A last window that would start inside the end padding is dropped
  // (onnxruntime, PyTorch, and the ONNX reference implementation agree).
  // Overflow here means the start lies far beyond the input.
  const std::optional<int64_t> last_start = CheckedMul(steps, stride);
  const std::optional<int64_t> input_end = CheckedAdd(in, pad_begin);
  const bool in_end_padding = !last_start || !input_end || *last_start >= *input_end;
  return in_end_padding ? steps : steps + 1;
}

absl::StatusOr<std::vector<Dim>> ConvPoolSpatialDims(const ConvPoolGeometry& g,
                                                     std::span<const Dim> input_spatial) {
  std::vector<Dim> out;
  out.reserve(input_spatial.size());
  for (size_t axis = 0; axis < input_spatial.size(); ++axis) {
    const Dim& in = input_spatial[axis];
    if (in.known()) {
      absl::StatusOr<int64_t> size = ConvPoolOutputSize(g, axis, in.value);
      if (!size.ok()) return size.status();
      out.push_back(KnownDim(*size));
      continue;
    }
    // Stride 1 with "same" padding keeps an unknown size, and so its symbol.
    const std::optional<int64_t> total_pad =
        CheckedAdd(g.pads[axis], g.pads[axis + g.kernel.size()]);
    const bool same_pad =
        g.auto_pad == AutoPad::kSameUpper || g.auto_pad == AutoPad::kSameLower ||
        (g.auto_pad == AutoPad::kNotSet && total_pad && *total_pad + 1 == EffectiveKernel(g, axis));
    out.push_back(g.strides[axis] == 1 && same_pad ? in : DynamicDim());
  }
  return out;
}

}  // namespace infer::core
