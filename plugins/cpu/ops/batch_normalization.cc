#include "kernels/batch_norm.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class BatchNormKernel final : public Kernel {
 public:
  explicit BatchNormKernel(float epsilon) : epsilon_(epsilon) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor &scale = ctx.input(1), &bias = ctx.input(2), &mean = ctx.input(3),
                 &var = ctx.input(4);
    check_batch_norm_shapes(x.shape, scale.shape, bias.shape, mean.shape, var.shape);
    batch_norm(x.as<float>(), x.shape, scale.as<float>(), bias.as<float>(), mean.as<float>(),
               var.as<float>(), epsilon_, ctx.output<float>(0, x.shape));
  }

 private:
  float epsilon_;
};

// Only the inference form: training statistics and the pre-opset-9 per-element mode are not.
void check(const OpContext& ctx) {
  if (attr_int(ctx, "training_mode", 0) != 0) {
    fail(INFER_UNIMPLEMENTED, "training_mode is not supported by the cpu backend");
  }
  if (ctx.opset < 9 && attr_int(ctx, "spatial", 1) == 0) {
    fail(INFER_UNIMPLEMENTED, "spatial = 0 is not supported by the cpu backend");
  }
}

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const float epsilon = attr_float(ctx, "epsilon", 1e-5f);
  if (!(epsilon >= 0.0f)) fail_attr(str_cat("attribute 'epsilon' must be >= 0, got ", epsilon));
  return std::make_unique<BatchNormKernel>(epsilon);
}

}  // namespace

constinit const OpDesc kOpBatchNormalization = {.op_type = "BatchNormalization",
                                                .min_inputs = 5,
                                                .max_inputs = 5,
                                                .input_dtypes = {kF32},
                                                .create = &create,
                                                .check = &check};

}  // namespace infer::cpu
