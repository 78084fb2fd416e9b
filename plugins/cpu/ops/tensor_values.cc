#include "ops/tensor_values.h"

namespace infer::cpu {

namespace {

void check_scalar(const Tensor& t, const char* what) {
  if (numel(t.shape) != 1) {
    fail_input(str_cat(what, " must be a scalar, got shape ", shape_str(t.shape)));
  }
}

}  // namespace

int64_t scalar_int(const Tensor& t, const char* what) {
  check_scalar(t, what);
  int64_t v = 0;
  const bool ok = visit_dtype<kInts>(t.dtype, [&]<typename T>(T) {
    const T x = *t.as<T>();
    if constexpr (std::is_same_v<T, uint64_t>) {
      if (x > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail_input(str_cat(what, " is too large"));
      }
    }
    v = static_cast<int64_t>(x);
  });
  if (!ok) {
    fail_input(str_cat(what, " must be an integer, got ", plugin::dtype_name(t.dtype)));
  }
  return v;
}

double scalar_float(const Tensor& t, const char* what) {
  check_scalar(t, what);
  double v = 0;
  const bool ok = visit_dtype<kFloats>(
      t.dtype, [&]<typename T>(T) { v = static_cast<double>(load(*t.as<T>())); });
  if (!ok) fail_input(str_cat(what, " must be a float, got ", plugin::dtype_name(t.dtype)));
  return v;
}

infer_dtype dtype_attr(const OpContext& ctx, const char* name, infer_dtype fallback,
                       DtypeMask allowed) {
  const int64_t v = attr_int(ctx, name, fallback);
  // ONNX numbers its data types from 1 (float) to 26 so far.
  if (v <= 0 || v > 26) fail_attr(str_cat("attribute '", name, "' is not a data type: ", v));
  if (v >= 32 || !(allowed & dtype_bit(static_cast<infer_dtype>(v)))) {
    fail(INFER_UNIMPLEMENTED, str_cat("attribute '", name, "' asks for data type ", v,
                                      ", the cpu backend supports ", dtype_mask_str(allowed)));
  }
  return static_cast<infer_dtype>(v);
}

namespace {

void check_type(size_t i, infer_dtype t, DtypeMask mask) {
  if (t != INFER_DTYPE_UNDEFINED && !(static_cast<unsigned>(t) < 32 && (mask & dtype_bit(t)))) {
    fail(INFER_UNIMPLEMENTED, str_cat("input ", i, " has type ", plugin::dtype_name(t),
                                      ", the cpu backend supports ", dtype_mask_str(mask)));
  }
}

}  // namespace

void check_input_types(const OpContext& ctx, std::initializer_list<DtypeMask> masks) {
  size_t i = 0;
  for (DtypeMask m : masks) {
    if (ctx.node.has_input(i)) check_type(i, ctx.node.value(ctx.node.input(i)).dtype, m);
    ++i;
  }
}

void check_input_types(const KernelContext& ctx, std::initializer_list<DtypeMask> masks) {
  size_t i = 0;
  for (DtypeMask m : masks) {
    if (i < ctx.input_count() && ctx.input(i).present()) {
      const infer_dtype t = ctx.input(i).dtype;
      if (!(static_cast<unsigned>(t) < 32 && (m & dtype_bit(t)))) {
        fail_input(str_cat("input ", i, " has type ", plugin::dtype_name(t), ", expected ",
                           dtype_mask_str(m)));
      }
    }
    ++i;
  }
}

}  // namespace infer::cpu
