#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class GlobalAveragePoolKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape y_shape = global_pool_shape(x.shape);
    global_average_pool(x.as<float>(), x.shape, ctx.output<float>(0, y_shape));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) {
  return std::make_unique<GlobalAveragePoolKernel>();
}

}  // namespace

constinit const OpDesc kOpGlobalAveragePool = {
    .op_type = "GlobalAveragePool", .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
