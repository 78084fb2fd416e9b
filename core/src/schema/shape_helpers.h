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

// --- axes lists --------------------------------------------------------------

// Normalises every axis to [0, rank); error on an axis out of range or repeated.
absl::StatusOr<std::vector<size_t>> NormalizeAxes(std::span<const int64_t> axes, size_t rank);

// An axes list given as attribute `attr` before opset `input_since` and as
// the optional int64 input `input` from then on (Squeeze, Unsqueeze, Reduce*).
struct AxesArg {
  bool present = false;  // the attribute or input is there
  bool known = true;     // its values are known (an input may not be constant)
  std::vector<int64_t> values{};
};
AxesArg ReadAxesArg(const InferenceContext& ctx, const char* attr, size_t input,
                    int64_t input_since);

// --- data propagation --------------------------------------------------------
//
// Like ONNX's data propagation, shape inference tracks the values of small
// integer tensors (Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains):
// shape functions record them with ctx.set_output_constant and later nodes of
// the same walk read them through input_constant(). Only fully known values
// are tracked; they never become graph constants.

inline constexpr size_t kMaxPropagatedElements = 1024;

// The dims' values when all are known.
std::optional<std::vector<int64_t>> KnownDims(std::span<const Dim> dims);

// Known int32/int64 data of input i (at most kMaxPropagatedElements
// elements), widened to int64, with its shape.
struct IntData {
  std::vector<int64_t> shape;
  std::vector<int64_t> values;
};
std::optional<IntData> InputInts(const InferenceContext& ctx, size_t i);

// Records output i's data, stored as the output's dtype (int32 or int64;
// other dtypes are not tracked).
void SetOutputInts(InferenceContext& ctx, size_t i, std::vector<int64_t> shape,
                   std::span<const int64_t> values);

// Output 0 holds input 0's data under a new shape (Squeeze, Unsqueeze,
// Identity-like ops); the output shape must be fully known.
void PropagateIntsReshaped(InferenceContext& ctx);

// Output 0 = fn(input 0, input 1) elementwise with numpy broadcasting, when
// both are known; fn returns nullopt where it cannot (division by zero).
void PropagateIntsBinary(InferenceContext& ctx, std::optional<int64_t> (*fn)(int64_t a, int64_t b));

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
