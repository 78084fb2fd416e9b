// If, Loop and Scan: run by the core itself, because their bodies are graphs
// that are placed on backends like the model, each body compiled once.
#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "runtime/execution_plan.h"

namespace infer::core {

// True for the operators the core runs itself.
bool IsControlFlowOp(const Node& node);

class ControlFlowNode {
 public:
  virtual ~ControlFlowNode() = default;
  // Reads the node's inputs (and implicit inputs) from `values` and writes
  // its outputs there.
  virtual absl::Status Run(std::vector<TensorPtr>& values) const = 0;
  virtual std::string Describe(int indent) const = 0;

  static absl::StatusOr<std::unique_ptr<ControlFlowNode>> Create(const Graph& graph, size_t node,
                                                                 const PlanContext& ctx);
};

// Tensor helpers for slicing and stacking along an axis (byte-wise, any dtype).
absl::StatusOr<TensorPtr> SliceAxis(const Tensor& t, size_t axis, int64_t index);
// Stacks equally shaped tensors along a new axis `axis`.
absl::StatusOr<TensorPtr> StackAxis(const std::vector<TensorPtr>& parts, size_t axis);

}  // namespace infer::core
