#include "runtime/placement.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/status.h"
#include "runtime/control_flow.h"

namespace infer::core {
namespace {

std::string DescribeForError(const Graph& graph, size_t node_id) {
  const Node& n = graph.node(node_id);
  return absl::StrCat("node '", n.name, "' (op '", n.op_type, "', domain '",
                      n.domain.empty() ? "ai.onnx" : n.domain, "', opset ", graph.Opset(n.domain),
                      ")");
}

// Fills inputs/outputs of each partition from the graph's edges.
void ComputeBoundaries(const Graph& graph, std::vector<Partition>& parts) {
  std::vector<size_t> partition_of(graph.node_count(), static_cast<size_t>(-1));
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t n : parts[p].nodes) partition_of[n] = p;
  }
  // value -> partitions that read it
  std::vector<absl::flat_hash_set<size_t>> readers(graph.value_count());
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t n : parts[p].nodes) {
      for (size_t v : graph.node(n).inputs) {
        if (v != kNoValue) readers[v].insert(p);
      }
      for (size_t v : graph.node(n).implicit_inputs) readers[v].insert(p);
    }
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    absl::flat_hash_set<size_t> seen;
    for (size_t n : parts[p].nodes) {
      std::vector<size_t> reads = graph.node(n).inputs;
      reads.insert(reads.end(), graph.node(n).implicit_inputs.begin(),
                   graph.node(n).implicit_inputs.end());
      for (size_t v : reads) {
        if (v == kNoValue || graph.value(v).constant || seen.contains(v)) continue;
        const size_t producer = graph.value(v).producer;
        if (producer != kNoNode && partition_of[producer] == p) continue;
        seen.insert(v);
        parts[p].inputs.push_back(v);
      }
      for (size_t v : graph.node(n).outputs) {
        if (v == kNoValue) continue;
        const bool read_elsewhere =
            std::any_of(readers[v].begin(), readers[v].end(), [&](size_t q) { return q != p; });
        if (graph.value(v).is_graph_output || read_elsewhere) parts[p].outputs.push_back(v);
      }
    }
  }
}

}  // namespace

absl::StatusOr<Placement> PlaceGraph(const Graph& graph,
                                     const std::vector<const PluginRecord*>& backends) {
  INFER_ASSIGN_OR_RETURN(std::vector<size_t> order, graph.TopologicalOrder());
  Placement placement;
  std::vector<const PluginRecord*> owner(graph.node_count(), nullptr);
  std::vector<size_t> remaining;
  for (size_t n : order) {
    if (IsControlFlowOp(graph.node(n))) {
      owner[n] = &CoreBackendRecord();
    } else {
      remaining.push_back(n);
    }
  }

  for (const PluginRecord* backend : backends) {
    if (remaining.empty()) break;
    infer_capability cap;
    INFER_RETURN_IF_ERROR(FromC(backend->backend->get_capability(
        backend->state, AsC(graph), remaining.data(), remaining.size(), &cap)));
    std::vector<size_t> still;
    for (size_t n : remaining) {
      auto it = cap.answers.find(n);
      if (it != cap.answers.end() && it->second.claimed) {
        owner[n] = backend;
        continue;
      }
      still.push_back(n);
      placement.refusals.push_back(
          {n, backend->name, it != cap.answers.end() ? it->second.reason : "no answer"});
    }
    remaining = std::move(still);
  }

  if (!remaining.empty()) {
    const size_t n = remaining.front();
    std::vector<std::string> reasons;
    for (const Refusal& r : placement.refusals) {
      if (r.node == n) reasons.push_back(absl::StrCat(r.backend, ": ", r.reason));
    }
    if (backends.empty()) reasons.push_back("no backend plugin is loaded");
    return absl::UnimplementedError(absl::StrCat(
        "no backend can run ", DescribeForError(graph, n), ": ", absl::StrJoin(reasons, "; "),
        remaining.size() > 1 ? absl::StrCat(" (and ", remaining.size() - 1, " more nodes)") : ""));
  }

  for (size_t n : order) {
    const bool core = owner[n] == &CoreBackendRecord();
    if (core || placement.partitions.empty() || placement.partitions.back().backend != owner[n] ||
        placement.partitions.back().backend == &CoreBackendRecord()) {
      placement.partitions.push_back(Partition{owner[n], {}, {}, {}, nullptr});
    }
    placement.partitions.back().nodes.push_back(n);
  }
  ComputeBoundaries(graph, placement.partitions);
  return placement;
}

const PluginRecord& CoreBackendRecord() {
  static const PluginRecord* record = [] {
    auto* r = new PluginRecord();
    r->name = "core";
    r->loaded = true;
    return r;
  }();
  return *record;
}

std::string DescribePlacement(const Graph& graph, const Placement& placement, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  std::string out = absl::StrCat(pad, "placement: ", placement.partitions.size(), " partition(s), ",
                                 graph.live_node_count(), " node(s)\n");
  for (size_t p = 0; p < placement.partitions.size(); ++p) {
    const Partition& part = placement.partitions[p];
    std::map<std::string, int> ops;
    for (size_t n : part.nodes) ++ops[graph.node(n).op_type];
    const char* device = part.backend->backend == nullptr ? "control flow"
                         : part.backend->backend->device  ? part.backend->backend->device
                                                          : "?";
    absl::StrAppend(&out, pad, "  partition ", p, ": backend ", part.backend->name, " (", device,
                    "), ", part.nodes.size(), " node(s): ",
                    absl::StrJoin(ops, ", ",
                                  [](std::string* s, const auto& kv) {
                                    absl::StrAppend(s, kv.first, " x", kv.second);
                                  }),
                    "\n");
    auto names = [&](const std::vector<size_t>& values) {
      return absl::StrJoin(values, ", ", [&](std::string* s, size_t v) {
        absl::StrAppend(s, graph.value(v).name, " ", graph.value(v).shape.ToString());
      });
    };
    absl::StrAppend(&out, pad, "    inputs: ", names(part.inputs), "\n", pad,
                    "    outputs: ", names(part.outputs), "\n");
  }
  for (const Refusal& r : placement.refusals) {
    absl::StrAppend(&out, pad, "  refused by ", r.backend, ": ", graph.node(r.node).Describe(),
                    ": ", r.reason, "\n");
  }
  return out;
}

}  // namespace infer::core
