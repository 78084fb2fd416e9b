// Element types of the cpu kernels and dispatch from a run-time infer_dtype to a C++ type.
//
// float16 and bfloat16 are storage types: kernels load them as float, compute in float and
// store back (rounding to nearest even), which is what ONNX's reference does for most ops.
// The four float8 types are storage types too, but only Cast, CastLike and the quantization
// ops accept them (they are in kFloat8, not in kFloats).
#ifndef INFER_PLUGINS_CPU_KERNELS_DTYPE_H_
#define INFER_PLUGINS_CPU_KERNELS_DTYPE_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "infer/plugin_api.h"

namespace infer::cpu {

// IEEE 754 binary16, stored as its bits.
struct Float16 {
  uint16_t bits = 0;
};
// bfloat16: the top half of a float32.
struct BFloat16 {
  uint16_t bits = 0;
};

float half_to_float(uint16_t h);
uint16_t float_to_half(float f);  // round to nearest even, overflow to inf, NaN kept
inline float bfloat16_to_float(uint16_t b) { return std::bit_cast<float>(uint32_t{b} << 16); }
uint16_t float_to_bfloat16(float f);  // round to nearest even, NaN kept

// The ONNX float8 formats (as ml_dtypes): E4M3FN (bias 7, no inf, NaN S.1111.111, max 448),
// E4M3FNUZ (bias 8, NaN 0x80 only, no -0 or inf, max 240), E5M2 (IEEE-like: bias 15, inf and
// NaN, max 57344) and E5M2FNUZ (bias 16, NaN 0x80 only, no -0 or inf, max 57344).
enum class Float8Format : uint8_t { kE4M3FN, kE4M3FNUZ, kE5M2, kE5M2FNUZ };
float float8_to_float(Float8Format format, uint8_t bits);  // exact
// Rounds to nearest even (doubles are rounded to float first, as ml_dtypes does). A finite
// value beyond the largest finite one (after rounding) becomes +-max with `saturate` (ONNX's
// saturate=1, which also maps +-inf to +-max), else +-inf where the format has it and NaN
// where not. NaN gives NaN; FNUZ formats map -0 to +0.
uint8_t float_to_float8(Float8Format format, float v, bool saturate);

struct Float8E4M3FN {
  uint8_t bits = 0;
  static constexpr Float8Format kFormat = Float8Format::kE4M3FN;
};
struct Float8E4M3FNUZ {
  uint8_t bits = 0;
  static constexpr Float8Format kFormat = Float8Format::kE4M3FNUZ;
};
struct Float8E5M2 {
  uint8_t bits = 0;
  static constexpr Float8Format kFormat = Float8Format::kE5M2;
};
struct Float8E5M2FNUZ {
  uint8_t bits = 0;
  static constexpr Float8Format kFormat = Float8Format::kE5M2FNUZ;
};
template <typename T>
constexpr bool is_float8_v = std::is_same_v<T, Float8E4M3FN> || std::is_same_v<T, Float8E4M3FNUZ> ||
                             std::is_same_v<T, Float8E5M2> || std::is_same_v<T, Float8E5M2FNUZ>;

// Loads any element type as the type used for arithmetic on it (float for the 16-bit floats).
template <typename T>
struct Compute {
  using type = T;
};
template <>
struct Compute<Float16> {
  using type = float;
};
template <>
struct Compute<BFloat16> {
  using type = float;
};
template <typename T>
requires is_float8_v<T>
struct Compute<T> {
  using type = float;
};
template <typename T>
using compute_t = typename Compute<T>::type;

template <typename T>
inline compute_t<T> load(T v) {
  if constexpr (std::is_same_v<T, Float16>) {
    return half_to_float(v.bits);
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    return bfloat16_to_float(v.bits);
  } else if constexpr (is_float8_v<T>) {
    return float8_to_float(T::kFormat, v.bits);
  } else {
    return v;
  }
}

template <typename T>
inline T store(compute_t<T> v) {
  if constexpr (std::is_same_v<T, Float16>) {
    return Float16{float_to_half(v)};
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    return BFloat16{float_to_bfloat16(v)};
  } else if constexpr (is_float8_v<T>) {
    return T{float_to_float8(T::kFormat, v, /*saturate=*/true)};  // ONNX's default
  } else {
    return v;
  }
}

template <typename T>
constexpr infer_dtype dtype_of();
#define INFER_CPU_DTYPE_OF(T, D)        \
  template <>                           \
  constexpr infer_dtype dtype_of<T>() { \
    return D;                           \
  }
INFER_CPU_DTYPE_OF(float, INFER_DTYPE_FLOAT32)
INFER_CPU_DTYPE_OF(double, INFER_DTYPE_FLOAT64)
INFER_CPU_DTYPE_OF(Float16, INFER_DTYPE_FLOAT16)
INFER_CPU_DTYPE_OF(BFloat16, INFER_DTYPE_BFLOAT16)
INFER_CPU_DTYPE_OF(int8_t, INFER_DTYPE_INT8)
INFER_CPU_DTYPE_OF(int16_t, INFER_DTYPE_INT16)
INFER_CPU_DTYPE_OF(int32_t, INFER_DTYPE_INT32)
INFER_CPU_DTYPE_OF(int64_t, INFER_DTYPE_INT64)
INFER_CPU_DTYPE_OF(uint8_t, INFER_DTYPE_UINT8)
INFER_CPU_DTYPE_OF(uint16_t, INFER_DTYPE_UINT16)
INFER_CPU_DTYPE_OF(uint32_t, INFER_DTYPE_UINT32)
INFER_CPU_DTYPE_OF(uint64_t, INFER_DTYPE_UINT64)
INFER_CPU_DTYPE_OF(bool, INFER_DTYPE_BOOL)
INFER_CPU_DTYPE_OF(Float8E4M3FN, INFER_DTYPE_FLOAT8E4M3FN)
INFER_CPU_DTYPE_OF(Float8E4M3FNUZ, INFER_DTYPE_FLOAT8E4M3FNUZ)
INFER_CPU_DTYPE_OF(Float8E5M2, INFER_DTYPE_FLOAT8E5M2)
INFER_CPU_DTYPE_OF(Float8E5M2FNUZ, INFER_DTYPE_FLOAT8E5M2FNUZ)
#undef INFER_CPU_DTYPE_OF

// Sets of dtypes as bit masks, for OpDesc::input_dtypes and dispatch.
using DtypeMask = uint32_t;
constexpr DtypeMask dtype_bit(infer_dtype t) { return DtypeMask{1} << static_cast<unsigned>(t); }
constexpr DtypeMask kF32 = dtype_bit(INFER_DTYPE_FLOAT32);
constexpr DtypeMask kF64 = dtype_bit(INFER_DTYPE_FLOAT64);
constexpr DtypeMask kF16 = dtype_bit(INFER_DTYPE_FLOAT16);
constexpr DtypeMask kBF16 = dtype_bit(INFER_DTYPE_BFLOAT16);
constexpr DtypeMask kI8 = dtype_bit(INFER_DTYPE_INT8);
constexpr DtypeMask kI16 = dtype_bit(INFER_DTYPE_INT16);
constexpr DtypeMask kI32 = dtype_bit(INFER_DTYPE_INT32);
constexpr DtypeMask kI64 = dtype_bit(INFER_DTYPE_INT64);
constexpr DtypeMask kU8 = dtype_bit(INFER_DTYPE_UINT8);
constexpr DtypeMask kU16 = dtype_bit(INFER_DTYPE_UINT16);
constexpr DtypeMask kU32 = dtype_bit(INFER_DTYPE_UINT32);
constexpr DtypeMask kU64 = dtype_bit(INFER_DTYPE_UINT64);
constexpr DtypeMask kBool = dtype_bit(INFER_DTYPE_BOOL);

constexpr DtypeMask kFloat8 =
    dtype_bit(INFER_DTYPE_FLOAT8E4M3FN) | dtype_bit(INFER_DTYPE_FLOAT8E4M3FNUZ) |
    dtype_bit(INFER_DTYPE_FLOAT8E5M2) | dtype_bit(INFER_DTYPE_FLOAT8E5M2FNUZ);

constexpr DtypeMask kFloats = kF32 | kF64 | kF16 | kBF16;  // float8 is not in here
constexpr DtypeMask kSignedInts = kI8 | kI16 | kI32 | kI64;
constexpr DtypeMask kUnsignedInts = kU8 | kU16 | kU32 | kU64;
constexpr DtypeMask kInts = kSignedInts | kUnsignedInts;
constexpr DtypeMask kNumeric = kFloats | kInts;
// Every dtype with a fixed element size, for operators that only move bytes.
constexpr DtypeMask kAnyFixed = kNumeric | kBool;

// Calls fn(T{}) with the C++ type of `dtype` if it is in `Mask`; returns false otherwise so
// the caller can report the unsupported type. Only the types in Mask are instantiated.
template <DtypeMask Mask, typename Fn>
bool visit_dtype(infer_dtype dtype, Fn&& fn) {
  bool done = false;
  auto try_one = [&]<typename T>() {
    if (!done && (Mask & dtype_bit(dtype_of<T>())) && dtype == dtype_of<T>()) {
      if constexpr ((Mask & dtype_bit(dtype_of<T>())) != 0) fn(T{});
      done = true;
    }
  };
  try_one.template operator()<float>();
  try_one.template operator()<double>();
  try_one.template operator()<Float16>();
  try_one.template operator()<BFloat16>();
  try_one.template operator()<int8_t>();
  try_one.template operator()<int16_t>();
  try_one.template operator()<int32_t>();
  try_one.template operator()<int64_t>();
  try_one.template operator()<uint8_t>();
  try_one.template operator()<uint16_t>();
  try_one.template operator()<uint32_t>();
  try_one.template operator()<uint64_t>();
  try_one.template operator()<bool>();
  try_one.template operator()<Float8E4M3FN>();
  try_one.template operator()<Float8E4M3FNUZ>();
  try_one.template operator()<Float8E5M2>();
  try_one.template operator()<Float8E5M2FNUZ>();
  return done;
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_DTYPE_H_
