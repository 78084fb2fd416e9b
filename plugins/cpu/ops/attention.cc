#include "kernels/attention.h"

#include <limits>

#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

// Q, K, V, attn_mask, past_key, past_value, nonpad_kv_seqlen
constexpr std::initializer_list<DtypeMask> kTypes = {kFloats, kFloats, kFloats, kAnyFixed,
                                                     kFloats, kFloats, kI64};

class AttentionKernel final : public Kernel {
 public:
  AttentionKernel(AttentionParams params, infer_dtype softmax_precision,
                  std::array<bool, 4> outputs)
      : params_(params), softmax_precision_(softmax_precision), outputs_(outputs) {}

  void run(KernelContext& ctx) const override {
    check_input_types(ctx, kTypes);
    auto opt = [&](size_t i) -> const Tensor* {
      return i < ctx.input_count() && ctx.input(i).present() ? &ctx.input(i) : nullptr;
    };
    const Tensor& q = ctx.input(0);
    const Tensor& k = ctx.input(1);
    const Tensor& v = ctx.input(2);
    const Tensor *mask = opt(3), *past_key = opt(4), *past_value = opt(5), *nonpad = opt(6);
    if (k.dtype != q.dtype || (past_key && past_key->dtype != q.dtype) ||
        (past_value && past_value->dtype != v.dtype)) {
      fail_input("K and past_key must have Q's type, past_value V's type");
    }
    AttentionShapes shapes{q.shape, k.shape, v.shape};
    if (mask) shapes.mask = mask->shape;
    if (past_key) shapes.past_key = past_key->shape;
    if (past_value) shapes.past_value = past_value->shape;
    if (nonpad) shapes.nonpad_kv_seqlen = nonpad->shape;
    const AttentionPlan plan = plan_attention(params_, shapes);
    const Precision prec = precision_of(q.dtype);
    const Precision sm =
        softmax_precision_ == INFER_DTYPE_UNDEFINED ? prec : precision_of(softmax_precision_);
    // double inputs compute in double, the others in float.
    visit_compute_type(q.dtype, [&]<typename T>(T) {
      const std::vector<T> qv = to_vector<T>(q), kv = to_vector<T>(k), vv = to_vector<T>(v);
      std::vector<T> mv, pk, pv;
      if (mask) {
        mv = to_vector<T>(*mask);
        if (mask->dtype == INFER_DTYPE_BOOL) {
          // True attends, False is masked.
          for (T& m : mv) m = m != 0 ? T(0) : -std::numeric_limits<T>::infinity();
        }
      }
      if (past_key) pk = to_vector<T>(*past_key);
      if (past_value) pv = to_vector<T>(*past_value);
      std::vector<T> y(static_cast<size_t>(numel(plan.y_shape)));
      std::vector<T> present_k(outputs_[1] ? static_cast<size_t>(numel(plan.present_key_shape))
                                           : 0);
      std::vector<T> present_v(outputs_[2] ? static_cast<size_t>(numel(plan.present_value_shape))
                                           : 0);
      std::vector<T> qk(outputs_[3] ? static_cast<size_t>(numel(plan.qk_shape)) : 0);
      AttentionData<T> d;
      d.q = qv.data();
      d.k = kv.data();
      d.v = vv.data();
      d.mask = mask ? mv.data() : nullptr;
      d.past_key = past_key ? pk.data() : nullptr;
      d.past_value = past_value ? pv.data() : nullptr;
      d.nonpad_kv_seqlen = nonpad ? nonpad->as<int64_t>() : nullptr;
      d.y = y.data();
      d.present_key = outputs_[1] ? present_k.data() : nullptr;
      d.present_value = outputs_[2] ? present_v.data() : nullptr;
      d.qk = outputs_[3] ? qk.data() : nullptr;
      attention(params_, plan, d, prec, sm);
      write_output(ctx, 0, q.dtype, plan.y_shape, y);
      if (outputs_[1]) write_output(ctx, 1, q.dtype, plan.present_key_shape, present_k);
      if (outputs_[2]) write_output(ctx, 2, v.dtype, plan.present_value_shape, present_v);
      if (outputs_[3]) write_output(ctx, 3, q.dtype, plan.qk_shape, qk);
    });
  }

 private:
  AttentionParams params_;
  infer_dtype softmax_precision_;
  std::array<bool, 4> outputs_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  AttentionParams p;
  if (has_attr(ctx, "q_num_heads")) p.q_num_heads = attr_int(ctx, "q_num_heads", 0);
  if (has_attr(ctx, "kv_num_heads")) p.kv_num_heads = attr_int(ctx, "kv_num_heads", 0);
  for (const auto& h : {p.q_num_heads, p.kv_num_heads}) {
    if (h && *h <= 0) fail_attr(str_cat("head counts must be positive, got ", *h));
  }
  if (has_attr(ctx, "scale")) p.scale = attr_float(ctx, "scale", 1.0f);
  p.is_causal = attr_bool(ctx, "is_causal", false);
  p.softcap = attr_float(ctx, "softcap", 0.0f);
  if (p.softcap < 0) fail_attr(str_cat("softcap must not be negative, got ", p.softcap));
  const int64_t mode = attr_int(ctx, "qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3) {
    fail_attr(str_cat("qk_matmul_output_mode must be 0 to 3, got ", mode));
  }
  p.qk_matmul_output_mode = static_cast<int>(mode);
  infer_dtype softmax_precision = INFER_DTYPE_UNDEFINED;
  if (has_attr(ctx, "softmax_precision")) {
    softmax_precision = dtype_attr(ctx, "softmax_precision", INFER_DTYPE_FLOAT32, kFloats);
  }
  if (ctx.opset >= 25) {
    p.left_window = attr_int(ctx, "left_window_size", -1);
    p.right_window = attr_int(ctx, "right_window_size", -1);
    if (p.left_window < -1 || p.right_window < -1) {
      fail_attr("window sizes must be -1 (unbounded) or non-negative");
    }
    p.heads_attrs_forbidden_for_4d = true;
  }
  if (ctx.opset < 24 && ctx.node.has_input(6)) {
    fail_attr("nonpad_kv_seqlen is an input from opset 24");
  }
  std::array<bool, 4> outputs{};
  for (size_t i = 0; i < 4 && i < ctx.node.output_count(); ++i) {
    outputs[i] = ctx.node.output(i) != INFER_NO_VALUE;
  }
  return std::make_unique<AttentionKernel>(p, softmax_precision, outputs);
}

void check(const OpContext& ctx) { check_input_types(ctx, kTypes); }

}  // namespace

// Inputs share type relations the masks cannot express: check() checks all seven inputs.
constinit const OpDesc kOpAttention = {
    .op_type = "Attention",
    .min_inputs = 3,
    .max_inputs = 7,
    .input_dtypes = {kFloats, kFloats, kFloats, kAnyFixed, kFloats | kI64},
    .max_outputs = 4,
    .create = &create,
    .check = &check};

}  // namespace infer::cpu
