#include "ir/graph.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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
  nodes_.push_back(std::move(node));
  return id;
}

absl::Status Graph::SetNodeInput(size_t node, size_t index, size_t value) {
  if (!valid_node(node)) return absl::OutOfRangeError("bad node id");
  if (value != kNoValue && !valid_value(value)) return absl::OutOfRangeError("bad value id");
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
  return absl::OkStatus();
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
    for (size_t v : nodes_[n].inputs) {
      if (v == kNoValue) continue;
      consumers[v].push_back(n);
      if (values_[v].producer != kNoNode) ++pending[n];
    }
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

namespace {
bool DefinedInOuterScope(const Graph* g, std::string_view name) {
  for (const Graph* p = g->parent(); p != nullptr; p = p->parent()) {
    if (p->FindValue(name)) return true;
  }
  return false;
}
}  // namespace

absl::Status Graph::Validate() const {
  auto defined = [&](size_t v) {
    const Value& val = values_[v];
    return val.producer != kNoNode || val.constant || val.is_graph_input ||
           DefinedInOuterScope(this, val.name);
  };
  for (const Node& node : nodes_) {
    if (node.removed) continue;
    for (size_t v : node.inputs) {
      if (v != kNoValue && !defined(v)) {
        return absl::InvalidArgumentError(
            absl::StrCat(node.Describe(), ": input '", values_[v].name,
                         "' is not produced by any node, initializer or graph input"));
      }
    }
  }
  for (size_t v : outputs_) {
    if (!defined(v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("graph output '", values_[v].name, "' is never produced"));
    }
  }
  auto order = TopologicalOrder();
  return order.ok() ? absl::OkStatus() : order.status();
}

}  // namespace infer::core
