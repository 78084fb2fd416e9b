#include "kernels/gather.h"

#include <cstring>

#include "kernels/movement.h"

namespace infer::cpu {

Shape normalize_indices(const void* indices, infer_dtype dtype, size_t count, int64_t dim,
                        const char* what) {
  Shape out(count);
  for (size_t i = 0; i < count; ++i) {
    int64_t v = 0;
    if (dtype == INFER_DTYPE_INT64) {
      v = static_cast<const int64_t*>(indices)[i];
    } else if (dtype == INFER_DTYPE_INT32) {
      v = static_cast<const int32_t*>(indices)[i];
    } else {
      fail_input(str_cat(what, " must be int32 or int64, got ", plugin::dtype_name(dtype)));
    }
    if (v < -dim || v >= dim) {
      fail_input(str_cat(what, " value ", v, " is out of range for an axis of size ", dim));
    }
    out[i] = v < 0 ? v + dim : v;
  }
  return out;
}

Shape gather_shape(ShapeSpan data, ShapeSpan indices, int64_t axis) {
  if (data.empty()) fail_input("Gather needs data of rank >= 1");
  const size_t a = normalize_axis(axis, data.size());
  Shape out(data.begin(), data.begin() + a);
  out.insert(out.end(), indices.begin(), indices.end());
  out.insert(out.end(), data.begin() + a + 1, data.end());
  numel(out);
  return out;
}

void gather(const void* data, ShapeSpan data_shape, const void* indices, infer_dtype index_dtype,
            ShapeSpan indices_shape, int64_t axis, void* out, size_t elem_size) {
  const size_t a = normalize_axis(axis, data_shape.size());
  const int64_t dim = data_shape[a];
  const Shape idx = normalize_indices(indices, index_dtype,
                                      static_cast<size_t>(numel(indices_shape)), dim, "index");
  const int64_t outer = dims_product(data_shape, 0, a);
  const size_t block =
      static_cast<size_t>(dims_product(data_shape, a + 1, data_shape.size())) * elem_size;
  if (block == 0) return;
  const auto* src = static_cast<const std::byte*>(data);
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i : idx) {
      std::memcpy(dst, src + static_cast<size_t>(o * dim + i) * block, block);
      dst += block;
    }
  }
}

void check_gather_elements(ShapeSpan data, ShapeSpan indices, int64_t axis) {
  if (data.empty()) fail_input("GatherElements needs data of rank >= 1");
  const size_t a = normalize_axis(axis, data.size());
  bool ok = indices.size() == data.size();
  for (size_t k = 0; ok && k < data.size(); ++k) ok = k == a || indices[k] <= data[k];
  if (!ok) {
    fail_input(str_cat("indices ", shape_str(indices), " do not fit data ", shape_str(data),
                       " (same rank, no larger dimension outside axis ", a, ")"));
  }
}

void gather_elements(const void* data, ShapeSpan data_shape, const void* indices,
                     infer_dtype index_dtype, ShapeSpan indices_shape, int64_t axis, void* out,
                     size_t elem_size) {
  check_gather_elements(data_shape, indices_shape, axis);
  const size_t a = normalize_axis(axis, data_shape.size());
  const size_t count = static_cast<size_t>(numel(indices_shape));
  const Shape idx = normalize_indices(indices, index_dtype, count, data_shape[a], "index");
  const Shape strides = dense_strides(data_shape);
  const auto* src = static_cast<const std::byte*>(data);
  auto* dst = static_cast<std::byte*>(out);
  const size_t rank = data_shape.size();
  Shape pos(rank, 0);
  int64_t base = 0;  // data offset of pos with pos[a] ignored
  for (size_t i = 0; i < count; ++i) {
    std::memcpy(dst + i * elem_size, src + (base + idx[i] * strides[a]) * int64_t(elem_size),
                elem_size);
    for (size_t k = rank; k-- > 0;) {  // odometer over the indices' shape
      if (k != a) base += strides[k];
      if (++pos[k] < indices_shape[k]) break;
      if (k != a) base -= strides[k] * indices_shape[k];
      pos[k] = 0;
    }
  }
}

Shape gather_nd_shape(ShapeSpan data, ShapeSpan indices, int64_t batch_dims) {
  const auto r = static_cast<int64_t>(data.size()), q = static_cast<int64_t>(indices.size());
  if (batch_dims < 0 || batch_dims >= std::min(r, q)) {
    fail_input(str_cat("batch_dims ", batch_dims, " must be in [0, min(rank(data), rank(indices)))",
                       " for data ", shape_str(data), " and indices ", shape_str(indices)));
  }
  const int64_t m = indices.back();
  if (m < 1 || m > r - batch_dims) {
    fail_input(str_cat("the last dimension of indices ", shape_str(indices), " must be in [1, ",
                       r - batch_dims, "]"));
  }
  for (int64_t b = 0; b < batch_dims; ++b) {
    if (data[b] != indices[b]) {
      fail_input(str_cat("batch dimension ", b, " differs: data ", shape_str(data), ", indices ",
                         shape_str(indices)));
    }
  }
  Shape out(indices.begin(), indices.end() - 1);
  out.insert(out.end(), data.begin() + batch_dims + m, data.end());
  numel(out);
  return out;
}

void gather_nd(const void* data, ShapeSpan data_shape, const int64_t* indices,
               ShapeSpan indices_shape, int64_t batch_dims, void* out, size_t elem_size) {
  gather_nd_shape(data_shape, indices_shape, batch_dims);
  const auto b = static_cast<size_t>(batch_dims);
  const auto m = static_cast<size_t>(indices_shape.back());
  const int64_t batches = dims_product(data_shape, 0, b);
  // Per batch: `tuples` index tuples, each selecting a block of data.
  const int64_t tuples = dims_product(indices_shape, b, indices_shape.size() - 1);
  const int64_t block = dims_product(data_shape, b + m, data_shape.size());
  const int64_t batch_size = dims_product(data_shape, b, data_shape.size());
  const Shape strides = dense_strides(data_shape);
  const size_t block_bytes = static_cast<size_t>(block) * elem_size;
  const auto* src = static_cast<const std::byte*>(data);
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t n = 0; n < batches; ++n) {
    for (int64_t t = 0; t < tuples; ++t, indices += m) {
      int64_t off = n * batch_size;
      for (size_t k = 0; k < m; ++k) {
        const int64_t dim = data_shape[b + k];
        int64_t v = indices[k];
        if (v < -dim || v >= dim) {
          fail_input(str_cat("index ", v, " is out of range for data dimension ", b + k,
                             " of size ", dim));
        }
        off += (v < 0 ? v + dim : v) * strides[b + k];
      }
      if (block_bytes) std::memcpy(dst, src + off * static_cast<int64_t>(elem_size), block_bytes);
      dst += block_bytes;
    }
  }
}

}  // namespace infer::cpu
