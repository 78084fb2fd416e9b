#include "kernels/select.h"

#include <algorithm>
#include <cstring>

#include "kernels/movement.h"

namespace infer::cpu {

void trilu(const void* in, ShapeSpan shape, int64_t k, bool upper, void* out, size_t elem_size) {
  if (shape.size() < 2) fail_input(str_cat("Trilu expects rank >= 2, got ", shape_str(shape)));
  const int64_t rows = shape[shape.size() - 2], cols = shape.back();
  const int64_t mats = dims_product(shape, 0, shape.size() - 2);
  const auto* src = static_cast<const std::byte*>(in);
  auto* dst = static_cast<std::byte*>(out);
  const size_t row_bytes = static_cast<size_t>(cols) * elem_size;
  // Clamp k so that i + k cannot overflow; beyond +-(rows + cols) nothing changes.
  const int64_t kk = std::clamp<int64_t>(k, -(rows + cols), rows + cols);
  for (int64_t m = 0; m < mats; ++m) {
    for (int64_t i = 0; i < rows; ++i) {
      const size_t base = static_cast<size_t>(m * rows + i) * row_bytes;
      // Kept columns: [i + k, cols) for upper, [0, i + k] for lower.
      const int64_t first = upper ? std::clamp<int64_t>(i + kk, 0, cols) : 0;
      const int64_t last = upper ? cols : std::clamp<int64_t>(i + kk + 1, 0, cols);
      std::memset(dst + base, 0, row_bytes);
      if (last > first) {
        std::memcpy(dst + base + static_cast<size_t>(first) * elem_size,
                    src + base + static_cast<size_t>(first) * elem_size,
                    static_cast<size_t>(last - first) * elem_size);
      }
    }
  }
}

std::vector<int64_t> nonzero(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t* count) {
  const int64_t n = numel(shape);
  std::vector<int64_t> flat;  // flat offsets of the non-zero elements
  const bool ok = visit_dtype<kAnyFixed>(dtype, [&]<typename T>(T) {
    const T* x = static_cast<const T*>(in);
    for (int64_t i = 0; i < n; ++i) {
      if (load(x[i]) != compute_t<T>(0)) flat.push_back(i);  // NaN counts, -0.0 does not
    }
  });
  if (!ok) fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  const Shape dims = shape.empty() ? Shape{1} : Shape(shape.begin(), shape.end());
  const size_t rank = dims.size();
  const auto nnz = static_cast<int64_t>(flat.size());
  const Shape strides = dense_strides(dims);
  std::vector<int64_t> coords(rank * flat.size());
  for (size_t j = 0; j < flat.size(); ++j) {
    int64_t rest = flat[j];
    for (size_t d = 0; d < rank; ++d) {
      coords[d * flat.size() + j] = rest / strides[d];
      rest %= strides[d];
    }
  }
  *count = nnz;
  return coords;
}

Shape compress_shape(ShapeSpan in, const bool* condition, int64_t cond_len,
                     std::optional<int64_t> axis) {
  const int64_t dim = axis ? in[normalize_axis(*axis, in.size())] : numel(in);
  int64_t kept = 0;
  for (int64_t i = 0; i < cond_len; ++i) {
    if (!condition[i]) continue;
    if (i >= dim) {
      fail_input(str_cat("condition selects index ", i, " past the end of an axis of size ", dim));
    }
    ++kept;
  }
  if (!axis) return {kept};
  Shape out(in.begin(), in.end());
  out[normalize_axis(*axis, in.size())] = kept;
  return out;
}

void compress(const void* in, ShapeSpan in_shape, const bool* condition, int64_t cond_len,
              std::optional<int64_t> axis, void* out, size_t elem_size) {
  compress_shape(in_shape, condition, cond_len, axis);
  int64_t outer = 1, dim = numel(in_shape), inner = 1;
  if (axis) {
    const size_t a = normalize_axis(*axis, in_shape.size());
    outer = dims_product(in_shape, 0, a);
    dim = in_shape[a];
    inner = dims_product(in_shape, a + 1, in_shape.size());
  }
  const size_t block = static_cast<size_t>(inner) * elem_size;
  const auto* src = static_cast<const std::byte*>(in);
  auto* dst = static_cast<std::byte*>(out);
  const int64_t n = std::min(cond_len, dim);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < n; ++i) {
      if (!condition[i]) continue;
      std::memcpy(dst, src + static_cast<size_t>(o * dim + i) * block, block);
      dst += block;
    }
  }
}

void reverse_sequence(const void* in, ShapeSpan shape, const int64_t* lens, ShapeSpan lens_shape,
                      int64_t time_axis, int64_t batch_axis, void* out, size_t elem_size) {
  if (shape.size() < 2) {
    fail_input(str_cat("ReverseSequence expects rank >= 2, got ", shape_str(shape)));
  }
  const auto t_axis = static_cast<size_t>(time_axis), b_axis = static_cast<size_t>(batch_axis);
  const int64_t steps = shape[t_axis], batch = shape[b_axis];
  if (lens_shape.size() != 1 || lens_shape[0] != batch) {
    fail_input(str_cat("sequence_lens must have shape [", batch, "], got ", shape_str(lens_shape)));
  }
  for (int64_t b = 0; b < batch; ++b) {
    if (lens[b] < 0 || lens[b] > steps) {
      fail_input(str_cat("sequence_lens[", b, "] = ", lens[b], " is outside [0, ", steps, "]"));
    }
  }
  const size_t total = static_cast<size_t>(numel(shape)) * elem_size;
  if (total) std::memcpy(out, in, total);
  const Shape strides = dense_strides(shape);
  const size_t block = static_cast<size_t>(dims_product(shape, 2, shape.size())) * elem_size;
  const auto* src = static_cast<const std::byte*>(in);
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t t = 0; t < lens[b]; ++t) {
      const int64_t from = b * strides[b_axis] + t * strides[t_axis];
      const int64_t to = b * strides[b_axis] + (lens[b] - 1 - t) * strides[t_axis];
      std::memcpy(dst + static_cast<size_t>(to) * elem_size,
                  src + static_cast<size_t>(from) * elem_size, block);
    }
  }
}

}  // namespace infer::cpu
