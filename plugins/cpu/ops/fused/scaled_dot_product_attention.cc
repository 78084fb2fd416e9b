// com.infer ScaledDotProductAttention(Q, Kt, V, mask?): Y = softmax(scale * Q.Kt + mask) . V
// over the last axis, made by attention_fusion from the MatMul / scale / Add / Softmax / MatMul
// chain of exported attention blocks. Q [..., Sq, D], Kt [..., D, Sk] (K already transposed),
// V [..., Sk, Dv]; everything broadcasts exactly as in the unfused chain (MatMul batch
// dimensions, the mask Add), so the pass needs no shape knowledge.
// When Q, Kt and V have the same batch dimensions and the mask does not grow the scores (the
// exported encoders), each (batch, head) runs on its own thread through scores in a per-thread
// buffer that stays in cache; otherwise the scores are materialised whole (reference path).
#include <algorithm>
#include <ranges>
#include <vector>

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "kernels/softmax.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class SdpaKernel final : public Kernel {
 public:
  explicit SdpaKernel(float scale) : scale_(scale) {}

  void run(KernelContext& ctx) const override {
    const Tensor& q = ctx.input(0);
    const Tensor& kt = ctx.input(1);
    const Tensor& v = ctx.input(2);
    const Tensor& mask = ctx.input(3);
    const MatMulPlan qk = plan_matmul(q.shape, kt.shape);
    if (run_per_head(ctx, qk)) return;
    Shape s_shape = qk.y_shape;
    std::vector<float> scores(static_cast<size_t>(numel(s_shape)));
    matmul<float>(qk, q.as<float>(), kt.as<float>(), scores.data());
    const float s = scale_;
    if (mask.present()) {
      // The mask may even grow the scores (it did in the unfused Add).
      const Shape m_shape = broadcast_shapes(s_shape, mask.shape);
      std::vector<float> masked(static_cast<size_t>(numel(m_shape)));
      binary_broadcast([s](float a, float m) { return a * s + m; }, scores.data(), s_shape,
                       mask.as<float>(), mask.shape, masked.data(), m_shape);
      scores = std::move(masked);
      s_shape = m_shape;
    } else if (s != 1.0f) {
      for (float& x : scores) x *= s;
    }
    if (!scores.empty()) {
      softmax<float>(scores.data(), scores.data(), softmax_dims(s_shape, -1, false));
    }
    const MatMulPlan av = plan_matmul(s_shape, v.shape);
    matmul<float>(av, scores.data(), v.as<float>(), ctx.output<float>(0, av.y_shape));
  }

 private:
  // True when every operand holds one matrix per batch index (rank >= 3, no broadcasting).
  static bool dense_batches(const MatMulPlan& p, ShapeSpan a, ShapeSpan b) {
    if (p.batch_shape.empty() || a.size() < 3 || a.size() != b.size()) return false;
    return std::ranges::equal(a.first(a.size() - 2), p.batch_shape) &&
           std::ranges::equal(b.first(b.size() - 2), p.batch_shape);
  }

  bool run_per_head(KernelContext& ctx, const MatMulPlan& qk) const {
    const Tensor& q = ctx.input(0);
    const Tensor& kt = ctx.input(1);
    const Tensor& v = ctx.input(2);
    const Tensor& mask = ctx.input(3);
    if (!dense_batches(qk, q.shape, kt.shape)) return false;
    const Shape& s_shape = qk.y_shape;
    const MatMulPlan av = plan_matmul(s_shape, v.shape);
    if (!dense_batches(av, s_shape, v.shape)) return false;
    Shape m_strides;
    if (mask.present()) {
      if (broadcast_shapes(s_shape, mask.shape) != s_shape) return false;
      m_strides = broadcast_strides(mask.shape, s_shape);
    }
    const int64_t sq = qk.m, sk = qk.n, d = qk.k, dv = av.n, batches = numel(qk.batch_shape);
    float* y = ctx.output<float>(0, av.y_shape);
    if (numel(av.y_shape) == 0) return true;
    const float* qd = q.as<float>();
    const float* kd = kt.as<float>();
    const float* vd = v.as<float>();
    const float* md = mask.present() ? mask.as<float>() : nullptr;
    const size_t rank = s_shape.size();
    parallel_for(batches, 1, [&](int64_t b0, int64_t b1) {
      thread_local std::vector<float> scores;
      scores.resize(static_cast<size_t>(sq * sk));
      for (int64_t bi = b0; bi < b1; ++bi) {
        gemm<float>(false, false, sq, sk, d, scale_, qd + bi * sq * d, d, kd + bi * d * sk, sk,
                    0.0f, scores.data(), sk);
        if (md) {
          // The mask's offset for this batch index, then its row and column strides.
          int64_t off = 0;
          for (int64_t rest = bi, dim = static_cast<int64_t>(rank) - 3; dim >= 0; --dim) {
            const auto u = static_cast<size_t>(dim);
            off += rest % s_shape[u] * m_strides[u];
            rest /= s_shape[u];
          }
          const int64_t si = m_strides[rank - 2], sj = m_strides[rank - 1];
          for (int64_t i = 0; i < sq; ++i) {
            float* row = scores.data() + i * sk;
            const float* mrow = md + off + i * si;
            for (int64_t j = 0; j < sk; ++j) row[j] += mrow[j * sj];
          }
        }
        softmax<float>(scores.data(), scores.data(), SoftmaxDims{sq, sk, 1});
        gemm<float>(false, false, sq, dv, sk, 1.0f, scores.data(), sk, vd + bi * sk * dv, dv, 0.0f,
                    y + bi * sq * dv, dv);
      }
    });
    return true;
  }

  float scale_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<SdpaKernel>(attr_float(ctx, "scale", 1.0f));
}

}  // namespace

constinit const OpDesc kOpScaledDotProductAttention = {.op_type = "ScaledDotProductAttention",
                                                       .domain = kInferDomain,
                                                       .min_inputs = 3,
                                                       .max_inputs = 4,
                                                       .input_dtypes = {kF32, kF32, kF32, kF32},
                                                       .create = &create};

}  // namespace infer::cpu
