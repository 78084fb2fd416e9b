// NCHWc shapes, reorders and the fused activation.
#include "kernels/nchwc.h"

#include <algorithm>
#include <cmath>

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
  for (int64_t n = 0; n < nchw[0]; ++n) {
    for (int64_t cb = 0; cb < ys[1]; ++cb) {
      const int64_t lanes = std::min(block, channels - cb * block);
      const float* src = x + (n * channels + cb * block) * plane;
      float* dst = y + (n * ys[1] + cb) * plane * block;
      if (lanes < block) std::fill_n(dst, plane * block, 0.0f);
      // Lane-outer keeps the reads sequential; the writes are strided by the block.
      for (int64_t l = 0; l < lanes; ++l) {
        const float* s = src + l * plane;
        for (int64_t p = 0; p < plane; ++p) dst[p * block + l] = s[p];
      }
    }
  }
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
  for (int64_t n = 0; n < ys[0]; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      const float* src = x + ((n * blocked[1] + c / block) * plane) * block + c % block;
      float* dst = y + (n * channels + c) * plane;
      for (int64_t p = 0; p < plane; ++p) dst[p] = src[p * block];
    }
  }
}

NchwcActivation parse_nchwc_activation(std::string_view name, std::span<const float> params) {
  NchwcActivation a;
  auto param = [&](size_t i, float fallback) { return i < params.size() ? params[i] : fallback; };
  if (name.empty() || name == "None" || name == "Identity") {
    a.kind = NchwcActivation::kNone;
  } else if (name == "Relu") {
    a.kind = NchwcActivation::kRelu;
  } else if (name == "LeakyRelu") {
    a.kind = NchwcActivation::kLeakyRelu;
    a.alpha = param(0, 0.01f);
  } else if (name == "Clip") {
    a.kind = NchwcActivation::kClip;
    a.alpha = param(0, -INFINITY);
    a.beta = param(1, INFINITY);
  } else if (name == "HardSigmoid") {
    a.kind = NchwcActivation::kHardSigmoid;
    a.alpha = param(0, 0.2f);
    a.beta = param(1, 0.5f);
  } else if (name == "Sigmoid") {
    a.kind = NchwcActivation::kSigmoid;
  } else if (name == "Tanh") {
    a.kind = NchwcActivation::kTanh;
  } else {
    fail_attr(str_cat("unsupported fused activation '", name, "'"));
  }
  return a;
}

void apply_nchwc_activation(const NchwcActivation& act, float* y, int64_t n) {
  const float a = act.alpha, b = act.beta;
  switch (act.kind) {
    case NchwcActivation::kNone:
      break;
    case NchwcActivation::kRelu:
      for (int64_t i = 0; i < n; ++i) y[i] = std::max(y[i], 0.0f);
      break;
    case NchwcActivation::kLeakyRelu:
      for (int64_t i = 0; i < n; ++i) y[i] = y[i] < 0 ? y[i] * a : y[i];
      break;
    case NchwcActivation::kClip:
      for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(y[i], a), b);
      break;
    case NchwcActivation::kHardSigmoid:
      for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(a * y[i] + b, 0.0f), 1.0f);
      break;
    case NchwcActivation::kSigmoid:
      for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-y[i]));
      break;
    case NchwcActivation::kTanh:
      for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(y[i]);
      break;
  }
}

}  // namespace infer::cpu
