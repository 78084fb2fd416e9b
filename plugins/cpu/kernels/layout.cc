#include "kernels/layout.h"

#include <cstring>

namespace infer::cpu {

Shape flatten_shape(ShapeSpan in, int64_t axis) {
  const auto rank = static_cast<int64_t>(in.size());
  if (axis < -rank || axis > rank) {
    fail_input(str_cat("axis ", axis, " is out of range for rank ", rank));
  }
  const auto a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  return {dims_product(in, 0, a), dims_product(in, a, in.size())};
}

Shape reshape_shape(ShapeSpan in, std::span<const int64_t> requested, bool allowzero) {
  const int64_t count = numel(in);
  Shape out(requested.begin(), requested.end());
  size_t infer_at = out.size();
  int64_t known = 1;  // product of the dimensions other than -1
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      if (infer_at != out.size()) {
        fail_input(str_cat("shape ", shape_str(requested), " has more than one -1"));
      }
      infer_at = i;
      continue;
    }
    if (out[i] < -1) {
      fail_input(str_cat("shape ", shape_str(requested), " has invalid dimension ", out[i]));
    }
    if (out[i] == 0 && !allowzero) {
      if (i >= in.size()) {
        fail_input(str_cat("shape ", shape_str(requested), " copies dimension ", i,
                           " (0) but the input ", shape_str(in), " has rank ", in.size()));
      }
      out[i] = in[i];
    }
    known = checked_mul(known, out[i]);
  }
  if (infer_at != out.size()) {
    // With allowzero a 0 stays 0, so -1 could be anything.
    if (known == 0) {
      fail_input(str_cat("cannot infer -1 in shape ", shape_str(requested), " for input ",
                         shape_str(in), ": the other dimensions have 0 elements"));
    }
    if (count % known != 0) {
      fail_input(str_cat("cannot reshape input ", shape_str(in), " (", count, " elements) to ",
                         shape_str(requested)));
    }
    out[infer_at] = count / known;
  } else if (known != count) {
    fail_input(str_cat("cannot reshape input ", shape_str(in), " (", count, " elements) to ",
                       shape_str(requested), " (", known, " elements)"));
  }
  return out;
}

Shape concat_shape(std::span<const ShapeSpan> inputs, int64_t axis) {
  if (inputs.empty()) fail_input("Concat needs at least one input");
  const ShapeSpan first = inputs[0];
  if (first.empty()) fail_input("cannot concatenate scalars");
  const size_t a = normalize_axis(axis, first.size());
  Shape out(first.begin(), first.end());
  for (size_t i = 1; i < inputs.size(); ++i) {
    const ShapeSpan s = inputs[i];
    bool ok = s.size() == first.size();
    for (size_t d = 0; ok && d < s.size(); ++d) ok = d == a || s[d] == first[d];
    if (!ok) {
      fail_input(str_cat("input ", i, " has shape ", shape_str(s),
                         ", which does not match input 0 ", shape_str(first), " outside axis ", a));
    }
    out[a] = checked_add(out[a], s[a]);
  }
  numel(out);
  return out;
}

void concat(std::span<const void* const> inputs, std::span<const ShapeSpan> shapes, int64_t axis,
            size_t elem_size, void* out) {
  const size_t a = normalize_axis(axis, shapes[0].size());
  const int64_t outer = dims_product(shapes[0], 0, a);
  // Each input contributes one contiguous chunk per outer index.
  std::vector<size_t> chunk(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    chunk[i] = static_cast<size_t>(dims_product(shapes[i], a, shapes[i].size())) * elem_size;
  }
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (chunk[i] == 0) continue;
      std::memcpy(dst, static_cast<const std::byte*>(inputs[i]) + static_cast<size_t>(o) * chunk[i],
                  chunk[i]);
      dst += chunk[i];
    }
  }
}

}  // namespace infer::cpu
