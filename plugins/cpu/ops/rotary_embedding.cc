#include "kernels/rotary_embedding.h"

#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class RotaryEmbeddingKernel final : public Kernel {
 public:
  explicit RotaryEmbeddingKernel(RotaryParams params) : params_(params) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& cos = ctx.input(1);
    const Tensor& sin = ctx.input(2);
    const Tensor* ids = ctx.input_count() > 3 && ctx.input(3).present() ? &ctx.input(3) : nullptr;
    if (cos.dtype != x.dtype || sin.dtype != x.dtype) {
      fail_input("cos_cache and sin_cache must have the input's type");
    }
    const RotaryPlan plan = plan_rotary(params_, x.shape, cos.shape, sin.shape,
                                        ids ? std::optional(ids->shape) : std::nullopt);
    visit_compute_type(x.dtype, [&]<typename T>(T) {
      const std::vector<T> xv = to_vector<T>(x), cv = to_vector<T>(cos), sv = to_vector<T>(sin);
      std::vector<T> y(xv.size());
      rotary_embedding(params_, plan, xv.data(), cv.data(), sv.data(),
                       ids ? ids->as<int64_t>() : nullptr, y.data(), precision_of(x.dtype));
      write_output(ctx, 0, x.dtype, x.shape, y);
    });
  }

 private:
  RotaryParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  RotaryParams p;
  p.num_heads = attr_int(ctx, "num_heads", 0);
  p.rotary_dim = attr_int(ctx, "rotary_embedding_dim", 0);
  p.interleaved = attr_bool(ctx, "interleaved", false);
  if (p.num_heads < 0 || p.rotary_dim < 0) {
    fail_attr("num_heads and rotary_embedding_dim must not be negative");
  }
  return std::make_unique<RotaryEmbeddingKernel>(p);
}

}  // namespace

constinit const OpDesc kOpRotaryEmbedding = {
    .op_type = "RotaryEmbedding",
    .min_inputs = 3,
    .max_inputs = 4,
    .input_dtypes = {kF32 | kF16 | kBF16, kF32 | kF16 | kBF16, kF32 | kF16 | kBF16, kI64},
    .create = &create};

}  // namespace infer::cpu
