#include "kernels/generate.h"

#include <cmath>
#include <cstring>
#include <random>

namespace infer::cpu {
namespace {

template <typename Fn>
void visit_numeric(infer_dtype dtype, Fn&& fn) {
  if (!visit_dtype<kNumeric>(dtype, fn)) {
    fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  }
}

// One element of a numeric dtype as double (exact for every integer up to 2^53).
double scalar_as_double(infer_dtype dtype, const void* p) {
  double v = 0;
  visit_numeric(dtype, [&]<typename T>(T) {
    T x;
    std::memcpy(&x, p, sizeof(T));
    v = static_cast<double>(load(x));
  });
  return v;
}

}  // namespace

void fill_elements(const void* value, size_t elem_size, int64_t count, void* out) {
  auto* dst = static_cast<std::byte*>(out);
  for (int64_t i = 0; i < count; ++i, dst += elem_size) std::memcpy(dst, value, elem_size);
}

int64_t range_count(infer_dtype dtype, const void* start, const void* limit, const void* delta) {
  constexpr int64_t kMaxCount = int64_t{1} << 48;
  int64_t count = 0;
  if (dtype == INFER_DTYPE_INT64 || dtype == INFER_DTYPE_INT32 || dtype == INFER_DTYPE_INT16 ||
      dtype == INFER_DTYPE_INT8 || dtype == INFER_DTYPE_UINT8 || dtype == INFER_DTYPE_UINT16 ||
      dtype == INFER_DTYPE_UINT32) {
    // Integers: exact ceil((limit - start) / delta); the span's magnitude fits in uint64.
    auto get = [&](const void* p) {
      int64_t v = 0;
      visit_dtype<kSignedInts | kU8 | kU16 | kU32>(dtype, [&]<typename T>(T) {
        T x;
        std::memcpy(&x, p, sizeof(T));
        v = static_cast<int64_t>(x);
      });
      return v;
    };
    const int64_t s = get(start), l = get(limit), d = get(delta);
    if (d == 0) fail_input("Range delta must not be 0");
    if ((l > s) != (d > 0) || l == s) return 0;
    const uint64_t span = d > 0 ? static_cast<uint64_t>(l) - static_cast<uint64_t>(s)
                                : static_cast<uint64_t>(s) - static_cast<uint64_t>(l);
    const uint64_t step = d > 0 ? static_cast<uint64_t>(d) : 0 - static_cast<uint64_t>(d);
    const uint64_t n = span / step + (span % step != 0 ? 1 : 0);
    if (n > static_cast<uint64_t>(kMaxCount)) fail_input("Range has too many elements");
    count = static_cast<int64_t>(n);
  } else {
    const double s = scalar_as_double(dtype, start), l = scalar_as_double(dtype, limit),
                 d = scalar_as_double(dtype, delta);
    if (d == 0) fail_input("Range delta must not be 0");
    const double n = std::ceil((l - s) / d);
    if (!std::isfinite(n)) fail_input("Range start, limit and delta must be finite");
    if (n > static_cast<double>(kMaxCount)) fail_input("Range has too many elements");
    count = n > 0 ? static_cast<int64_t>(n) : 0;
  }
  return count;
}

void range(infer_dtype dtype, const void* start, const void* delta, int64_t count, void* out) {
  visit_numeric(dtype, [&]<typename T>(T) {
    T s, d;
    std::memcpy(&s, start, sizeof(T));
    std::memcpy(&d, delta, sizeof(T));
    T* y = static_cast<T*>(out);
    if constexpr (std::is_integral_v<T>) {
      for (int64_t i = 0; i < count; ++i) y[i] = static_cast<T>(s + static_cast<T>(i) * d);
    } else {
      // In double, then rounded once (as with stash_type for the 16-bit floats).
      const double ds = static_cast<double>(load(s)), dd = static_cast<double>(load(d));
      for (int64_t i = 0; i < count; ++i) {
        y[i] = store<T>(static_cast<compute_t<T>>(ds + static_cast<double>(i) * dd));
      }
    }
  });
}

void eye_like(infer_dtype dtype, ShapeSpan shape, int64_t k, void* out) {
  if (shape.size() != 2) fail_input(str_cat("EyeLike expects a 2-D input, got ", shape_str(shape)));
  const int64_t rows = shape[0], cols = shape[1];
  const size_t es = plugin::dtype_size(dtype);
  const size_t n = static_cast<size_t>(numel(shape)) * es;
  if (n) std::memset(out, 0, n);
  visit_dtype<kAnyFixed>(dtype, [&]<typename T>(T) {
    T* y = static_cast<T*>(out);
    for (int64_t i = 0; i < rows; ++i) {
      // Column i + k, tested without forming it when k is huge.
      if (k >= -i && k < cols - i) y[i * cols + i + k] = store<T>(compute_t<T>(1));
    }
  });
}

Shape one_hot_shape(ShapeSpan indices, int64_t depth, int64_t axis) {
  if (depth < 1) fail_input(str_cat("depth must be positive, got ", depth));
  const auto rank = static_cast<int64_t>(indices.size()) + 1;
  if (axis < -rank || axis >= rank) {
    fail_input(str_cat("axis ", axis, " is out of range for output rank ", rank));
  }
  const auto a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  Shape out(indices.begin(), indices.end());
  out.insert(out.begin() + a, depth);
  numel(out);
  return out;
}

void one_hot(const void* indices, infer_dtype index_dtype, ShapeSpan indices_shape, int64_t depth,
             int64_t axis, const void* values, size_t elem_size, void* out) {
  const Shape out_shape = one_hot_shape(indices_shape, depth, axis);
  const auto rank = static_cast<int64_t>(out_shape.size());
  const auto a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  const int64_t outer = dims_product(indices_shape, 0, a);
  const int64_t inner = dims_product(indices_shape, a, indices_shape.size());
  const auto* off = static_cast<const std::byte*>(values);
  const std::byte* on = off + elem_size;
  fill_elements(off, elem_size, numel(out_shape), out);
  auto* y = static_cast<std::byte*>(out);
  visit_numeric(index_dtype, [&]<typename T>(T) {
    const T* idx = static_cast<const T*>(indices);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const double v = static_cast<double>(load(idx[o * inner + i]));
        // Non-integral indices truncate; NaN and anything outside [-depth, depth) stay off.
        if (!(v >= static_cast<double>(-depth) && v < static_cast<double>(depth))) continue;
        int64_t d = static_cast<int64_t>(v);
        if (d < 0) d += depth;
        if (d < 0 || d >= depth) continue;
        std::memcpy(y + static_cast<size_t>((o * depth + d) * inner + i) * elem_size, on,
                    elem_size);
      }
    }
  });
}

void dropout_keep_mask(uint32_t seed, double ratio, int64_t n, bool* keep) {
  // std::mt19937 seeds and tempers exactly as numpy's MT19937 (init_genrand); a double takes
  // 53 bits from two draws as numpy's random_sample does.
  std::mt19937 gen(seed);
  for (int64_t i = 0; i < n; ++i) {
    const auto a = static_cast<uint32_t>(gen() >> 5);
    const auto b = static_cast<uint32_t>(gen() >> 6);
    const double u =
        (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
    keep[i] = u >= ratio;
  }
}

}  // namespace infer::cpu
