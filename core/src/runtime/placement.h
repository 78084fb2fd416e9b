// The scheduler: asks backends what they can run, in the user's priority
// order, and cuts the graph into partitions, one backend each.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "plugin/plugin_registry.h"

namespace infer::core {

struct Partition {
  const PluginRecord* backend = nullptr;
  std::vector<size_t> nodes;    // topological order
  std::vector<size_t> inputs;   // boundary values read (not constants)
  std::vector<size_t> outputs;  // values used after this partition or graph outputs
  void* compiled = nullptr;     // backend's handle
};

// A node a preferred backend refused, and why.
struct Refusal {
  size_t node;
  std::string backend;
  std::string reason;
};

struct Placement {
  std::vector<Partition> partitions;  // in execution order
  std::vector<Refusal> refusals;
};

// Gives control-flow nodes to the core, then assigns every other live node
// to the first backend in `backends` that claims it,
// and groups consecutive same-backend nodes of a topological order into
// partitions (contiguous ranges of a topological order cannot form cycles).
// A node no backend claims is an error naming the node and every reason.
absl::StatusOr<Placement> PlaceGraph(const Graph& graph,
                                     const std::vector<const PluginRecord*>& backends);

// Human-readable summary of partitions and refusals, indented by `indent`.
std::string DescribePlacement(const Graph& graph, const Placement& placement, int indent = 0);

// The pseudo-backend for nodes the core runs itself (If, Loop, Scan). It has
// no plugin table; each of its partitions holds exactly one node.
const PluginRecord& CoreBackendRecord();

}  // namespace infer::core
