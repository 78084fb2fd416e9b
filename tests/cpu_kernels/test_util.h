// Helpers for the cpu kernel tests: random tensors, comparison and error expectations.
#ifndef INFER_TESTS_CPU_KERNELS_TEST_UTIL_H_
#define INFER_TESTS_CPU_KERNELS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "infer/plugin_cxx.hpp"

namespace infer::cpu::test {

using Dims = std::vector<int64_t>;

// A dense row-major float tensor owned by the test.
struct TTensor {
  Dims shape;
  std::vector<float> data;
};

inline int64_t count(const Dims& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

inline TTensor random_tensor(const Dims& shape, std::mt19937& rng, float lo = -1.0f,
                             float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  TTensor t{shape, std::vector<float>(static_cast<size_t>(count(shape)))};
  for (float& v : t.data) v = dist(rng);
  return t;
}

inline std::string dims_str(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(d[i]);
  }
  return s + "]";
}

// Element-wise comparison with a mixed absolute/relative tolerance.
inline void expect_close(const std::vector<float>& actual, const std::vector<float>& expected,
                         float tol = 1e-4f) {
  ASSERT_EQ(actual.size(), expected.size());
  size_t bad = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const float e = expected[i], a = actual[i];
    const bool ok =
        (std::isnan(e) && std::isnan(a)) || std::fabs(a - e) <= tol * (1 + std::fabs(e));
    if (!ok && ++bad <= 5) ADD_FAILURE() << "element " << i << ": got " << a << ", expected " << e;
  }
  EXPECT_EQ(bad, 0u) << "mismatching elements";
}

// Expects fn to throw a PluginError with this code whose message contains `needle`.
inline void expect_error(const std::function<void()>& fn, infer_status_code code,
                         const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing '" << needle << "'";
  } catch (const plugin::PluginError& e) {
    EXPECT_EQ(e.code, code) << e.message;
    EXPECT_NE(e.message.find(needle), std::string::npos)
        << "message '" << e.message << "' lacks '" << needle << "'";
  }
}

}  // namespace infer::cpu::test

#endif  // INFER_TESTS_CPU_KERNELS_TEST_UTIL_H_
