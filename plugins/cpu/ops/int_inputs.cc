#include "ops/int_inputs.h"

namespace infer::cpu {

Shape ints_of(const Tensor& t, const char* what) {
  if (t.shape.size() > 1) {
    fail_input(str_cat(what, " must be a 1-D tensor, got shape ", shape_str(t.shape)));
  }
  const auto n = static_cast<size_t>(numel(t.shape));
  Shape v(n);
  if (t.dtype == INFER_DTYPE_INT64) {
    for (size_t i = 0; i < n; ++i) v[i] = t.as<int64_t>()[i];
  } else if (t.dtype == INFER_DTYPE_INT32) {
    for (size_t i = 0; i < n; ++i) v[i] = t.as<int32_t>()[i];
  } else {
    fail_input(str_cat(what, " must be int32 or int64, got ", plugin::dtype_name(t.dtype)));
  }
  return v;
}

int64_t int_scalar_of(const Tensor& t, const char* what) {
  const Shape v = ints_of(t, what);
  if (v.size() != 1) {
    fail_input(str_cat(what, " must have one element, got shape ", shape_str(t.shape)));
  }
  return v[0];
}

std::optional<Shape> optional_ints(const KernelContext& ctx, size_t i, const char* what) {
  if (i >= ctx.input_count() || !ctx.input(i).present()) return std::nullopt;
  return ints_of(ctx.input(i), what);
}

}  // namespace infer::cpu
