// Reductions over a set of axes (ReduceSum, ReduceMax, ... ) and ArgMax/ArgMin over one axis.
#ifndef INFER_PLUGINS_CPU_KERNELS_REDUCE_H_
#define INFER_PLUGINS_CPU_KERNELS_REDUCE_H_

#include "kernels/common.h"

namespace infer::cpu {

enum class ReduceOp { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

struct ReducePlan {
  Shape x_shape;
  Shape y_shape;      // reduced axes kept as 1 or dropped, per keepdims
  Shape y_strides;    // per input dimension: stride into y, 0 on reduced axes
  int64_t count = 1;  // input elements per output element
};

// Checks axes (in [-rank, rank-1], no duplicates). An empty `axes` reduces every axis, or
// none when noop_with_empty_axes is set (each output is then the op on a single element,
// e.g. |x| for ReduceL1).
ReducePlan plan_reduce(ShapeSpan x, std::span<const int64_t> axes, bool keepdims,
                       bool noop_with_empty_axes);

// Reducing an empty set gives the op's identity: 0 for sums, 1 for products, -inf / the
// lowest integer for max, +inf / the highest for min, -inf for the log-sums, NaN for mean.
// Integer sums and products wrap around; bool supports only kMax and kMin (any / all).
template <typename T>
void reduce(ReduceOp op, const ReducePlan& plan, const T* x, T* y);

// ArgMax/ArgMin along one axis: the tensor is viewed as [outer, len, inner].
struct ArgPlan {
  int64_t outer = 0, len = 0, inner = 0;
  Shape y_shape;
};
ArgPlan plan_arg_reduce(ShapeSpan x, int64_t axis, bool keepdims);
// Ties go to the first index, or the last with select_last_index; NaN wins like in numpy.
template <typename T>
void arg_reduce(bool is_max, bool select_last_index, const ArgPlan& plan, const T* x, int64_t* y);

#define INFER_CPU_REDUCE_EXTERN(T)                                           \
  extern template void reduce<T>(ReduceOp, const ReducePlan&, const T*, T*); \
  extern template void arg_reduce<T>(bool, bool, const ArgPlan&, const T*, int64_t*);
INFER_CPU_REDUCE_EXTERN(float)
INFER_CPU_REDUCE_EXTERN(double)
INFER_CPU_REDUCE_EXTERN(Float16)
INFER_CPU_REDUCE_EXTERN(BFloat16)
INFER_CPU_REDUCE_EXTERN(int8_t)
INFER_CPU_REDUCE_EXTERN(int16_t)
INFER_CPU_REDUCE_EXTERN(int32_t)
INFER_CPU_REDUCE_EXTERN(int64_t)
INFER_CPU_REDUCE_EXTERN(uint8_t)
INFER_CPU_REDUCE_EXTERN(uint16_t)
INFER_CPU_REDUCE_EXTERN(uint32_t)
INFER_CPU_REDUCE_EXTERN(uint64_t)
INFER_CPU_REDUCE_EXTERN(bool)
#undef INFER_CPU_REDUCE_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_REDUCE_H_
