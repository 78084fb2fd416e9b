// The broadcasting binary operators' kernel: c = op(a, b) for a functor of
// kernels/binary_math.h, with numpy broadcasting (or, before opset 7, the legacy
// `broadcast`/`axis` attributes), instantiated once per element type the operator allows.
#ifndef INFER_PLUGINS_CPU_OPS_BINARY_H_
#define INFER_PLUGINS_CPU_OPS_BINARY_H_

#include "kernels/binary_math.h"
#include "ops/unary.h"

namespace infer::cpu {

// How B is broadcast onto A. Opset 7 introduced numpy broadcasting; before, B broadcast only
// with the `broadcast` attribute, as a contiguous block of A's dimensions starting at `axis`
// (default: aligned to the end).
class Broadcasting {
 public:
  static Broadcasting read(const OpContext& ctx);
  // B's shape rewritten so that numpy broadcasting gives the node's semantics.
  Shape b_shape(ShapeSpan a, ShapeSpan b) const;

 private:
  enum Kind { kNumpy, kNone, kLegacyAxis, kLegacySuffix } kind_ = kNumpy;
  int64_t axis_ = 0;
};

template <DtypeMask Mask, typename Op>
class BinaryKernel final : public Kernel {
 public:
  BinaryKernel(Op op, Broadcasting bc) : op_(op), bc_(bc) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    check_same_dtype(a, 0, b, 1);
    const Shape b_shape = bc_.b_shape(a.shape, b.shape);
    const Shape out_shape = broadcast_shapes(a.shape, b_shape);
    dispatch<Mask>(a.dtype, [&](auto tag) {
      using T = decltype(tag);
      binary_broadcast(op_, a.as<T>(), a.shape, b.as<T>(), b_shape,
                       ctx.output<out_t<Op, T>>(0, out_shape), out_shape);
    });
  }

 private:
  Op op_;
  Broadcasting bc_;
};

template <DtypeMask Mask, typename Op>
std::unique_ptr<Kernel> make_binary(const OpContext& ctx, Op op = {}) {
  return std::make_unique<BinaryKernel<Mask, Op>>(op, Broadcasting::read(ctx));
}

// The OpDesc of a binary operator without attributes of its own.
template <DtypeMask Mask, typename Op>
constexpr OpDesc binary_desc(const char* op_type) {
  return {.op_type = op_type,
          .min_inputs = 2,
          .max_inputs = 2,
          .input_dtypes = {Mask, Mask},
          .create = [](const OpContext& ctx) { return make_binary<Mask, Op>(ctx); }};
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_BINARY_H_
