// NCHWc shapes and reorders.
#include "kernels/nchwc.h"

#include <algorithm>

#include "kernels/parallel.h"

namespace infer::cpu {

bool nchwc_block_supported(int64_t block) { return block == 8 || block == 16; }

void check_nchwc_block(int64_t block) {
  if (!nchwc_block_supported(block)) {
    fail_attr(str_cat("NCHWc block size must be 8 or 16, got ", block));
  }
}

int64_t nchwc_blocks(int64_t channels, int64_t block) { return (channels + block - 1) / block; }

Shape nchwc_shape(ShapeSpan nchw, int64_t block) {
  if (nchw.size() != 4) fail_input(str_cat("NCHWc needs a 4-D NCHW shape, got ", shape_str(nchw)));
  Shape s = {nchw[0], nchwc_blocks(nchw[1], block), nchw[2], nchw[3], block};
  numel(s);
  return s;
}

void nchwc_reorder_input(const float* x, ShapeSpan nchw, int64_t block, float* y) {
  const Shape ys = nchwc_shape(nchw, block);
  const int64_t channels = nchw[1], plane = nchw[2] * nchw[3];
  parallel_for(nchw[0] * ys[1], 1, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t n = u / ys[1], cb = u % ys[1];
      const int64_t lanes = std::min(block, channels - cb * block);
      const float* src = x + (n * channels + cb * block) * plane;
      float* dst = y + u * plane * block;
      if (lanes < block) std::fill_n(dst, plane * block, 0.0f);
      // Lane-outer keeps the reads sequential; the writes are strided by the block.
      for (int64_t l = 0; l < lanes; ++l) {
        const float* s = src + l * plane;
        for (int64_t p = 0; p < plane; ++p) dst[p * block + l] = s[p];
      }
    }
  });
}

Shape nchwc_reorder_output_shape(ShapeSpan blocked, int64_t channels) {
  if (blocked.size() != 5 || !nchwc_block_supported(blocked[4])) {
    fail_input(str_cat("expected a blocked [N, Cb, H, W, 8|16] input, got ", shape_str(blocked)));
  }
  if (channels <= 0 || nchwc_blocks(channels, blocked[4]) != blocked[1]) {
    fail_input(str_cat(channels, " channels do not fit the blocked shape ", shape_str(blocked)));
  }
  return {blocked[0], channels, blocked[2], blocked[3]};
}

void nchwc_reorder_output(const float* x, ShapeSpan blocked, int64_t channels, float* y) {
  const Shape ys = nchwc_reorder_output_shape(blocked, channels);
  const int64_t block = blocked[4], plane = ys[2] * ys[3];
  parallel_for(ys[0] * channels, 8, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t n = u / channels, c = u % channels;
      const float* src = x + ((n * blocked[1] + c / block) * plane) * block + c % block;
      float* dst = y + u * plane;
      for (int64_t p = 0; p < plane; ++p) dst[p] = src[p * block];
    }
  });
}

}  // namespace infer::cpu
