// An execution plan: one graph (the model, or a control-flow body) placed
// on backends and compiled, ready to run any number of times, concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "plugin/abi_objects.h"
#include "runtime/placement.h"

namespace infer::core {

class ControlFlowNode;

// What every plan of a session shares: backends in priority order and the
// options handed to them.
struct PlanContext {
  std::vector<const PluginRecord*> backends;
  const infer_config* config = nullptr;
};

class ExecutionPlan {
 public:
  static absl::StatusOr<std::unique_ptr<ExecutionPlan>> Build(const Graph& graph,
                                                              const PlanContext& ctx);
  ~ExecutionPlan();
  ExecutionPlan(const ExecutionPlan&) = delete;
  ExecutionPlan& operator=(const ExecutionPlan&) = delete;

  const Graph& graph() const { return graph_; }
  const Placement& placement() const { return placement_; }
  // Values of this graph read from enclosing scopes, with the value id of
  // the same name in the parent graph.
  const std::vector<std::pair<size_t, size_t>>& outer_bindings() const { return outer_; }

  // `values` is indexed by value id; graph inputs and outer references must
  // be set. Every partition runs in order and fills the values it produces.
  absl::Status Execute(std::vector<TensorPtr>& values) const;

  // Human-readable placement (partitions, refusals), nested plans indented.
  std::string Describe(int indent = 0) const;

 private:
  explicit ExecutionPlan(const Graph& graph);

  const Graph& graph_;
  Placement placement_;
  std::vector<std::unique_ptr<ControlFlowNode>> control_flow_;  // one per core partition
  std::vector<std::pair<size_t, size_t>> outer_;
  std::vector<size_t> constants_;  // constants control-flow nodes read
};

}  // namespace infer::core
