// com.infer NchwcConv: Conv (groups 1 or depthwise) on a blocked input, producing a blocked
// output. Inputs X (blocked, or NCHW for a first conv with few channels), W [M, C/group, KH, KW]
// and B [M] in their original layout, optional Z (blocked like Y) added before `activation`.
// 3x3 stride-1 convolutions with constant weights run the Winograd kernel.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "kernels/nchwc_winograd.h"
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

void check_bias(const Tensor& w, const Tensor& b) {
  if (b.present() && (b.shape.size() != 1 || w.shape.empty() || b.shape[0] != w.shape[0])) {
    fail_input(str_cat("bias ", shape_str(b.shape), " does not match weight ", shape_str(w.shape)));
  }
}

NchwcConvWeights pack(const Tensor& w, const Tensor& b, int64_t group, int64_t block) {
  check_bias(w, b);
  return pack_nchwc_conv_weights(w.as<float>(), w.shape, b.present() ? b.as<float>() : nullptr,
                                 group, block);
}

class NchwcConvKernel final : public Kernel {
 public:
  NchwcConvKernel(ConvParams params, FusedActivation act, int64_t block,
                  std::optional<NchwcConvWeights> weights,
                  std::optional<NchwcWinogradWeights> winograd)
      : params_(std::move(params)),
        act_(act),
        block_(block),
        weights_(std::move(weights)),
        winograd_(std::move(winograd)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor* z = ctx.input_count() > 3 && ctx.input(3).present() ? &ctx.input(3) : nullptr;
    auto check_z = [&](const NchwcConvPlan& plan) {
      if (z && !std::ranges::equal(z->shape, plan.y_shape)) {
        fail_input(str_cat("Z ", shape_str(z->shape), " must have the blocked output shape ",
                           shape_str(plan.y_shape)));
      }
      return z ? z->as<float>() : nullptr;
    };
    if (winograd_) {
      const NchwcConvPlan plan = plan_nchwc_winograd(params_, x.shape, *winograd_);
      const float* zp = check_z(plan);
      nchwc_winograd_conv(plan, *winograd_, x.as<float>(), zp, act_,
                          ctx.output<float>(0, plan.y_shape));
      return;
    }
    // Weights that were not constants at compile time are packed on every run.
    std::optional<NchwcConvWeights> packed;
    if (!weights_) packed = pack(ctx.input(1), ctx.input(2), params_.group, block_);
    const NchwcConvWeights& w = weights_ ? *weights_ : *packed;
    const NchwcConvPlan plan = plan_nchwc_conv(params_, x.shape, w);
    const float* zp = check_z(plan);
    nchwc_conv(plan, w, x.as<float>(), zp, act_, ctx.output<float>(0, plan.y_shape));
  }

 private:
  ConvParams params_;
  FusedActivation act_;
  int64_t block_;
  std::optional<NchwcConvWeights> weights_;       // packed at compile time
  std::optional<NchwcWinogradWeights> winograd_;  // instead of weights_ when Winograd runs
};

// The op API gives create() no session config, so the switch is the environment:
// INFER_CPU_WINOGRAD=0 (or off) keeps every conv on the direct kernel.
bool winograd_enabled() {
  const char* v = std::getenv("INFER_CPU_WINOGRAD");
  return !v || (std::string_view(v) != "0" && std::string_view(v) != "off");
}

// Fewer channels leave too little GEMM work per transformed tile to pay for the transforms.
constexpr int64_t kWinogradMinChannels = 32;

// Winograd's output tile for this node, or 0 for the direct kernel. Below 20 pixels across
// (ResNet's 14x14 and 7x7 stages) F(4x4) has too few tiles per image to reuse its 2.25x
// larger transformed weights from cache and F(2x2) is faster (and more accurate); an unknown
// size takes F(4x4).
int winograd_tile(const OpContext& ctx, const ConvParams& p, const Tensor& w) {
  if (!winograd_enabled() || !nchwc_winograd_applies(p, w.shape) ||
      w.shape[0] < kWinogradMinChannels || w.shape[1] < kWinogradMinChannels) {
    return 0;
  }
  const infer_value_info x = ctx.node.value(ctx.node.input(0));
  if (x.rank != 5) return 0;  // NCHW input (a first conv) or unknown rank
  constexpr int64_t kSmallImage = 20;
  const bool small = (x.dims[2] != INFER_DIM_DYNAMIC && x.dims[2] < kSmallImage) ||
                     (x.dims[3] != INFER_DIM_DYNAMIC && x.dims[3] < kSmallImage);
  return small ? 2 : 4;
}

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ConvParams p;
  p.window = nchwc_window_attrs(ctx);
  p.group = attr_int(ctx, "group", 1);
  validate_conv_params(p, 2);
  const FusedActivation act = read_fused_activation(ctx);
  const int64_t block = nchwc_block_attr(ctx);
  std::optional<NchwcConvWeights> weights;
  std::optional<NchwcWinogradWeights> winograd;
  const std::optional<Tensor> w = constant_input(ctx, 1), b = constant_input(ctx, 2);
  if (w && b) {
    if (const int tile = winograd_tile(ctx, p, *w)) {
      check_bias(*w, *b);
      winograd = pack_nchwc_winograd_weights(w->as<float>(), w->shape,
                                             b->present() ? b->as<float>() : nullptr, block, tile);
    } else {
      weights = pack(*w, *b, p.group, block);
    }
  }
  return std::make_unique<NchwcConvKernel>(std::move(p), act, block, std::move(weights),
                                           std::move(winograd));
}

}  // namespace

constinit const OpDesc kOpNchwcConv = {.op_type = "NchwcConv",
                                       .domain = kInferDomain,
                                       .min_inputs = 2,
                                       .max_inputs = 4,
                                       .input_dtypes = {kF32, kF32, kF32, kF32},
                                       .create = &create};

}  // namespace infer::cpu
