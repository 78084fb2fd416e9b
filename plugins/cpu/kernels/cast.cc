#include "kernels/cast.h"

#include <cstring>

#include "kernels/convert.h"

namespace infer::cpu {

void cast_elements(infer_dtype from, const void* x, infer_dtype to, void* y, int64_t n,
                   bool saturate) {
  if (from == to) {
    if (n) std::memcpy(y, x, static_cast<size_t>(n) * plugin::dtype_size(from));
    return;
  }
  bool done = false;
  visit_dtype<kAnyFixed | kFloat8>(from, [&](auto from_tag) {
    using From = decltype(from_tag);
    done = visit_dtype<kAnyFixed | kFloat8>(to, [&](auto to_tag) {
      using To = decltype(to_tag);
      const auto* src = static_cast<const From*>(x);
      auto* dst = static_cast<To*>(y);
      if constexpr (is_float8_v<To>) {
        for (int64_t i = 0; i < n; ++i) {
          dst[i] = To{float_to_float8(To::kFormat, static_cast<float>(load(src[i])), saturate)};
        }
      } else {
        for (int64_t i = 0; i < n; ++i) dst[i] = convert_to<To>(load(src[i]));
      }
    });
  });
  if (!done) {
    fail(INFER_UNIMPLEMENTED, str_cat("cast from ", plugin::dtype_name(from), " to ",
                                      plugin::dtype_name(to), " is not supported"));
  }
}

}  // namespace infer::cpu
