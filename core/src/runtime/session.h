// A session: one model, imported, checked, placed on backends and compiled.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "optimizer/optimizer.h"
#include "plugin/abi_objects.h"
#include "plugin/plugin_registry.h"
#include "runtime/execution_plan.h"
#include "runtime/thread_pool.h"
#include "schema/op_schema.h"

namespace infer::core {

struct SessionOptions {
  std::vector<std::string> backends;  // priority order; empty = every loaded backend
  std::map<std::string, std::string, std::less<>> config;
  std::map<std::string, int64_t, std::less<>> dims;  // symbolic dim -> value
  int optimization_level = kMaxOptimizationLevel;    // 0 none .. 3 layout
  // When set, the optimised graph is written there (infer's own model format).
  std::string optimized_model_path;
};

// Shared by every session of an environment.
struct Environment {
  std::unique_ptr<PluginRegistry> plugins;
  SchemaRegistry schemas;
};

class Session {
 public:
  // `model_dir` bounds external data; empty for in-memory models.
  static absl::StatusOr<std::unique_ptr<Session>> Create(std::shared_ptr<const Environment> env,
                                                         const void* bytes, size_t len,
                                                         std::string_view format,
                                                         const std::string& model_dir,
                                                         const SessionOptions& options);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Graph& graph() const { return *graph_; }
  // Non-constant graph inputs, in declaration order.
  const std::vector<size_t>& inputs() const { return inputs_; }
  const std::vector<size_t>& outputs() const { return graph_->outputs(); }
  // Partitions, copies, refusals, and each step's mean time over the runs so far.
  std::string placement_report() const { return plan_->Describe(); }
  const OptimizationReport& optimization_report() const { return optimization_; }

  // Profiling: per-step timestamps of the runs that start while it is on,
  // into a ring of `max_events` allocated here. Drain once it is stopped and
  // those runs have returned.
  absl::Status StartProfiling(size_t max_events);
  absl::Status StopProfiling();
  absl::StatusOr<std::vector<ProfileEvent>> DrainProfile(size_t* dropped);

  // Binds inputs by name, runs every partition, returns the requested outputs
  // (all outputs if `output_names` is empty). Safe to call concurrently.
  absl::StatusOr<std::vector<TensorPtr>> Run(const std::vector<std::string>& input_names,
                                             const std::vector<TensorPtr>& inputs,
                                             const std::vector<std::string>& output_names) const;

 private:
  Session() = default;
  absl::Status Import(const void* bytes, size_t len, std::string_view format,
                      const std::string& model_dir);
  absl::Status ApplyDimOverrides();
  absl::StatusOr<std::vector<const PluginRecord*>> ResolveBackends() const;
  std::vector<const PluginRecord*> BackendsByScore() const;
  absl::Status ConfigurePlacement();
  absl::Status Optimize();
  absl::Status PlaceAndCompile();
  absl::Status CheckInput(size_t value, const Tensor& t,
                          std::map<std::string, int64_t, std::less<>>& symbols) const;

  std::shared_ptr<const Environment> env_;
  SessionOptions options_;
  infer_config config_;
  std::unique_ptr<Graph> graph_;
  std::vector<size_t> inputs_;
  PlanContext plan_context_;
  std::unique_ptr<ThreadPool> inter_op_pool_;  // before plan_: the plan uses it
  std::unique_ptr<ExecutionPlan> plan_;
  OptimizationReport optimization_;
  bool from_optimized_file_ = false;
  mutable std::mutex profile_mu_;
  std::shared_ptr<Profiler> profiling_;  // while on
  std::shared_ptr<Profiler> last_profile_;
  std::shared_ptr<ProfileNames> profile_names_ = std::make_shared<ProfileNames>();
};

}  // namespace infer::core
