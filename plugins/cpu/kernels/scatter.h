// ScatterElements, ScatterND and TensorScatter. The output starts as a copy of data; indices
// outside [-dim, dim) are an error, never an out-of-bounds write.
#ifndef INFER_PLUGINS_CPU_KERNELS_SCATTER_H_
#define INFER_PLUGINS_CPU_KERNELS_SCATTER_H_

#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

// How an update combines with the existing element. For bool, add/max mean or, mul/min and.
enum class ScatterReduction { kNone, kAdd, kMul, kMax, kMin };
// "none", "add", "mul", "max", "min"; nullopt for anything else.
std::optional<ScatterReduction> parse_scatter_reduction(std::string_view s);

// ScatterElements (and Scatter): updates has the shape of indices (int32/int64), of data's rank
// with no dimension larger than data's outside `axis`. out has data's shape and dtype.
void scatter_elements(infer_dtype dtype, const void* data, ShapeSpan data_shape,
                      const void* indices, infer_dtype index_dtype, ShapeSpan indices_shape,
                      const void* updates, ShapeSpan updates_shape, int64_t axis,
                      ScatterReduction reduction, void* out);

// ScatterND: indices [..., k] (int64), updates indices.shape[:-1] + data.shape[k:].
void scatter_nd(infer_dtype dtype, const void* data, ShapeSpan data_shape, const int64_t* indices,
                ShapeSpan indices_shape, const void* updates, ShapeSpan updates_shape,
                ScatterReduction reduction, void* out);

// TensorScatter (opset 24): writes `update` into a copy of `cache` along `axis` at the per-batch
// offsets write_indices (null: 0); circular wraps them modulo the axis size.
void tensor_scatter(const void* cache, ShapeSpan cache_shape, const void* update,
                    ShapeSpan update_shape, const int64_t* write_indices,
                    ShapeSpan write_indices_shape, int64_t axis, bool circular, void* out,
                    size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SCATTER_H_
