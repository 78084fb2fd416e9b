#include "kernels/quantize.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class DynamicQuantizeLinearKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int64_t n = numel(x.shape);
    const float* xs = x.as<float>();
    const DynamicQuantParams p = dynamic_quant_params(xs, n);
    uint8_t* y = ctx.output<uint8_t>(0, x.shape);
    const auto zp = static_cast<int64_t>(p.zero_point);
    for (int64_t i = 0; i < n; ++i) {
      // The division is in float32, as in ONNX's reference.
      y[i] = static_cast<uint8_t>(quantize_value(xs[i] / p.scale, zp, 0, 255));
    }
    *ctx.output<float>(1, {}) = p.scale;
    *ctx.output<uint8_t>(2, {}) = static_cast<uint8_t>(zp);
  }
};

std::unique_ptr<Kernel> create(const OpContext&) {
  return std::make_unique<DynamicQuantizeLinearKernel>();
}

}  // namespace

constinit const OpDesc kOpDynamicQuantizeLinear = {.op_type = "DynamicQuantizeLinear",
                                                   .input_dtypes = {kF32},
                                                   .max_outputs = 3,
                                                   .create = &create};

}  // namespace infer::cpu
