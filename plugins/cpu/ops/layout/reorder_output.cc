// com.infer ReorderOutput: NCHWc -> NCHW at the exit of a blocked region; `channels` is the
// real channel count, which drops the padded lanes of the last block.
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class ReorderOutputKernel final : public Kernel {
 public:
  explicit ReorderOutputKernel(int64_t channels) : channels_(channels) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape y_shape = nchwc_reorder_output_shape(x.shape, channels_);
    nchwc_reorder_output(x.as<float>(), x.shape, channels_, ctx.output<float>(0, y_shape));
  }

 private:
  int64_t channels_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t channels = attr_int(ctx, "channels", 0);
  if (channels <= 0) fail_attr(str_cat("attribute 'channels' must be > 0, got ", channels));
  return std::make_unique<ReorderOutputKernel>(channels);
}

}  // namespace

constinit const OpDesc kOpReorderOutput = {
    .op_type = "ReorderOutput", .domain = kInferDomain, .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
