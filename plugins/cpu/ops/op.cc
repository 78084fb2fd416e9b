// The operator registry (generated from kernel_list.inc) and helpers shared by the ops.
#include "ops/op.h"

#include <algorithm>
#include <cstring>

namespace infer::cpu {

namespace {

constinit const OpDesc* const kOps[] = {
#define INFER_CPU_OP(name) &kOp##name,
#include "kernel_list.inc"
#include "kernel_list_fused.inc"
#include "kernel_list_layout.inc"
#undef INFER_CPU_OP
};

std::optional<infer_attr_view> typed_attr(const OpContext& ctx, const char* name,
                                          infer_attr_type type, const char* type_name) {
  std::optional<infer_attr_view> a = ctx.node.attr(name);
  if (a && a->type != type) {
    fail_attr(str_cat("attribute '", name, "' must be of type ", type_name));
  }
  return a;
}

}  // namespace

const OpDesc* find_op(std::string_view domain, std::string_view op_type) {
  if (domain == "ai.onnx") domain = "";
  for (const OpDesc* d : kOps) {
    if (op_type == d->op_type && domain == d->domain) return d;
  }
  return nullptr;
}

DtypeMask allowed_dtypes(const OpDesc& desc, size_t input) {
  DtypeMask last = 0;
  for (size_t i = 0; i < desc.input_dtypes.size() && desc.input_dtypes[i]; ++i) {
    last = desc.input_dtypes[i];
    if (i == input) return last;
  }
  return last;
}

std::string dtype_mask_str(DtypeMask mask) {
  if (mask == kAnyFixed) return "any fixed-size type";
  std::string s;
  for (unsigned t = 0; t < 32; ++t) {
    if (!(mask & (DtypeMask{1} << t))) continue;
    if (!s.empty()) s += " or ";
    s += plugin::dtype_name(static_cast<infer_dtype>(t));
  }
  return s;
}

std::optional<size_t> OpContext::input_rank(size_t i) const {
  if (!node.has_input(i)) return std::nullopt;
  const infer_value_info info = node.value(node.input(i));
  if (info.rank == INFER_RANK_UNKNOWN) return std::nullopt;
  return info.rank;
}

void check_node(const OpDesc& desc, const OpContext& ctx) {
  const plugin::NodeView& node = ctx.node;
  // Trailing absent optional inputs do not count.
  size_t n_in = node.input_count();
  while (n_in > 0 && node.input(n_in - 1) == INFER_NO_VALUE) --n_in;
  if (n_in < desc.min_inputs || n_in > desc.max_inputs) {
    fail_attr(
        desc.min_inputs == desc.max_inputs
            ? str_cat("expects ", desc.min_inputs, " inputs, got ", n_in)
            : str_cat("expects ", desc.min_inputs, " to ", desc.max_inputs, " inputs, got ", n_in));
  }
  for (size_t i = 0; i < n_in; ++i) {
    if (node.input(i) == INFER_NO_VALUE) {
      if (i < desc.min_inputs) fail_attr(str_cat("required input ", i, " is missing"));
      continue;
    }
    const infer_dtype t = node.value(node.input(i)).dtype;
    const DtypeMask allowed = allowed_dtypes(desc, i);
    // Unknown types are checked again at run time.
    if (t != INFER_DTYPE_UNDEFINED &&
        !(static_cast<unsigned>(t) < 32 && (allowed & dtype_bit(t)))) {
      fail(INFER_UNIMPLEMENTED, str_cat("input ", i, " has type ", plugin::dtype_name(t),
                                        ", the cpu backend supports ", dtype_mask_str(allowed)));
    }
  }
  for (size_t i = desc.max_outputs; i < node.output_count(); ++i) {
    if (node.output(i) != INFER_NO_VALUE) {
      fail(INFER_UNIMPLEMENTED, str_cat("output ", i, " is not supported by the cpu backend"));
    }
  }
  // Optional outputs may be omitted (e.g. LSTM used only for Y_h), but a node with no output
  // at all computes nothing anyone can read.
  bool any_output = false;
  for (size_t i = 0; i < node.output_count(); ++i) any_output |= node.output(i) != INFER_NO_VALUE;
  if (!any_output) {
    fail_attr("the node has no outputs");
  }
  if (desc.check) desc.check(ctx);
}

void copy_to_output(KernelContext& ctx, const Tensor& x, ShapeSpan shape) {
  const size_t nbytes = static_cast<size_t>(numel(x.shape)) * plugin::dtype_size(x.dtype);
  void* out = ctx.allocate_output(0, x.dtype, shape);
  if (nbytes) std::memcpy(out, x.data, nbytes);
}

int64_t attr_int(const OpContext& ctx, const char* name, int64_t fallback) {
  auto a = typed_attr(ctx, name, INFER_ATTR_INT, "int");
  return a ? a->i : fallback;
}

float attr_float(const OpContext& ctx, const char* name, float fallback) {
  auto a = typed_attr(ctx, name, INFER_ATTR_FLOAT, "float");
  return a ? a->f : fallback;
}

std::string attr_string(const OpContext& ctx, const char* name, const std::string& fallback) {
  auto a = typed_attr(ctx, name, INFER_ATTR_STRING, "string");
  return a ? std::string(a->s, a->s_len) : fallback;
}

Shape attr_ints(const OpContext& ctx, const char* name) {
  auto a = typed_attr(ctx, name, INFER_ATTR_INTS, "ints");
  return a ? Shape(a->ints, a->ints + a->count) : Shape{};
}

bool attr_bool(const OpContext& ctx, const char* name, bool fallback) {
  const int64_t v = attr_int(ctx, name, fallback ? 1 : 0);
  if (v != 0 && v != 1) fail_attr(str_cat("attribute '", name, "' must be 0 or 1, got ", v));
  return v == 1;
}

bool has_attr(const OpContext& ctx, const char* name) { return ctx.node.attr(name).has_value(); }

WindowParams read_window_attrs(const OpContext& ctx, bool kernel_shape_required) {
  WindowParams p;
  p.kernel_shape = attr_ints(ctx, "kernel_shape");
  if (kernel_shape_required && p.kernel_shape.empty()) {
    fail_attr("attribute 'kernel_shape' is required");
  }
  p.strides = attr_ints(ctx, "strides");
  p.dilations = attr_ints(ctx, "dilations");
  p.pads = attr_ints(ctx, "pads");
  p.auto_pad = parse_auto_pad(attr_string(ctx, "auto_pad", "NOTSET"));
  p.ceil_mode = attr_bool(ctx, "ceil_mode", false);
  // Sizes are validated now if the spatial rank is known, otherwise at the first run.
  validate_window(p, spatial_rank(ctx, p.kernel_shape));
  return p;
}

size_t spatial_rank(const OpContext& ctx, ShapeSpan kernel_shape) {
  size_t rank = kernel_shape.size();
  for (size_t i = 0; i < 2 && !rank; ++i) {
    if (std::optional<size_t> r = ctx.input_rank(i); r && *r >= 2) rank = *r - 2;
  }
  return rank;
}

void check_window_rank(const OpContext& ctx) {
  size_t rank = attr_ints(ctx, "kernel_shape").size();
  if (std::optional<size_t> r = ctx.input_rank(0); r && *r >= 2) rank = std::max(rank, *r - 2);
  if (rank > kMaxSpatialRank) {
    fail(INFER_UNIMPLEMENTED, str_cat("spatial rank ", rank,
                                      " is not supported by the cpu backend "
                                      "(1-D to ",
                                      kMaxSpatialRank, "-D)"));
  }
}

}  // namespace infer::cpu
