#include "kernels/cast.h"

#include <limits>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// A few values every dtype holds exactly, stored as `dtype`.
std::vector<std::byte> small_values(infer_dtype dtype, const std::vector<int>& values) {
  const size_t size = plugin::dtype_size(dtype);
  std::vector<std::byte> out(values.size() * size);
  for (size_t i = 0; i < values.size(); ++i) {
    const int v = values[i];
    std::byte* p = out.data() + i * size;
    auto put = [&](auto x) { std::memcpy(p, &x, sizeof(x)); };
    switch (dtype) {
      case INFER_DTYPE_FLOAT32:
        put(static_cast<float>(v));
        break;
      case INFER_DTYPE_FLOAT64:
        put(static_cast<double>(v));
        break;
      case INFER_DTYPE_FLOAT16:
        put(float_to_half(static_cast<float>(v)));
        break;
      case INFER_DTYPE_BFLOAT16:
        put(float_to_bfloat16(static_cast<float>(v)));
        break;
      case INFER_DTYPE_INT8:
        put(static_cast<int8_t>(v));
        break;
      case INFER_DTYPE_INT16:
        put(static_cast<int16_t>(v));
        break;
      case INFER_DTYPE_INT32:
        put(static_cast<int32_t>(v));
        break;
      case INFER_DTYPE_INT64:
        put(static_cast<int64_t>(v));
        break;
      case INFER_DTYPE_UINT8:
        put(static_cast<uint8_t>(v));
        break;
      case INFER_DTYPE_UINT16:
        put(static_cast<uint16_t>(v));
        break;
      case INFER_DTYPE_UINT32:
        put(static_cast<uint32_t>(v));
        break;
      case INFER_DTYPE_UINT64:
        put(static_cast<uint64_t>(v));
        break;
      case INFER_DTYPE_BOOL:
        put(v != 0);
        break;
      default:
        ADD_FAILURE() << "unexpected dtype";
    }
  }
  return out;
}

constexpr infer_dtype kAll[] = {INFER_DTYPE_FLOAT32,  INFER_DTYPE_FLOAT64, INFER_DTYPE_FLOAT16,
                                INFER_DTYPE_BFLOAT16, INFER_DTYPE_INT8,    INFER_DTYPE_INT16,
                                INFER_DTYPE_INT32,    INFER_DTYPE_INT64,   INFER_DTYPE_UINT8,
                                INFER_DTYPE_UINT16,   INFER_DTYPE_UINT32,  INFER_DTYPE_UINT64,
                                INFER_DTYPE_BOOL};

TEST(Cast, ExactValuesSurviveEveryPair) {
  const std::vector<int> values{0, 1, 5, 100, 0, 127};
  for (infer_dtype from : kAll) {
    for (infer_dtype to : kAll) {
      SCOPED_TRACE(std::string(plugin::dtype_name(from)) + " -> " + plugin::dtype_name(to));
      // Through bool every non-zero value becomes 1.
      std::vector<int> expected = values;
      if (from == INFER_DTYPE_BOOL || to == INFER_DTYPE_BOOL) {
        for (int& v : expected) v = v != 0;
      }
      const std::vector<std::byte> x = small_values(from, values);
      std::vector<std::byte> y(values.size() * plugin::dtype_size(to));
      cast_elements(from, x.data(), to, y.data(), static_cast<int64_t>(values.size()));
      EXPECT_EQ(y, small_values(to, expected));
    }
  }
}

// Through byte buffers, so that std::vector<bool> works too.
template <typename From, typename To>
std::vector<To> cast_vec(const std::vector<From>& x) {
  std::vector<std::byte> out(x.size() * sizeof(To));
  cast_elements(dtype_of<From>(), x.data(), dtype_of<To>(), out.data(),
                static_cast<int64_t>(x.size()));
  std::vector<To> y;
  for (size_t i = 0; i < x.size(); ++i) {
    To v;
    std::memcpy(&v, out.data() + i * sizeof(To), sizeof(To));
    y.push_back(v);
  }
  return y;
}

TEST(Cast, FloatToIntTruncatesAndWraps) {
  const std::vector<float> x{2.7f, -2.7f, 300.5f, -129.0f};
  EXPECT_EQ((cast_vec<float, int32_t>(x)), (std::vector<int32_t>{2, -2, 300, -129}));
  // numpy: through int64, then the low byte.
  EXPECT_EQ((cast_vec<float, int8_t>(x)), (std::vector<int8_t>{2, -2, 44, 127}));
  EXPECT_EQ((cast_vec<float, uint8_t>(x)), (std::vector<uint8_t>{2, 254, 44, 127}));
  // Out of range and NaN are defined (x86 numpy's value), not UB.
  const std::vector<double> wild{NAN, INFINITY, -1e300, 1.8e19};
  EXPECT_EQ((cast_vec<double, int64_t>(wild)),
            (std::vector<int64_t>(4, std::numeric_limits<int64_t>::min())));
  EXPECT_EQ((cast_vec<double, int32_t>(wild)),
            (std::vector<int32_t>(4, std::numeric_limits<int32_t>::min())));
  EXPECT_EQ((cast_vec<double, int16_t>({NAN, 1e10, 70000.0})), (std::vector<int16_t>{0, 0, 4464}));
  EXPECT_EQ((cast_vec<double, uint32_t>({1e10, -1.0})),
            (std::vector<uint32_t>{1410065408u, 4294967295u}));
  EXPECT_EQ((cast_vec<double, uint64_t>({-1.0})), (std::vector<uint64_t>{18446744073709551615u}));
  EXPECT_EQ((cast_vec<double, uint64_t>({1.8e19})), (std::vector<uint64_t>{18000000000000000000u}));
}

TEST(Cast, ToBoolIsNonZero) {
  const std::vector<float> x{0.0f, -0.0f, 0.5f, NAN, -3.0f};
  const std::vector<bool> expected{false, false, true, true, true};
  const auto y = cast_vec<float, bool>(x);
  EXPECT_EQ(std::vector<bool>(y.begin(), y.end()), expected);
  const auto yi = cast_vec<int64_t, bool>({0, 256, -1});
  EXPECT_EQ(std::vector<bool>(yi.begin(), yi.end()), (std::vector<bool>{false, true, true}));
}

TEST(Cast, HalfTypesRoundToNearestEven) {
  const std::vector<float> x{0.1f, 65520.0f, 1.0f + 1.0f / 2048};
  const auto h = cast_vec<float, Float16>(x);
  EXPECT_EQ(h[0].bits, 0x2e66);
  EXPECT_EQ(h[1].bits, 0x7c00);  // inf
  EXPECT_EQ(h[2].bits, 0x3c00);  // tie to even
  const auto b = cast_vec<Float16, BFloat16>(h);
  EXPECT_EQ(bfloat16_to_float(b[0].bits),
            bfloat16_to_float(float_to_bfloat16(half_to_float(0x2e66))));
  const auto i = cast_vec<Float16, int32_t>({Float16{float_to_half(-7.75f)}});
  EXPECT_EQ(i[0], -7);
  EXPECT_EQ((cast_vec<int64_t, uint8_t>({-1, 256, 257})), (std::vector<uint8_t>{255, 0, 1}));
}

TEST(Cast, RejectsTypesWithoutElements) {
  const float x = 1;
  std::byte y[8];
  expect_error([&] { cast_elements(INFER_DTYPE_FLOAT32, &x, INFER_DTYPE_STRING, y, 1); },
               INFER_UNIMPLEMENTED, "cast from float32 to string");
}

}  // namespace
}  // namespace infer::cpu::test
