#include "kernels/elementwise.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class ReluKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    relu(x.as<float>(), ctx.output<float>(0, x.shape), numel(x.shape));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<ReluKernel>(); }

}  // namespace

constinit const OpDesc kOpRelu = {.op_type = "Relu", .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
