// Naive references for the elementwise kernel tests: broadcasting computed the slow way, one
// output index at a time, sharing no code with the kernels.
#ifndef INFER_TESTS_CPU_KERNELS_ELEMENTWISE_REF_H_
#define INFER_TESTS_CPU_KERNELS_ELEMENTWISE_REF_H_

#include <algorithm>
#include <functional>
#include <vector>

#include "test_util.h"

namespace infer::cpu::test::ewref {

// numpy broadcast shape, or an empty optional-like flag when the shapes do not broadcast.
inline bool broadcast_shape(const Dims& a, const Dims& b, Dims& out) {
  const size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t k = 0; k < rank; ++k) {
    const int64_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const int64_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (da != db && da != 1 && db != 1) return false;
    out[rank - 1 - k] = da == 1 ? db : da;
  }
  return true;
}

// For every element of the dense shape `out`, the offset of the element of the dense shape
// `in` that broadcasting reads.
inline std::vector<size_t> source_offsets(const Dims& in, const Dims& out) {
  const size_t n = static_cast<size_t>(count(out));
  std::vector<size_t> offsets(n);
  for (size_t flat = 0; flat < n; ++flat) {
    // Unravel `flat` over `out`, then ravel over `in` with size-1 dimensions pinned to 0.
    size_t rest = flat, offset = 0, stride = 1;
    for (size_t k = 0; k < out.size(); ++k) {
      const size_t d = out.size() - 1 - k;
      const auto idx = rest % static_cast<size_t>(out[d]);
      rest /= static_cast<size_t>(out[d]);
      if (k < in.size()) {
        const auto dim = static_cast<size_t>(in[in.size() - 1 - k]);
        offset += (dim == 1 ? 0 : idx) * stride;
        stride *= dim;
      }
    }
    offsets[flat] = offset;
  }
  return offsets;
}

template <typename R, typename A, typename B, typename F>
std::vector<R> binary(const std::vector<A>& a, const Dims& as, const std::vector<B>& b,
                      const Dims& bs, F f) {
  Dims out;
  EXPECT_TRUE(broadcast_shape(as, bs, out));
  const std::vector<size_t> oa = source_offsets(as, out), ob = source_offsets(bs, out);
  std::vector<R> y(oa.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] = f(a[oa[i]], b[ob[i]]);
  return y;
}

}  // namespace infer::cpu::test::ewref

#endif  // INFER_TESTS_CPU_KERNELS_ELEMENTWISE_REF_H_
