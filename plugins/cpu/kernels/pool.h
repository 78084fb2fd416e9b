// Pooling, NCHW with 1-D to 3-D windows: MaxPool (with its Indices), AveragePool, LpPool,
// the global variants and MaxUnpool.
//
// T: MaxPool and MaxUnpool take float, double, Float16, BFloat16, int8_t and uint8_t; the
// averaging pools take the floating types (the 16-bit ones compute in float).
#ifndef INFER_PLUGINS_CPU_KERNELS_POOL_H_
#define INFER_PLUGINS_CPU_KERNELS_POOL_H_

#include <optional>

#include "kernels/window.h"

namespace infer::cpu {

struct PoolPlan {
  int64_t planes = 0;  // N * C
  WindowGeometry geo;
  Shape y_shape;
};

// X [N, C, D...] with p.kernel_shape giving the window (required for pooling).
PoolPlan plan_pool(const WindowParams& p, ShapeSpan x);

// indices (may be null) receive the flat index of each maximum in X, the plane offset
// included; column_major (storage_order 1) numbers positions in a plane with the first
// spatial axis fastest. The first maximum wins; a window with no input tap gives the lowest
// value and index -1.
template <typename T>
void max_pool(const PoolPlan& plan, const T* x, T* y, int64_t* indices = nullptr,
              bool column_major = false);
// count_include_pad: divide by the taps inside the padded extent rather than the real ones.
template <typename T>
void average_pool(const PoolPlan& plan, bool count_include_pad, const T* x, T* y);
// (sum |x|^p)^(1/p) over the real taps (padding counts as zeros).
template <typename T>
void lp_pool(const PoolPlan& plan, float p, const T* x, T* y);

// [N, C, D...] -> [N, C, 1...]
Shape global_pool_shape(ShapeSpan x);
enum class GlobalPool { kAverage, kMax, kLp };
template <typename T>
void global_pool(GlobalPool kind, float p, const T* x, ShapeSpan x_shape, T* y);
template <typename T>
void global_average_pool(const T* x, ShapeSpan x_shape, T* y) {
  global_pool(GlobalPool::kAverage, 0.0f, x, x_shape, y);
}

// MaxUnpool: scatters X into zeros at Indices (flat indices into the default output, as
// MaxPool produces them). output_shape, when given, must be [N, C, ...] at least as large as
// the default size on every spatial axis; the values keep their positions in the default
// layout and the extra rows and columns stay zero, like ONNX's reference.
struct UnpoolPlan {
  Shape inferred_shape;  // the default output size from kernel, strides and pads
  Shape y_shape;
  int64_t count = 0;  // elements of X
};
UnpoolPlan plan_max_unpool(const WindowParams& p, ShapeSpan x, ShapeSpan indices,
                           std::optional<std::span<const int64_t>> output_shape);
// Throws if an index is outside the default output.
template <typename T>
void max_unpool(const UnpoolPlan& plan, const T* x, const int64_t* indices, T* y);

#define INFER_CPU_POOL_EXTERN(T)                                                   \
  extern template void max_pool<T>(const PoolPlan&, const T*, T*, int64_t*, bool); \
  extern template void max_unpool<T>(const UnpoolPlan&, const T*, const int64_t*, T*);
#define INFER_CPU_POOL_EXTERN_FLOAT(T)                                       \
  INFER_CPU_POOL_EXTERN(T)                                                   \
  extern template void average_pool<T>(const PoolPlan&, bool, const T*, T*); \
  extern template void lp_pool<T>(const PoolPlan&, float, const T*, T*);     \
  extern template void global_pool<T>(GlobalPool, float, const T*, ShapeSpan, T*);
INFER_CPU_POOL_EXTERN_FLOAT(float)
INFER_CPU_POOL_EXTERN_FLOAT(double)
INFER_CPU_POOL_EXTERN_FLOAT(Float16)
INFER_CPU_POOL_EXTERN_FLOAT(BFloat16)
INFER_CPU_POOL_EXTERN(int8_t)
INFER_CPU_POOL_EXTERN(uint8_t)
#undef INFER_CPU_POOL_EXTERN_FLOAT
#undef INFER_CPU_POOL_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_POOL_H_
