// Operator schemas: what an operator accepts, and how its output types and
// shapes follow from its inputs. The registry is keyed by (domain, op type)
// and holds one schema per since-version; a node resolves to the newest
// schema whose since_version <= the graph's opset for its domain.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ir/graph.h"

namespace infer::core {

// Schema structs give every member an initialiser, so that definitions can
// use designated initialisers and skip members without tripping
// -Wmissing-field-initializers.
struct FormalParameter {
  std::string name{};
  // The name of one of the schema's type constraints ("T"), or a fixed ONNX
  // type string such as "tensor(int64)" (Reshape's shape input).
  std::string type_constraint{};
  // kVariadic (last parameter only) takes one or more arguments.
  enum class Kind { kSingle, kOptional, kVariadic } kind = Kind::kSingle;
};

struct AttributeSpec {
  std::string name{};
  // UNDEFINED: an ONNX type the IR cannot hold (sparse tensors); not checked.
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  bool required = false;
};

struct TypeConstraint {
  std::string name{};  // "T"
  std::vector<infer_dtype> allowed{};
};

// What shape inference sees of one node: input types/shapes, constant input
// data where known, attributes; it writes output types/shapes.
class InferenceContext {
 public:
  InferenceContext(const Graph& graph, const Node& node, int64_t opset,
                   std::vector<Shape> input_shapes, std::vector<infer_dtype> input_types,
                   std::vector<const Tensor*> input_constants);

  const Graph& graph() const { return graph_; }
  const Node& node() const { return node_; }
  int64_t opset() const { return opset_; }
  size_t input_count() const { return input_shapes_.size(); }
  bool has_input(size_t i) const;
  const Shape& input_shape(size_t i) const { return input_shapes_[i]; }
  infer_dtype input_type(size_t i) const { return input_types_[i]; }
  // Constant data of input i (initializer or Constant node output), or nullptr.
  const Tensor* input_constant(size_t i) const { return input_constants_[i]; }

  size_t output_count() const { return output_shapes_.size(); }
  // False for absent optional outputs and indices past the node's outputs.
  bool has_output(size_t i) const;
  void set_output(size_t i, infer_dtype dtype, Shape shape);
  // Output types are pre-filled from the type constraints (the type bound by
  // the inputs, or the only allowed one), so most ops only set shapes.
  void set_output_type(size_t i, infer_dtype dtype) { output_types_[i] = dtype; }
  void set_output_shape(size_t i, Shape shape) { output_shapes_[i] = std::move(shape); }
  // Output data known at compile time (Constant): later nodes of the same
  // InferGraphShapes walk see it through input_constant().
  void set_output_constant(size_t i, TensorPtr data) { output_constants_[i] = std::move(data); }
  const TensorPtr& output_constant(size_t i) const { return output_constants_[i]; }
  const Shape& output_shape(size_t i) const { return output_shapes_[i]; }
  infer_dtype output_type(size_t i) const { return output_types_[i]; }

  // Attribute helpers; fallback when absent (types were checked against the
  // schema before shape inference runs).
  const Attribute* attr(std::string_view name) const { return node_.FindAttribute(name); }
  int64_t attr_int(std::string_view name, int64_t fallback) const;
  float attr_float(std::string_view name, float fallback) const;
  std::string attr_string(std::string_view name, std::string fallback) const;
  std::vector<int64_t> attr_ints(std::string_view name, std::vector<int64_t> fallback = {}) const;

  // An error that names this node: "Conv node 'conv1': <message>".
  absl::Status Error(std::string_view message) const;
  // The same for an error from a helper that does not know the node.
  absl::Status Error(const absl::Status& cause) const;

 private:
  const Graph& graph_;
  const Node& node_;
  int64_t opset_;
  std::vector<Shape> input_shapes_;
  std::vector<infer_dtype> input_types_;
  std::vector<const Tensor*> input_constants_;
  std::vector<Shape> output_shapes_;
  std::vector<infer_dtype> output_types_;
  std::vector<TensorPtr> output_constants_;
};

using ShapeInferenceFn = std::function<absl::Status(InferenceContext&)>;

struct OpSchema {
  std::string domain{};  // "" = ai.onnx
  std::string op_type{};
  int64_t since_version = 1;
  std::string doc{};
  std::vector<FormalParameter> inputs{};
  std::vector<FormalParameter> outputs{};
  std::vector<AttributeSpec> attributes{};
  std::vector<TypeConstraint> type_constraints{};
  ShapeInferenceFn infer{};  // may be empty: outputs then stay unknown
};

// "Conv-11", or "com.example.MyOp-1" outside the default domain.
std::string SchemaName(const OpSchema& schema);

class SchemaRegistry {
 public:
  // All built-in ONNX schemas this engine knows.
  static SchemaRegistry WithBuiltins();

  // Error if (domain, op, since_version) is already registered
  // (AlreadyExists) or the schema is malformed (InvalidArgument). A parameter
  // with a fixed type ("tensor(int64)") gets a type constraint of that name.
  absl::Status Register(OpSchema schema);
  // Newest schema with since_version <= opset, or nullptr.
  const OpSchema* Find(std::string_view domain, std::string_view op_type, int64_t opset) const;
  size_t size() const;
  // Every schema, ordered by domain, op type and since_version.
  std::vector<const OpSchema*> AllSchemas() const;

 private:
  // key: domain + '\0' + op_type; value sorted by since_version ascending.
  std::map<std::string, std::vector<OpSchema>, std::less<>> schemas_;
};

// Walks the graph in topological order and checks each node that has a
// schema (input/output counts, required attributes and their types, input
// dtypes against type constraints), then writes the inferred dtype and shape
// into its outputs: unknown types, ranks and dims are filled in, and a
// declared (value_info, graph output) type or known dim that disagrees is an
// error naming the value. Graph inputs keep their declared shapes; subgraphs
// are not visited yet. Nodes without a schema are left alone: a backend may
// still claim them. Errors are InvalidArgument and name the node, e.g.
// "Conv node 'conv1': X has shape [3,8], expected at least 3 dimensions ...".
absl::Status InferGraphShapes(Graph& graph, const SchemaRegistry& registry);

}  // namespace infer::core
