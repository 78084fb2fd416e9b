#include "kernels/shape_ops.h"

#include <algorithm>

#include "kernels/movement.h"

namespace infer::cpu {
namespace {

// Normalised axes, each in [0, rank), none repeated.
std::vector<size_t> unique_axes(ShapeSpan axes, size_t rank) {
  std::vector<size_t> out;
  for (int64_t a : axes) {
    const size_t n = normalize_axis(a, rank);
    if (std::find(out.begin(), out.end(), n) != out.end()) {
      fail_input(str_cat("axes ", shape_str(axes), " repeat axis ", a));
    }
    out.push_back(n);
  }
  return out;
}

Shape check_block_shape(ShapeSpan in, int64_t blocksize, const char* op) {
  if (in.size() != 4) fail_input(str_cat(op, " expects a 4-D input, got ", shape_str(in)));
  if (blocksize <= 0) fail_input(str_cat("blocksize must be positive, got ", blocksize));
  numel(in);
  return Shape(in.begin(), in.end());
}

}  // namespace

Shape squeeze_shape(ShapeSpan in, const std::optional<Shape>& axes) {
  std::vector<bool> drop(in.size(), false);
  if (axes) {
    for (size_t a : unique_axes(*axes, in.size())) {
      if (in[a] != 1) {
        fail_input(
            str_cat("cannot squeeze axis ", a, " of shape ", shape_str(in), ": its size is not 1"));
      }
      drop[a] = true;
    }
  } else {
    for (size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
  }
  Shape out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!drop[i]) out.push_back(in[i]);
  }
  return out;
}

Shape unsqueeze_shape(ShapeSpan in, ShapeSpan axes) {
  const size_t rank = in.size() + axes.size();
  std::vector<bool> inserted(rank, false);
  for (size_t a : unique_axes(axes, rank)) inserted[a] = true;
  Shape out(rank, 1);
  size_t j = 0;
  for (size_t i = 0; i < rank; ++i) {
    if (!inserted[i]) out[i] = in[j++];
  }
  return out;
}

Shape expand_shape(ShapeSpan in, ShapeSpan requested) {
  for (int64_t d : requested) {
    if (d < 0) fail_input(str_cat("shape ", shape_str(requested), " has a negative dimension"));
  }
  Shape out = broadcast_shapes(in, requested);
  numel(out);
  return out;
}

Shape tile_shape(ShapeSpan in, ShapeSpan repeats) {
  if (repeats.size() != in.size()) {
    fail_input(str_cat("repeats ", shape_str(repeats), " has ", repeats.size(),
                       " entries, the input ", shape_str(in), " has rank ", in.size()));
  }
  Shape out(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (repeats[i] < 0) fail_input(str_cat("repeats ", shape_str(repeats), " is negative"));
    out[i] = checked_mul(in[i], repeats[i]);
  }
  numel(out);
  return out;
}

void tile(const void* in, ShapeSpan in_shape, ShapeSpan repeats, void* out, size_t elem_size) {
  // The output viewed as [r0, d0, r1, d1, ...] reads the input with stride 0 on each r_i.
  const Shape in_strides = dense_strides(in_shape);
  Shape dims, src;
  for (size_t i = 0; i < in_shape.size(); ++i) {
    dims.insert(dims.end(), {repeats[i], in_shape[i]});
    src.insert(src.end(), {0, in_strides[i]});
  }
  strided_copy(in, src, out, dense_strides(dims), dims, elem_size);
}

Shape split_sizes(int64_t dim, const std::optional<Shape>& split, size_t num_outputs) {
  if (split) {
    if (split->size() != num_outputs) {
      fail_input(str_cat("split ", shape_str(*split), " has ", split->size(), " entries for ",
                         num_outputs, " outputs"));
    }
    int64_t sum = 0;
    for (int64_t s : *split) {
      if (s < 0) fail_input(str_cat("split ", shape_str(*split), " has a negative size"));
      sum = checked_add(sum, s);
    }
    if (sum != dim) {
      fail_input(
          str_cat("split ", shape_str(*split), " sums to ", sum, ", the axis has size ", dim));
    }
    return *split;
  }
  if (num_outputs == 0) fail_input("split needs at least one output");
  const auto n = static_cast<int64_t>(num_outputs);
  const int64_t chunk = dim / n + (dim % n ? 1 : 0);
  Shape sizes(num_outputs, chunk);
  sizes.back() = dim - chunk * (n - 1);
  if (sizes.back() < 0) {
    fail_input(str_cat("cannot split an axis of size ", dim, " into ", n, " chunks of ", chunk));
  }
  return sizes;
}

Shape depth_to_space_shape(ShapeSpan in, int64_t blocksize) {
  Shape s = check_block_shape(in, blocksize, "DepthToSpace");
  const int64_t bb = checked_mul(blocksize, blocksize);
  if (s[1] % bb != 0) {
    fail_input(str_cat("channels ", s[1], " are not divisible by blocksize^2 = ", bb));
  }
  return {s[0], s[1] / bb, checked_mul(s[2], blocksize), checked_mul(s[3], blocksize)};
}

void depth_to_space(const void* in, ShapeSpan in_shape, int64_t blocksize, bool crd, void* out,
                    size_t elem_size) {
  const int64_t b = in_shape[0], c = in_shape[1] / (blocksize * blocksize), h = in_shape[2],
                w = in_shape[3], bs = blocksize;
  if (crd) {
    const Shape view{b, c, bs, bs, h, w}, perm{0, 1, 4, 2, 5, 3};
    transpose(in, view, perm, out, elem_size);
  } else {
    const Shape view{b, bs, bs, c, h, w}, perm{0, 3, 4, 1, 5, 2};
    transpose(in, view, perm, out, elem_size);
  }
}

Shape space_to_depth_shape(ShapeSpan in, int64_t blocksize) {
  Shape s = check_block_shape(in, blocksize, "SpaceToDepth");
  if (s[2] % blocksize != 0 || s[3] % blocksize != 0) {
    fail_input(
        str_cat("spatial size ", s[2], "x", s[3], " is not divisible by blocksize ", blocksize));
  }
  return {s[0], checked_mul(s[1], checked_mul(blocksize, blocksize)), s[2] / blocksize,
          s[3] / blocksize};
}

void space_to_depth(const void* in, ShapeSpan in_shape, int64_t blocksize, bool crd, void* out,
                    size_t elem_size) {
  const int64_t bs = blocksize;
  const Shape view{in_shape[0], in_shape[1], in_shape[2] / bs, bs, in_shape[3] / bs, bs};
  const Shape perm = crd ? Shape{0, 1, 3, 5, 2, 4} : Shape{0, 3, 5, 1, 2, 4};
  transpose(in, view, perm, out, elem_size);
}

}  // namespace infer::cpu
