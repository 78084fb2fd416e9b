// CausalConvWithState (opset 27): stateful causal depthwise 1-D convolution with an optional
// fused SiLU, returning the output and the last k - 1 positions as the next state.
#include "kernels/causal_conv_with_state.h"

#include <algorithm>

#include "ops/op.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kCausalConvDtypes = kF32 | kF16 | kBF16;

bool same_shape(ShapeSpan a, std::initializer_list<int64_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

class CausalConvKernel final : public Kernel {
 public:
  explicit CausalConvKernel(bool silu) : silu_(silu) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& w = ctx.input(1);
    const Tensor* bias = ctx.input_count() > 2 && ctx.input(2).present() ? &ctx.input(2) : nullptr;
    const Tensor* past = ctx.input_count() > 3 && ctx.input(3).present() ? &ctx.input(3) : nullptr;
    if (x.shape.size() != 3) {
      fail_input(
          str_cat("input must be rank 3 (batch, channels, length), got ", shape_str(x.shape)));
    }
    CausalConvDims d{x.shape[0], x.shape[1], x.shape[2], 1};
    if (w.shape.size() != 3 || w.shape[0] != d.channels || w.shape[1] != 1 || w.shape[2] < 1) {
      fail_input(str_cat("weight must have shape (", d.channels, ", 1, k) with k >= 1, got ",
                         shape_str(w.shape)));
    }
    d.k = w.shape[2];
    for (const Tensor* t : {&w, bias, past}) {
      if (t && t->dtype != x.dtype) fail_input("all inputs must have the same dtype");
    }
    if (bias && !same_shape(bias->shape, {d.channels})) {
      fail_input(str_cat("bias must have shape (", d.channels, "), got ", shape_str(bias->shape)));
    }
    const Shape state_shape{d.batch, d.channels, d.k - 1};
    if (past && !same_shape(past->shape, {d.batch, d.channels, d.k - 1})) {
      fail_input(str_cat("past_state must have shape ", shape_str(state_shape), ", got ",
                         shape_str(past->shape)));
    }
    visit_dtype<kCausalConvDtypes>(x.dtype, [&]<typename T>(T) {
      T* y = ctx.output<T>(0, x.shape);
      T* present = ctx.output<T>(1, state_shape);
      causal_conv_with_state<T>(d, x.as<T>(), w.as<T>(), bias ? bias->as<T>() : nullptr,
                                past ? past->as<T>() : nullptr, silu_, y, present);
    });
  }

 private:
  bool silu_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const std::string activation = attr_string(ctx, "activation", "none");
  if (activation != "none" && activation != "silu" && activation != "swish") {
    fail_attr(str_cat("attribute 'activation' must be 'none', 'silu' or 'swish', got '", activation,
                      "'"));
  }
  return std::make_unique<CausalConvKernel>(activation != "none");
}

}  // namespace

constinit const OpDesc kOpCausalConvWithState = {
    .op_type = "CausalConvWithState",
    .min_inputs = 2,
    .max_inputs = 4,
    .input_dtypes = {kCausalConvDtypes, kCausalConvDtypes, kCausalConvDtypes, kCausalConvDtypes},
    .max_outputs = 2,
    .create = &create};

}  // namespace infer::cpu
