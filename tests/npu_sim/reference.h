// Naive references for the npu_sim op tests: inputs already rounded to fp16, sums in double,
// results rounded to fp16 once (as the NPU does at the end of a compute command).
#ifndef INFER_TESTS_NPU_SIM_REFERENCE_H_
#define INFER_TESTS_NPU_SIM_REFERENCE_H_

#include <vector>

#include "network.h"

namespace infer::npu_sim::test {

using Vec = std::vector<float>;

// x [N,C,H,W], w [M,C/group,kh,kw], bias [M] or empty; output [N,M,OH,OW] of `out`.
Vec ref_conv(const Vec& x, const Shape& xs, const Vec& w, const Shape& ws, const Vec& bias,
             const Window2d& win, int64_t group, const Shape& out);
// Batched numpy matmul with broadcast batch dims.
Vec ref_matmul(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Shape& out);
Vec ref_gemm(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Vec& c,
             const Shape& cs, bool ta, bool tb, float alpha, float beta);
// Numpy-broadcast binary op (add when `add`, else multiply).
Vec ref_binary(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Shape& out,
               bool add);
Vec ref_pool(const Vec& x, const Shape& xs, const Window2d& win, bool max, bool count_include_pad,
             const Shape& out);
Vec ref_softmax(const Vec& x, int64_t len);
Vec round_all(Vec v);

}  // namespace infer::npu_sim::test

#endif  // INFER_TESTS_NPU_SIM_REFERENCE_H_
