#include "ops/binary.h"

#include <algorithm>

namespace infer::cpu {

void check_same_dtype(const Tensor& a, size_t a_index, const Tensor& b, size_t b_index) {
  if (a.dtype != b.dtype) {
    fail_input(str_cat("input ", b_index, " has type ", plugin::dtype_name(b.dtype), " but input ",
                       a_index, " has type ", plugin::dtype_name(a.dtype),
                       "; they must be the same"));
  }
}

Broadcasting Broadcasting::read(const OpContext& ctx) {
  Broadcasting bc;
  if (ctx.opset < 7) {
    if (!attr_bool(ctx, "broadcast", false)) {
      bc.kind_ = kNone;
    } else if (has_attr(ctx, "axis")) {
      bc.kind_ = kLegacyAxis;
      bc.axis_ = attr_int(ctx, "axis", 0);
      if (bc.axis_ < 0) {
        fail(INFER_UNIMPLEMENTED, "negative legacy broadcast axis is not supported");
      }
    } else {
      bc.kind_ = kLegacySuffix;
    }
  }
  return bc;
}

Shape Broadcasting::b_shape(ShapeSpan a, ShapeSpan b) const {
  switch (kind_) {
    case kNumpy:
      return Shape(b.begin(), b.end());
    case kNone:
      if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) {
        fail_input(str_cat("shapes ", shape_str(a), " and ", shape_str(b),
                           " differ and attribute 'broadcast' is not set"));
      }
      return Shape(b.begin(), b.end());
    case kLegacyAxis:
    case kLegacySuffix:
      break;
  }
  const auto ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
  const int64_t axis = kind_ == kLegacySuffix ? ra - rb : axis_;
  if (axis < 0 || axis + rb > ra) {
    fail_input(
        str_cat("cannot broadcast ", shape_str(b), " onto ", shape_str(a), " at axis ", axis));
  }
  Shape aligned(a.size(), 1);
  std::copy(b.begin(), b.end(), aligned.begin() + axis);
  broadcast_strides(aligned, a);  // throws unless B broadcasts onto A
  return aligned;
}

}  // namespace infer::cpu
