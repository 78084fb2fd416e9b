// The scheduler: asks every backend what it can run, assigns each node to the
// first backend in the user's priority order that claims it, and cuts the
// graph into maximal, cycle-free partitions with explicit copies between
// backends.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/graph.h"
#include "plugin/plugin_registry.h"

struct infer_config;

namespace infer::core {

// What to do with a node the first backend in the order cannot run.
enum class FallbackPolicy { kAllow, kWarn, kError };

// Placement choices a user makes, read from the session's config keys
// (placement.fallback, placement.min_partition_size,
// placement.min_partition_macs, placement.pin, placement.exclude; see
// docs/placement.md).
struct PlacementOptions {
  FallbackPolicy fallback = FallbackPolicy::kWarn;
  // A partition of fewer nodes and fewer multiply-accumulates is given to
  // the next backend that claims all of them: a tiny island is not worth two
  // copies, but a lone large MatMul is.
  size_t min_partition_size = 3;
  int64_t min_partition_macs = 1000000;
  // (selector, backend): a selector is a node name or "op:OpType".
  std::vector<std::pair<std::string, std::string>> pins;
  std::vector<std::pair<std::string, std::string>> excludes;

  static absl::StatusOr<PlacementOptions> FromConfig(const infer_config* cfg);
};

struct Partition {
  const PluginRecord* backend = nullptr;
  std::vector<size_t> nodes;    // topological order
  std::vector<size_t> inputs;   // boundary values read (not constants)
  std::vector<size_t> outputs;  // values used after this partition or graph outputs
  // Where a run reads each input: the value id, or the slot of the copy that
  // brought it from another backend.
  std::vector<size_t> input_slots;
  void* compiled = nullptr;  // backend's handle
};

// A tensor handed from one backend to another: an explicit step of the plan.
struct Copy {
  size_t value = 0;           // the producer's value id
  size_t slot = 0;            // value-table slot the copy fills (>= value_count)
  size_t from_partition = 0;  // index into Placement::partitions
  std::vector<size_t> to_partitions;
  int64_t bytes = -1;  // -1 when the shape is not static
};

// A node a backend earlier in the order than the one it runs on refused, and why.
struct Refusal {
  size_t node;
  std::string backend;
  std::string reason;
};

struct Placement {
  enum class StepKind { kPartition, kCopy };
  struct Step {
    StepKind kind;
    size_t index;  // into partitions or copies
  };

  std::vector<Partition> partitions;  // in a valid execution order
  std::vector<Copy> copies;
  std::vector<Step> steps;  // partitions in order, each copy right after its source
  // Index into `steps` of each partition and of each copy.
  std::vector<size_t> partition_step, copy_step;
  std::vector<Refusal> refusals;
  // Nodes that run on a later backend than the first of the order.
  std::vector<size_t> fallback_nodes;
  const PluginRecord* preferred = nullptr;  // first backend of the order
  size_t slot_count = 0;                    // value_count + copies
};

// Places `graph` on `backends` (priority order). Control-flow nodes go to the
// core. A node no backend may run, an unsatisfiable pin, and, under
// FallbackPolicy::kError, any fallback are errors naming the node and reason.
// `config` is the session's options, shown to backends while they answer.
absl::StatusOr<Placement> PlaceGraph(const Graph& graph,
                                     const std::vector<const PluginRecord*>& backends,
                                     const PlacementOptions& options,
                                     const infer_config* config = nullptr);

// One line for the log: which nodes left the preferred backend and why; ""
// when none did.
std::string DescribeFallback(const Graph& graph, const Placement& placement);

// The pseudo-backend for nodes the core runs itself (If, Loop, Scan). It has
// no plugin table; each of its partitions holds exactly one node.
const PluginRecord& CoreBackendRecord();

// "node 'conv1' (op 'Conv', domain 'ai.onnx', opset 13)"
std::string DescribeNodeForError(const Graph& graph, size_t node_id);

}  // namespace infer::core
