// Pow: the exponent may have another type than the base; the result has the base's type.
#include "ops/binary.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kBaseDtypes = kFloats | kI32 | kI64;

class PowKernel final : public Kernel {
 public:
  explicit PowKernel(Broadcasting bc) : bc_(bc) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Shape b_shape = bc_.b_shape(a.shape, b.shape);
    const Shape out_shape = broadcast_shapes(a.shape, b_shape);
    dispatch<kBaseDtypes>(a.dtype, [&](auto base_tag) {
      using A = decltype(base_tag);
      A* out = ctx.output<A>(0, out_shape);
      dispatch<kNumeric>(b.dtype, [&](auto exp_tag) {
        using B = decltype(exp_tag);
        binary_broadcast(fn::Pow{}, a.as<A>(), a.shape, b.as<B>(), b_shape, out, out_shape);
      });
    });
  }

 private:
  Broadcasting bc_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<PowKernel>(Broadcasting::read(ctx));
}

}  // namespace

constinit const OpDesc kOpPow = {.op_type = "Pow",
                                 .min_inputs = 2,
                                 .max_inputs = 2,
                                 .input_dtypes = {kBaseDtypes, kNumeric},
                                 .create = &create};

}  // namespace infer::cpu
