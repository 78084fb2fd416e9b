// The unary elementwise operators' kernel: y = op(x) for a functor of kernels/unary_math.h,
// instantiated once per element type the operator allows.
#ifndef INFER_PLUGINS_CPU_OPS_UNARY_H_
#define INFER_PLUGINS_CPU_OPS_UNARY_H_

#include "kernels/elementwise.h"
#include "kernels/unary_math.h"
#include "ops/op.h"

namespace infer::cpu {

// visit_dtype over Mask; a type outside it (the partition checks input types against the
// OpDesc, so only a kernel bug gets here) is an error rather than a silent no-op.
template <DtypeMask Mask, typename Fn>
void dispatch(infer_dtype dtype, Fn&& fn) {
  if (!visit_dtype<Mask>(dtype, fn)) {
    fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported, expected ",
                       dtype_mask_str(Mask)));
  }
}

// Inputs that the operator's type constraint ties together must have one type.
void check_same_dtype(const Tensor& a, size_t a_index, const Tensor& b, size_t b_index);

template <DtypeMask Mask, typename Op>
class UnaryKernel final : public Kernel {
 public:
  explicit UnaryKernel(Op op) : op_(op) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int64_t n = numel(x.shape);
    dispatch<Mask>(x.dtype, [&](auto tag) {
      using T = decltype(tag);
      unary_map(op_, x.as<T>(), ctx.output<out_t<Op, T>>(0, x.shape), n);
    });
  }

 private:
  Op op_;
};

template <DtypeMask Mask, typename Op>
std::unique_ptr<Kernel> make_unary(Op op = {}) {
  return std::make_unique<UnaryKernel<Mask, Op>>(op);
}

// The OpDesc of a unary operator without attributes.
template <DtypeMask Mask, typename Op>
constexpr OpDesc unary_desc(const char* op_type) {
  return {.op_type = op_type, .input_dtypes = {Mask}, .create = [](const OpContext&) {
            return make_unary<Mask, Op>();
          }};
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_UNARY_H_
