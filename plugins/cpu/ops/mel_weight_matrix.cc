#include "kernels/signal.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class MelWeightMatrixKernel final : public Kernel {
 public:
  explicit MelWeightMatrixKernel(infer_dtype dtype) : dtype_(dtype) {}

  void run(KernelContext& ctx) const override {
    const Tensor& lower = ctx.input(3);
    const Tensor& upper = ctx.input(4);
    const bool single = lower.dtype != INFER_DTYPE_FLOAT64 && upper.dtype != INFER_DTYPE_FLOAT64;
    const MelPlan plan = plan_mel_weight_matrix(
        scalar_int(ctx.input(0), "num_mel_bins"), scalar_int(ctx.input(1), "dft_length"),
        scalar_int(ctx.input(2), "sample_rate"), scalar_float(lower, "lower_edge_hertz"),
        scalar_float(upper, "upper_edge_hertz"), single);
    std::vector<double> y(static_cast<size_t>(numel(plan.y_shape)));
    mel_weight_matrix(plan, y.data());
    write_output(ctx, 0, dtype_, plan.y_shape, y);
  }

 private:
  infer_dtype dtype_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<MelWeightMatrixKernel>(
      dtype_attr(ctx, "output_datatype", INFER_DTYPE_FLOAT32, kNumeric));
}

}  // namespace

constinit const OpDesc kOpMelWeightMatrix = {
    .op_type = "MelWeightMatrix",
    .min_inputs = 5,
    .max_inputs = 5,
    .input_dtypes = {kI32 | kI64, kI32 | kI64, kI32 | kI64, kFloats, kFloats},
    .create = &create};

}  // namespace infer::cpu
