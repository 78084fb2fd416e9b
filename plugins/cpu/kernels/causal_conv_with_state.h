// CausalConvWithState: causal depthwise 1-D convolution over [B, C, L] with a carried state of
// the last k - 1 positions. Host-free math; shapes are validated by the op.
#ifndef INFER_PLUGINS_CPU_KERNELS_CAUSAL_CONV_WITH_STATE_H_
#define INFER_PLUGINS_CPU_KERNELS_CAUSAL_CONV_WITH_STATE_H_

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/dtype.h"

namespace infer::cpu {

struct CausalConvDims {
  int64_t batch = 0, channels = 0, length = 0, k = 1;
};

// x [B, C, L], w [C, 1, k], bias [C] or null, past [B, C, k - 1] or null (zeros);
// y [B, C, L], present [B, C, k - 1]. Accumulates in float (or double for double), rounds the
// convolution to T before the optional SiLU as ONNX's reference does.
template <typename T>
void causal_conv_with_state(const CausalConvDims& d, const T* x, const T* w, const T* bias,
                            const T* past, bool silu, T* y, T* present) {
  using C = compute_t<T>;
  const int64_t pad = d.k - 1, padded_len = d.length + pad;
  std::vector<C> row(static_cast<size_t>(padded_len));
  for (int64_t b = 0; b < d.batch; ++b) {
    for (int64_t c = 0; c < d.channels; ++c) {
      const int64_t bc = b * d.channels + c;
      // The padded row: past state (or zeros), then the input.
      for (int64_t i = 0; i < pad; ++i) {
        row[static_cast<size_t>(i)] = past ? load(past[bc * pad + i]) : C{0};
      }
      for (int64_t i = 0; i < d.length; ++i) {
        row[static_cast<size_t>(pad + i)] = load(x[bc * d.length + i]);
      }
      const T* wc = w + c * d.k;
      const C bv = bias ? load(bias[c]) : C{0};
      for (int64_t t = 0; t < d.length; ++t) {
        C acc = bv;
        for (int64_t j = 0; j < d.k; ++j) acc += load(wc[j]) * row[static_cast<size_t>(t + j)];
        if (silu) {
          const C v = load(store<T>(acc));
          acc = v / (C{1} + std::exp(-v));
        }
        y[bc * d.length + t] = store<T>(acc);
      }
      for (int64_t i = 0; i < pad; ++i) {
        present[bc * pad + i] = store<T>(row[static_cast<size_t>(padded_len - pad + i)]);
      }
    }
  }
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CAUSAL_CONV_WITH_STATE_H_
