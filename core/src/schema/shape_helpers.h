// Shape arithmetic shared by the operator shape functions: dimension
// constructors, overflow-checked products, numpy broadcasting, axis handling
// and the convolution/pooling output-size formula.
//
// Helpers that do not see an InferenceContext return plain errors; the shape
// function re-issues them with ctx.Error so that they name the node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "schema/op_schema.h"

namespace infer::core {

inline Dim KnownDim(int64_t value) { return Dim{value, ""}; }
inline Dim DynamicDim(std::string symbol = {}) { return Dim{INFER_DIM_DYNAMIC, std::move(symbol)}; }
inline Shape RankedShape(std::vector<Dim> dims) { return Shape{true, std::move(dims)}; }
// Rank known, every dimension dynamic.
inline Shape DynamicShape(size_t rank) { return RankedShape(std::vector<Dim>(rank)); }

std::optional<int64_t> CheckedAdd(int64_t a, int64_t b);
std::optional<int64_t> CheckedMul(int64_t a, int64_t b);

// Product of `dims`: known when all are known (or one is 0); a single
// unknown dimension times known 1s keeps its symbol. Error on overflow.
absl::StatusOr<Dim> DimProduct(std::span<const Dim> dims);

// Two dimensions that must be equal at run time (MatMul's inner dimension,
// Concat's non-axis dimensions): error when both are known and differ,
// otherwise the more informative of the two.
absl::StatusOr<Dim> UnifyDims(const Dim& a, const Dim& b);

// Numpy multidirectional broadcasting of one dimension pair: 1 with anything
// gives the other, a known size other than 1 wins over an unknown one (the
// unknown must then be 1 or equal), equal symbols give that symbol, different
// known sizes other than 1 are an error.
absl::StatusOr<Dim> BroadcastDim(const Dim& a, const Dim& b);
// Shapes are right-aligned; an unknown rank on either side gives an unknown rank.
absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// Maps axis in [-rank, rank) (or [-rank, rank] when `end_inclusive`, as for
// Flatten) to [0, rank).
absl::StatusOr<size_t> NormalizeAxis(int64_t axis, size_t rank, bool end_inclusive = false);

// Checks that `from` broadcasts to `to` in one direction only (Gemm's C).
absl::Status CheckUnidirectionalBroadcast(const Shape& from, const Shape& to);

// --- helpers that see the node -----------------------------------------------

// Every output gets input 0's shape (Relu, Identity, Dropout's mask, ...).
absl::Status SameShapeAsInput(InferenceContext& ctx);
// Input `i`, when present and its shape known, must hold exactly one element.
absl::Status CheckScalarInput(const InferenceContext& ctx, size_t i, const char* name);

// --- convolution and pooling -------------------------------------------------

enum class AutoPad { kNotSet, kValid, kSameUpper, kSameLower };

struct ConvPoolGeometry {
  std::vector<int64_t> kernel;     // per spatial axis
  std::vector<int64_t> strides;    // per spatial axis, > 0
  std::vector<int64_t> dilations;  // per spatial axis, > 0
  std::vector<int64_t> pads;       // begin values for every axis, then end values
  AutoPad auto_pad = AutoPad::kNotSet;
  bool ceil_mode = false;  // applies to explicit pads only
};

// Reads and validates auto_pad, strides, dilations, pads and ceil_mode for
// `kernel` (from kernel_shape or the weights); errors name the node.
absl::StatusOr<ConvPoolGeometry> ReadConvPoolGeometry(const InferenceContext& ctx,
                                                      std::vector<int64_t> kernel);

// Output size of spatial axis `axis` for an input of size `in`.
absl::StatusOr<int64_t> ConvPoolOutputSize(const ConvPoolGeometry& g, size_t axis, int64_t in);

// Output spatial dimensions for the spatial dimensions of the input; unknown
// input sizes give dynamic outputs.
absl::StatusOr<std::vector<Dim>> ConvPoolSpatialDims(const ConvPoolGeometry& g,
                                                     std::span<const Dim> input_spatial);

}  // namespace infer::core
