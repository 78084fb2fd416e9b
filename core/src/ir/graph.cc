#include "ir/graph.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/status.h"

namespace infer::core {

Shape Shape::Of(const std::vector<int64_t>& sizes) {
  Shape s;
  s.rank_known = true;
  for (int64_t v : sizes) s.dims.push_back(Dim{v, ""});
  return s;
}

bool Shape::fully_known() const {
  return rank_known &&
         std::all_of(dims.begin(), dims.end(), [](const Dim& d) { return d.known(); });
}

std::string Shape::ToString() const {
  if (!rank_known) return "[?]";
  return absl::StrCat("[",
                      absl::StrJoin(dims, ",",
                                    [](std::string* out, const Dim& d) {
                                      if (d.known()) {
                                        absl::StrAppend(out, d.value);
                                      } else {
                                        absl::StrAppend(out, d.symbol.empty() ? "?" : d.symbol);
                                      }
                                    }),
                      "]");
}

Attribute Attribute::CopyWithoutGraph() const {
  Attribute c;
  c.type = type;
  c.i = i;
  c.f = f;
  c.s = s;
  c.ints = ints;
  c.floats = floats;
  c.strings = strings;
  for (const std::string& str : c.strings) c.string_ptrs.push_back(str.c_str());
  c.tensor = tensor;
  return c;
}

const Attribute* Node::FindAttribute(std::string_view attr_name) const {
  for (const auto& [n, a] : attributes) {
    if (n == attr_name) return &a;
  }
  return nullptr;
}

Attribute& Node::SetAttribute(const std::string& attr_name) {
  for (auto& [n, a] : attributes) {
    if (n == attr_name) {
      a = Attribute{};
      return a;
    }
  }
  attributes.emplace_back(attr_name, Attribute{});
  return attributes.back().second;
}

std::string Node::Describe() const {
  std::string d = domain.empty() ? op_type : absl::StrCat(domain, ".", op_type);
  return absl::StrCat(d, " node '", name, "'");
}

std::string NormalizeDomain(std::string_view domain) {
  if (domain == "ai.onnx") return "";
  return std::string(domain);
}

absl::StatusOr<size_t> Graph::AddValue(const std::string& name, infer_dtype dtype, Shape shape) {
  if (name.empty()) return absl::InvalidArgumentError("a value needs a non-empty name");
  if (value_by_name_.contains(name)) {
    return absl::InvalidArgumentError(absl::StrCat("value '", name, "' is defined twice"));
  }
  Value v;
  v.name = name;
  v.dtype = dtype;
  v.shape = std::move(shape);
  values_.push_back(std::move(v));
  value_by_name_[name] = values_.size() - 1;
  return values_.size() - 1;
}

absl::StatusOr<size_t> Graph::AddInitializer(const std::string& name, TensorPtr data) {
  std::vector<int64_t> dims = data->shape();
  // An initializer may already exist as a declared graph input (old ONNX
  // models list initializers among inputs): attach the data to it.
  if (auto existing = FindValue(name);
      existing && values_[*existing].producer == kNoNode && !values_[*existing].constant) {
    Value& v = values_[*existing];
    v.dtype = data->dtype();
    v.shape = Shape::Of(dims);
    v.constant = std::move(data);
    return *existing;
  }
  auto id = AddValue(name, data->dtype(), Shape::Of(dims));
  if (!id.ok()) return id.status();
  values_[*id].constant = std::move(data);
  return *id;
}

absl::Status Graph::AddInput(size_t value) {
  if (!valid_value(value)) return absl::OutOfRangeError("graph input: bad value id");
  values_[value].is_graph_input = true;
  inputs_.push_back(value);
  return absl::OkStatus();
}

absl::Status Graph::AddOutput(size_t value) {
  if (!valid_value(value)) return absl::OutOfRangeError("graph output: bad value id");
  values_[value].is_graph_output = true;
  outputs_.push_back(value);
  return absl::OkStatus();
}

absl::StatusOr<size_t> Graph::AddNode(Node node) {
  if (node.op_type.empty()) return absl::InvalidArgumentError("a node needs an op type");
  node.domain = NormalizeDomain(node.domain);
  const size_t id = nodes_.size();
  for (size_t v : node.inputs) {
    if (v != kNoValue && !valid_value(v)) {
      return absl::OutOfRangeError(absl::StrCat(node.Describe(), ": bad input value id"));
    }
  }
  for (size_t v : node.outputs) {
    if (v == kNoValue) continue;
    if (!valid_value(v)) {
      return absl::OutOfRangeError(absl::StrCat(node.Describe(), ": bad output value id"));
    }
    Value& out = values_[v];
    if (out.producer != kNoNode || out.constant || out.is_graph_input) {
      return absl::InvalidArgumentError(
          absl::StrCat(node.Describe(), ": output '", out.name, "' is already defined elsewhere"));
    }
    out.producer = id;
  }
  if (hooks_ != nullptr && node.backend.empty()) node.backend = hooks_->current_backend();
  nodes_.push_back(std::move(node));
  ++version_;
  return id;
}

absl::Status Graph::SetNodeInput(size_t node, size_t index, size_t value) {
  if (!valid_node(node)) return absl::OutOfRangeError("bad node id");
  if (value != kNoValue && !valid_value(value)) return absl::OutOfRangeError("bad value id");
  ++version_;
  auto& inputs = nodes_[node].inputs;
  if (index >= inputs.size()) inputs.resize(index + 1, kNoValue);
  inputs[index] = value;
  return absl::OkStatus();
}

absl::Status Graph::RemoveNode(size_t node) {
  if (!valid_node(node)) return absl::OutOfRangeError("bad node id");
  for (size_t v : nodes_[node].outputs) {
    if (v != kNoValue) values_[v].producer = kNoNode;
  }
  nodes_[node].removed = true;
  ++version_;
  return absl::OkStatus();
}

absl::Status Graph::ReplaceUses(size_t from, size_t to) {
  if (!valid_value(from) || !valid_value(to)) return absl::OutOfRangeError("bad value id");
  if (from == to) return absl::OkStatus();
  if (values_[from].is_graph_output) {
    return absl::FailedPreconditionError(
        absl::StrCat("value '", values_[from].name, "' is a graph output"));
  }
  std::vector<size_t> readers = Consumers(from);
  for (size_t n : readers) {
    const Node& node = nodes_[n];
    if (std::find(node.implicit_inputs.begin(), node.implicit_inputs.end(), from) !=
        node.implicit_inputs.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "value '", values_[from].name, "' is read by a subgraph of ", node.Describe()));
    }
  }
  for (size_t n : readers) {
    for (size_t& v : nodes_[n].inputs) {
      if (v == from) v = to;
    }
  }
  ++version_;
  return absl::OkStatus();
}

absl::Status Graph::RemoveInitializer(size_t value) {
  if (!valid_value(value)) return absl::OutOfRangeError("bad value id");
  Value& v = values_[value];
  if (!v.constant) {
    return absl::FailedPreconditionError(
        absl::StrCat("value '", v.name, "' is not an initializer"));
  }
  if (!Consumers(value).empty() || v.is_graph_output || v.is_graph_input) {
    return absl::FailedPreconditionError(
        absl::StrCat("initializer '", v.name, "' is still read or is a graph input/output"));
  }
  v.constant.reset();
  return absl::OkStatus();
}

absl::Status Graph::FoldNode(size_t node) {
  if (!valid_node(node)) return absl::OutOfRangeError("bad node id");
  if (hooks_ == nullptr) {
    return absl::FailedPreconditionError("constant folding is only available while passes run");
  }
  const Node& n = nodes_[node];
  for (size_t v : n.inputs) {
    if (v != kNoValue && !values_[v].constant) {
      return absl::FailedPreconditionError(
          absl::StrCat(n.Describe(), ": input '", values_[v].name, "' is not constant"));
    }
  }
  if (!n.implicit_inputs.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(n.Describe(), " has subgraphs"));
  }
  INFER_ASSIGN_OR_RETURN(std::vector<TensorPtr> outputs, hooks_->EvaluateNode(*this, node));
  if (outputs.size() != n.outputs.size()) {
    return absl::InternalError(
        absl::StrCat(n.Describe(), ": evaluation returned ", outputs.size(), " outputs"));
  }
  const std::vector<size_t> out_ids = n.outputs;
  INFER_RETURN_IF_ERROR(RemoveNode(node));
  for (size_t i = 0; i < out_ids.size(); ++i) {
    if (out_ids[i] == kNoValue || !outputs[i]) continue;
    Value& v = values_[out_ids[i]];
    v.dtype = outputs[i]->dtype();
    v.shape = Shape::Of(outputs[i]->shape());
    v.constant = std::move(outputs[i]);
  }
  return absl::OkStatus();
}

std::string Graph::UniqueName(std::string_view prefix) const {
  std::string name(prefix.empty() ? "v" : prefix);
  if (!FindValue(name)) return name;
  for (size_t i = 1;; ++i) {
    std::string candidate = absl::StrCat(name, "_", i);
    if (!FindValue(candidate)) return candidate;
  }
}

std::unique_ptr<Graph> Graph::Clone() const {
  auto g = std::make_unique<Graph>(parent_);
  g->values_ = values_;
  g->inputs_ = inputs_;
  g->outputs_ = outputs_;
  g->opsets_ = opsets_;
  g->metadata_ = metadata_;
  g->value_by_name_ = value_by_name_;
  g->hooks_ = hooks_;
  g->custom_ops_ = custom_ops_;
  for (const Node& n : nodes_) {
    Node copy;
    copy.op_type = n.op_type;
    copy.domain = n.domain;
    copy.name = n.name;
    copy.inputs = n.inputs;
    copy.outputs = n.outputs;
    copy.implicit_inputs = n.implicit_inputs;
    copy.removed = n.removed;
    copy.backend = n.backend;
    for (const auto& [attr_name, a] : n.attributes) {
      Attribute c = a.CopyWithoutGraph();
      if (a.graph) {
        c.graph = a.graph->Clone();
        c.graph->parent_ = g.get();
      }
      copy.attributes.emplace_back(attr_name, std::move(c));
    }
    g->nodes_.push_back(std::move(copy));
  }
  return g;
}

absl::Status Graph::SetOutput(size_t index, size_t value) {
  if (index >= outputs_.size() || !valid_value(value)) {
    return absl::OutOfRangeError("bad graph output index or value id");
  }
  values_[outputs_[index]].is_graph_output = false;
  outputs_[index] = value;
  values_[value].is_graph_output = true;
  return absl::OkStatus();
}

std::optional<size_t> Graph::FindValue(std::string_view name) const {
  // Debian's abseil has its own string_view type, not std::string_view.
  auto it = value_by_name_.find(absl::string_view(name.data(), name.size()));
  if (it == value_by_name_.end()) return std::nullopt;
  return it->second;
}

int64_t Graph::Opset(std::string_view domain) const {
  auto it = opsets_.find(NormalizeDomain(domain));
  if (it != opsets_.end()) return it->second;
  return parent_ != nullptr ? parent_->Opset(domain) : 0;
}

const std::vector<size_t>& Graph::Consumers(size_t v) const {
  if (consumers_version_ != version_ || consumers_.size() != values_.size()) {
    consumers_.assign(values_.size(), {});
    for (size_t n = 0; n < nodes_.size(); ++n) {
      if (nodes_[n].removed) continue;
      for (size_t in : nodes_[n].inputs) {
        if (in != kNoValue) consumers_[in].push_back(n);
      }
      for (size_t in : nodes_[n].implicit_inputs) consumers_[in].push_back(n);
    }
    consumers_version_ = version_;
  }
  return consumers_[v];
}

size_t Graph::initializer_count() const {
  return static_cast<size_t>(std::count_if(values_.begin(), values_.end(), [](const Value& v) {
    return v.constant && !v.is_graph_input;
  }));
}

size_t Graph::live_node_count() const {
  return static_cast<size_t>(
      std::count_if(nodes_.begin(), nodes_.end(), [](const Node& n) { return !n.removed; }));
}

absl::StatusOr<std::vector<size_t>> Graph::TopologicalOrder() const {
  // Kahn's algorithm on node ids, stable in import order.
  std::vector<size_t> pending(nodes_.size(), 0);
  std::vector<std::vector<size_t>> consumers(values_.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].removed) continue;
    auto depend = [&](size_t v) {
      if (v == kNoValue) return;
      consumers[v].push_back(n);
      if (values_[v].producer != kNoNode) ++pending[n];
    };
    for (size_t v : nodes_[n].inputs) depend(v);
    for (size_t v : nodes_[n].implicit_inputs) depend(v);
  }
  std::vector<size_t> order;
  std::vector<size_t> ready;
  for (size_t n = nodes_.size(); n-- > 0;) {
    if (!nodes_[n].removed && pending[n] == 0) ready.push_back(n);
  }
  while (!ready.empty()) {
    const size_t n = ready.back();
    ready.pop_back();
    order.push_back(n);
    std::vector<size_t> unlocked;
    for (size_t v : nodes_[n].outputs) {
      if (v == kNoValue) continue;
      for (size_t c : consumers[v]) {
        if (--pending[c] == 0) unlocked.push_back(c);
      }
    }
    // Keep import order among newly ready nodes.
    std::sort(unlocked.rbegin(), unlocked.rend());
    ready.insert(ready.end(), unlocked.begin(), unlocked.end());
  }
  if (order.size() != live_node_count()) {
    for (size_t n = 0; n < nodes_.size(); ++n) {
      if (!nodes_[n].removed && pending[n] > 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("the graph has a cycle through ", nodes_[n].Describe()));
      }
    }
  }
  return order;
}

bool Graph::IsOuterReference(size_t v) const {
  const Value& val = values_[v];
  return val.producer == kNoNode && !val.constant && !val.is_graph_input;
}

namespace {

// True if `v` is produced here or, for a subgraph, defined in an enclosing scope.
bool IsDefined(const Graph& g, size_t v) {
  if (!g.IsOuterReference(v)) return true;
  if (g.parent() == nullptr) return false;
  std::optional<size_t> outer = g.parent()->FindValue(g.value(v).name);
  return outer && IsDefined(*g.parent(), *outer);
}

// Names `g`'s nodes and outputs read that `g` itself does not define.
std::vector<std::string> FreeNames(const Graph& g) {
  std::vector<std::string> names;
  absl::flat_hash_set<std::string> seen;
  auto note = [&](size_t v) {
    if (v != kNoValue && g.IsOuterReference(v) && seen.insert(g.value(v).name).second) {
      names.push_back(g.value(v).name);
    }
  };
  for (size_t n = 0; n < g.node_count(); ++n) {
    if (!g.valid_node(n)) continue;
    for (size_t v : g.node(n).inputs) note(v);
    for (size_t v : g.node(n).implicit_inputs) note(v);
  }
  for (size_t v : g.outputs()) note(v);
  return names;
}

}  // namespace

absl::Status Graph::ResolveImplicitInputs() {
  for (size_t n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].removed) continue;
    std::vector<size_t> implicit;
    for (auto& [name, attr] : nodes_[n].attributes) {
      if (attr.type != INFER_ATTR_GRAPH || !attr.graph) continue;
      INFER_RETURN_IF_ERROR(attr.graph->ResolveImplicitInputs());
      for (const std::string& free : FreeNames(*attr.graph)) {
        std::optional<size_t> v = FindValue(free);
        if (!v) {
          // Defined further out: this graph only passes it through.
          INFER_ASSIGN_OR_RETURN(size_t created,
                                 AddValue(free, INFER_DTYPE_UNDEFINED, Shape::Unknown()));
          v = created;
        }
        if (std::find(implicit.begin(), implicit.end(), *v) == implicit.end()) {
          implicit.push_back(*v);
        }
      }
    }
    nodes_[n].implicit_inputs = std::move(implicit);
    ++version_;
  }
  return absl::OkStatus();
}

absl::Status Graph::Validate() const {
  for (const Node& node : nodes_) {
    if (node.removed) continue;
    for (const auto* list : {&node.inputs, &node.implicit_inputs}) {
      for (size_t v : *list) {
        if (v != kNoValue && !IsDefined(*this, v)) {
          return absl::InvalidArgumentError(
              absl::StrCat(node.Describe(), ": input '", values_[v].name,
                           "' is not produced by any node, initializer or graph input"));
        }
      }
    }
    for (const auto& [attr_name, attr] : node.attributes) {
      if (attr.type != INFER_ATTR_GRAPH || !attr.graph) continue;
      absl::Status st = attr.graph->Validate();
      if (!st.ok()) {
        return absl::Status(st.code(), absl::StrCat("in ", node.Describe(), " attribute '",
                                                    attr_name, "': ", st.message()));
      }
    }
  }
  for (size_t v : outputs_) {
    if (!IsDefined(*this, v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("graph output '", values_[v].name, "' is never produced"));
    }
  }
  auto order = TopologicalOrder();
  return order.ok() ? absl::OkStatus() : order.status();
}

}  // namespace infer::core
