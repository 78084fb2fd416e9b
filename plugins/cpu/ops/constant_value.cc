#include "ops/constant_value.h"

#include <cstring>

namespace infer::cpu {

ConstantValue tensor_attr_value(const OpContext& ctx, const char* name) {
  const std::optional<infer_attr_view> a = ctx.node.attr(name);
  if (!a || a->type != INFER_ATTR_TENSOR) {
    fail_attr(str_cat("attribute '", name, "' must be a tensor"));
  }
  const infer_tensor_view& t = a->tensor;
  ConstantValue v{t.dtype, Shape(t.shape, t.shape + t.rank), {}};
  if (t.rank && !t.shape) fail_attr(str_cat("attribute '", name, "' has a rank but no shape"));
  if (t.dtype >= 32 || !(kAnyFixed & dtype_bit(t.dtype))) {
    fail(INFER_UNIMPLEMENTED,
         str_cat("attribute '", name, "' has type ", plugin::dtype_name(t.dtype),
                 ", the cpu backend supports fixed-size types"));
  }
  const auto nbytes =
      static_cast<size_t>(checked_mul(numel(v.shape), int64_t(plugin::dtype_size(t.dtype))));
  if (nbytes != t.nbytes || (nbytes && !t.data)) {
    fail_attr(str_cat("attribute '", name, "' holds ", t.nbytes, " bytes, its shape ",
                      shape_str(v.shape), " needs ", nbytes));
  }
  v.bytes.resize(nbytes);
  if (nbytes) std::memcpy(v.bytes.data(), t.data, nbytes);
  return v;
}

}  // namespace infer::cpu
