// ONNX Attention (opsets 23 to 25): scaled dot-product attention over 3-D [batch, seq, heads *
// head_size] or 4-D [batch, heads, seq, head_size] inputs, with grouped KV heads, a boolean or
// additive mask, causal and sliding-window masking, a past KV cache or per-batch KV lengths,
// softcap and the optional QK output. Follows onnx/reference/ops/op_attention.py.
#ifndef INFER_PLUGINS_CPU_KERNELS_ATTENTION_H_
#define INFER_PLUGINS_CPU_KERNELS_ATTENTION_H_

#include <optional>

#include "kernels/common.h"
#include "kernels/precision.h"

namespace infer::cpu {

struct AttentionParams {
  std::optional<int64_t> q_num_heads, kv_num_heads;  // required for 3-D inputs
  std::optional<float> scale;                        // default 1 / sqrt(head_size)
  bool is_causal = false;
  float softcap = 0;              // > 0 applies softcap * tanh(x / softcap) to the scores
  int qk_matmul_output_mode = 0;  // 0/1: scores (after softcap), 2: plus mask, 3: softmax
  int64_t left_window = -1, right_window = -1;  // -1: unbounded
  bool heads_attrs_forbidden_for_4d = false;    // opset 25 refuses num_heads with 4-D inputs
};

struct AttentionShapes {
  ShapeSpan q, k, v;
  std::optional<ShapeSpan> mask = {}, past_key = {}, past_value = {}, nonpad_kv_seqlen = {};
};

struct AttentionPlan {
  bool rank3 = false;
  int64_t batch = 0, q_heads = 0, kv_heads = 0, q_len = 0, kv_len = 0, past_len = 0, total_len = 0,
          head_size = 0, v_head_size = 0;
  double scale_sqrt = 1;  // applied to Q and K each
  // The mask, right-aligned to [batch, q_heads, q_len, mask_len]: strides 0 on broadcast axes.
  bool has_mask = false;
  int64_t mask_len = 0;
  std::array<int64_t, 4> mask_strides{};
  Shape y_shape, present_key_shape, present_value_shape, qk_shape;
};
AttentionPlan plan_attention(const AttentionParams& params, const AttentionShapes& shapes);

template <typename T>
struct AttentionData {
  const T *q = nullptr, *k = nullptr, *v = nullptr;
  // The mask as T (bool masks are converted by the caller: 0 where allowed, -inf elsewhere);
  // positions past its last dimension are masked.
  const T* mask = nullptr;
  const T *past_key = nullptr, *past_value = nullptr;
  const int64_t* nonpad_kv_seqlen = nullptr;
  T* y = nullptr;
  T *present_key = nullptr, *present_value = nullptr, *qk = nullptr;  // optional outputs
};
// T is float or double; `precision` is the type of Q, K, V and `softmax_precision` that of the
// softmax.
template <typename T>
void attention(const AttentionParams& params, const AttentionPlan& plan, const AttentionData<T>& d,
               Precision precision, Precision softmax_precision);
extern template void attention<float>(const AttentionParams&, const AttentionPlan&,
                                      const AttentionData<float>&, Precision, Precision);
extern template void attention<double>(const AttentionParams&, const AttentionPlan&,
                                       const AttentionData<double>&, Precision, Precision);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_ATTENTION_H_
