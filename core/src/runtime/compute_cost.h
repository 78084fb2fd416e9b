// Multiply-accumulate counts for the placement report's compute split.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ir/graph.h"

namespace infer::core {

// MACs of one run of a node, from static shapes: convolutions, Gemm, MatMul,
// attention and their fused forms. 0 for other ops (whose cost is memory, not
// arithmetic) and when a shape is not static.
int64_t EstimateMacs(const Graph& graph, size_t node);

}  // namespace infer::core
