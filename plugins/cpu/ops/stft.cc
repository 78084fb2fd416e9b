#include "kernels/signal.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class StftKernel final : public Kernel {
 public:
  explicit StftKernel(bool onesided) : onesided_(onesided) {}

  void run(KernelContext& ctx) const override {
    const Tensor& signal = ctx.input(0);
    const int64_t step = scalar_int(ctx.input(1), "frame_step");
    const Tensor* window =
        ctx.input_count() > 2 && ctx.input(2).present() ? &ctx.input(2) : nullptr;
    std::optional<int64_t> frame_length;
    if (ctx.input_count() > 3 && ctx.input(3).present()) {
      frame_length = scalar_int(ctx.input(3), "frame_length");
    }
    if (window && window->dtype != signal.dtype) {
      fail_input(str_cat("window has type ", plugin::dtype_name(window->dtype), ", the signal ",
                         plugin::dtype_name(signal.dtype)));
    }
    const StftPlan plan =
        plan_stft(signal.shape, step, window ? std::optional(window->shape) : std::nullopt,
                  frame_length, onesided_);
    const std::vector<double> s = to_vector<double>(signal);
    const std::vector<double> w = window ? to_vector<double>(*window) : std::vector<double>{};
    std::vector<double> out(static_cast<size_t>(numel(plan.y_shape)));
    stft(plan, s.data(), window ? w.data() : nullptr, out.data());
    write_output(ctx, 0, signal.dtype, plan.y_shape, out);
  }

 private:
  bool onesided_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<StftKernel>(attr_bool(ctx, "onesided", true));
}

}  // namespace

constinit const OpDesc kOpSTFT = {.op_type = "STFT",
                                  .min_inputs = 2,
                                  .max_inputs = 4,
                                  .input_dtypes = {kFloats, kI32 | kI64, kFloats, kI32 | kI64},
                                  .create = &create};

}  // namespace infer::cpu
