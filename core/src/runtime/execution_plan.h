// An execution plan: one graph (the model, or a control-flow body) placed
// on backends and compiled, ready to run any number of times, concurrently.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "plugin/abi_objects.h"
#include "runtime/placement.h"
#include "runtime/profiler.h"

namespace infer::core {

class ControlFlowNode;
class ThreadPool;

// What every plan of a session shares: backends in priority order, the
// placement choices, and the options handed to them.
struct PlanContext {
  std::vector<const PluginRecord*> backends;
  PlacementOptions placement;
  const infer_config* config = nullptr;
  // Runs independent partitions of the model's graph side by side when set
  // (session.inter_op_threads > 1); bodies of control flow run in order.
  ThreadPool* inter_op_pool = nullptr;
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
  // be set. Every step (partition or copy) runs once its inputs exist and
  // fills the values it produces; the table grows by the copies' slots.
  // With a profiler, each step's start and end go there tagged with `run`.
  absl::Status Execute(std::vector<TensorPtr>& values, Profiler* profiler = nullptr,
                       uint64_t run = 0) const;

  // Placement report: partitions, copies, refusals and the time each step
  // took so far, nested plans indented.
  std::string Describe(int indent = 0) const;

 private:
  // Accumulated wall time of one step over all runs.
  struct StepTime {
    std::atomic<int64_t> nanos{0};
    std::atomic<int64_t> runs{0};
  };

  explicit ExecutionPlan(const Graph& graph);
  absl::Status RunStep(size_t step, std::vector<TensorPtr>& values, Profiler* profiler,
                       uint64_t run) const;
  // With a profiler, the backend may report its operators into it (ABI 1.4) under `backend`.
  absl::Status RunPartition(size_t index, std::vector<TensorPtr>& values,
                            Profiler* profiler = nullptr, uint64_t run = 0,
                            const std::string* backend = nullptr) const;
  absl::Status RunCopy(size_t index, std::vector<TensorPtr>& values) const;
  absl::Status ExecuteInParallel(std::vector<TensorPtr>& values, Profiler* profiler,
                                 uint64_t run) const;

  const Graph& graph_;
  Placement placement_;
  std::vector<std::unique_ptr<ControlFlowNode>> control_flow_;  // one per core partition
  std::vector<std::pair<size_t, size_t>> outer_;
  std::vector<size_t> constants_;  // constants control-flow nodes read
  // Steps each step waits for / unblocks, for running steps side by side.
  std::vector<size_t> step_waits_for_;
  std::vector<std::vector<size_t>> step_unblocks_;
  ThreadPool* pool_ = nullptr;
  std::unique_ptr<StepTime[]> times_;  // per step
  // Per step, for profile events: "partition 2" / "copy 0: x", its kind, its backend(s).
  std::vector<std::string> step_names_, step_categories_, step_backends_;
};

}  // namespace infer::core
