// The graph optimiser: runs the passes that pass plugins register, level by
// level, checking the graph after each one and falling back to the graph from
// before a pass that fails or breaks it.
//
// Level 1 passes run before placement on the whole graph. For levels 2 and 3
// the graph is placed tentatively; each node remembers its backend, and the
// passes serving a backend that holds nodes run in order. The session then
// places the optimised graph for real.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ir/graph.h"
#include "plugin/abi_objects.h"
#include "plugin/plugin_registry.h"
#include "runtime/placement.h"
#include "schema/op_schema.h"

namespace infer::core {

inline constexpr int kMaxOptimizationLevel = INFER_OPT_LAYOUT;

// One registered pass.
struct PassEntry {
  const PluginRecord* plugin = nullptr;
  size_t index = 0;
  std::string name;
  int level = 0;
  std::string backend;  // "" for backend-independent passes
  int order = 0;
};

// What one pass run did.
struct PassRun {
  std::string name;
  std::string backend;
  int level = 0;
  int round = 1;  // level-1 passes repeat while the graph changes
  size_t changed = 0;
  size_t nodes_before = 0;
  size_t nodes_after = 0;
  double ms = 0;
  std::string failure;  // set when the pass was rolled back
};

struct OptimizationReport {
  int level = 0;
  bool from_optimized_file = false;  // the model was saved optimised: no pass ran
  size_t nodes_before = 0;
  size_t nodes_after = 0;
  size_t initializers_before = 0;
  size_t initializers_after = 0;
  std::vector<PassRun> runs;
  std::vector<std::string> disabled;  // passes skipped by optimizer.disable

  // A table a person can read: one line per pass run, totals at the end.
  std::string Describe() const;
};

// Every pass of every loaded pass plugin, sorted by level, order and name.
// Two passes with one name are an error naming both plugins.
absl::StatusOr<std::vector<PassEntry>> CollectPasses(const PluginRegistry& plugins);

struct OptimizerContext {
  const PluginRegistry* plugins = nullptr;
  const SchemaRegistry* schemas = nullptr;
  std::vector<const PluginRecord*> backends;  // priority order
  PlacementOptions placement;                 // for the tentative placement
  // Backends that evaluate constant nodes; empty = `backends`.
  std::vector<const PluginRecord*> fold_backends;
  const infer_config* config = nullptr;
};

// Optimises `graph` in place up to `level` (0..3). Pass failures are warnings
// and fallbacks, recorded in the report; only errors of the core itself (for
// instance a graph that is already invalid) are returned.
absl::StatusOr<OptimizationReport> OptimizeGraph(std::unique_ptr<Graph>& graph, int level,
                                                 const OptimizerContext& ctx);

}  // namespace infer::core
