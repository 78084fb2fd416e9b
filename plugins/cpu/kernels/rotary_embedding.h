// ONNX RotaryEmbedding (opset 23): rotates pairs of features by position-dependent angles given
// as cos/sin caches, over the first rotary_dim features of each head.
#ifndef INFER_PLUGINS_CPU_KERNELS_ROTARY_EMBEDDING_H_
#define INFER_PLUGINS_CPU_KERNELS_ROTARY_EMBEDDING_H_

#include <optional>

#include "kernels/common.h"
#include "kernels/precision.h"

namespace infer::cpu {

struct RotaryParams {
  int64_t num_heads = 0;   // required for 3-D input
  int64_t rotary_dim = 0;  // 0: the whole head
  bool interleaved = false;
};

struct RotaryPlan {
  bool rank3 = false;  // X [batch, seq, heads * head_size]; else [batch, heads, seq, head_size]
  int64_t batch = 0, seq = 0, heads = 0, head_size = 0, rotary_dim = 0;
  bool has_position_ids = false;
  int64_t max_position = 0;  // rows of the caches when indexed by position_ids
};
// With position_ids [batch, seq], the caches are [max_position, rotary_dim / 2]; without, they
// are [batch, seq, rotary_dim / 2].
RotaryPlan plan_rotary(const RotaryParams& params, ShapeSpan x, ShapeSpan cos_cache,
                       ShapeSpan sin_cache, std::optional<ShapeSpan> position_ids);

// Position ids are checked against the caches here. T is float or double; `precision` is the
// type whose per-step rounding the result follows.
template <typename T>
void rotary_embedding(const RotaryParams& params, const RotaryPlan& plan, const T* x,
                      const T* cos_cache, const T* sin_cache, const int64_t* position_ids, T* y,
                      Precision precision);
extern template void rotary_embedding<float>(const RotaryParams&, const RotaryPlan&, const float*,
                                             const float*, const float*, const int64_t*, float*,
                                             Precision);
extern template void rotary_embedding<double>(const RotaryParams&, const RotaryPlan&, const double*,
                                              const double*, const double*, const int64_t*, double*,
                                              Precision);

// SwiGLU: y = a * sigmoid(alpha * a) * b, elementwise, each step rounded to `precision`.
template <typename T>
void swiglu(const T* a, const T* b, int64_t n, float alpha, T* y, Precision precision);
extern template void swiglu<float>(const float*, const float*, int64_t, float, float*, Precision);
extern template void swiglu<double>(const double*, const double*, int64_t, float, double*,
                                    Precision);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_ROTARY_EMBEDDING_H_
