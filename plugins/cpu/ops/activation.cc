// Activations: the unary operators with attributes (alpha, ...), read and checked at compile
// time into the functor's parameters.
#include <cmath>

#include "ops/unary.h"

namespace infer::cpu {
namespace {

float finite_attr(const OpContext& ctx, const char* name, float fallback) {
  const float v = attr_float(ctx, name, fallback);
  if (!std::isfinite(v)) fail_attr(str_cat("attribute '", name, "' must be finite, got ", v));
  return v;
}

std::unique_ptr<Kernel> create_leaky_relu(const OpContext& ctx) {
  return make_unary<kFloats>(fn::LeakyRelu{finite_attr(ctx, "alpha", 0.01f)});
}

std::unique_ptr<Kernel> create_thresholded_relu(const OpContext& ctx) {
  return make_unary<kFloats>(fn::ThresholdedRelu{finite_attr(ctx, "alpha", 1.0f)});
}

std::unique_ptr<Kernel> create_elu(const OpContext& ctx) {
  return make_unary<kFloats>(fn::Elu{finite_attr(ctx, "alpha", 1.0f)});
}

std::unique_ptr<Kernel> create_selu(const OpContext& ctx) {
  const fn::Selu defaults;
  return make_unary<kFloats>(fn::Selu{finite_attr(ctx, "alpha", defaults.alpha),
                                      finite_attr(ctx, "gamma", defaults.gamma)});
}

std::unique_ptr<Kernel> create_celu(const OpContext& ctx) {
  const float alpha = finite_attr(ctx, "alpha", 1.0f);
  if (alpha == 0.0f) fail_attr("attribute 'alpha' must not be 0");
  return make_unary<kFloats>(fn::Celu{alpha});
}

std::unique_ptr<Kernel> create_hard_sigmoid(const OpContext& ctx) {
  return make_unary<kFloats>(
      fn::HardSigmoid{finite_attr(ctx, "alpha", 0.2f), finite_attr(ctx, "beta", 0.5f)});
}

std::unique_ptr<Kernel> create_gelu(const OpContext& ctx) {
  const std::string approximate = attr_string(ctx, "approximate", "none");
  if (approximate == "none") return make_unary<kFloats, fn::Gelu>();
  if (approximate == "tanh") return make_unary<kFloats, fn::GeluTanh>();
  fail_attr(
      str_cat("attribute 'approximate' must be \"none\" or \"tanh\", got \"", approximate, "\""));
}

std::unique_ptr<Kernel> create_swish(const OpContext& ctx) {
  return make_unary<kFloats>(fn::Swish{finite_attr(ctx, "alpha", 1.0f)});
}

std::unique_ptr<Kernel> create_shrink(const OpContext& ctx) {
  return make_unary<kNumeric>(
      fn::Shrink{finite_attr(ctx, "bias", 0.0f), finite_attr(ctx, "lambd", 0.5f)});
}

}  // namespace

// Relu: floats, and signed integers since opset 14.
constinit const OpDesc kOpRelu = unary_desc<kFloats | kSignedInts, fn::Relu>("Relu");
constinit const OpDesc kOpHardSwish = unary_desc<kFloats, fn::HardSwish>("HardSwish");
constinit const OpDesc kOpMish = unary_desc<kFloats, fn::Mish>("Mish");
constinit const OpDesc kOpLeakyRelu = {
    .op_type = "LeakyRelu", .input_dtypes = {kFloats}, .create = &create_leaky_relu};
constinit const OpDesc kOpThresholdedRelu = {
    .op_type = "ThresholdedRelu", .input_dtypes = {kFloats}, .create = &create_thresholded_relu};
constinit const OpDesc kOpElu = {
    .op_type = "Elu", .input_dtypes = {kFloats}, .create = &create_elu};
constinit const OpDesc kOpSelu = {
    .op_type = "Selu", .input_dtypes = {kFloats}, .create = &create_selu};
constinit const OpDesc kOpCelu = {
    .op_type = "Celu", .input_dtypes = {kFloats}, .create = &create_celu};
constinit const OpDesc kOpHardSigmoid = {
    .op_type = "HardSigmoid", .input_dtypes = {kFloats}, .create = &create_hard_sigmoid};
constinit const OpDesc kOpGelu = {
    .op_type = "Gelu", .input_dtypes = {kFloats}, .create = &create_gelu};
constinit const OpDesc kOpSwish = {
    .op_type = "Swish", .input_dtypes = {kFloats}, .create = &create_swish};
constinit const OpDesc kOpShrink = {
    .op_type = "Shrink", .input_dtypes = {kNumeric}, .create = &create_shrink};

}  // namespace infer::cpu
