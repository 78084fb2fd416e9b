#include "kernels/col2im.h"

#include <cstring>

#include "kernels/wrapping.h"

namespace infer::cpu {
namespace {

// Sliding block positions along each spatial axis.
Shape block_counts(const Col2ImParams& p) {
  const size_t r = p.image.size();
  Shape n(r);
  for (size_t i = 0; i < r; ++i) {
    const int64_t span = checked_add(checked_mul(p.dilations[i], p.block[i] - 1), 1);
    const int64_t padded = checked_add(checked_add(p.image[i], p.pads[i]), p.pads[r + i]);
    n[i] = padded >= span ? (padded - span) / p.strides[i] + 1 : 0;
  }
  return n;
}

}  // namespace

Shape col2im_shape(ShapeSpan in, const Col2ImParams& p) {
  const size_t r = p.image.size();
  if (r == 0 || p.block.size() != r || p.dilations.size() != r || p.strides.size() != r ||
      p.pads.size() != 2 * r) {
    fail_input(str_cat("image_shape ", shape_str(p.image), ", block_shape ", shape_str(p.block),
                       ", dilations, strides and pads must agree on the spatial rank"));
  }
  for (size_t i = 0; i < r; ++i) {
    if (p.image[i] < 0 || p.block[i] < 1 || p.dilations[i] < 1 || p.strides[i] < 1 ||
        p.pads[i] < 0 || p.pads[r + i] < 0) {
      fail_input(str_cat("invalid Col2Im parameters on axis ", i,
                         ": image and pads must be >= 0, block, dilations and strides >= 1"));
    }
  }
  if (in.size() != 3)
    fail_input(str_cat("input must be [N, C * prod(block), L], got ", shape_str(in)));
  const int64_t block = numel(p.block);
  if (in[1] % block != 0) {
    fail_input(
        str_cat("input dimension 1 (", in[1], ") is not divisible by the block size ", block));
  }
  const Shape counts = block_counts(p);
  const int64_t blocks = numel(counts);
  if (blocks < 1 || in[2] != blocks) {
    fail_input(str_cat("input dimension 2 (", in[2], ") must equal the number of sliding blocks ",
                       shape_str(counts), " = ", blocks));
  }
  Shape out{in[0], in[1] / block};
  out.insert(out.end(), p.image.begin(), p.image.end());
  numel(out);
  return out;
}

void col2im(infer_dtype dtype, const void* in, ShapeSpan in_shape, const Col2ImParams& p,
            void* out) {
  const Shape out_shape = col2im_shape(in_shape, p);
  const size_t r = p.image.size();
  const int64_t block = numel(p.block), image = numel(p.image);
  const int64_t planes = in_shape[0] * out_shape[1];
  const Shape counts = block_counts(p);
  const int64_t blocks = in_shape[2];
  const bool ok = visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    using C = compute_t<T>;
    const T* x = static_cast<const T*>(in);
    std::vector<C> acc(static_cast<size_t>(image));
    Shape k(r), b(r);
    for (int64_t plane = 0; plane < planes; ++plane) {
      std::fill(acc.begin(), acc.end(), C(0));
      for (int64_t kk = 0; kk < block; ++kk) {
        int64_t rest = kk;
        for (size_t d = r; d-- > 0;) {
          k[d] = rest % p.block[d];
          rest /= p.block[d];
        }
        for (int64_t bb = 0; bb < blocks; ++bb) {
          rest = bb;
          int64_t off = 0;
          bool inside = true;
          for (size_t d = r; d-- > 0;) {
            b[d] = rest % counts[d];
            rest /= counts[d];
          }
          for (size_t d = 0; d < r && inside; ++d) {
            const int64_t pos = b[d] * p.strides[d] - p.pads[d] + k[d] * p.dilations[d];
            inside = pos >= 0 && pos < p.image[d];
            off = off * p.image[d] + pos;
          }
          if (inside)
            acc[off] = wrapping_add(acc[off], load(x[(plane * block + kk) * blocks + bb]));
        }
      }
      T* y = static_cast<T*>(out) + plane * image;
      for (int64_t i = 0; i < image; ++i) y[i] = store<T>(acc[i]);
    }
  });
  if (!ok) fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
}

}  // namespace infer::cpu
