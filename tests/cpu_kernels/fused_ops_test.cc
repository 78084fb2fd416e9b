// The cpu backend's com.infer fused operators (made by the level-2 passes) through the plugin
// ABI, against the naive references of the operators they replace.
#include <cmath>

#include "op_runner.h"
#include "reference.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

OpAttr ints_attr(const char* name, std::vector<int64_t> v) {
  return {name, INFER_ATTR_INTS, 0, 0, {}, std::move(v)};
}

OpTensor f32(const TTensor& t) { return OpTensor::of(t.shape, t.data); }

OpResult run_fused(const std::string& op, const std::vector<OpTensor>& in,
                   const std::vector<OpAttr>& attrs = {}) {
  OpRunOptions o;
  o.opset = 1;
  o.domain = "com.infer";
  return run_op(op, in, attrs, o);
}

// The activations by their ONNX definitions; params as in `activation_params`.
float activate(const std::string& name, const std::vector<float>& p, float x) {
  if (name.empty()) return x;
  if (name == "Relu") return std::max(x, 0.0f);
  if (name == "Sigmoid") return 1.0f / (1.0f + std::exp(-x));
  if (name == "Tanh") return std::tanh(x);
  if (name == "LeakyRelu") return x >= 0 ? x : p[0] * x;
  if (name == "HardSigmoid") return std::clamp(p[0] * x + p[1], 0.0f, 1.0f);
  if (name == "Clip") return std::clamp(x, p[0], p[1]);
  if (name == "Gelu") return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
  if (name == "HardSwish") return x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f);
  ADD_FAILURE() << "no reference for " << name;
  return x;
}

TTensor activate(const std::string& name, const std::vector<float>& p, TTensor t) {
  for (float& v : t.data) v = activate(name, p, v);
  return t;
}

std::vector<OpAttr> activation_attrs(const std::string& name, const std::vector<float>& p) {
  std::vector<OpAttr> a;
  if (!name.empty()) a.push_back(attr("activation", name.c_str()));
  if (!p.empty()) a.push_back(attr("activation_params", p));
  return a;
}

struct ActCase {
  std::string name;
  std::vector<float> params;
};
const ActCase kActivations[] = {{"", {}},
                                {"Relu", {}},
                                {"Sigmoid", {}},
                                {"Tanh", {}},
                                {"LeakyRelu", {0.2f}},
                                {"HardSigmoid", {0.3f, 0.4f}},
                                {"Clip", {-0.25f, 0.5f}},
                                {"Gelu", {}},
                                {"HardSwish", {}}};

void expect_ok_close(const OpResult& r, const TTensor& expected, float tol = 1e-5f) {
  ASSERT_EQ(r.code, INFER_OK) << r.message;
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].shape, expected.shape);
  expect_close(r.outputs[0].values<float>(), expected.data, tol);
}

void expect_fail(const OpResult& r, infer_status_code code, const std::string& needle) {
  EXPECT_EQ(r.code, code) << r.message;
  EXPECT_NE(r.message.find(needle), std::string::npos) << r.message;
}

TEST(FusedConv, EveryActivationWithBiasAndResidual) {
  std::mt19937 rng(1);
  const TTensor x = random_tensor({2, 4, 7, 6}, rng), w = random_tensor({6, 2, 3, 3}, rng);
  const TTensor b = random_tensor({6}, rng), z = random_tensor({2, 6, 4, 3}, rng);
  ref::WindowAttrs wa;
  wa.strides = {2, 2};
  wa.pads = {1, 1, 1, 0};
  wa.group = 2;
  const std::vector<OpAttr> conv_attrs = {
      ints_attr("strides", {2, 2}), ints_attr("pads", {1, 1, 1, 0}), attr("group", int64_t{2})};
  for (const ActCase& act : kActivations) {
    SCOPED_TRACE(act.name);
    std::vector<OpAttr> attrs = conv_attrs;
    for (OpAttr& a : activation_attrs(act.name, act.params)) attrs.push_back(std::move(a));
    const TTensor conv = ref::conv(x, w, &b, wa);
    // Bias only.
    expect_ok_close(run_fused("FusedConv", {f32(x), f32(w), f32(b)}, attrs),
                    activate(act.name, act.params, conv));
    // Bias and the residual Z (ResNet's Conv -> Add -> Relu).
    expect_ok_close(run_fused("FusedConv", {f32(x), f32(w), f32(b), f32(z)}, attrs),
                    activate(act.name, act.params, ref::binary(conv, z, '+')));
    // Residual without bias.
    expect_ok_close(
        run_fused("FusedConv", {f32(x), f32(w), absent(), f32(z)}, attrs),
        activate(act.name, act.params, ref::binary(ref::conv(x, w, nullptr, wa), z, '+')));
  }
}

TEST(FusedConv, BadAttributesAndResidualShape) {
  std::mt19937 rng(2);
  const TTensor x = random_tensor({1, 2, 4, 4}, rng), w = random_tensor({3, 2, 1, 1}, rng);
  expect_fail(run_fused("FusedConv", {f32(x), f32(w)}, {attr("activation", "Softplus")}),
              INFER_INVALID_MODEL, "unsupported fused activation 'Softplus'");
  expect_fail(run_fused("FusedConv", {f32(x), f32(w)}, activation_attrs("LeakyRelu", {})),
              INFER_INVALID_MODEL, "takes 1 activation_params");
  const TTensor z = random_tensor({1, 3, 4, 1}, rng);
  expect_fail(run_fused("FusedConv", {f32(x), f32(w), absent(), f32(z)}), INFER_INVALID_ARGUMENT,
              "Z must have the output shape");
}

TEST(FusedGemm, ActivationAfterAlphaBetaAndTranspose) {
  std::mt19937 rng(3);
  const TTensor a = random_tensor({5, 3}, rng), b = random_tensor({4, 5}, rng);
  const TTensor c = random_tensor({4}, rng);
  for (const ActCase& act : kActivations) {
    SCOPED_TRACE(act.name);
    std::vector<OpAttr> attrs = {attr("transA", int64_t{1}), attr("transB", int64_t{1}),
                                 attr("alpha", 0.7f), attr("beta", 1.5f)};
    for (OpAttr& x : activation_attrs(act.name, act.params)) attrs.push_back(std::move(x));
    expect_ok_close(run_fused("FusedGemm", {f32(a), f32(b), f32(c)}, attrs),
                    activate(act.name, act.params, ref::gemm(a, b, &c, 0.7f, 1.5f, true, true)));
  }
}

TEST(FusedMatMul, BatchedWithBiasAndActivation) {
  std::mt19937 rng(4);
  const TTensor a = random_tensor({2, 3, 8}, rng), b = random_tensor({8, 5}, rng);
  const TTensor bias = random_tensor({5}, rng);
  for (const ActCase& act : kActivations) {
    SCOPED_TRACE(act.name);
    const std::vector<OpAttr> attrs = activation_attrs(act.name, act.params);
    const TTensor mm = ref::matmul(a, b);
    expect_ok_close(run_fused("FusedMatMul", {f32(a), f32(b), f32(bias)}, attrs),
                    activate(act.name, act.params, ref::binary(mm, bias, '+')));
    expect_ok_close(run_fused("FusedMatMul", {f32(a), f32(b)}, attrs),
                    activate(act.name, act.params, mm));
  }
  // A 1-D A is promoted like MatMul's.
  const TTensor v = random_tensor({8}, rng);
  expect_ok_close(
      run_fused("FusedMatMul", {f32(v), f32(b), f32(bias)}, {attr("activation", "Relu")}),
      activate("Relu", {}, ref::binary(ref::matmul(v, b), bias, '+')));
  expect_fail(run_fused("FusedMatMul", {f32(a), f32(b), f32(random_tensor({1, 5}, rng))}),
              INFER_INVALID_ARGUMENT, "bias must have shape [5]");
}

TEST(InferGelu, ExactErfForm) {
  std::mt19937 rng(5);
  const TTensor x = random_tensor({3, 4, 5}, rng, -6.0f, 6.0f);
  expect_ok_close(run_fused("Gelu", {f32(x)}), activate("Gelu", {}, x));
}

TEST(InferLayerNormalization, LastAxis) {
  std::mt19937 rng(6);
  const TTensor x = random_tensor({2, 3, 8}, rng, -2.0f, 3.0f);
  const TTensor g = random_tensor({8}, rng), b = random_tensor({8}, rng);
  TTensor y = x;
  for (size_t r = 0; r < 6; ++r) {
    double mean = 0, var = 0;
    for (size_t i = 0; i < 8; ++i) mean += x.data[r * 8 + i] / 8.0;
    for (size_t i = 0; i < 8; ++i) var += std::pow(x.data[r * 8 + i] - mean, 2) / 8.0;
    for (size_t i = 0; i < 8; ++i) {
      y.data[r * 8 + i] = static_cast<float>(
          (x.data[r * 8 + i] - mean) / std::sqrt(var + 1e-3) * g.data[i] + b.data[i]);
    }
  }
  expect_ok_close(run_fused("LayerNormalization", {f32(x), f32(g), f32(b)},
                            {attr("axis", int64_t{-1}), attr("epsilon", 1e-3f)}),
                  y);
}

// softmax(scale * q.kt + mask) . v with the references of the unfused operators.
TTensor sdpa_ref(const TTensor& q, const TTensor& kt, const TTensor& v, const TTensor* mask,
                 float scale) {
  TTensor s = ref::binary(ref::matmul(q, kt), TTensor{{}, {scale}}, '*');
  if (mask) s = ref::binary(s, *mask, '+');
  return ref::matmul(ref::softmax(s, -1, false), v);
}

TEST(ScaledDotProductAttention, MaskedUnmaskedAndBroadcast) {
  std::mt19937 rng(7);
  const TTensor q = random_tensor({2, 3, 4, 5}, rng, -2, 2), kt = random_tensor({2, 3, 5, 6}, rng);
  const TTensor v = random_tensor({2, 3, 6, 7}, rng);
  TTensor mask = random_tensor({2, 1, 1, 6}, rng);
  for (float& m : mask.data) m = m > 0.5f ? -1e4f : 0.0f;
  const OpAttr scale = attr("scale", 0.4f);
  expect_ok_close(
      run_fused("ScaledDotProductAttention", {f32(q), f32(kt), f32(v), f32(mask)}, {scale}),
      sdpa_ref(q, kt, v, &mask, 0.4f));
  expect_ok_close(run_fused("ScaledDotProductAttention", {f32(q), f32(kt), f32(v)}, {scale}),
                  sdpa_ref(q, kt, v, nullptr, 0.4f));
  // K and V shared by all heads, and a mask that grows the scores, as the unfused Add would.
  const TTensor kt1 = random_tensor({5, 6}, rng), v1 = random_tensor({6, 7}, rng);
  const TTensor q1 = random_tensor({3, 4, 5}, rng), big = random_tensor({2, 3, 4, 6}, rng);
  expect_ok_close(
      run_fused("ScaledDotProductAttention", {f32(q1), f32(kt1), f32(v1), f32(big)}, {scale}),
      sdpa_ref(q1, kt1, v1, &big, 0.4f));
}

}  // namespace
}  // namespace infer::cpu::test
