#include "ops/op.h"

namespace infer::cpu {
namespace {

class IdentityKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    copy_to_output(ctx, x, x.shape);
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<IdentityKernel>(); }

}  // namespace

// Sequences and optionals (opset 14/16) are not tensors and are refused by the dtype check.
constinit const OpDesc kOpIdentity = {
    .op_type = "Identity", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
