// Conv's and MatMul's shape functions, for the families that reuse them with
// their operands at other input positions (QLinearConv, ConvInteger,
// QLinearMatMul, MatMulInteger in quantization.cc).
#pragma once

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "schema/op_schema.h"

namespace infer::core::defs {

// Input positions of Conv's X, W and optional bias B (none: no bias input).
struct ConvOperands {
  size_t x = 0;
  size_t w = 1;
  std::optional<size_t> b = 2;
};

// Conv's output 0 shape: N x M x O1 ... from X, W, kernel_shape and the
// geometry attributes; errors name the node and the shapes.
absl::Status InferConvShape(InferenceContext& ctx, const ConvOperands& in);

// numpy matmul of inputs `a_index` and `b_index` into output 0.
absl::Status InferMatMulShape(InferenceContext& ctx, size_t a_index, size_t b_index);

}  // namespace infer::core::defs
