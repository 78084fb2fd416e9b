// com.infer ScaledDotProductAttention(Q, Kt, V, mask?): Y = softmax(scale * Q.Kt + mask) . V
// over the last axis, made by attention_fusion from the MatMul / scale / Add / Softmax / MatMul
// chain of exported attention blocks. Q [..., Sq, D], Kt [..., D, Sk] (K already transposed),
// V [..., Sk, Dv]; everything broadcasts exactly as in the unfused chain (MatMul batch
// dimensions, the mask Add), so the pass needs no shape knowledge.
// Reference kernel: the scores are materialised and transformed in place.
#include <algorithm>
#include <vector>

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
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
