// Elementwise ops: binary with numpy broadcasting and unary (with up to two float
// parameters), all from one program so the program cache builds it once per session.
#include <cmath>
#include <limits>

#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
#define BINARY(name, expr)                                                                   \
  __kernel void name(__global const float* a, __global const float* b, __global float* y,  \
                     __global const int* t, int n) {                                         \
    int i = get_global_id(0);                                                                \
    if (i >= n) return;                                                                      \
    int2 o = table_offsets(i, t);                                                            \
    float x = a[o.x], z = b[o.y];                                                            \
    y[i] = (expr);                                                                           \
  }
BINARY(ew_add, x + z)
BINARY(ew_sub, x - z)
BINARY(ew_mul, x * z)
BINARY(ew_div, x / z)
BINARY(ew_pow, pow(x, z))
BINARY(ew_max, fmax(x, z))
BINARY(ew_min, fmin(x, z))

#define UNARY(name, expr)                                                             \
  __kernel void name(__global const float* a, __global float* y, float p0, float p1, \
                     int n) {                                                         \
    int i = get_global_id(0);                                                         \
    if (i >= n) return;                                                               \
    float x = a[i];                                                                   \
    y[i] = (expr);                                                                    \
  }
UNARY(ew_relu, fmax(x, 0.0f))
UNARY(ew_sigmoid, 1.0f / (1.0f + exp(-x)))
UNARY(ew_tanh, tanh(x))
UNARY(ew_erf, erf(x))
UNARY(ew_clip, fmin(fmax(x, p0), p1))
UNARY(ew_exp, exp(x))
UNARY(ew_log, log(x))
UNARY(ew_sqrt, sqrt(x))
UNARY(ew_abs, fabs(x))
UNARY(ew_neg, -x)
UNARY(ew_reciprocal, 1.0f / x)
UNARY(ew_floor, floor(x))
UNARY(ew_ceil, ceil(x))
UNARY(ew_leaky_relu, x < 0.0f ? p0 * x : x)
UNARY(ew_hard_sigmoid, fmax(0.0f, fmin(1.0f, p0 * x + p1)))
UNARY(ew_hard_swish, x * fmax(0.0f, fmin(1.0f, x / 6.0f + 0.5f)))
UNARY(ew_softplus, log(1.0f + exp(x)))
)CL";

std::string program_source() { return std::string(kIndexTableSource) + kSource; }

const char* kernel_name(const std::string& op) {
  static const std::pair<const char*, const char*> kNames[] = {{"Add", "ew_add"},
                                                               {"Sub", "ew_sub"},
                                                               {"Mul", "ew_mul"},
                                                               {"Div", "ew_div"},
                                                               {"Pow", "ew_pow"},
                                                               {"Max", "ew_max"},
                                                               {"Min", "ew_min"},
                                                               {"Relu", "ew_relu"},
                                                               {"Sigmoid", "ew_sigmoid"},
                                                               {"Tanh", "ew_tanh"},
                                                               {"Erf", "ew_erf"},
                                                               {"Clip", "ew_clip"},
                                                               {"Exp", "ew_exp"},
                                                               {"Log", "ew_log"},
                                                               {"Sqrt", "ew_sqrt"},
                                                               {"Abs", "ew_abs"},
                                                               {"Neg", "ew_neg"},
                                                               {"Reciprocal", "ew_reciprocal"},
                                                               {"Floor", "ew_floor"},
                                                               {"Ceil", "ew_ceil"},
                                                               {"LeakyRelu", "ew_leaky_relu"},
                                                               {"HardSigmoid", "ew_hard_sigmoid"},
                                                               {"HardSwish", "ew_hard_swish"},
                                                               {"Softplus", "ew_softplus"}};
  for (const auto& [name, kernel] : kNames)
    if (op == name) return kernel;
  return nullptr;
}

std::string check_binary(const NodeSnapshot& node) {
  if (node.inputs.size() != 2) return "needs exactly 2 inputs on opencl";
  return check_float_io(node, 2);
}

void lower_binary(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& out = n.outputs[0].dims;
  const auto& a = n.inputs[0].dims;
  const auto& b = n.inputs[1].dims;
  const int64_t count = n.outputs[0].numel();
  std::vector<int32_t> table;
  if (a == out && b == out) {  // no broadcasting: one flat dimension
    table = index_table({count}, {1}, {1});
  } else if (a == out && n.inputs[1].numel() == 1) {
    table = index_table({count}, {1}, {0});
  } else {
    table = index_table(out, broadcast_strides(a, out), broadcast_strides(b, out));
  }
  l.launch_1d(
      l.program(program_source()), kernel_name(n.op_type),
      {l.input(0), l.input(1), l.output(0), l.constant(std::move(table)), Arg::int32(count)},
      static_cast<size_t>(count));
}

// Clip's bounds: attributes before opset 11, optional constant inputs after.
std::pair<float, float> clip_bounds(const NodeSnapshot& n) {
  float lo = -std::numeric_limits<float>::infinity(), hi = -lo;
  if (n.opset < 11) return {n.attr_float("min", lo), n.attr_float("max", hi)};
  auto bound = [&](size_t i, float fallback) {
    if (!n.has_input(i)) return fallback;
    const auto v = n.inputs[i].floats();
    return v.empty() ? fallback : v[0];
  };
  return {bound(1, lo), bound(2, hi)};
}

std::string check_unary(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  if (node.op_type == "Clip") {
    for (size_t i = 1; i < node.inputs.size(); ++i)
      if (node.has_input(i) && node.inputs[i].dtype != INFER_DTYPE_FLOAT32)
        return "Clip bounds must be float32";
  }
  return "";
}

void lower_unary(Lowering& l) {
  const NodeSnapshot& n = l.node();
  float p0 = 0, p1 = 0;
  if (n.op_type == "Clip") {
    std::tie(p0, p1) = clip_bounds(n);
  } else if (n.op_type == "LeakyRelu") {
    p0 = n.attr_float("alpha", 0.01f);
  } else if (n.op_type == "HardSigmoid") {
    p0 = n.attr_float("alpha", 0.2f);
    p1 = n.attr_float("beta", 0.5f);
  }
  const int64_t count = n.outputs[0].numel();
  l.launch_1d(l.program(program_source()), kernel_name(n.op_type),
              {l.input(0), l.output(0), Arg::float32(p0), Arg::float32(p1), Arg::int32(count)},
              static_cast<size_t>(count));
}

constexpr OpDef kOps[] = {
    {"Add", check_binary, lower_binary},     {"Sub", check_binary, lower_binary},
    {"Mul", check_binary, lower_binary},     {"Div", check_binary, lower_binary},
    {"Pow", check_binary, lower_binary},     {"Max", check_binary, lower_binary},
    {"Min", check_binary, lower_binary},     {"Relu", check_unary, lower_unary},
    {"Sigmoid", check_unary, lower_unary},   {"Tanh", check_unary, lower_unary},
    {"Erf", check_unary, lower_unary},       {"Clip", check_unary, lower_unary},
    {"Exp", check_unary, lower_unary},       {"Log", check_unary, lower_unary},
    {"Sqrt", check_unary, lower_unary},      {"Abs", check_unary, lower_unary},
    {"Neg", check_unary, lower_unary},       {"Reciprocal", check_unary, lower_unary},
    {"Floor", check_unary, lower_unary},     {"Ceil", check_unary, lower_unary},
    {"LeakyRelu", check_unary, lower_unary}, {"HardSigmoid", check_unary, lower_unary},
    {"HardSwish", check_unary, lower_unary}, {"Softplus", check_unary, lower_unary},
};

}  // namespace

std::span<const OpDef> elementwise_ops() { return kOps; }

}  // namespace infer::opencl
