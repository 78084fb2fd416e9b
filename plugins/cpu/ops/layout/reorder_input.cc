// com.infer ReorderInput: NCHW -> NCHWc at the entry of a blocked region.
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class ReorderInputKernel final : public Kernel {
 public:
  ReorderInputKernel(int64_t block, int64_t channels) : block_(block), channels_(channels) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    // The pass records the channel count it planned the blocked shape for.
    if (channels_ > 0 && (x.shape.size() != 4 || x.shape[1] != channels_)) {
      fail_input(str_cat("input ", shape_str(x.shape), " does not have the ", channels_,
                         " channels of attribute 'channels'"));
    }
    const Shape y_shape = nchwc_shape(x.shape, block_);
    nchwc_reorder_input(x.as<float>(), x.shape, block_, ctx.output<float>(0, y_shape));
  }

 private:
  int64_t block_;
  int64_t channels_;  // 0 when not given
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<ReorderInputKernel>(nchwc_block_attr(ctx), attr_int(ctx, "channels", 0));
}

}  // namespace

constinit const OpDesc kOpReorderInput = {
    .op_type = "ReorderInput", .domain = kInferDomain, .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
