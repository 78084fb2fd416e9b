#include "kernels/movement.h"

#include <cstring>

namespace infer::cpu {
namespace {

// Copies n elements of a fixed-size block type with the given element steps.
template <typename Block>
void copy_run(const std::byte* src, int64_t src_step, std::byte* dst, int64_t dst_step, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    std::memcpy(dst + j * dst_step * static_cast<int64_t>(sizeof(Block)),
                src + j * src_step * static_cast<int64_t>(sizeof(Block)), sizeof(Block));
  }
}

struct Block16 {
  std::byte b[16];
};

void copy_elements(const std::byte* src, int64_t src_step, std::byte* dst, int64_t dst_step,
                   int64_t n, size_t elem_size) {
  if (src_step == 1 && dst_step == 1) {
    std::memcpy(dst, src, static_cast<size_t>(n) * elem_size);
    return;
  }
  switch (elem_size) {
    case 1:
      return copy_run<uint8_t>(src, src_step, dst, dst_step, n);
    case 2:
      return copy_run<uint16_t>(src, src_step, dst, dst_step, n);
    case 4:
      return copy_run<uint32_t>(src, src_step, dst, dst_step, n);
    case 8:
      return copy_run<uint64_t>(src, src_step, dst, dst_step, n);
    case 16:
      return copy_run<Block16>(src, src_step, dst, dst_step, n);
    default:
      break;
  }
  const auto es = static_cast<int64_t>(elem_size);
  for (int64_t j = 0; j < n; ++j) {
    std::memcpy(dst + j * dst_step * es, src + j * src_step * es, elem_size);
  }
}

}  // namespace

Shape dense_strides(ShapeSpan shape) {
  Shape strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = checked_mul(strides[i], shape[i]);
  return strides;
}

void strided_copy(const void* src, ShapeSpan src_strides, void* dst, ShapeSpan dst_strides,
                  ShapeSpan dims, size_t elem_size) {
  if (numel(dims) == 0) return;
  // Merge dimensions (innermost first) wherever both sides stay linear; drop size-1 ones.
  Shape n, ss, ds;
  for (size_t i = dims.size(); i-- > 0;) {
    if (dims[i] == 1) continue;
    if (!n.empty() && ss.back() * n.back() == src_strides[i] &&
        ds.back() * n.back() == dst_strides[i]) {
      n.back() *= dims[i];
    } else {
      n.push_back(dims[i]);
      ss.push_back(src_strides[i]);
      ds.push_back(dst_strides[i]);
    }
  }
  const auto* s = static_cast<const std::byte*>(src);
  auto* d = static_cast<std::byte*>(dst);
  if (n.empty()) {
    std::memcpy(d, s, elem_size);
    return;
  }
  const auto es = static_cast<int64_t>(elem_size);
  Shape index(n.size(), 0);
  int64_t s_off = 0, d_off = 0;  // in elements
  while (true) {
    copy_elements(s + s_off * es, ss[0], d + d_off * es, ds[0], n[0], elem_size);
    size_t k = 1;
    for (; k < n.size(); ++k) {  // odometer over the outer dimensions
      s_off += ss[k];
      d_off += ds[k];
      if (++index[k] < n[k]) break;
      s_off -= ss[k] * n[k];
      d_off -= ds[k] * n[k];
      index[k] = 0;
    }
    if (k == n.size()) return;
  }
}

void gather_by_axis_maps(const void* in, ShapeSpan in_shape, std::span<const Shape> maps,
                         const void* fill, void* out, size_t elem_size) {
  const size_t rank = in_shape.size();
  Shape out_shape(rank);
  for (size_t k = 0; k < rank; ++k) out_shape[k] = static_cast<int64_t>(maps[k].size());
  const int64_t total = numel(out_shape);
  if (total == 0) return;
  auto* dst = static_cast<std::byte*>(out);
  if (rank == 0) {
    std::memcpy(dst, in, elem_size);
    return;
  }
  // Source offsets per axis (in elements), -1 for fill.
  const Shape strides = dense_strides(in_shape);
  std::vector<Shape> offs(rank);
  for (size_t k = 0; k < rank; ++k) {
    offs[k].resize(maps[k].size());
    for (size_t i = 0; i < maps[k].size(); ++i) {
      offs[k][i] = maps[k][i] < 0 ? -1 : maps[k][i] * strides[k];
    }
  }
  const auto* src = static_cast<const std::byte*>(in);
  // The innermost map as runs: consecutive source elements (one memcpy) or fill.
  struct Run {
    int64_t src;  // element offset of the first source element, -1 for fill
    int64_t n;
  };
  std::vector<Run> runs;
  for (int64_t off : offs[rank - 1]) {
    Run* last = runs.empty() ? nullptr : &runs.back();
    const bool extends =
        last && (off < 0 ? last->src < 0 : last->src >= 0 && last->src + last->n == off);
    if (extends) {
      ++last->n;
    } else {
      runs.push_back({off, 1});
    }
  }
  const auto es = static_cast<int64_t>(elem_size);
  const int64_t row_len = out_shape[rank - 1];
  Shape index(rank, 0);
  for (int64_t row = 0; row < total; row += row_len) {
    int64_t base = 0;  // offset of the outer index, or -1 when it is padding
    for (size_t k = 0; k + 1 < rank && base >= 0; ++k) {
      base = offs[k][index[k]] < 0 ? -1 : base + offs[k][index[k]];
    }
    for (const Run& r : runs) {
      if (base < 0 || r.src < 0) {
        for (int64_t j = 0; j < r.n; ++j, dst += elem_size) std::memcpy(dst, fill, elem_size);
      } else {
        std::memcpy(dst, src + (base + r.src) * es, static_cast<size_t>(r.n * es));
        dst += r.n * es;
      }
    }
    for (size_t k = rank - 1; k-- > 0;) {
      if (++index[k] < out_shape[k]) break;
      index[k] = 0;
    }
  }
}

Shape transpose_perm(ShapeSpan perm, size_t rank) {
  Shape p(rank);
  if (perm.empty()) {
    for (size_t i = 0; i < rank; ++i) p[i] = static_cast<int64_t>(rank - 1 - i);
    return p;
  }
  if (perm.size() != rank) {
    fail_input(str_cat("perm ", shape_str(perm), " has ", perm.size(),
                       " entries, the input has rank ", rank));
  }
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < rank; ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank)) {
      fail_input(
          str_cat("perm ", shape_str(perm), " has axis ", perm[i], " outside [0, ", rank, ")"));
    }
    const auto a = static_cast<size_t>(perm[i]);
    if (seen[a]) fail_input(str_cat("perm ", shape_str(perm), " repeats axis ", perm[i]));
    seen[a] = true;
    p[i] = static_cast<int64_t>(a);
  }
  return p;
}

Shape transpose_shape(ShapeSpan in, ShapeSpan perm) {
  Shape out(in.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = in[perm[i]];
  return out;
}

void transpose(const void* in, ShapeSpan in_shape, ShapeSpan perm, void* out, size_t elem_size) {
  const Shape in_strides = dense_strides(in_shape);
  const Shape out_shape = transpose_shape(in_shape, perm);
  Shape src_strides(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) src_strides[i] = in_strides[perm[i]];
  strided_copy(in, src_strides, out, dense_strides(out_shape), out_shape, elem_size);
}

void broadcast_to(const void* in, ShapeSpan in_shape, void* out, ShapeSpan out_shape,
                  size_t elem_size) {
  strided_copy(in, broadcast_strides(in_shape, out_shape), out, dense_strides(out_shape), out_shape,
               elem_size);
}

}  // namespace infer::cpu
