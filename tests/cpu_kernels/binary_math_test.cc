// The binary functors, mostly exhaustively over 8-bit operands, against naive integer and
// double references.
#include "kernels/binary_math.h"

#include <cmath>
#include <limits>

#include "elementwise_ref.h"
#include "kernels/elementwise.h"

namespace infer::cpu::test {
namespace {

// Every (a, b) pair of an 8-bit type as two flat vectors.
template <typename T>
std::pair<std::vector<T>, std::vector<T>> all_pairs() {
  std::vector<T> a, b;
  for (int x = std::numeric_limits<T>::min(); x <= std::numeric_limits<T>::max(); ++x) {
    for (int y = std::numeric_limits<T>::min(); y <= std::numeric_limits<T>::max(); ++y) {
      a.push_back(static_cast<T>(x));
      b.push_back(static_cast<T>(y));
    }
  }
  return {a, b};
}

// Two's complement wrap of an exact integer result into T.
template <typename T>
T wrap(long long v) {
  const long long m = 1LL << (8 * sizeof(T));
  long long r = ((v % m) + m) % m;
  if (std::is_signed_v<T> && r >= m / 2) r -= m;
  return static_cast<T>(r);
}

template <typename T, typename Op, typename Ref>
void check_all_pairs(const char* name, Op op, Ref ref) {
  SCOPED_TRACE(name);
  const auto [a, b] = all_pairs<T>();
  const Dims s{static_cast<int64_t>(a.size())};
  std::vector<T> y(a.size());
  binary_broadcast(op, a.data(), s, b.data(), s, y.data(), s);
  size_t bad = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const T e = ref(static_cast<long long>(a[i]), static_cast<long long>(b[i]));
    if (y[i] != e && ++bad < 5) {
      ADD_FAILURE() << +a[i] << " op " << +b[i] << " = " << +y[i] << ", expected " << +e;
    }
  }
}

template <typename T>
void check_integer_semantics() {
  // C division truncates toward zero; dividing by zero gives 0 (numpy) instead of trapping.
  auto div = [](long long x, long long y) { return y == 0 ? T{0} : wrap<T>(x / y); };
  // Python's %: the sign of the divisor.
  auto mod = [](long long x, long long y) {
    if (y == 0) return T{0};
    long long r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return wrap<T>(r);
  };
  auto fmod = [](long long x, long long y) { return y == 0 ? T{0} : wrap<T>(x % y); };
  check_all_pairs<T>("Add", fn::Add{}, [](long long x, long long y) { return wrap<T>(x + y); });
  check_all_pairs<T>("Sub", fn::Sub{}, [](long long x, long long y) { return wrap<T>(x - y); });
  check_all_pairs<T>("Mul", fn::Mul{}, [](long long x, long long y) { return wrap<T>(x * y); });
  check_all_pairs<T>("Div", fn::Div{}, div);
  check_all_pairs<T>("Mod", fn::Mod{}, mod);
  check_all_pairs<T>("FMod", fn::FMod{}, fmod);
  check_all_pairs<T>("Max", fn::Max{}, [](long long x, long long y) { return T(x > y ? x : y); });
  check_all_pairs<T>("Min", fn::Min{}, [](long long x, long long y) { return T(x < y ? x : y); });
  check_all_pairs<T>("BitwiseXor", fn::BitwiseXor{},
                     [](long long x, long long y) { return wrap<T>(x ^ y); });
  // Shifts as repeated doubling/halving; out-of-range amounts give 0 (or -1).
  const int bits = 8 * sizeof(T);
  check_all_pairs<T>("ShiftLeft", fn::ShiftLeft{}, [&](long long x, long long y) {
    if (y < 0 || y >= bits) return T{0};
    for (long long k = 0; k < y; ++k) x = static_cast<long long>(wrap<T>(x * 2));
    return static_cast<T>(x);
  });
  check_all_pairs<T>("ShiftRight", fn::ShiftRight{}, [&](long long x, long long y) {
    if (y < 0 || y >= bits) return T(x < 0 ? -1 : 0);
    for (long long k = 0; k < y; ++k) x = x >= 0 ? x / 2 : -((1 - x) / 2);  // floor(x / 2)
    return static_cast<T>(x);
  });
  check_all_pairs<T>("Pow", fn::Pow{}, [](long long x, long long y) {
    if (y < 0) return T(x == 1 ? 1 : x == -1 ? (y % 2 ? -1 : 1) : 0);
    long long r = 1;
    for (long long k = 0; k < y; ++k) r = static_cast<long long>(wrap<T>(r * x));
    return static_cast<T>(r);
  });
}

TEST(BinaryMath, Int8AllPairs) { check_integer_semantics<int8_t>(); }
TEST(BinaryMath, Uint8AllPairs) { check_integer_semantics<uint8_t>(); }

TEST(BinaryMath, WideIntegerEdgesDoNotTrap) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(fn::Div{}(kMin, int64_t{-1}), kMin);
  EXPECT_EQ(fn::Mod{}(kMin, int64_t{-1}), 0);
  EXPECT_EQ(fn::FMod{}(kMin, int64_t{-1}), 0);
  EXPECT_EQ(fn::Div{}(int32_t{7}, int32_t{0}), 0);
  EXPECT_EQ(fn::Mod{}(int32_t{-7}, int32_t{3}), 2);
  EXPECT_EQ(fn::FMod{}(int32_t{-7}, int32_t{3}), -1);
  EXPECT_EQ(fn::Pow{}(int64_t{3}, int64_t{40}), static_cast<int64_t>(12157665459056928801ULL));
  EXPECT_EQ(fn::ShiftLeft{}(uint64_t{1}, uint64_t{63}), uint64_t{1} << 63);
  EXPECT_EQ(fn::ShiftLeft{}(uint64_t{1}, uint64_t{64}), 0u);
  EXPECT_EQ(fn::ShiftRight{}(int32_t{-8}, int32_t{40}), -1);
}

TEST(BinaryMath, FloatModFollowsNumpy) {
  struct Case {
    double a, b, mod, fmod;
  };
  // numpy.mod / numpy.fmod values.
  const double inf = INFINITY;
  const Case cases[] = {{5.5, 2, 1.5, 1.5},     {-5.5, 2, 0.5, -1.5}, {5.5, -2, -0.5, 1.5},
                        {-5.5, -2, -1.5, -1.5}, {4, 2, 0, 0},         {-4, 2, 0, -0.0},
                        {4, -2, -0.0, 0},       {1, inf, 1, 1},       {-1, inf, inf, -1}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.a << " % " << c.b);
    EXPECT_EQ(fn::Mod{}(c.a, c.b), c.mod);
    EXPECT_EQ(std::signbit(fn::Mod{}(c.a, c.b)), std::signbit(c.mod));
    EXPECT_EQ(fn::FMod{}(c.a, c.b), c.fmod);
    EXPECT_EQ(static_cast<double>(fn::Mod{}(static_cast<float>(c.a), static_cast<float>(c.b))),
              c.mod);
  }
  EXPECT_TRUE(std::isnan(fn::Mod{}(1.0, 0.0)));
  EXPECT_TRUE(std::isnan(fn::FMod{}(1.0f, 0.0f)));
}

TEST(BinaryMath, PowMixesTypes) {
  EXPECT_EQ(fn::Pow{}(2.0f, int64_t{10}), 1024.0f);
  EXPECT_EQ(fn::Pow{}(2.0f, int32_t{-1}), 0.5f);
  EXPECT_EQ(fn::Pow{}(int32_t{2}, 0.5f), 1);  // sqrt(2) truncates
  EXPECT_EQ(fn::Pow{}(int64_t{-3}, 3.0), -27);
  EXPECT_EQ(fn::Pow{}(int32_t{4}, uint64_t{3}), 64);
  EXPECT_NEAR(fn::Pow{}(1.5, 2.5f), std::pow(1.5, 2.5), 1e-12);
  EXPECT_TRUE(std::isnan(fn::Pow{}(-2.0f, 0.5f)));
  EXPECT_EQ(fn::Pow{}(int32_t{2}, NAN), std::numeric_limits<int32_t>::min());  // defined, no UB
}

TEST(BinaryMath, MaxMinPropagateNaN) {
  const float nan = NAN;
  EXPECT_TRUE(std::isnan(fn::Max{}(nan, 1.0f)));
  EXPECT_TRUE(std::isnan(fn::Max{}(1.0f, nan)));
  EXPECT_TRUE(std::isnan(fn::Min{}(nan, 1.0f)));
  EXPECT_TRUE(std::isnan(fn::Min{}(1.0f, nan)));
  EXPECT_EQ(fn::Max{}(-1.0f, 2.0f), 2.0f);
  EXPECT_EQ(fn::Min{}(-1.0f, 2.0f), -1.0f);
}

TEST(BinaryMath, ComparisonsAndLogic) {
  const std::vector<float> a{1, 2, 3, NAN}, b{2, 2, 2, NAN};
  const Dims s{4};
  auto run = [&](auto op) {
    bool y[4];
    binary_broadcast(op, a.data(), s, b.data(), s, y, s);
    return std::vector<bool>(y, y + 4);
  };
  auto ref = [&](auto f) { return ewref::binary<bool>(a, s, b, s, f); };
  EXPECT_EQ(run(fn::Equal{}), ref([](float x, float y) { return x == y; }));
  EXPECT_EQ(run(fn::Greater{}), ref([](float x, float y) { return x > y; }));
  EXPECT_EQ(run(fn::Less{}), ref([](float x, float y) { return x < y; }));
  EXPECT_EQ(run(fn::GreaterOrEqual{}), ref([](float x, float y) { return x >= y; }));
  EXPECT_EQ(run(fn::LessOrEqual{}), ref([](float x, float y) { return x <= y; }));
  const bool p[] = {false, false, true, true}, q[] = {false, true, false, true};
  bool y[4];
  binary_broadcast(fn::And{}, p, s, q, s, y, s);
  EXPECT_EQ(std::vector<bool>(y, y + 4), (std::vector<bool>{false, false, false, true}));
  binary_broadcast(fn::Or{}, p, s, q, s, y, s);
  EXPECT_EQ(std::vector<bool>(y, y + 4), (std::vector<bool>{false, true, true, true}));
  binary_broadcast(fn::Xor{}, p, s, q, s, y, s);
  EXPECT_EQ(std::vector<bool>(y, y + 4), (std::vector<bool>{false, true, true, false}));
}

TEST(BinaryMath, PReluScalesOnlyNonPositive) {
  const std::vector<float> x{-2, -0.5f, 0, 3}, slope{0.5f, 2};
  const Dims xs{2, 2}, ss{2};
  std::vector<float> y(4);
  binary_broadcast(fn::PRelu{}, x.data(), xs, slope.data(), ss, y.data(), xs);
  EXPECT_EQ(y, ewref::binary<float>(x, xs, slope, ss,
                                    [](float v, float k) { return v > 0 ? v : v * k; }));
}

}  // namespace
}  // namespace infer::cpu::test
