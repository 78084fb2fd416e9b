// com.infer Gelu: the exact (erf) form 0.5 * x * (1 + erf(x / sqrt(2))), made by gelu_fusion
// for graphs whose opset predates the standard Gelu (20).
#include "ops/fused/activation_attrs.h"

namespace infer::cpu {
namespace {

class GeluKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    fused_activation({FusedActivationKind::kGelu}, x.as<float>(), ctx.output<float>(0, x.shape),
                     numel(x.shape));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<GeluKernel>(); }

}  // namespace

constinit const OpDesc kOpInferGelu = {
    .op_type = "Gelu", .domain = kInferDomain, .input_dtypes = {kF32}, .create = &create};

}  // namespace infer::cpu
