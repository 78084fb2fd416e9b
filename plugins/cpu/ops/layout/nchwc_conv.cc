// com.infer NchwcConv: Conv (groups 1 or depthwise) on a blocked input, producing a blocked
// output. Inputs X (blocked, or NCHW for a first conv with few channels), W [M, C/group, KH, KW]
// and B [M] in their original layout, optional Z (blocked like Y) added before `activation`.
#include <algorithm>
#include <optional>

#include "ops/fused/activation_attrs.h"
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

// The weights of a node as float data when the graph holds them as constants.
std::optional<Tensor> constant_input(const OpContext& ctx, size_t i) {
  if (!ctx.node.has_input(i)) return Tensor{};
  const infer_value_info info = ctx.node.value(ctx.node.input(i));
  if (!info.is_constant) return std::nullopt;
  const infer_tensor_view& c = info.constant;
  return Tensor{c.dtype, ShapeSpan(c.shape, c.rank), c.data};
}

NchwcConvWeights pack(const Tensor& w, const Tensor& b, int64_t group, int64_t block) {
  if (b.present() && (b.shape.size() != 1 || w.shape.empty() || b.shape[0] != w.shape[0])) {
    fail_input(str_cat("bias ", shape_str(b.shape), " does not match weight ", shape_str(w.shape)));
  }
  return pack_nchwc_conv_weights(w.as<float>(), w.shape, b.present() ? b.as<float>() : nullptr,
                                 group, block);
}

class NchwcConvKernel final : public Kernel {
 public:
  NchwcConvKernel(ConvParams params, FusedActivation act, int64_t block,
                  std::optional<NchwcConvWeights> weights)
      : params_(std::move(params)), act_(act), block_(block), weights_(std::move(weights)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    // Weights that were not constants at compile time are packed on every run.
    std::optional<NchwcConvWeights> packed;
    if (!weights_) packed = pack(ctx.input(1), ctx.input(2), params_.group, block_);
    const NchwcConvWeights& w = weights_ ? *weights_ : *packed;
    const NchwcConvPlan plan = plan_nchwc_conv(params_, x.shape, w);
    const Tensor* z = ctx.input_count() > 3 && ctx.input(3).present() ? &ctx.input(3) : nullptr;
    if (z && !std::ranges::equal(z->shape, plan.y_shape)) {
      fail_input(str_cat("Z ", shape_str(z->shape), " must have the blocked output shape ",
                         shape_str(plan.y_shape)));
    }
    nchwc_conv(plan, w, x.as<float>(), z ? z->as<float>() : nullptr, act_,
               ctx.output<float>(0, plan.y_shape));
  }

 private:
  ConvParams params_;
  FusedActivation act_;
  int64_t block_;
  std::optional<NchwcConvWeights> weights_;  // packed at compile time
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = nchwc_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, 2);
  const FusedActivation act = read_fused_activation(ctx);
  const int64_t block = nchwc_block_attr(ctx);
  std::optional<NchwcConvWeights> weights;
  const std::optional<Tensor> w = constant_input(ctx, 1), b = constant_input(ctx, 2);
  if (w && b) weights = pack(*w, *b, p.group, block);
  return std::make_unique<NchwcConvKernel>(std::move(p), act, block, std::move(weights));
}

}  // namespace

constinit const OpDesc kOpNchwcConv = {.op_type = "NchwcConv",
                                       .domain = kInferDomain,
                                       .min_inputs = 2,
                                       .max_inputs = 4,
                                       .input_dtypes = {kF32, kF32, kF32, kF32},
                                       .create = &create};

}  // namespace infer::cpu
