// Host-side definitions of the opaque handles the plugin ABI passes around.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "infer/plugin_api.h"
#include "ir/graph.h"
#include "ir/tensor.h"

namespace infer::core {
class Profiler;
}

// A backend's answer for the nodes it was asked about.
struct infer_capability {
  struct Answer {
    bool claimed = false;
    uint32_t group = 0;
    std::string reason;  // why it was refused
  };
  absl::flat_hash_map<size_t, Answer> answers;  // node id -> answer
  const infer_config* config = nullptr;         // the session's options
};

// Outputs a partition allocated during one run.
struct infer_run_context {
  std::vector<infer::core::TensorPtr> outputs;
  // Set while the session profiles this run: where backends' operator events go.
  infer::core::Profiler* profiler = nullptr;
  const std::string* backend = nullptr;  // the partition's backend, for those events
  uint64_t run = 0;
};

// String key/value options handed to plugins.
struct infer_config {
  std::map<std::string, std::string, std::less<>> values;
};

namespace infer::core {

inline const Graph& AsGraph(const infer_graph* g) { return *reinterpret_cast<const Graph*>(g); }
inline Graph& AsGraph(infer_graph* g) { return *reinterpret_cast<Graph*>(g); }
inline const infer_graph* AsC(const Graph& g) { return reinterpret_cast<const infer_graph*>(&g); }
inline infer_graph* AsC(Graph& g) { return reinterpret_cast<infer_graph*>(&g); }

// The table handed to every plugin's init().
const infer_host_api* HostApi();
// The ABI view of an attribute; valid while the attribute lives.
void FillAttrView(const Attribute& a, infer_attr_view* out);

}  // namespace infer::core
