// What the NCHWc kernel tests share: a blocked result back in NCHW for the naive references.
#ifndef INFER_TESTS_CPU_KERNELS_NCHWC_TEST_UTIL_H_
#define INFER_TESTS_CPU_KERNELS_NCHWC_TEST_UTIL_H_

#include <vector>

#include "kernels/nchwc.h"
#include "test_util.h"

namespace infer::cpu::test {

inline TTensor blocked_to_nchw(const std::vector<float>& x, const Dims& blocked, int64_t channels) {
  TTensor y{nchwc_reorder_output_shape(blocked, channels), {}};
  y.data.resize(static_cast<size_t>(count(y.shape)));
  nchwc_reorder_output(x.data(), blocked, channels, y.data.data());
  return y;
}

}  // namespace infer::cpu::test

#endif  // INFER_TESTS_CPU_KERNELS_NCHWC_TEST_UTIL_H_
