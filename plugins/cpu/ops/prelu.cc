// PRelu: y = x > 0 ? x : x * slope, slope broadcast unidirectionally to x (before opset 7,
// a 1-D slope is one value per channel).
#include "ops/binary.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kPReluDtypes = kFloats | kI32 | kI64 | kU32 | kU64;

class PReluKernel final : public Kernel {
 public:
  explicit PReluKernel(bool legacy) : legacy_(legacy) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& slope = ctx.input(1);
    check_same_dtype(x, 0, slope, 1);
    Shape slope_shape(slope.shape.begin(), slope.shape.end());
    if (legacy_) slope_shape = legacy_slope_shape(x.shape, slope.shape);
    dispatch<kPReluDtypes>(x.dtype, [&](auto tag) {
      using T = decltype(tag);
      // The output has x's shape: broadcast_strides refuses a slope that does not fit it.
      binary_broadcast(fn::PRelu{}, x.as<T>(), x.shape, slope.as<T>(), slope_shape,
                       ctx.output<T>(0, x.shape), x.shape);
    });
  }

 private:
  // Before opset 7: one value, one per channel (dimension 1), or numpy broadcasting.
  static Shape legacy_slope_shape(ShapeSpan x, ShapeSpan slope) {
    if (numel(slope) == 1) return {};
    if (slope.size() == 1 && x.size() >= 2 && slope[0] == x[1]) {
      Shape s(x.size() - 1, 1);
      s[0] = slope[0];
      return s;
    }
    return Shape(slope.begin(), slope.end());
  }

  bool legacy_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<PReluKernel>(ctx.opset < 7);
}

}  // namespace

constinit const OpDesc kOpPRelu = {.op_type = "PRelu",
                                   .min_inputs = 2,
                                   .max_inputs = 2,
                                   .input_dtypes = {kPReluDtypes, kPReluDtypes},
                                   .create = &create};

}  // namespace infer::cpu
