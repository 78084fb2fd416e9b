#include "kernels/det.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class DetKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape y_shape = det_shape(x.shape);
    visit_dtype<kFloats>(
        x.dtype, [&]<typename T>(T) { det<T>(x.as<T>(), x.shape, ctx.output<T>(0, y_shape)); });
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<DetKernel>(); }

}  // namespace

constinit const OpDesc kOpDet = {.op_type = "Det", .input_dtypes = {kFloats}, .create = &create};

}  // namespace infer::cpu
