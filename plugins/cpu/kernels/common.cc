#include "kernels/common.h"

#include <algorithm>

namespace infer::cpu {

void fail(infer_status_code code, const std::string& message) {
  throw plugin::PluginError(code, message);
}

void fail_input(const std::string& message) { fail(INFER_INVALID_ARGUMENT, message); }

void fail_attr(const std::string& message) { fail(INFER_INVALID_MODEL, message); }

std::string shape_str(ShapeSpan shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    fail(INFER_RESOURCE_EXHAUSTED, str_cat("size overflow: ", a, " * ", b));
  }
  return r;
}

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    fail(INFER_RESOURCE_EXHAUSTED, str_cat("size overflow: ", a, " + ", b));
  }
  return r;
}

int64_t dims_product(ShapeSpan shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end; ++i) {
    if (shape[i] < 0) fail_input(str_cat("negative dimension in shape ", shape_str(shape)));
    n = checked_mul(n, shape[i]);
  }
  return n;
}

int64_t numel(ShapeSpan shape) { return dims_product(shape, 0, shape.size()); }

size_t normalize_axis(int64_t axis, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    fail_input(str_cat("axis ", axis, " is out of range for rank ", rank));
  }
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

Shape broadcast_shapes(ShapeSpan a, ShapeSpan b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Right-aligned: missing leading dimensions count as 1.
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      fail_input(str_cat("shapes ", shape_str(a), " and ", shape_str(b), " do not broadcast"));
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Shape broadcast_strides(ShapeSpan in, ShapeSpan out) {
  if (in.size() > out.size()) {
    fail_input(str_cat("cannot broadcast ", shape_str(in), " to ", shape_str(out)));
  }
  const size_t lead = out.size() - in.size();
  Shape strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t i = in.size(); i-- > 0;) {
    if (in[i] == out[lead + i]) {
      strides[lead + i] = in[i] == 1 ? 0 : stride;
    } else if (in[i] != 1) {
      fail_input(str_cat("cannot broadcast ", shape_str(in), " to ", shape_str(out)));
    }
    stride = checked_mul(stride, in[i]);
  }
  return strides;
}

}  // namespace infer::cpu
