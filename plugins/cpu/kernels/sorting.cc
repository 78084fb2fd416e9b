#include "kernels/sorting.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace infer::cpu {
namespace {

template <typename C>
bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// Total order: numbers ascending, then NaN (all NaNs equal).
template <typename C>
bool less_nan_last(C a, C b) {
  if (is_nan(a)) return false;
  return is_nan(b) || a < b;
}

template <typename C>
bool equal_nan(C a, C b) {
  return is_nan(a) ? is_nan(b) : (!is_nan(b) && a == b);
}

template <typename Fn>
void visit_sortable(infer_dtype dtype, Fn&& fn) {
  if (!visit_dtype<kAnyFixed>(dtype, fn)) {
    fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  }
}

}  // namespace

Shape top_k_shape(ShapeSpan in, int64_t axis, int64_t k) {
  if (in.empty()) fail_input("TopK needs an input of rank >= 1");
  const size_t a = normalize_axis(axis, in.size());
  if (k < 0 || k > in[a]) {
    fail_input(
        str_cat("k = ", k, " is outside [0, ", in[a], "] for axis ", a, " of ", shape_str(in)));
  }
  Shape out(in.begin(), in.end());
  out[a] = k;
  return out;
}

void top_k(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t axis, int64_t k,
           bool largest, void* values, int64_t* indices) {
  top_k_shape(shape, axis, k);
  const size_t a = normalize_axis(axis, shape.size());
  const int64_t outer = dims_product(shape, 0, a), dim = shape[a];
  const int64_t inner = dims_product(shape, a + 1, shape.size());
  visit_sortable(dtype, [&]<typename T>(T) {
    using C = compute_t<T>;
    const T* x = static_cast<const T*>(in);
    T* v = static_cast<T*>(values);
    std::vector<C> row(static_cast<size_t>(dim));
    std::vector<int64_t> order(static_cast<size_t>(dim));
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        for (int64_t j = 0; j < dim; ++j) row[j] = load(x[(o * dim + j) * inner + i]);
        std::iota(order.begin(), order.end(), int64_t{0});
        auto before = [&](int64_t p, int64_t q) {
          const C a_ = row[p], b_ = row[q];
          if (!equal_nan(a_, b_)) return largest ? less_nan_last(b_, a_) : less_nan_last(a_, b_);
          return p < q;
        };
        std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
        for (int64_t j = 0; j < k; ++j) {
          const int64_t at = (o * k + j) * inner + i;
          v[at] = x[(o * dim + order[j]) * inner + i];
          indices[at] = order[j];
        }
      }
    }
  });
}

UniqueResult unique(infer_dtype dtype, const void* in, ShapeSpan shape, std::optional<int64_t> axis,
                    bool sorted) {
  // Slices: n of them, each `outer` runs of `inner` elements (one element without axis).
  int64_t outer = 1, n = numel(shape), inner = 1;
  size_t a = 0;
  if (axis) {
    if (shape.empty()) fail_input("Unique with an axis needs an input of rank >= 1");
    a = normalize_axis(*axis, shape.size());
    outer = dims_product(shape, 0, a);
    n = shape[a];
    inner = dims_product(shape, a + 1, shape.size());
  }
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::vector<int64_t> group_of(static_cast<size_t>(n));  // sorted group of each slice
  std::vector<int64_t> group_start;                       // position in `order`
  visit_sortable(dtype, [&]<typename T>(T) {
    const T* x = static_cast<const T*>(in);
    // -1, 0, 1 comparing slices p and q element by element.
    auto compare = [&](int64_t p, int64_t q) {
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          const auto u = load(x[(o * n + p) * inner + i]), w = load(x[(o * n + q) * inner + i]);
          if (equal_nan(u, w)) continue;
          return less_nan_last(u, w) ? -1 : 1;
        }
      }
      return 0;
    };
    // Stable, so each group starts with its first occurrence.
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t p, int64_t q) { return compare(p, q) < 0; });
    for (size_t j = 0; j < order.size(); ++j) {
      if (j == 0 || compare(order[j - 1], order[j]) != 0) group_start.push_back(int64_t(j));
      group_of[order[j]] = static_cast<int64_t>(group_start.size()) - 1;
    }
  });
  const size_t groups = group_start.size();
  // Output position of each group: sorted order, or by first occurrence.
  std::vector<int64_t> pos(groups);
  std::iota(pos.begin(), pos.end(), int64_t{0});
  if (!sorted) {
    std::vector<int64_t> by_first(groups);
    std::iota(by_first.begin(), by_first.end(), int64_t{0});
    std::sort(by_first.begin(), by_first.end(),
              [&](int64_t g, int64_t h) { return order[group_start[g]] < order[group_start[h]]; });
    for (size_t p = 0; p < groups; ++p) pos[by_first[p]] = static_cast<int64_t>(p);
  }
  UniqueResult r;
  r.first.resize(groups);
  r.counts.resize(groups);
  for (size_t g = 0; g < groups; ++g) {
    const size_t end = g + 1 < groups ? group_start[g + 1] : order.size();
    r.first[pos[g]] = order[group_start[g]];
    r.counts[pos[g]] = static_cast<int64_t>(end) - group_start[g];
  }
  r.inverse.resize(static_cast<size_t>(n));
  for (int64_t s = 0; s < n; ++s) r.inverse[s] = pos[group_of[s]];
  if (axis) {
    r.y_shape.assign(shape.begin(), shape.end());
    r.y_shape[a] = static_cast<int64_t>(groups);
  } else {
    r.y_shape = {static_cast<int64_t>(groups)};
  }
  return r;
}

void unique_gather(const void* in, ShapeSpan shape, std::optional<int64_t> axis,
                   const UniqueResult& r, void* y, size_t elem_size) {
  int64_t outer = 1, n = numel(shape), inner = 1;
  if (axis) {
    const size_t a = normalize_axis(*axis, shape.size());
    outer = dims_product(shape, 0, a);
    n = shape[a];
    inner = dims_product(shape, a + 1, shape.size());
  }
  const size_t block = static_cast<size_t>(inner) * elem_size;
  const auto* src = static_cast<const std::byte*>(in);
  auto* dst = static_cast<std::byte*>(y);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t s : r.first) {
      std::memcpy(dst, src + static_cast<size_t>(o * n + s) * block, block);
      dst += block;
    }
  }
}

}  // namespace infer::cpu
