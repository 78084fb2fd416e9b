#include "kernels/scatter.h"

#include <algorithm>
#include <cstring>

#include "kernels/gather.h"
#include "kernels/movement.h"
#include "kernels/wrapping.h"

namespace infer::cpu {
namespace {

template <typename T>
T combine(T a, T b, ScatterReduction r) {
  using C = compute_t<T>;
  const C x = load(a), y = load(b);
  switch (r) {
    case ScatterReduction::kNone:
      return b;
    case ScatterReduction::kAdd:
      return store<T>(wrapping_add(x, y));
    case ScatterReduction::kMul:
      return store<T>(wrapping_mul(x, y));
    case ScatterReduction::kMax:
      return store<T>(std::max(x, y));
    case ScatterReduction::kMin:
      return store<T>(std::min(x, y));
  }
  return b;
}

// Calls fn(T{}) with the element type of dtype; every fixed-size type is supported.
template <typename Fn>
void visit_any(infer_dtype dtype, Fn&& fn) {
  if (!visit_dtype<kAnyFixed>(dtype, fn)) {
    fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  }
}

void copy_data(const void* data, ShapeSpan shape, void* out, size_t elem_size) {
  const size_t n = static_cast<size_t>(numel(shape)) * elem_size;
  if (n) std::memcpy(out, data, n);
}

}  // namespace

std::optional<ScatterReduction> parse_scatter_reduction(std::string_view s) {
  if (s == "none") return ScatterReduction::kNone;
  if (s == "add") return ScatterReduction::kAdd;
  if (s == "mul") return ScatterReduction::kMul;
  if (s == "max") return ScatterReduction::kMax;
  if (s == "min") return ScatterReduction::kMin;
  return std::nullopt;
}

void scatter_elements(infer_dtype dtype, const void* data, ShapeSpan data_shape,
                      const void* indices, infer_dtype index_dtype, ShapeSpan indices_shape,
                      const void* updates, ShapeSpan updates_shape, int64_t axis,
                      ScatterReduction reduction, void* out) {
  if (!std::equal(indices_shape.begin(), indices_shape.end(), updates_shape.begin(),
                  updates_shape.end())) {
    fail_input(str_cat("updates ", shape_str(updates_shape), " and indices ",
                       shape_str(indices_shape), " must have the same shape"));
  }
  check_gather_elements(data_shape, indices_shape, axis);
  const size_t a = normalize_axis(axis, data_shape.size());
  const size_t count = static_cast<size_t>(numel(indices_shape));
  const Shape idx = normalize_indices(indices, index_dtype, count, data_shape[a], "index");
  const Shape strides = dense_strides(data_shape);
  const size_t rank = data_shape.size();
  visit_any(dtype, [&]<typename T>(T) {
    copy_data(data, data_shape, out, sizeof(T));
    T* y = static_cast<T*>(out);
    const T* u = static_cast<const T*>(updates);
    Shape pos(rank, 0);
    int64_t base = 0;  // output offset of pos with pos[a] ignored
    for (size_t i = 0; i < count; ++i) {
      T& dst = y[base + idx[i] * strides[a]];
      dst = combine(dst, u[i], reduction);
      for (size_t k = rank; k-- > 0;) {
        if (k != a) base += strides[k];
        if (++pos[k] < indices_shape[k]) break;
        if (k != a) base -= strides[k] * indices_shape[k];
        pos[k] = 0;
      }
    }
  });
}

void scatter_nd(infer_dtype dtype, const void* data, ShapeSpan data_shape, const int64_t* indices,
                ShapeSpan indices_shape, const void* updates, ShapeSpan updates_shape,
                ScatterReduction reduction, void* out) {
  if (indices_shape.empty()) fail_input("ScatterND needs indices of rank >= 1");
  const int64_t k = indices_shape.back();
  if (k < 1 || k > static_cast<int64_t>(data_shape.size())) {
    fail_input(str_cat("the last dimension of indices ", shape_str(indices_shape),
                       " must be in [1, ", data_shape.size(), "]"));
  }
  Shape expected(indices_shape.begin(), indices_shape.end() - 1);
  expected.insert(expected.end(), data_shape.begin() + k, data_shape.end());
  if (!std::equal(expected.begin(), expected.end(), updates_shape.begin(), updates_shape.end())) {
    fail_input(str_cat("updates ", shape_str(updates_shape), " must have shape ",
                       shape_str(expected), " for data ", shape_str(data_shape), " and indices ",
                       shape_str(indices_shape)));
  }
  const int64_t tuples = dims_product(indices_shape, 0, indices_shape.size() - 1);
  const int64_t block = dims_product(data_shape, static_cast<size_t>(k), data_shape.size());
  const Shape strides = dense_strides(data_shape);
  visit_any(dtype, [&]<typename T>(T) {
    copy_data(data, data_shape, out, sizeof(T));
    T* y = static_cast<T*>(out);
    const T* u = static_cast<const T*>(updates);
    for (int64_t t = 0; t < tuples; ++t) {
      int64_t off = 0;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t dim = data_shape[j], v = indices[t * k + j];
        if (v < -dim || v >= dim) {
          fail_input(
              str_cat("index ", v, " is out of range for data dimension ", j, " of size ", dim));
        }
        off += (v < 0 ? v + dim : v) * strides[j];
      }
      for (int64_t e = 0; e < block; ++e)
        y[off + e] = combine(y[off + e], u[t * block + e], reduction);
    }
  });
}

void tensor_scatter(const void* cache, ShapeSpan cache_shape, const void* update,
                    ShapeSpan update_shape, const int64_t* write_indices,
                    ShapeSpan write_indices_shape, int64_t axis, bool circular, void* out,
                    size_t elem_size) {
  if (cache_shape.size() < 2) {
    fail_input(str_cat("past_cache must have rank >= 2, got ", shape_str(cache_shape)));
  }
  const size_t a = normalize_axis(axis, cache_shape.size());
  if (a == 0) fail_input("axis must not be the batch axis 0");
  bool ok = update_shape.size() == cache_shape.size();
  for (size_t d = 0; ok && d < cache_shape.size(); ++d) {
    ok = d == a ? update_shape[d] <= cache_shape[d] : update_shape[d] == cache_shape[d];
  }
  if (!ok) {
    fail_input(str_cat("update ", shape_str(update_shape), " does not fit past_cache ",
                       shape_str(cache_shape), " along axis ", a));
  }
  const int64_t batch = cache_shape[0];
  if (write_indices && (write_indices_shape.size() != 1 || write_indices_shape[0] != batch)) {
    fail_input(str_cat("write_indices must have shape [", batch, "], got ",
                       shape_str(write_indices_shape)));
  }
  copy_data(cache, cache_shape, out, elem_size);
  const int64_t max_len = cache_shape[a], len = update_shape[a];
  const int64_t per_batch = dims_product(cache_shape, 1, a);  // prefixes after the batch index
  const int64_t inner = dims_product(cache_shape, a + 1, cache_shape.size());
  const size_t row = static_cast<size_t>(inner) * elem_size;
  const auto* src = static_cast<const std::byte*>(update);
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t w = write_indices ? write_indices[b] : 0;
    if (!circular && (w < 0 || w > max_len - len)) {
      fail_input(str_cat("write index ", w, " of batch ", b, " with ", len,
                         " updates overflows the cache axis of size ", max_len));
    }
    if (circular && max_len == 0 && len > 0) fail_input("cannot write into an empty cache axis");
    // In circular mode, start from w mod max_len so that w + s cannot overflow.
    const int64_t start = circular && max_len > 0 ? ((w % max_len) + max_len) % max_len : w;
    for (int64_t p = 0; p < per_batch; ++p) {
      const int64_t prefix = b * per_batch + p;
      for (int64_t s = 0; s < len; ++s) {
        const int64_t c = circular ? (start + s) % max_len : start + s;
        if (row) {
          std::memcpy(dst + static_cast<size_t>(prefix * max_len + c) * row,
                      src + static_cast<size_t>(prefix * len + s) * row, row);
        }
      }
    }
  }
}

}  // namespace infer::cpu
