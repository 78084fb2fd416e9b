// Deliberately naive reference implementations of the ONNX operators, written from the spec
// with plain nested loops. They share no code with the kernels under test.
#ifndef INFER_TESTS_CPU_KERNELS_REFERENCE_H_
#define INFER_TESTS_CPU_KERNELS_REFERENCE_H_

#include <string>
#include <vector>

#include "test_util.h"

namespace infer::cpu::test::ref {

// Attributes of Conv and the pooling operators (spatial rank 1 to 3). Empty = ONNX default.
struct WindowAttrs {
  Dims kernel_shape = {}, strides = {}, dilations = {}, pads = {};
  std::string auto_pad = "NOTSET";
  int64_t group = 1;
  bool ceil_mode = false;
  bool count_include_pad = false;
};

TTensor conv(const TTensor& x, const TTensor& w, const TTensor* bias, const WindowAttrs& a);
TTensor max_pool(const TTensor& x, const WindowAttrs& a);
TTensor average_pool(const TTensor& x, const WindowAttrs& a);
TTensor global_average_pool(const TTensor& x);

TTensor gemm(const TTensor& a, const TTensor& b, const TTensor* c, float alpha, float beta,
             bool trans_a, bool trans_b);
TTensor matmul(const TTensor& a, const TTensor& b);

TTensor relu(const TTensor& x);
// Numpy broadcasting of a (op) b, op '+' or '*'.
TTensor binary(const TTensor& a, const TTensor& b, char op);
std::vector<int64_t> binary_i64(const std::vector<int64_t>& a, const Dims& as,
                                const std::vector<int64_t>& b, const Dims& bs, char op);
TTensor batch_norm(const TTensor& x, const TTensor& scale, const TTensor& bias, const TTensor& mean,
                   const TTensor& var, float eps);
// coerce_2d: opset < 13 semantics.
TTensor softmax(const TTensor& x, int64_t axis, bool coerce_2d);
TTensor concat(const std::vector<TTensor>& inputs, int64_t axis);

}  // namespace infer::cpu::test::ref

#endif  // INFER_TESTS_CPU_KERNELS_REFERENCE_H_
