// The elementwise operators end to end through the plugin: registration, dtype dispatch,
// attributes, opset differences, and clean errors for bad attributes and inputs.
#include <cmath>
#include <functional>

#include "elementwise_ref.h"
#include "op_runner.h"

namespace infer::cpu::test {
namespace {

OpTensor f32(Dims shape, std::vector<float> v) { return OpTensor::of<float>(std::move(shape), v); }

// Runs op and expects success with one output.
OpTensor run_ok(const std::string& op, const std::vector<OpTensor>& in,
                const std::vector<OpAttr>& attrs = {}, OpRunOptions options = {}) {
  OpResult r = run_op(op, in, attrs, options);
  EXPECT_EQ(r.code, INFER_OK) << op << ": " << r.message;
  return r.outputs.empty() ? OpTensor{} : r.outputs[0];
}

void expect_fails(const std::string& op, const std::vector<OpTensor>& in,
                  const std::vector<OpAttr>& attrs, infer_status_code code,
                  const std::string& needle, OpRunOptions options = {}) {
  const OpResult r = run_op(op, in, attrs, options);
  EXPECT_EQ(r.code, code) << op << ": " << r.message;
  EXPECT_NE(r.message.find(needle), std::string::npos)
      << op << ": message '" << r.message << "' lacks '" << needle << "'";
}

struct UnaryCase {
  const char* op;
  std::vector<OpAttr> attrs;
  std::function<double(double)> ref;
};

// Every float unary operator is registered and runs on all four float types.
TEST(ElementwiseOps, UnaryFloatOpsOnEveryFloatType) {
  const double pi = 3.14159265358979323846;
  auto sigmoid = [](double x) { return 1 / (1 + std::exp(-x)); };
  const std::vector<UnaryCase> cases = {
      {"Abs", {}, [](double x) { return std::fabs(x); }},
      {"Neg", {}, [](double x) { return -x; }},
      {"Exp", {}, [](double x) { return std::exp(x); }},
      {"Log", {}, [](double x) { return std::log(x); }},
      {"Sqrt", {}, [](double x) { return std::sqrt(x); }},
      {"Reciprocal", {}, [](double x) { return 1 / x; }},
      {"Floor", {}, [](double x) { return std::floor(x); }},
      {"Ceil", {}, [](double x) { return std::ceil(x); }},
      {"Round", {}, [](double x) { return std::nearbyint(x); }},
      {"Sign", {}, [](double x) { return x > 0   ? 1.0
                                         : x < 0 ? -1.0
                                                 : 0.0; }},
      {"Sin", {}, [](double x) { return std::sin(x); }},
      {"Cos", {}, [](double x) { return std::cos(x); }},
      {"Tan", {}, [](double x) { return std::tan(x); }},
      {"Asin", {}, [](double x) { return std::asin(x); }},
      {"Acos", {}, [](double x) { return std::acos(x); }},
      {"Atan", {}, [](double x) { return std::atan(x); }},
      {"Sinh", {}, [](double x) { return std::sinh(x); }},
      {"Cosh", {}, [](double x) { return std::cosh(x); }},
      {"Asinh", {}, [](double x) { return std::asinh(x); }},
      {"Acosh", {}, [](double x) { return std::acosh(x); }},
      {"Atanh", {}, [](double x) { return std::atanh(x); }},
      {"Erf", {}, [](double x) { return std::erf(x); }},
      {"Sigmoid", {}, sigmoid},
      {"Tanh", {}, [](double x) { return std::tanh(x); }},
      {"Softplus", {}, [](double x) { return std::log(1 + std::exp(x)); }},
      {"Softsign", {}, [](double x) { return x / (1 + std::fabs(x)); }},
      {"Relu", {}, [](double x) { return x > 0 ? x : 0; }},
      {"LeakyRelu", {attr("alpha", 0.25f)}, [](double x) { return x > 0 ? x : 0.25 * x; }},
      {"ThresholdedRelu", {attr("alpha", 0.25f)}, [](double x) { return x > 0.25 ? x : 0; }},
      {"Elu", {attr("alpha", 0.5f)}, [](double x) { return x > 0 ? x : 0.5 * std::expm1(x); }},
      {"Selu",
       {},
       [](double x) {
         return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * std::expm1(x));
       }},
      {"Celu", {attr("alpha", 2.0f)}, [](double x) { return x > 0 ? x : 2 * std::expm1(x / 2); }},
      {"HardSigmoid", {}, [](double x) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); }},
      {"HardSwish", {}, [](double x) { return x * std::clamp(x / 6 + 0.5, 0.0, 1.0); }},
      {"Mish", {}, [](double x) { return x * std::tanh(std::log(1 + std::exp(x))); }},
      {"Gelu", {}, [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
      {"Gelu",
       {attr("approximate", "tanh")},
       [&](double x) {
         return 0.5 * x * (1 + std::tanh(std::sqrt(2 / pi) * (x + 0.044715 * x * x * x)));
       }},
      {"Swish", {attr("alpha", 0.5f)}, [&](double x) { return x * sigmoid(0.5 * x); }},
      {"Shrink",
       {attr("lambd", 0.25f), attr("bias", 0.125f)},
       [](double x) { return x < -0.25  ? x + 0.125
                             : x > 0.25 ? x - 0.125
                                        : 0; }},
  };
  const std::vector<float> x{-0.9f, -0.5f, -0.1f, 0.0f, 0.2f, 0.6f, 0.95f};
  const std::vector<float> pos{0.1f, 0.5f, 1.0f, 2.0f, 7.0f}, above_one{1.0f, 1.5f, 2.0f, 7.0f};
  for (const UnaryCase& c : cases) {
    SCOPED_TRACE(c.op);
    const std::string op = c.op;
    const bool positive = op == "Log" || op == "Sqrt" || op == "Reciprocal";
    const std::vector<float>& in = op == "Acosh" ? above_one : positive ? pos : x;
    const Dims shape{static_cast<int64_t>(in.size())};
    std::vector<float> expected;
    for (float v : in) expected.push_back(static_cast<float>(c.ref(v)));
    expect_close(run_ok(c.op, {f32(shape, in)}, c.attrs).values<float>(), expected, 1e-5f);
    std::vector<double> ind(in.begin(), in.end()), expd;
    for (double v : ind) expd.push_back(c.ref(v));
    const std::vector<double> yd =
        run_ok(c.op, {OpTensor::of<double>(shape, ind)}, c.attrs).values<double>();
    for (size_t i = 0; i < yd.size(); ++i)
      EXPECT_NEAR(yd[i], expd[i], 1e-6 * (1 + std::fabs(expd[i])));
    std::vector<Float16> h;
    std::vector<BFloat16> b;
    for (float v : in) {
      h.push_back(Float16{float_to_half(v)});
      b.push_back(BFloat16{float_to_bfloat16(v)});
    }
    const auto yh = run_ok(c.op, {OpTensor::of<Float16>(shape, h)}, c.attrs).values<Float16>();
    const auto yb = run_ok(c.op, {OpTensor::of<BFloat16>(shape, b)}, c.attrs).values<BFloat16>();
    ASSERT_EQ(yh.size(), in.size());
    ASSERT_EQ(yb.size(), in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      const double eh = c.ref(half_to_float(h[i].bits)), eb = c.ref(bfloat16_to_float(b[i].bits));
      EXPECT_NEAR(half_to_float(yh[i].bits), eh, 1e-3 * (1 + std::fabs(eh))) << i;
      EXPECT_NEAR(bfloat16_to_float(yb[i].bits), eb, 8e-3 * (1 + std::fabs(eb))) << i;
    }
  }
}

TEST(ElementwiseOps, IntegerAndBoolUnaryOps) {
  const Dims s{4};
  const auto i16 = OpTensor::of<int16_t>(s, {-32768, -3, 0, 9});
  EXPECT_EQ(run_ok("Abs", {i16}).values<int16_t>(), (std::vector<int16_t>{-32768, 3, 0, 9}));
  EXPECT_EQ(run_ok("Neg", {i16}).values<int16_t>(), (std::vector<int16_t>{-32768, 3, 0, -9}));
  EXPECT_EQ(run_ok("Relu", {i16}).values<int16_t>(), (std::vector<int16_t>{0, 0, 0, 9}));
  EXPECT_EQ(run_ok("Sign", {i16}).values<int16_t>(), (std::vector<int16_t>{-1, -1, 0, 1}));
  EXPECT_EQ(run_ok("BitwiseNot", {i16}).values<int16_t>(),
            (std::vector<int16_t>{32767, 2, -1, -10}));
  const auto b = OpTensor::of<bool>(s, {true, false, false, true});
  EXPECT_EQ(run_ok("Not", {b}).values<bool>(), (std::vector<bool>{false, true, true, false}));
  const auto f = f32(s, {1.0f, NAN, INFINITY, -INFINITY});
  EXPECT_EQ(run_ok("IsNaN", {f}).values<bool>(), (std::vector<bool>{false, true, false, false}));
  EXPECT_EQ(run_ok("IsInf", {f}, {attr("detect_positive", int64_t{0})}).values<bool>(),
            (std::vector<bool>{false, false, false, true}));
  // Only the types of each operator's schema are claimed.
  expect_fails("Sigmoid", {OpTensor::of<int32_t>(s, {1, 2, 3, 4})}, {}, INFER_UNIMPLEMENTED,
               "input 0 has type int32");
  expect_fails("Neg", {OpTensor::of<uint8_t>(s, {1, 2, 3, 4})}, {}, INFER_UNIMPLEMENTED,
               "input 0 has type uint8");
}

TEST(ElementwiseOps, BinaryOpsBroadcastOverEveryNumericType) {
  const Dims as{2, 3}, bs{3};
  const std::vector<int> av{1, 7, -4, 100, 0, -9}, bv{2, -3, 5};
  auto check = [&]<typename T>(T) {
    SCOPED_TRACE(plugin::dtype_name(dtype_of<T>()));
    std::vector<T> a, b;
    for (int v : av) a.push_back(static_cast<T>(std::is_unsigned_v<T> ? std::abs(v) : v));
    for (int v : bv) b.push_back(static_cast<T>(std::is_unsigned_v<T> ? std::abs(v) : v));
    const auto ta = OpTensor::of<T>(as, a), tb = OpTensor::of<T>(bs, b);
    auto ref = [&](auto f) { return ewref::binary<T>(a, as, b, bs, f); };
    EXPECT_EQ(run_ok("Add", {ta, tb}).template values<T>(), ref([](T x, T y) { return T(x + y); }));
    EXPECT_EQ(run_ok("Sub", {ta, tb}).template values<T>(), ref([](T x, T y) { return T(x - y); }));
    EXPECT_EQ(run_ok("Mul", {ta, tb}).template values<T>(), ref([](T x, T y) { return T(x * y); }));
    EXPECT_EQ(run_ok("Div", {ta, tb}).template values<T>(), ref([](T x, T y) { return T(x / y); }));
    EXPECT_EQ(run_ok("Max", {ta, tb}).template values<T>(),
              ref([](T x, T y) { return x > y ? x : y; }));
    const OpTensor lt = run_ok("Less", {ta, tb});
    EXPECT_EQ(lt.dtype, INFER_DTYPE_BOOL);
    EXPECT_EQ(lt.shape, as);
    EXPECT_EQ(lt.template values<bool>(),
              ewref::binary<bool>(a, as, b, bs, [](T x, T y) { return x < y; }));
  };
  check(int8_t{});
  check(int16_t{});
  check(int32_t{});
  check(int64_t{});
  check(uint8_t{});
  check(uint16_t{});
  check(uint32_t{});
  check(uint64_t{});
  check(float{});
  check(double{});
}

TEST(ElementwiseOps, ModPowBitShiftAndLogic) {
  const Dims s{4};
  const auto a = OpTensor::of<int32_t>(s, {-7, 7, -7, 7}),
             b = OpTensor::of<int32_t>(s, {3, -3, -3, 0});
  EXPECT_EQ(run_ok("Mod", {a, b}).values<int32_t>(), (std::vector<int32_t>{2, -2, -1, 0}));
  EXPECT_EQ(run_ok("Mod", {a, b}, {attr("fmod", int64_t{1})}).values<int32_t>(),
            (std::vector<int32_t>{-1, 1, -1, 0}));
  EXPECT_EQ(run_ok("Div", {a, b}).values<int32_t>(), (std::vector<int32_t>{-2, -2, 2, 0}));
  // Pow: base float32, exponent int64; base int32, exponent float32.
  const OpTensor p =
      run_ok("Pow", {f32(s, {2, 3, 4, 0.5f}), OpTensor::of<int64_t>(s, {3, 2, -1, 2})});
  EXPECT_EQ(p.dtype, INFER_DTYPE_FLOAT32);
  EXPECT_EQ(p.values<float>(), (std::vector<float>{8, 9, 0.25f, 0.25f}));
  EXPECT_EQ(run_ok("Pow", {a, f32({}, {2.0f})}).values<int32_t>(),
            (std::vector<int32_t>{49, 49, 49, 49}));
  const auto u = OpTensor::of<uint8_t>(s, {1, 255, 16, 3}),
             sh = OpTensor::of<uint8_t>(s, {7, 1, 2, 9});
  EXPECT_EQ(run_ok("BitShift", {u, sh}, {attr("direction", "LEFT")}).values<uint8_t>(),
            (std::vector<uint8_t>{128, 254, 64, 0}));
  EXPECT_EQ(run_ok("BitShift", {u, sh}, {attr("direction", "RIGHT")}).values<uint8_t>(),
            (std::vector<uint8_t>{0, 127, 4, 0}));
  EXPECT_EQ(run_ok("BitwiseAnd", {u, sh}).values<uint8_t>(), (std::vector<uint8_t>{1, 1, 0, 1}));
  EXPECT_EQ(run_ok("BitwiseOr", {u, sh}).values<uint8_t>(), (std::vector<uint8_t>{7, 255, 18, 11}));
  const auto p1 = OpTensor::of<bool>({2, 2}, {false, false, true, true});
  const auto q1 = OpTensor::of<bool>({2}, {false, true});
  EXPECT_EQ(run_ok("And", {p1, q1}).values<bool>(), (std::vector<bool>{false, false, false, true}));
  EXPECT_EQ(run_ok("Or", {p1, q1}).values<bool>(), (std::vector<bool>{false, true, true, true}));
  EXPECT_EQ(run_ok("Xor", {p1, q1}).values<bool>(), (std::vector<bool>{false, true, true, false}));
  EXPECT_EQ(run_ok("Equal", {p1, q1}).values<bool>(),
            (std::vector<bool>{true, false, false, true}));
  const auto f = f32({3}, {1, 2, NAN}), g = f32({1}, {2});
  EXPECT_EQ(run_ok("GreaterOrEqual", {f, g}).values<bool>(),
            (std::vector<bool>{false, true, false}));
  EXPECT_EQ(run_ok("LessOrEqual", {f, g}).values<bool>(), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(run_ok("Greater", {f, g}).values<bool>(), (std::vector<bool>{false, false, false}));
}

TEST(ElementwiseOps, VariadicOpsBroadcastAllInputs) {
  const auto a = f32({2, 1}, {1, 2}), b = f32({3}, {10, 20, 30}), c = f32({}, {100});
  EXPECT_EQ(run_ok("Sum", {a, b, c}).values<float>(),
            (std::vector<float>{111, 121, 131, 112, 122, 132}));
  expect_close(run_ok("Mean", {a, b, c}).values<float>(),
               {37, 121.0f / 3, 131.0f / 3, 112.0f / 3, 122.0f / 3, 44});
  EXPECT_EQ(run_ok("Max", {a, b, f32({}, {15})}).values<float>(),
            (std::vector<float>{15, 20, 30, 15, 20, 30}));
  EXPECT_EQ(run_ok("Min", {a}).values<float>(), (std::vector<float>{1, 2}));
  const OpTensor sum = run_ok("Sum", {a, b, c});
  EXPECT_EQ(sum.shape, (Dims{2, 3}));
  // Before opset 8 the inputs must have one shape.
  expect_fails("Sum", {a, b}, {}, INFER_INVALID_ARGUMENT, "before opset 8", {.opset = 6});
  expect_fails("Max", {a, f32({3, 1}, {1, 2, 3})}, {}, INFER_INVALID_ARGUMENT, "do not broadcast");
  expect_fails("Min", {a, OpTensor::of<double>({1}, {1.0})}, {}, INFER_INVALID_ARGUMENT,
               "must be the same", {.unknown_inputs = true});
}

TEST(ElementwiseOps, WhereBroadcastsAnyType) {
  const auto cond = OpTensor::of<bool>({2, 1}, {true, false});
  const auto x = OpTensor::of<Float16>({3}, {Float16{1}, Float16{2}, Float16{3}});
  const auto y = OpTensor::of<Float16>({1}, {Float16{9}});
  const OpTensor out = run_ok("Where", {cond, x, y});
  EXPECT_EQ(out.dtype, INFER_DTYPE_FLOAT16);
  EXPECT_EQ(out.shape, (Dims{2, 3}));
  std::vector<uint16_t> bits;
  for (Float16 v : out.values<Float16>()) bits.push_back(v.bits);
  EXPECT_EQ(bits, (std::vector<uint16_t>{1, 2, 3, 9, 9, 9}));
  const auto xb = OpTensor::of<bool>({1}, {true}), yb = OpTensor::of<bool>({1}, {false});
  EXPECT_EQ(run_ok("Where", {cond, xb, yb}).values<bool>(), (std::vector<bool>{true, false}));
  expect_fails("Where",
               {OpTensor::of<bool>({2}, {true, false}), f32({3}, {1, 2, 3}), f32({1}, {0})}, {},
               INFER_INVALID_ARGUMENT, "do not broadcast");
  expect_fails("Where", {cond, f32({1}, {1}), OpTensor::of<int32_t>({1}, {1})}, {},
               INFER_INVALID_ARGUMENT, "must be the same", {.unknown_inputs = true});
}

TEST(ElementwiseOps, ClipAttributesThenInputs) {
  const auto x = f32({5}, {-3, -1, 0, 1, 3});
  EXPECT_EQ(
      run_ok("Clip", {x}, {attr("min", -1.5f), attr("max", 2.0f)}, {.opset = 6}).values<float>(),
      (std::vector<float>{-1.5f, -1, 0, 1, 2}));
  EXPECT_EQ(run_ok("Clip", {x}, {attr("max", 0.5f)}, {.opset = 6}).values<float>(),
            (std::vector<float>{-3, -1, 0, 0.5f, 0.5f}));
  EXPECT_EQ(run_ok("Clip", {x, f32({}, {-2})}).values<float>(),
            (std::vector<float>{-2, -1, 0, 1, 3}));
  EXPECT_EQ(run_ok("Clip", {x, absent(), f32({}, {0})}).values<float>(),
            (std::vector<float>{-3, -1, 0, 0, 0}));
  EXPECT_EQ(run_ok("Clip", {x, f32({}, {2}), f32({}, {1})}).values<float>(),
            (std::vector<float>(5, 1.0f)));  // min > max: everything is max
  EXPECT_EQ(run_ok("Clip", {f32({2}, {-INFINITY, NAN})}).values<float>()[0], -INFINITY);
  const auto xi = OpTensor::of<int8_t>({4}, {-128, -5, 5, 127});
  EXPECT_EQ(run_ok("Clip", {xi, OpTensor::of<int8_t>({}, {-10}), OpTensor::of<int8_t>({}, {10})})
                .values<int8_t>(),
            (std::vector<int8_t>{-10, -5, 5, 10}));
  EXPECT_EQ(run_ok("Clip", {xi}).values<int8_t>(), xi.values<int8_t>());
  expect_fails("Clip", {x, f32({2}, {0, 1})}, {}, INFER_INVALID_ARGUMENT,
               "min must be a scalar, got shape [2]");
  expect_fails("Clip", {x, OpTensor::of<double>({}, {0})}, {}, INFER_INVALID_ARGUMENT,
               "must be the same", {.unknown_inputs = true});
  expect_fails("Clip", {x, f32({}, {0})}, {}, INFER_INVALID_MODEL, "inputs", {.opset = 6});
}

TEST(ElementwiseOps, PReluBroadcastsSlope) {
  const auto x = f32({2, 3, 2}, {-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6});
  const auto slope = f32({3, 1}, {0.5f, 0.25f, 2});
  const std::vector<float> expected{-0.5f, 1, -0.5f, 2, -6, 3, -2, 4, -1.25f, 5, -12, 6};
  EXPECT_EQ(run_ok("PRelu", {x, slope}).values<float>(), expected);
  // Opset 6: one slope per channel (dimension 1).
  EXPECT_EQ(run_ok("PRelu", {x, f32({3}, {0.5f, 0.25f, 2})}, {}, {.opset = 6}).values<float>(),
            expected);
  // Opset 6 also takes a slope of x's shape, and one value.
  EXPECT_EQ(run_ok("PRelu", {x, f32({2, 3, 2}, std::vector<float>(12, 2.0f))}, {}, {.opset = 6})
                .values<float>()[4],
            -6.0f);
  EXPECT_EQ(run_ok("PRelu", {x, f32({1}, {0.5f})}, {}, {.opset = 6}).values<float>()[0], -0.5f);
  expect_fails("PRelu", {x, f32({4}, {1, 2, 3, 4})}, {}, INFER_INVALID_ARGUMENT,
               "cannot broadcast [4] to [2,3,2]");
  expect_fails("PRelu", {f32({2}, {1, 2}), f32({2, 2}, {1, 2, 3, 4})}, {}, INFER_INVALID_ARGUMENT,
               "cannot broadcast");
}

TEST(ElementwiseOps, CastCastLikeAndBitCast) {
  const auto x = f32({3}, {-2.5f, 0, 300});
  const OpTensor i8 = run_ok("Cast", {x}, {attr("to", int64_t{INFER_DTYPE_INT8})});
  EXPECT_EQ(i8.dtype, INFER_DTYPE_INT8);
  EXPECT_EQ(i8.values<int8_t>(), (std::vector<int8_t>{-2, 0, 44}));
  EXPECT_EQ(run_ok("Cast", {x}, {attr("to", "BOOL")}, {.opset = 1}).values<bool>(),
            (std::vector<bool>{true, false, true}));
  const OpTensor d = run_ok("CastLike", {x, OpTensor::of<double>({1}, {0})});
  EXPECT_EQ(d.values<double>(), (std::vector<double>{-2.5, 0, 300}));
  const OpTensor bits =
      run_ok("BitCast", {f32({1}, {1.0f})}, {attr("to", int64_t{INFER_DTYPE_INT32})});
  EXPECT_EQ(bits.values<int32_t>(), (std::vector<int32_t>{0x3f800000}));
  EXPECT_EQ(run_ok("BitCast", {OpTensor::of<uint8_t>({2}, {0, 2})}, {attr("to", int64_t{9})})
                .values<bool>(),
            (std::vector<bool>{false, true}));
  expect_fails("Cast", {x}, {}, INFER_INVALID_MODEL, "'to' is required");
  expect_fails("Cast", {x}, {attr("to", int64_t{99})}, INFER_INVALID_MODEL, "not a type: 99");
  expect_fails("Cast", {x}, {attr("to", "FLOAT3")}, INFER_INVALID_MODEL, "unknown type");
  expect_fails("Cast", {x}, {attr("to", int64_t{8})}, INFER_UNIMPLEMENTED, "STRING");
  // float8e4m3fnuz: 300 is beyond its 240, saturating by default, NaN (0x80) with saturate=0.
  const OpTensor f8 = run_ok("Cast", {x}, {attr("to", int64_t{INFER_DTYPE_FLOAT8E4M3FNUZ})});
  EXPECT_EQ(f8.dtype, INFER_DTYPE_FLOAT8E4M3FNUZ);
  EXPECT_EQ(f8.values<uint8_t>(), (std::vector<uint8_t>{0xca, 0x00, 0x7f}));
  EXPECT_EQ(run_ok("Cast", {x},
                   {attr("to", int64_t{INFER_DTYPE_FLOAT8E4M3FNUZ}), attr("saturate", int64_t{0})})
                .values<uint8_t>(),
            (std::vector<uint8_t>{0xca, 0x00, 0x80}));
  expect_fails("Cast", {x}, {attr("to", int64_t{24})}, INFER_UNIMPLEMENTED, "float8");
  expect_fails("BitCast", {x}, {attr("to", int64_t{INFER_DTYPE_INT64})}, INFER_INVALID_MODEL,
               "needs types of one size");
  expect_fails("BitCast", {x}, {attr("to", int64_t{INFER_DTYPE_INT64})}, INFER_INVALID_ARGUMENT,
               "needs types of one size", {.unknown_inputs = true});
}

TEST(ElementwiseOps, BadAttributesAreRefusedAtCompileTime) {
  const auto x = f32({2}, {1, 2});
  expect_fails("Gelu", {x}, {attr("approximate", "exact")}, INFER_INVALID_MODEL, "'approximate'");
  expect_fails("BitShift", {OpTensor::of<uint8_t>({1}, {1}), OpTensor::of<uint8_t>({1}, {1})},
               {attr("direction", "UP")}, INFER_INVALID_MODEL, "'direction'");
  expect_fails("BitShift", {OpTensor::of<uint8_t>({1}, {1}), OpTensor::of<uint8_t>({1}, {1})}, {},
               INFER_INVALID_MODEL, "'direction'");
  expect_fails("Celu", {x}, {attr("alpha", 0.0f)}, INFER_INVALID_MODEL, "'alpha' must not be 0");
  expect_fails("LeakyRelu", {x}, {attr("alpha", INFINITY)}, INFER_INVALID_MODEL, "finite");
  expect_fails("IsInf", {x}, {attr("detect_positive", int64_t{2})}, INFER_INVALID_MODEL,
               "'detect_positive' must be 0 or 1");
  expect_fails("Mod", {x, x}, {attr("fmod", int64_t{3})}, INFER_INVALID_MODEL, "'fmod'");
  expect_fails("Elu", {x}, {attr("alpha", int64_t{1})}, INFER_INVALID_MODEL, "type float");
}

TEST(ElementwiseOps, BadInputsAreCleanErrors) {
  const auto a = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  expect_fails("Add", {a, f32({4}, {1, 2, 3, 4})}, {}, INFER_INVALID_ARGUMENT,
               "shapes [2,3] and [4] do not broadcast");
  expect_fails("Equal", {a, OpTensor::of<int64_t>({1}, {1})}, {}, INFER_INVALID_ARGUMENT,
               "input 1 has type int64 but input 0 has type float32", {.unknown_inputs = true});
  // Before opset 7, B broadcasts only with the `broadcast` attribute.
  expect_fails("Mul", {a, f32({3}, {1, 2, 3})}, {}, INFER_INVALID_ARGUMENT,
               "attribute 'broadcast' is not set", {.opset = 6});
  expect_fails("Mul", {a, f32({3}, {1, 2, 3})},
               {attr("broadcast", int64_t{1}), attr("axis", int64_t{0})}, INFER_INVALID_ARGUMENT,
               "cannot broadcast [3,1] to [2,3]", {.opset = 6});
  EXPECT_EQ(run_ok("Sub", {a, f32({2}, {1, 2})},
                   {attr("broadcast", int64_t{1}), attr("axis", int64_t{0})}, {.opset = 6})
                .values<float>(),
            (std::vector<float>{0, 1, 2, 2, 3, 4}));
  // Integer division by zero gives 0, not SIGFPE.
  EXPECT_EQ(run_ok("Div", {OpTensor::of<int64_t>({2}, {5, INT64_MIN}),
                           OpTensor::of<int64_t>({2}, {0, -1})})
                .values<int64_t>(),
            (std::vector<int64_t>{0, INT64_MIN}));
  // Empty tensors broadcast to empty outputs.
  const OpTensor empty = run_ok("Add", {f32({0, 3}, {}), f32({3}, {1, 2, 3})});
  EXPECT_EQ(empty.shape, (Dims{0, 3}));
  EXPECT_TRUE(empty.bytes.empty());
}

}  // namespace
}  // namespace infer::cpu::test
