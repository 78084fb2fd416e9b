// Vectorised, multi-threaded float32 kernels for the memory-bound ops: fused activations and
// epilogues, erf / exp, softmax over the last axis and layer normalisation rows. Each entry
// point takes the ISA so that tests can force every compiled copy (simd_dispatch.h); the
// callers pass simd::best_isa(). The work is split with parallel_for over the current
// IntraOpPool (inline without one).
#ifndef INFER_PLUGINS_CPU_KERNELS_VECTOR_MATH_H_
#define INFER_PLUGINS_CPU_KERNELS_VECTOR_MATH_H_

#include <cstdint>

#include "kernels/fused_activation.h"
#include "kernels/simd_dispatch.h"

namespace infer::cpu::vmath {

using simd::Isa;

// y = act(x); y may equal x.
void activation(Isa isa, const FusedActivation& act, const float* x, float* y, int64_t n);

// y = act(y + bias[c] + z) with y viewed as [outer, channels, inner] (see fused_epilogue).
void epilogue(Isa isa, const FusedActivation& act, float* y, int64_t outer, int64_t channels,
              int64_t inner, const float* bias, const float* z);

// y = erf(x) and y = exp(x); y may equal x.
void erf(Isa isa, const float* x, float* y, int64_t n);
void exp(Isa isa, const float* x, float* y, int64_t n);

// Softmax or LogSoftmax of each row of x [rows, len].
void softmax_rows(Isa isa, bool log, const float* x, float* y, int64_t rows, int64_t len);

// LayerNormalization (rms: RMSNormalization) of each row of x [rows, cols] with scale and
// bias (bias may be null) of cols values; statistics are accumulated in double. mean and
// inv_std_dev (one per row) may be null.
void layer_norm_rows(Isa isa, bool rms, float epsilon, const float* x, const float* scale,
                     const float* bias, float* y, float* mean, float* inv_std_dev, int64_t rows,
                     int64_t cols);

}  // namespace infer::cpu::vmath

#endif  // INFER_PLUGINS_CPU_KERNELS_VECTOR_MATH_H_
