#include "runtime/placement.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <queue>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/status.h"
#include "ir/tensor.h"
#include "plugin/abi_objects.h"
#include "plugin/custom_ops.h"
#include "runtime/compute_cost.h"
#include "runtime/control_flow.h"

namespace infer::core {
namespace {

constexpr size_t kUnassigned = static_cast<size_t>(-1);

const std::string* ConfigValue(const infer_config* cfg, std::string_view key) {
  if (cfg == nullptr) return nullptr;
  auto it = cfg->values.find(key);
  return it == cfg->values.end() ? nullptr : &it->second;
}

// "a=cpu;op:Softmax=npu_sim" -> {("a","cpu"), ("op:Softmax","npu_sim")}
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseAssignments(
    const std::string& key, const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const size_t eq = item.rfind('=');
    if (eq == absl::string_view::npos || eq == 0 || eq + 1 == item.size()) {
      return absl::InvalidArgumentError(absl::StrCat(key, ": '", item,
                                                     "' is not NODE=BACKEND (NODE is a node "
                                                     "name or op:OpType; items separated by ';')"));
    }
    out.emplace_back(std::string(absl::StripAsciiWhitespace(item.substr(0, eq))),
                     std::string(absl::StripAsciiWhitespace(item.substr(eq + 1))));
  }
  return out;
}

absl::StatusOr<int64_t> ParseCount(const std::string& key, const std::string& text, int64_t low,
                                   int64_t high, const char* what) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < low || n > high) {
    return absl::InvalidArgumentError(absl::StrCat(key, ": '", text, "' is not ", what));
  }
  return n;
}

bool Matches(const Node& node, const std::string& selector) {
  return absl::StartsWith(selector, "op:") ? node.op_type == selector.substr(3)
                                           : node.name == selector;
}

// True if the selector names a live node of the graph or of a subgraph.
bool AnyNodeMatches(const Graph& graph, const std::string& selector) {
  for (size_t n = 0; n < graph.node_count(); ++n) {
    const Node& node = graph.node(n);
    if (node.removed) continue;
    if (Matches(node, selector)) return true;
    for (const auto& [name, attr] : node.attributes) {
      if (attr.graph && AnyNodeMatches(*attr.graph, selector)) return true;
    }
  }
  return false;
}

// Nodes of this graph a pin/exclude selector names. A selector must name some
// node of the model, but not of every subgraph, so only the model's own graph
// checks that.
absl::StatusOr<std::vector<size_t>> SelectNodes(const Graph& graph, const std::string& key,
                                                const std::string& selector) {
  std::vector<size_t> out;
  for (size_t n = 0; n < graph.node_count(); ++n) {
    if (!graph.node(n).removed && Matches(graph.node(n), selector)) out.push_back(n);
  }
  if (graph.parent() == nullptr && !AnyNodeMatches(graph, selector)) {
    const bool by_op = absl::StartsWith(selector, "op:");
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": the graph has no ", by_op ? "node of op type '" : "node named '",
                     by_op ? selector.substr(3) : selector, "'",
                     by_op ? "" : " (use op:TYPE to select by op type)"));
  }
  return out;
}

// The value ids a node reads, explicit and from subgraphs.
std::vector<size_t> NodeReads(const Node& node) {
  std::vector<size_t> reads;
  for (size_t v : node.inputs) {
    if (v != kNoValue) reads.push_back(v);
  }
  reads.insert(reads.end(), node.implicit_inputs.begin(), node.implicit_inputs.end());
  return reads;
}

// Partition index of every node placed in `parts` (kUnassigned elsewhere).
std::vector<size_t> PartitionOfNodes(const Graph& graph, const std::vector<Partition>& parts) {
  std::vector<size_t> partition_of(graph.node_count(), kUnassigned);
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t n : parts[p].nodes) partition_of[n] = p;
  }
  return partition_of;
}

// A set of partition indices, sized as partitions are created.
class PartitionSet {
 public:
  bool Test(size_t i) const { return i / 64 < bits_.size() && (bits_[i / 64] >> (i % 64)) & 1; }
  void Set(size_t i) {
    if (i / 64 >= bits_.size()) bits_.resize(i / 64 + 1, 0);
    bits_[i / 64] |= uint64_t{1} << (i % 64);
  }
  void Merge(const PartitionSet& other) {
    if (other.bits_.size() > bits_.size()) bits_.resize(other.bits_.size(), 0);
    for (size_t w = 0; w < other.bits_.size(); ++w) bits_[w] |= other.bits_[w];
  }

 private:
  std::vector<uint64_t> bits_;
};

// Groups nodes (in topological order, each with its backend) into partitions
// that are as large as possible without creating a cycle between partitions:
// a node joins a partition of its backend unless one of its inputs comes from
// a partition that already depends on that one.
std::vector<Partition> GroupNodes(const Graph& graph, const std::vector<size_t>& order,
                                  const std::vector<const PluginRecord*>& owner) {
  std::vector<Partition> parts;
  std::vector<PartitionSet> ancestors;  // transitively closed, per partition
  std::vector<size_t> part_of(graph.node_count(), kUnassigned);
  const PluginRecord* core = &CoreBackendRecord();

  for (size_t n : order) {
    std::vector<size_t> producers;  // partitions n reads from
    for (size_t v : NodeReads(graph.node(n))) {
      const size_t p = graph.value(v).producer;
      if (p == kNoNode || part_of[p] == kUnassigned) continue;
      if (std::find(producers.begin(), producers.end(), part_of[p]) == producers.end()) {
        producers.push_back(part_of[p]);
      }
    }
    auto can_join = [&](size_t candidate) {
      if (parts[candidate].backend != owner[n] || owner[n] == core) return false;
      return std::none_of(producers.begin(), producers.end(),
                          [&](size_t q) { return q != candidate && ancestors[q].Test(candidate); });
    };
    size_t target = kUnassigned;
    // Prefer growing a partition n reads from, then the latest one of its backend.
    for (size_t q : producers) {
      if (can_join(q)) {
        target = q;
        break;
      }
    }
    for (size_t q = parts.size(); target == kUnassigned && q-- > 0;) {
      if (can_join(q)) target = q;
    }
    if (target == kUnassigned) {
      target = parts.size();
      parts.push_back(Partition{owner[n], {}, {}, {}, {}, nullptr});
      ancestors.emplace_back();
    }
    parts[target].nodes.push_back(n);
    part_of[n] = target;
    bool grew = false;
    for (size_t q : producers) {
      if (q == target || ancestors[target].Test(q)) continue;
      ancestors[target].Set(q);
      ancestors[target].Merge(ancestors[q]);
      grew = true;
    }
    if (grew) {
      // Everything downstream of `target` now also depends on its new ancestors.
      for (size_t r = 0; r < parts.size(); ++r) {
        if (r != target && ancestors[r].Test(target)) ancestors[r].Merge(ancestors[target]);
      }
    }
  }
  return parts;
}

// Orders partitions so each runs after those it reads from (Kahn), ties by
// the earliest node in the topological order.
std::vector<Partition> OrderPartitions(const Graph& graph, const std::vector<size_t>& order,
                                       std::vector<Partition> parts) {
  std::vector<size_t> rank(graph.node_count(), 0);
  for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  const std::vector<size_t> part_of = PartitionOfNodes(graph, parts);
  std::vector<absl::flat_hash_set<size_t>> successors(parts.size());
  std::vector<size_t> pending(parts.size(), 0);
  for (size_t p = 0; p < parts.size(); ++p) {
    absl::flat_hash_set<size_t> preds;
    for (size_t n : parts[p].nodes) {
      for (size_t v : NodeReads(graph.node(n))) {
        const size_t producer = graph.value(v).producer;
        if (producer != kNoNode && part_of[producer] != p) preds.insert(part_of[producer]);
      }
    }
    for (size_t q : preds) {
      if (successors[q].insert(p).second) ++pending[p];
    }
  }
  using Entry = std::pair<size_t, size_t>;  // (rank of first node, partition)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
  for (size_t p = 0; p < parts.size(); ++p) {
    if (pending[p] == 0) ready.emplace(rank[parts[p].nodes.front()], p);
  }
  std::vector<Partition> out;
  while (!ready.empty()) {
    const size_t p = ready.top().second;
    ready.pop();
    for (size_t s : successors[p]) {
      if (--pending[s] == 0) ready.emplace(rank[parts[s].nodes.front()], s);
    }
    out.push_back(std::move(parts[p]));
  }
  return out;  // GroupNodes never builds a cycle, so every partition is here
}

// Fills inputs/outputs of each partition from the graph's edges.
void ComputeBoundaries(const Graph& graph, std::vector<Partition>& parts) {
  const std::vector<size_t> partition_of = PartitionOfNodes(graph, parts);
  std::vector<absl::flat_hash_set<size_t>> readers(graph.value_count());
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t n : parts[p].nodes) {
      for (size_t v : NodeReads(graph.node(n))) readers[v].insert(p);
    }
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    absl::flat_hash_set<size_t> seen;
    for (size_t n : parts[p].nodes) {
      for (size_t v : NodeReads(graph.node(n))) {
        if (graph.value(v).constant || seen.contains(v)) continue;
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

int64_t StaticBytes(const Value& value) {
  const size_t element = DtypeSize(value.dtype);
  if (!value.shape.rank_known || element == 0) return -1;
  int64_t count = 1;
  for (const Dim& d : value.shape.dims) {
    if (!d.known()) return -1;
    count *= d.value;
  }
  return count * static_cast<int64_t>(element);
}

// Inserts a copy wherever a partition reads a value another backend produced
// (the core's control-flow nodes share host memory with every backend), and
// lays out the steps: each partition, then the copies of its outputs.
void PlanCopies(const Graph& graph, Placement& placement) {
  const std::vector<size_t> partition_of = PartitionOfNodes(graph, placement.partitions);
  const PluginRecord* core = &CoreBackendRecord();
  std::map<std::pair<size_t, const PluginRecord*>, size_t> copy_of;  // (value, to) -> copy
  std::vector<std::vector<size_t>> copies_after(placement.partitions.size());
  for (size_t p = 0; p < placement.partitions.size(); ++p) {
    Partition& part = placement.partitions[p];
    part.input_slots = part.inputs;
    if (part.backend == core) continue;
    for (size_t i = 0; i < part.inputs.size(); ++i) {
      const size_t v = part.inputs[i];
      const size_t producer = graph.value(v).producer;
      if (producer == kNoNode) continue;  // graph inputs are the user's host tensors
      const size_t from = partition_of[producer];
      const PluginRecord* source = placement.partitions[from].backend;
      if (source == core || source == part.backend) continue;
      auto [it, inserted] = copy_of.emplace(std::make_pair(v, part.backend), 0);
      if (inserted) {
        it->second = placement.copies.size();
        Copy copy;
        copy.value = v;
        copy.slot = graph.value_count() + placement.copies.size();
        copy.from_partition = from;
        copy.bytes = StaticBytes(graph.value(v));
        placement.copies.push_back(std::move(copy));
        copies_after[from].push_back(it->second);
      }
      Copy& copy = placement.copies[it->second];
      copy.to_partitions.push_back(p);
      part.input_slots[i] = copy.slot;
    }
  }
  placement.partition_step.resize(placement.partitions.size());
  placement.copy_step.resize(placement.copies.size());
  for (size_t p = 0; p < placement.partitions.size(); ++p) {
    placement.partition_step[p] = placement.steps.size();
    placement.steps.push_back({Placement::StepKind::kPartition, p});
    for (size_t c : copies_after[p]) {
      placement.copy_step[c] = placement.steps.size();
      placement.steps.push_back({Placement::StepKind::kCopy, c});
    }
  }
  placement.slot_count = graph.value_count() + placement.copies.size();
}

// What every backend said about every node, and the user's pins and excludes
// applied: for each node, the backends that may run it, in priority order.
struct Candidates {
  std::vector<std::vector<size_t>> backends;  // per node: indices into the order
  std::vector<bool> pinned;
  // Pinned, or excluded from the first backend: placed by the user's choice,
  // so not a fallback.
  std::vector<bool> by_user;
  // (backend index, group) -> nodes, for claims that must stay together
  std::map<std::pair<size_t, uint32_t>, std::vector<size_t>> groups;
  // (node, backend index) -> reason, for every refusal
  std::map<std::pair<size_t, size_t>, std::string> refused;
};

absl::StatusOr<Candidates> AskBackends(const Graph& graph, const std::vector<size_t>& nodes,
                                       const std::vector<const PluginRecord*>& backends,
                                       const PlacementOptions& options,
                                       const infer_config* config) {
  Candidates c;
  c.backends.resize(graph.node_count());
  c.pinned.assign(graph.node_count(), false);
  c.by_user.assign(graph.node_count(), false);
  auto backend_index = [&](const std::string& key,
                           const std::string& name) -> absl::StatusOr<size_t> {
    for (size_t b = 0; b < backends.size(); ++b) {
      if (backends[b]->name == name) return b;
    }
    std::vector<std::string> names;
    for (const PluginRecord* b : backends) names.push_back(b->name);
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": backend '", name, "' is not one of this session's backends (",
                     names.empty() ? "none" : absl::StrJoin(names, ", "), ")"));
  };
  std::set<std::pair<size_t, size_t>> excluded;  // (node, backend)
  for (const auto& [selector, backend] : options.excludes) {
    INFER_ASSIGN_OR_RETURN(size_t b, backend_index("placement.exclude", backend));
    INFER_ASSIGN_OR_RETURN(auto selected, SelectNodes(graph, "placement.exclude", selector));
    for (size_t n : selected) excluded.emplace(n, b);
  }
  std::vector<size_t> pin(graph.node_count(), kUnassigned);
  for (const auto& [selector, backend] : options.pins) {
    INFER_ASSIGN_OR_RETURN(size_t b, backend_index("placement.pin", backend));
    INFER_ASSIGN_OR_RETURN(auto selected, SelectNodes(graph, "placement.pin", selector));
    for (size_t n : selected) pin[n] = b;
  }

  for (size_t b = 0; b < backends.size(); ++b) {
    infer_capability cap;
    cap.config = config;
    const PluginRecord* backend = backends[b];
    absl::Status st = FromC(backend->backend->get_capability(backend->state, AsC(graph),
                                                             nodes.data(), nodes.size(), &cap));
    if (!st.ok()) {
      return absl::Status(st.code(),
                          absl::StrCat("backend '", backend->name,
                                       "' failed to answer for capability: ", st.message()));
    }
    for (size_t n : nodes) {
      auto it = cap.answers.find(n);
      if (it == cap.answers.end() || !it->second.claimed) {
        // Reports name the node themselves; backends often start with it too.
        absl::string_view reason = it == cap.answers.end() ? absl::string_view("no answer")
                                                           : absl::string_view(it->second.reason);
        const Node& node = graph.node(n);
        absl::ConsumePrefix(&reason, absl::StrCat(node.Describe(), ": ")) ||
            absl::ConsumePrefix(&reason, absl::StrCat(node.op_type, " node '", node.name, "': "));
        c.refused[{n, b}] = std::string(reason);
        continue;
      }
      // A group is whole only if every node the backend claimed in it lands there.
      if (it->second.group != 0) c.groups[{b, it->second.group}].push_back(n);
      if (excluded.contains({n, b})) {
        c.refused[{n, b}] = "excluded by placement.exclude";
        if (b == 0) c.by_user[n] = true;
      } else if (pin[n] != kUnassigned && pin[n] != b) {
        c.refused[{n, b}] = absl::StrCat("pinned to ", backends[pin[n]]->name);
      } else {
        c.backends[n].push_back(b);
      }
    }
  }
  for (size_t n : nodes) {
    if (pin[n] == kUnassigned) continue;
    c.pinned[n] = true;
    c.by_user[n] = true;
    if (c.backends[n].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("placement.pin: ", DescribeNodeForError(graph, n), " is pinned to '",
                       backends[pin[n]]->name, "', which cannot run it: ", c.refused[{n, pin[n]}]));
    }
  }
  return c;
}

// True if the partition reads from or feeds a node of another backend (the
// core's control flow, which shares host memory, does not count).
bool BordersOtherBackend(const Graph& graph, const Partition& p,
                         const std::vector<const PluginRecord*>& owner) {
  auto other = [&](size_t node) {
    return node != kNoNode && owner[node] != p.backend && owner[node] != &CoreBackendRecord();
  };
  for (size_t n : p.nodes) {
    for (size_t v : NodeReads(graph.node(n))) {
      if (other(graph.value(v).producer)) return true;
    }
    for (size_t v : graph.node(n).outputs) {
      if (v == kNoValue) continue;
      for (size_t consumer : graph.Consumers(v)) {
        if (other(consumer)) return true;
      }
    }
  }
  return false;
}

// A claimed fusable group runs on its backend whole or not at all.
bool SplitGroupsFallBack(Candidates& c) {
  bool changed = false;
  for (const auto& [key, members] : c.groups) {
    const size_t b = key.first;
    const bool whole = std::all_of(members.begin(), members.end(), [&](size_t n) {
      return !c.backends[n].empty() && c.backends[n].front() == b;
    });
    if (whole) continue;
    for (size_t n : members) {
      auto& list = c.backends[n];
      if (list.empty() || list.front() != b || c.pinned[n]) continue;
      list.erase(list.begin());
      c.refused[{n, b}] = "its fusable group could not be placed whole";
      changed = true;
    }
  }
  return changed;
}

}  // namespace

absl::StatusOr<PlacementOptions> PlacementOptions::FromConfig(const infer_config* cfg) {
  PlacementOptions o;
  if (const std::string* v = ConfigValue(cfg, "placement.fallback")) {
    if (*v == "allow") {
      o.fallback = FallbackPolicy::kAllow;
    } else if (*v == "warn") {
      o.fallback = FallbackPolicy::kWarn;
    } else if (*v == "error") {
      o.fallback = FallbackPolicy::kError;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("placement.fallback: '", *v, "' is not one of allow, warn, error"));
    }
  }
  if (const std::string* v = ConfigValue(cfg, "placement.min_partition_size")) {
    INFER_ASSIGN_OR_RETURN(const int64_t n,
                           ParseCount("placement.min_partition_size", *v, 1, 1000000,
                                      "a node count from 1 (no minimum) up"));
    o.min_partition_size = static_cast<size_t>(n);
  }
  if (const std::string* v = ConfigValue(cfg, "placement.min_partition_macs")) {
    INFER_ASSIGN_OR_RETURN(o.min_partition_macs,
                           ParseCount("placement.min_partition_macs", *v, 0, int64_t{1} << 60,
                                      "a count of multiply-accumulates from 0 up"));
  }
  if (const std::string* v = ConfigValue(cfg, "placement.pin")) {
    INFER_ASSIGN_OR_RETURN(o.pins, ParseAssignments("placement.pin", *v));
  }
  if (const std::string* v = ConfigValue(cfg, "placement.exclude")) {
    INFER_ASSIGN_OR_RETURN(o.excludes, ParseAssignments("placement.exclude", *v));
  }
  return o;
}

std::string DescribeNodeForError(const Graph& graph, size_t node_id) {
  const Node& n = graph.node(node_id);
  return absl::StrCat("node '", n.name, "' (op '", n.op_type, "', domain '",
                      n.domain.empty() ? "ai.onnx" : n.domain, "', opset ", graph.Opset(n.domain),
                      ")");
}

// For a node outside the standard domains: which custom-op plugin is missing, or which
// backends its plugin has kernels for.
std::string CustomOpHint(const Graph& graph, const Node& node) {
  const std::string domain = NormalizeDomain(node.domain);
  if (domain.empty() || domain == "com.infer" || domain == "com.microsoft") return "";
  if (graph.Opset(domain) == 0) {
    return absl::StrCat(". The model imports no opset for domain '", domain,
                        "': add it to the model's opset_import");
  }
  const CustomOpRegistry* registry = graph.custom_ops();
  const CustomOpRegistry::Op* op = registry ? registry->Find(graph, node) : nullptr;
  if (op == nullptr) {
    return absl::StrCat(". No loaded custom-op plugin registers '", node.op_type, "' in domain '",
                        domain,
                        "': put the plugin that provides it in a plugins folder "
                        "(--plugins DIR or INFER_PLUGIN_PATH)");
  }
  return absl::StrCat(". Custom-op plugin '", op->plugin_name,
                      "' has kernels for: ", absl::StrReplaceAll(op->backends, {{",", ", "}}));
}

absl::StatusOr<Placement> PlaceGraph(const Graph& graph,
                                     const std::vector<const PluginRecord*>& backends,
                                     const PlacementOptions& options, const infer_config* config) {
  INFER_ASSIGN_OR_RETURN(std::vector<size_t> order, graph.TopologicalOrder());
  const PluginRecord* core = &CoreBackendRecord();
  std::vector<size_t> plugin_nodes;
  for (size_t n : order) {
    if (!IsControlFlowOp(graph.node(n))) plugin_nodes.push_back(n);
  }
  INFER_ASSIGN_OR_RETURN(Candidates c, AskBackends(graph, plugin_nodes, backends, options, config));

  for (size_t n : plugin_nodes) {
    if (!c.backends[n].empty()) continue;
    std::vector<std::string> reasons;
    for (size_t b = 0; b < backends.size(); ++b) {
      reasons.push_back(absl::StrCat(backends[b]->name, ": ", c.refused[{n, b}]));
    }
    if (backends.empty()) reasons.push_back("no backend plugin is loaded");
    const size_t more = std::count_if(plugin_nodes.begin(), plugin_nodes.end(),
                                      [&](size_t m) { return c.backends[m].empty(); }) -
                        1;
    return absl::UnimplementedError(absl::StrCat(
        "no backend can run ", DescribeNodeForError(graph, n), ": ", absl::StrJoin(reasons, "; "),
        more > 0 ? absl::StrCat(" (and ", more, " more nodes)") : "",
        CustomOpHint(graph, graph.node(n))));
  }

  // Assign, group, and give islands below the minimum size to the next
  // backend that claims them, until nothing moves.
  std::vector<Partition> parts;
  std::vector<const PluginRecord*> owner(graph.node_count(), nullptr);
  std::vector<int64_t> node_macs(graph.node_count(), 0);
  for (size_t n : plugin_nodes) node_macs[n] = EstimateMacs(graph, n);
  for (bool changed = true; changed;) {
    while (SplitGroupsFallBack(c)) {
    }
    for (size_t n : order) {
      owner[n] = IsControlFlowOp(graph.node(n)) ? core : backends[c.backends[n].front()];
    }
    parts = GroupNodes(graph, order, owner);
    changed = false;
    // Under kError any node off the first backend fails anyway; the error
    // should name the node that backend refused, not an island it claimed.
    if (options.min_partition_size <= 1 || options.fallback == FallbackPolicy::kError) break;
    for (const Partition& p : parts) {
      if (p.backend == core || p.nodes.size() >= options.min_partition_size) continue;
      if (!BordersOtherBackend(graph, p, owner)) continue;  // moving it saves no copy
      int64_t macs = 0;
      for (size_t n : p.nodes) macs += node_macs[n];
      if (macs >= options.min_partition_macs) continue;
      const bool movable = std::all_of(p.nodes.begin(), p.nodes.end(), [&](size_t n) {
        return c.backends[n].size() > 1 && !c.pinned[n];
      });
      if (!movable) continue;
      for (size_t n : p.nodes) {
        const size_t b = c.backends[n].front();
        c.backends[n].erase(c.backends[n].begin());
        c.refused[{n, b}] = absl::StrCat(
            "claimed, but its partition would be an island of ", p.nodes.size(), " node(s) and ",
            macs, " MACs (placement.min_partition_size=", options.min_partition_size,
            ", placement.min_partition_macs=", options.min_partition_macs, ")");
      }
      changed = true;
    }
  }

  Placement placement;
  placement.preferred = backends.empty() ? nullptr : backends.front();
  placement.partitions = OrderPartitions(graph, order, std::move(parts));
  for (size_t n : plugin_nodes) {
    const size_t chosen = c.backends[n].front();
    for (size_t b = 0; b < chosen; ++b) {
      placement.refusals.push_back({n, backends[b]->name, c.refused[{n, b}]});
    }
    if (chosen > 0 && !c.by_user[n]) placement.fallback_nodes.push_back(n);
  }
  if (options.fallback == FallbackPolicy::kError && !placement.fallback_nodes.empty()) {
    const size_t n = placement.fallback_nodes.front();
    const size_t more = placement.fallback_nodes.size() - 1;
    return absl::FailedPreconditionError(absl::StrCat(
        "placement.fallback=error: ", DescribeNodeForError(graph, n), " cannot run on '",
        backends.front()->name, "': ", c.refused[{n, 0}],
        more > 0 ? absl::StrCat(" (and ", more, " more nodes would fall back to later backends)")
                 : ""));
  }
  ComputeBoundaries(graph, placement.partitions);
  PlanCopies(graph, placement);
  return placement;
}

std::string DescribeFallback(const Graph& graph, const Placement& placement) {
  if (placement.fallback_nodes.empty() || placement.preferred == nullptr) return "";
  std::map<std::string, size_t> ran_on;
  absl::flat_hash_map<size_t, std::string> reason;
  for (const Refusal& r : placement.refusals) {
    if (r.backend == placement.preferred->name) reason[r.node] = r.reason;
  }
  const std::vector<size_t> part_of = PartitionOfNodes(graph, placement.partitions);
  for (size_t n : placement.fallback_nodes)
    ++ran_on[placement.partitions[part_of[n]].backend->name];
  constexpr size_t kListed = 4;
  std::vector<std::string> listed;
  for (size_t i = 0; i < placement.fallback_nodes.size() && i < kListed; ++i) {
    const size_t n = placement.fallback_nodes[i];
    listed.push_back(
        absl::StrCat("'", graph.node(n).name, "' (", graph.node(n).op_type, "): ", reason[n]));
  }
  const size_t rest = placement.fallback_nodes.size() - listed.size();
  return absl::StrCat(placement.fallback_nodes.size(), " node(s) fall back from ",
                      placement.preferred->name, " to ",
                      absl::StrJoin(ran_on, ", ",
                                    [](std::string* s, const auto& kv) {
                                      absl::StrAppend(s, kv.first, " (", kv.second, ")");
                                    }),
                      ": ", absl::StrJoin(listed, "; "),
                      rest > 0 ? absl::StrCat("; and ", rest, " more (--report lists them)") : "");
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

}  // namespace infer::core
