#include "kernels/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infer::cpu {

AttentionPlan plan_attention(const AttentionParams& params, const AttentionShapes& s) {
  AttentionPlan p;
  const size_t rank = s.q.size();
  if ((rank != 3 && rank != 4) || s.k.size() != rank || s.v.size() != rank) {
    fail_input(str_cat("Q, K and V must all be 3-D or all 4-D, got ", shape_str(s.q), ", ",
                       shape_str(s.k), " and ", shape_str(s.v)));
  }
  p.rank3 = rank == 3;
  p.batch = s.q[0];
  if (s.k[0] != p.batch || s.v[0] != p.batch) {
    fail_input(str_cat("Q, K and V batch sizes differ: ", shape_str(s.q), ", ", shape_str(s.k),
                       ", ", shape_str(s.v)));
  }
  if (p.rank3) {
    if (!params.q_num_heads || !params.kv_num_heads) {
      fail_input("3-D inputs need the attributes q_num_heads and kv_num_heads");
    }
    p.q_heads = *params.q_num_heads;
    p.kv_heads = *params.kv_num_heads;
    if (s.q[2] % p.q_heads || s.k[2] % p.kv_heads || s.v[2] % p.kv_heads) {
      fail_input(str_cat("hidden sizes of Q ", shape_str(s.q), ", K ", shape_str(s.k), " and V ",
                         shape_str(s.v), " are not divisible by q_num_heads ", p.q_heads,
                         " and kv_num_heads ", p.kv_heads));
    }
    p.q_len = s.q[1];
    p.kv_len = s.k[1];
    p.head_size = s.q[2] / p.q_heads;
    if (s.k[2] / p.kv_heads != p.head_size) {
      fail_input(
          str_cat("K head size ", s.k[2] / p.kv_heads, " differs from Q head size ", p.head_size));
    }
    p.v_head_size = s.v[2] / p.kv_heads;
    if (s.v[1] != p.kv_len) {
      fail_input(
          str_cat("K and V sequence lengths differ: ", shape_str(s.k), " and ", shape_str(s.v)));
    }
  } else {
    if (params.heads_attrs_forbidden_for_4d && (params.q_num_heads || params.kv_num_heads)) {
      fail_input("q_num_heads and kv_num_heads must not be given for 4-D inputs");
    }
    p.q_heads = s.q[1];
    p.kv_heads = s.k[1];
    p.q_len = s.q[2];
    p.kv_len = s.k[2];
    p.head_size = s.q[3];
    p.v_head_size = s.v[3];
    if (s.k[3] != p.head_size || s.v[1] != p.kv_heads || s.v[2] != p.kv_len) {
      fail_input(str_cat("K ", shape_str(s.k), " and V ", shape_str(s.v), " do not match Q ",
                         shape_str(s.q)));
    }
  }
  if (p.q_heads <= 0 || p.kv_heads <= 0 || p.q_heads % p.kv_heads != 0) {
    fail_input(str_cat("q heads (", p.q_heads, ") must be a positive multiple of kv heads (",
                       p.kv_heads, ")"));
  }
  if (s.past_key.has_value() != s.past_value.has_value()) {
    fail_input("past_key and past_value must be given together");
  }
  if (s.past_key) {
    if (s.nonpad_kv_seqlen) fail_input("nonpad_kv_seqlen cannot be combined with a past cache");
    const ShapeSpan pk = *s.past_key, pv = *s.past_value;
    p.past_len = pk.size() == 4 ? pk[2] : -1;
    const Shape want_k{p.batch, p.kv_heads, p.past_len, p.head_size};
    const Shape want_v{p.batch, p.kv_heads, p.past_len, p.v_head_size};
    if (!std::equal(pk.begin(), pk.end(), want_k.begin(), want_k.end()) ||
        !std::equal(pv.begin(), pv.end(), want_v.begin(), want_v.end())) {
      fail_input(str_cat("past_key ", shape_str(pk), " and past_value ", shape_str(pv),
                         " must be [batch, kv_heads, past_len, head_size] matching K and V"));
    }
  }
  if (s.nonpad_kv_seqlen) {
    const ShapeSpan n = *s.nonpad_kv_seqlen;
    if (n.size() != 1 || n[0] != p.batch) {
      fail_input(str_cat("nonpad_kv_seqlen must have shape [", p.batch, "], got ", shape_str(n)));
    }
  }
  p.total_len = checked_add(p.past_len, p.kv_len);
  if (s.mask) {
    const ShapeSpan m = *s.mask;
    if (m.empty() || m.size() > 4) {
      fail_input(str_cat("attn_mask must have rank 1 to 4, got ", shape_str(m)));
    }
    p.has_mask = true;
    p.mask_len = m.back();
    if (p.mask_len > p.total_len) {
      fail_input(
          str_cat("attn_mask ", shape_str(m), " is longer than the total sequence ", p.total_len));
    }
    // Broadcast against [batch, q_heads, q_len, mask_len], right-aligned.
    const Shape target{p.batch, p.q_heads, p.q_len, p.mask_len};
    const Shape st = broadcast_strides(m, target);
    std::copy(st.begin(), st.end(), p.mask_strides.begin());
  }
  const double scale = params.scale ? static_cast<double>(*params.scale)
                                    : 1.0 / std::sqrt(static_cast<double>(p.head_size));
  p.scale_sqrt = std::sqrt(scale);
  if (p.rank3) {
    p.y_shape = {p.batch, p.q_len, checked_mul(p.q_heads, p.v_head_size)};
  } else {
    p.y_shape = {p.batch, p.q_heads, p.q_len, p.v_head_size};
  }
  p.present_key_shape = {p.batch, p.kv_heads, p.total_len, p.head_size};
  p.present_value_shape = {p.batch, p.kv_heads, p.total_len, p.v_head_size};
  p.qk_shape = {p.batch, p.q_heads, p.q_len, p.total_len};
  for (const Shape* sh : {&p.y_shape, &p.present_key_shape, &p.present_value_shape, &p.qk_shape}) {
    numel(*sh);
  }
  return p;
}

template <typename T>
void attention(const AttentionParams& params, const AttentionPlan& p, const AttentionData<T>& d,
               Precision prec, Precision sm_prec) {
  const int64_t B = p.batch, Hq = p.q_heads, Hkv = p.kv_heads, Sq = p.q_len, Skv = p.kv_len,
                P = p.past_len, Tot = p.total_len, D = p.head_size, Dv = p.v_head_size;
  const T inf = std::numeric_limits<T>::infinity();
  // present = concat(past, new) along the sequence, in [batch, kv_heads, seq, size] layout;
  // 3-D K and V are [batch, seq, kv_heads * size].
  auto gather = [&](const T* past, const T* cur, int64_t size, std::vector<T>& out) {
    out.resize(static_cast<size_t>(B * Hkv * Tot * size));
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t h = 0; h < Hkv; ++h) {
        T* dst = out.data() + (b * Hkv + h) * Tot * size;
        if (past) std::copy_n(past + (b * Hkv + h) * P * size, P * size, dst);
        for (int64_t t = 0; t < Skv; ++t) {
          const T* src = p.rank3 ? cur + ((b * Skv + t) * Hkv + h) * size
                                 : cur + ((b * Hkv + h) * Skv + t) * size;
          std::copy_n(src, size, dst + (P + t) * size);
        }
      }
    }
  };
  std::vector<T> keys, values;
  gather(d.past_key, d.k, D, keys);
  gather(d.past_value, d.v, Dv, values);
  if (d.present_key) std::copy(keys.begin(), keys.end(), d.present_key);
  if (d.present_value) std::copy(values.begin(), values.end(), d.present_value);

  const T s = round_to(prec, static_cast<T>(p.scale_sqrt));
  // K * sqrt(scale), rounded as the reference's elementwise product is.
  for (T& v : keys) v = round_to(prec, v * s);
  const int64_t group = Hq / Hkv;
  std::vector<T> q(static_cast<size_t>(D)), bias(static_cast<size_t>(Tot)),
      scores(static_cast<size_t>(Tot)), probs(static_cast<size_t>(Tot)),
      out(static_cast<size_t>(Dv));
  for (int64_t b = 0; b < B; ++b) {
    // Causal and window masks align the query block to the end of the known keys.
    const int64_t offset = d.nonpad_kv_seqlen ? d.nonpad_kv_seqlen[b] - Sq : P;
    for (int64_t h = 0; h < Hq; ++h) {
      const int64_t kvh = h / group;
      const T* kh = keys.data() + (b * Hkv + kvh) * Tot * D;
      const T* vh = values.data() + (b * Hkv + kvh) * Tot * Dv;
      for (int64_t i = 0; i < Sq; ++i) {
        const T* qi =
            p.rank3 ? d.q + ((b * Sq + i) * Hq + h) * D : d.q + ((b * Hq + h) * Sq + i) * D;
        for (int64_t x = 0; x < D; ++x) q[x] = round_to(prec, qi[x] * s);
        // The additive bias: mask, then causal, window and padding masks.
        bool any_allowed = false;
        for (int64_t j = 0; j < Tot; ++j) {
          T v = 0;
          if (p.has_mask) {
            v = j < p.mask_len ? d.mask[b * p.mask_strides[0] + h * p.mask_strides[1] +
                                        i * p.mask_strides[2] + j * p.mask_strides[3]]
                               : -inf;
          }
          const int64_t diff = i + offset - j;
          if (params.is_causal && diff < 0) v += -inf;
          if ((params.left_window >= 0 && diff > params.left_window) ||
              (params.right_window >= 0 && -diff > params.right_window)) {
            v += -inf;
          }
          if (d.nonpad_kv_seqlen && j >= d.nonpad_kv_seqlen[b]) v += -inf;
          bias[j] = round_to(prec, v);
          any_allowed = any_allowed || !(bias[j] == -inf);
        }
        for (int64_t j = 0; j < Tot; ++j) {
          const T* kj = kh + j * D;
          T acc = 0;
          for (int64_t x = 0; x < D; ++x) acc += q[x] * kj[x];
          acc = round_to(prec, acc);
          if (params.softcap > 0) {
            const T c = static_cast<T>(params.softcap);
            acc = round_to(prec, round_to(prec, std::tanh(round_to(prec, acc / c))) * c);
          }
          scores[j] = acc;
        }
        T* qk_row = d.qk ? d.qk + ((b * Hq + h) * Sq + i) * Tot : nullptr;
        if (qk_row && params.qk_matmul_output_mode <= 1) std::copy_n(scores.data(), Tot, qk_row);
        for (int64_t j = 0; j < Tot; ++j) scores[j] = round_to(prec, scores[j] + bias[j]);
        if (qk_row && params.qk_matmul_output_mode == 2) std::copy_n(scores.data(), Tot, qk_row);
        // Softmax in the softmax precision; a row with no allowed key is all zeros (decided on
        // the bias, so NaN or infinite scores cannot leak into it).
        if (!any_allowed) {
          std::fill(probs.begin(), probs.end(), T(0));
        } else {
          T mx = -inf;
          for (int64_t j = 0; j < Tot; ++j) mx = std::max(mx, round_to(sm_prec, scores[j]));
          if (mx == -inf) mx = 0;
          T sum = 0;
          for (int64_t j = 0; j < Tot; ++j) {
            probs[j] = round_to(sm_prec, std::exp(round_to(sm_prec, scores[j]) - mx));
            sum += probs[j];
          }
          sum = round_to(sm_prec, sum);
          if (sum == 0) sum = 1;
          for (int64_t j = 0; j < Tot; ++j)
            probs[j] = round_to(prec, round_to(sm_prec, probs[j] / sum));
        }
        if (qk_row && params.qk_matmul_output_mode == 3) std::copy_n(probs.data(), Tot, qk_row);
        std::fill(out.begin(), out.end(), T(0));
        for (int64_t j = 0; j < Tot; ++j) {
          const T pj = probs[j];
          const T* vj = vh + j * Dv;
          for (int64_t x = 0; x < Dv; ++x) out[x] += pj * vj[x];
        }
        T* yi = p.rank3 ? d.y + ((b * Sq + i) * Hq + h) * Dv : d.y + ((b * Hq + h) * Sq + i) * Dv;
        for (int64_t x = 0; x < Dv; ++x) yi[x] = round_to(prec, out[x]);
      }
    }
  }
}

template void attention<float>(const AttentionParams&, const AttentionPlan&,
                               const AttentionData<float>&, Precision, Precision);
template void attention<double>(const AttentionParams&, const AttentionPlan&,
                                const AttentionData<double>&, Precision, Precision);

}  // namespace infer::cpu
