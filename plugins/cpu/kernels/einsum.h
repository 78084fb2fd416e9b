// Einsum by a generic loop: every operand is read through one stride per equation label
// (repeated labels within an operand add their strides, which walks the diagonal), over the
// output labels and then the summed labels.
#ifndef INFER_PLUGINS_CPU_KERNELS_EINSUM_H_
#define INFER_PLUGINS_CPU_KERNELS_EINSUM_H_

#include <string_view>
#include <vector>

#include "kernels/common.h"

namespace infer::cpu {

// The equation split into terms of label ids: 0-51 for a-z and A-Z, kEllipsis for "...".
// Without "->" the output is "..." (if any input has one) followed by the labels used exactly
// once, in ASCII order, as numpy does.
constexpr int kEllipsis = -1;
struct EinsumEquation {
  std::vector<std::vector<int>> inputs;
  std::vector<int> output;
};
// Throws (INFER_INVALID_MODEL) on syntax errors, labels repeated in the output or output
// labels no input has.
EinsumEquation parse_einsum(std::string_view equation);

struct EinsumPlan {
  Shape y_shape;
  Shape loop;                          // sizes: output labels first, then summed labels
  size_t output_loops = 0;             // leading entries of `loop` that index the output
  std::vector<Shape> operand_strides;  // per operand, one stride per entry of `loop`
};
// Checks the operand count and ranks against the equation, and that each label has one size
// (dimensions of size 1, labelled or under an ellipsis, broadcast like numpy).
EinsumPlan plan_einsum(const EinsumEquation& eq, std::span<const ShapeSpan> shapes);

// T: the float types (accumulated in double) and the integers (wrapping).
template <typename T>
void einsum(const EinsumPlan& plan, std::span<const T* const> inputs, T* y);

#define INFER_CPU_EINSUM_EXTERN(T) \
  extern template void einsum<T>(const EinsumPlan&, std::span<const T* const>, T*);
INFER_CPU_EINSUM_EXTERN(float)
INFER_CPU_EINSUM_EXTERN(double)
INFER_CPU_EINSUM_EXTERN(Float16)
INFER_CPU_EINSUM_EXTERN(BFloat16)
INFER_CPU_EINSUM_EXTERN(int8_t)
INFER_CPU_EINSUM_EXTERN(int16_t)
INFER_CPU_EINSUM_EXTERN(int32_t)
INFER_CPU_EINSUM_EXTERN(int64_t)
INFER_CPU_EINSUM_EXTERN(uint8_t)
INFER_CPU_EINSUM_EXTERN(uint16_t)
INFER_CPU_EINSUM_EXTERN(uint32_t)
INFER_CPU_EINSUM_EXTERN(uint64_t)
#undef INFER_CPU_EINSUM_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_EINSUM_H_
