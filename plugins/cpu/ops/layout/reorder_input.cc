// com.infer ReorderInput: NCHW -> NCHWc at the entry of a blocked region.
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class ReorderInputKernel final : public Kernel {
 public:
  explicit ReorderInputKernel(int64_t block) : block_(block) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape y_shape = nchwc_shape(x.shape, block_);
    nchwc_reorder_input(x.as<float>(), x.shape, block_, ctx.output<float>(0, y_shape));
  }

 private:
  int64_t block_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<ReorderInputKernel>(nchwc_block_attr(ctx));
}

}  // namespace

constinit const OpDesc kOpReorderInput = {
    .op_type = "ReorderInput", .domain = kInferDomain, .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
