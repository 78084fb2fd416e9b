// The core IR: a graph of nodes connected by named values.
//
// Values and nodes are addressed by dense ids (their index), which is what
// crosses the plugin ABI. Removing a node only marks it, so ids stay stable
// while passes rewrite the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "infer/plugin_api.h"
#include "ir/tensor.h"

namespace infer::core {

inline constexpr size_t kNoValue = INFER_NO_VALUE;
inline constexpr size_t kNoNode = static_cast<size_t>(-1);

// One dimension: a known size, or dynamic with an optional symbol ("batch").
struct Dim {
  int64_t value = INFER_DIM_DYNAMIC;
  std::string symbol;
  bool known() const { return value >= 0; }
};

struct Shape {
  bool rank_known = false;
  std::vector<Dim> dims;

  static Shape Unknown() { return {}; }
  static Shape Of(const std::vector<int64_t>& sizes);
  size_t rank() const { return dims.size(); }
  bool fully_known() const;
  std::string ToString() const;  // "[batch,3,224,224]" or "[?]"
};

class Graph;
class CustomOpRegistry;

struct Attribute {
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0.0f;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  std::vector<const char*> string_ptrs;  // points into `strings`, for the ABI view
  TensorPtr tensor;
  std::unique_ptr<Graph> graph;

  // Every field but the subgraph (tensor data is shared: it is immutable).
  Attribute CopyWithoutGraph() const;
};

struct Value {
  std::string name;
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  Shape shape;
  TensorPtr constant;         // initializer data, if any
  size_t producer = kNoNode;  // node writing this value
  bool is_graph_input = false;
  bool is_graph_output = false;
  // Flattened copies of `shape` for the ABI view, refreshed on each query.
  mutable std::vector<int64_t> abi_dims;
  mutable std::vector<const char*> abi_symbols;
};

struct Node {
  std::string op_type;
  std::string domain;  // "" = ai.onnx
  std::string name;
  std::vector<size_t> inputs;   // kNoValue for absent optional inputs
  std::vector<size_t> outputs;  // kNoValue for absent optional outputs
  std::vector<std::pair<std::string, Attribute>> attributes;  // in import order
  // Values of the enclosing graph that this node's subgraphs read by name
  // (filled by Graph::ResolveImplicitInputs); they order the node like inputs.
  std::vector<size_t> implicit_inputs;
  bool removed = false;
  // Backend the node was placed on before the backend-specific optimisation
  // levels ran; "" before placement. Read by passes through node_backend.
  std::string backend;

  const Attribute* FindAttribute(std::string_view name) const;
  Attribute& SetAttribute(const std::string& name);  // creates or replaces
  std::string Describe() const;                      // "Conv node 'conv1'"
};

// Normalises "ai.onnx" to "" so both spellings of the default domain match.
std::string NormalizeDomain(std::string_view domain);

// What the optimiser lends a graph while passes run: evaluation of constant
// nodes on the session's backends, and the backend new nodes are placed on.
class OptimizationHooks {
 public:
  virtual ~OptimizationHooks() = default;
  // Runs `node` (all inputs constant) and returns its outputs.
  virtual absl::StatusOr<std::vector<TensorPtr>> EvaluateNode(const Graph& graph, size_t node) = 0;
  // Backend of the pass running now ("" for backend-independent passes).
  virtual const std::string& current_backend() const = 0;
};

class Graph {
 public:
  explicit Graph(const Graph* parent = nullptr) : parent_(parent) {}
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // --- building -----------------------------------------------------------
  absl::StatusOr<size_t> AddValue(const std::string& name, infer_dtype dtype, Shape shape);
  absl::StatusOr<size_t> AddInitializer(const std::string& name, TensorPtr data);
  absl::Status AddInput(size_t value);
  absl::Status AddOutput(size_t value);
  absl::StatusOr<size_t> AddNode(Node node);
  void SetOpset(const std::string& domain, int64_t version) {
    opsets_[NormalizeDomain(domain)] = version;
  }
  void SetMetadata(const std::string& key, const std::string& value) { metadata_[key] = value; }

  // --- rewriting ----------------------------------------------------------
  absl::Status SetNodeInput(size_t node, size_t index, size_t value);
  absl::Status RemoveNode(size_t node);
  absl::Status SetOutput(size_t index, size_t value);
  // Rewires every live reader of `from` to `to`; refuses graph outputs and
  // values read by subgraphs (they name values, so rewiring would not reach them).
  absl::Status ReplaceUses(size_t from, size_t to);
  // Drops the data of an initializer nobody reads; the value stays, unused.
  absl::Status RemoveInitializer(size_t value);
  // Evaluates a constant node through the hooks and makes its outputs initializers.
  absl::Status FoldNode(size_t node);
  // A value name not in use, "prefix", "prefix_1", ...
  std::string UniqueName(std::string_view prefix) const;
  // Deep copy (subgraphs included; constant tensors are shared, they are immutable).
  std::unique_ptr<Graph> Clone() const;

  void set_hooks(OptimizationHooks* hooks) { hooks_ = hooks; }
  // The custom operators of the environment the graph belongs to (null: none).
  void set_custom_ops(const CustomOpRegistry* ops) { custom_ops_ = ops; }

  // --- reading ------------------------------------------------------------
  const Graph* parent() const { return parent_; }
  // This graph's custom operators, or the enclosing graph's; null when there are none.
  const CustomOpRegistry* custom_ops() const {
    return custom_ops_ != nullptr || parent_ == nullptr ? custom_ops_ : parent_->custom_ops();
  }
  void set_parent(const Graph* parent) { parent_ = parent; }
  size_t node_count() const { return nodes_.size(); }
  size_t value_count() const { return values_.size(); }
  const Node& node(size_t id) const { return nodes_[id]; }
  Node& mutable_node(size_t id) {
    ++version_;
    return nodes_[id];
  }
  const Value& value(size_t id) const { return values_[id]; }
  Value& mutable_value(size_t id) { return values_[id]; }
  bool valid_node(size_t id) const { return id < nodes_.size() && !nodes_[id].removed; }
  bool valid_value(size_t id) const { return id < values_.size(); }
  const std::vector<size_t>& inputs() const { return inputs_; }
  const std::vector<size_t>& outputs() const { return outputs_; }
  std::optional<size_t> FindValue(std::string_view name) const;
  // Opset for a domain ("" / "ai.onnx" = default), looking at enclosing graphs; 0 if none.
  int64_t Opset(std::string_view domain) const;
  const std::map<std::string, int64_t>& opsets() const { return opsets_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  size_t live_node_count() const;
  // Live nodes reading `v` (inputs and implicit inputs), ascending, with repeats.
  const std::vector<size_t>& Consumers(size_t v) const;
  // Initializers (values with constant data) that are not graph inputs.
  size_t initializer_count() const;

  // Live node ids in an order where producers come before consumers, or an
  // error naming a node on a cycle.
  absl::StatusOr<std::vector<size_t>> TopologicalOrder() const;

  // Fills Node::implicit_inputs of every node with subgraphs, recursively:
  // names a subgraph uses but does not define become values of this graph
  // (created untyped if this graph only passes them further out).
  absl::Status ResolveImplicitInputs();
  // True if `v` has no producer here and is not an input or initializer:
  // a subgraph's reference to an enclosing scope.
  bool IsOuterReference(size_t v) const;

  // Structural checks every graph must pass before it is placed: every value
  // used is defined (graph input, initializer, node output, or an outer-scope
  // name for subgraphs), each value has at most one producer, no cycles,
  // outputs are defined. Errors name the node and value.
  absl::Status Validate() const;

 private:
  const Graph* parent_;
  // Deques: adding a value or node never moves the others, so the strings and
  // views the host API hands to plugins stay valid while passes add nodes.
  std::deque<Value> values_;
  std::deque<Node> nodes_;
  std::vector<size_t> inputs_;
  std::vector<size_t> outputs_;
  std::map<std::string, int64_t> opsets_;
  std::map<std::string, std::string> metadata_;
  absl::flat_hash_map<std::string, size_t> value_by_name_;
  OptimizationHooks* hooks_ = nullptr;
  const CustomOpRegistry* custom_ops_ = nullptr;
  // Consumer lists, rebuilt lazily when the structure changed since.
  size_t version_ = 0;
  mutable size_t consumers_version_ = static_cast<size_t>(-1);
  mutable std::vector<std::vector<size_t>> consumers_;
};

}  // namespace infer::core
