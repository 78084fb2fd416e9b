// InferGraphShapes: checks every node that has a schema against it, runs its
// shape function in topological order and writes the results into the graph.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/op_schema.h"

namespace infer::core {
namespace {

const char* AttrTypeName(infer_attr_type t) {
  switch (t) {
    case INFER_ATTR_FLOAT:
      return "FLOAT";
    case INFER_ATTR_INT:
      return "INT";
    case INFER_ATTR_STRING:
      return "STRING";
    case INFER_ATTR_TENSOR:
      return "TENSOR";
    case INFER_ATTR_GRAPH:
      return "GRAPH";
    case INFER_ATTR_FLOATS:
      return "FLOATS";
    case INFER_ATTR_INTS:
      return "INTS";
    case INFER_ATTR_STRINGS:
      return "STRINGS";
    default:
      return "UNDEFINED";
  }
}

absl::Status NodeError(const Node& node, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(node.Describe(), ": ", message));
}

// The formal parameter that argument `i` binds to (a variadic one takes the rest).
const FormalParameter* ParamFor(const std::vector<FormalParameter>& params, size_t i) {
  if (i < params.size()) return &params[i];
  if (!params.empty() && params.back().kind == FormalParameter::Kind::kVariadic) {
    return &params.back();
  }
  return nullptr;
}

absl::Status CheckArity(const Node& node, const OpSchema& schema, const char* what,
                        const std::vector<size_t>& args,
                        const std::vector<FormalParameter>& params) {
  if (args.size() > params.size() && ParamFor(params, args.size() - 1) == nullptr) {
    return NodeError(node, absl::StrCat("has ", args.size(), " ", what, "s, but ",
                                        SchemaName(schema), " takes at most ", params.size()));
  }
  for (size_t i = 0; i < std::max(args.size(), params.size()); ++i) {
    const FormalParameter& p = *ParamFor(params, i);
    const bool present = i < args.size() && args[i] != kNoValue;
    if (!present && p.kind != FormalParameter::Kind::kOptional) {
      return NodeError(node, absl::StrCat(what, " ", i, " ('", p.name, "') is required"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAttributes(const Node& node, const OpSchema& schema) {
  for (const AttributeSpec& spec : schema.attributes) {
    if (spec.required && node.FindAttribute(spec.name) == nullptr) {
      return NodeError(node, absl::StrCat("required attribute '", spec.name, "' is missing"));
    }
  }
  for (const auto& [name, attr] : node.attributes) {
    auto spec = std::find_if(schema.attributes.begin(), schema.attributes.end(),
                             [&name = name](const AttributeSpec& s) { return s.name == name; });
    if (spec == schema.attributes.end()) {
      return NodeError(
          node, absl::StrCat("attribute '", name, "' is not defined for ", SchemaName(schema)));
    }
    // UNDEFINED marks ONNX attribute types the IR cannot hold (sparse tensors).
    if (spec->type != INFER_ATTR_UNDEFINED && attr.type != spec->type) {
      return NodeError(node,
                       absl::StrCat("attribute '", name, "' has type ", AttrTypeName(attr.type),
                                    ", expected ", AttrTypeName(spec->type)));
    }
  }
  return absl::OkStatus();
}

const TypeConstraint& ConstraintOf(const OpSchema& schema, const FormalParameter& p) {
  // Register() made sure every parameter names a constraint.
  return *std::find_if(schema.type_constraints.begin(), schema.type_constraints.end(),
                       [&](const TypeConstraint& c) { return c.name == p.type_constraint; });
}

std::string AllowedList(const TypeConstraint& c) {
  return absl::StrJoin(c.allowed, ", ",
                       [](std::string* out, infer_dtype t) { absl::StrAppend(out, DtypeName(t)); });
}

bool Allows(const TypeConstraint& c, infer_dtype t) {
  return std::find(c.allowed.begin(), c.allowed.end(), t) != c.allowed.end();
}

using Bindings = absl::flat_hash_map<std::string, infer_dtype>;

// Checks input dtypes against their constraints; the same constraint name
// must bind the same dtype everywhere. Unknown dtypes are not checked.
absl::StatusOr<Bindings> BindInputTypes(const Node& node, const OpSchema& schema,
                                        const std::vector<infer_dtype>& types) {
  Bindings bound;
  absl::flat_hash_map<std::string, size_t> first_input;
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i] == INFER_DTYPE_UNDEFINED) continue;
    const FormalParameter& p = *ParamFor(schema.inputs, i);
    const TypeConstraint& c = ConstraintOf(schema, p);
    if (!Allows(c, types[i])) {
      return NodeError(node,
                       absl::StrCat("input ", i, " ('", p.name, "') has type ", DtypeName(types[i]),
                                    ", but ", c.name, " allows ", AllowedList(c)));
    }
    auto [it, inserted] = bound.try_emplace(c.name, types[i]);
    if (inserted) {
      first_input[c.name] = i;
    } else if (it->second != types[i]) {
      return NodeError(node, absl::StrCat("input ", i, " ('", p.name, "') has type ",
                                          DtypeName(types[i]), ", but input ", first_input[c.name],
                                          " bound ", c.name, " to ", DtypeName(it->second)));
    }
  }
  return bound;
}

// Writes an inferred type and shape into a value, keeping what was declared:
// known declared dims stay, unknown ones are refined, conflicts are errors.
absl::Status MergeIntoValue(const Node& node, Value& value, infer_dtype dtype, const Shape& shape) {
  if (dtype != INFER_DTYPE_UNDEFINED) {
    if (value.dtype == INFER_DTYPE_UNDEFINED) {
      value.dtype = dtype;
    } else if (value.dtype != dtype) {
      return NodeError(
          node, absl::StrCat("output '", value.name, "' is declared as ", DtypeName(value.dtype),
                             " but inferred as ", DtypeName(dtype)));
    }
  }
  if (!shape.rank_known) return absl::OkStatus();
  if (!value.shape.rank_known) {
    value.shape = shape;
    return absl::OkStatus();
  }
  const auto conflict = [&] {
    return NodeError(node,
                     absl::StrCat("output '", value.name, "' is declared with shape ",
                                  value.shape.ToString(), " but inferred as ", shape.ToString()));
  };
  if (value.shape.rank() != shape.rank()) return conflict();
  for (size_t i = 0; i < shape.rank(); ++i) {
    Dim& declared = value.shape.dims[i];
    const Dim& inferred = shape.dims[i];
    if (declared.known()) {
      if (inferred.known() && inferred.value != declared.value) return conflict();
    } else if (inferred.known() || declared.symbol.empty()) {
      declared = inferred;
    }
  }
  return absl::OkStatus();
}

// Constant data produced by nodes earlier in the walk (Constant outputs).
using FoldedConstants = absl::flat_hash_map<size_t, TensorPtr>;

absl::Status InferNode(Graph& graph, const Node& node, const OpSchema& schema, int64_t opset,
                       FoldedConstants& folded) {
  if (absl::Status s = CheckArity(node, schema, "input", node.inputs, schema.inputs); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckArity(node, schema, "output", node.outputs, schema.outputs); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckAttributes(node, schema); !s.ok()) return s;

  std::vector<Shape> shapes;
  std::vector<infer_dtype> types;
  std::vector<const Tensor*> constants;
  for (size_t v : node.inputs) {
    if (v == kNoValue) {
      shapes.push_back(Shape::Unknown());
      types.push_back(INFER_DTYPE_UNDEFINED);
      constants.push_back(nullptr);
      continue;
    }
    const Value& value = graph.value(v);
    shapes.push_back(value.shape);
    types.push_back(value.dtype);
    auto it = folded.find(v);
    constants.push_back(value.constant       ? value.constant.get()
                        : it != folded.end() ? it->second.get()
                                             : nullptr);
  }
  absl::StatusOr<Bindings> bound = BindInputTypes(node, schema, types);
  if (!bound.ok()) return bound.status();

  InferenceContext ctx(graph, node, opset, std::move(shapes), std::move(types),
                       std::move(constants));
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    const TypeConstraint& c = ConstraintOf(schema, *ParamFor(schema.outputs, i));
    auto it = bound->find(c.name);
    if (it != bound->end()) {
      ctx.set_output_type(i, it->second);
    } else if (c.allowed.size() == 1) {
      ctx.set_output_type(i, c.allowed.front());
    }
  }
  if (schema.infer) {
    if (absl::Status s = schema.infer(ctx); !s.ok()) return s;
  }

  for (size_t i = 0; i < node.outputs.size(); ++i) {
    if (!ctx.has_output(i)) continue;
    const FormalParameter& p = *ParamFor(schema.outputs, i);
    const TypeConstraint& c = ConstraintOf(schema, p);
    const infer_dtype dtype = ctx.output_type(i);
    if (dtype != INFER_DTYPE_UNDEFINED && !Allows(c, dtype)) {
      return NodeError(
          node, absl::StrCat("output ", i, " ('", p.name, "') would have type ", DtypeName(dtype),
                             ", but ", c.name, " allows ", AllowedList(c)));
    }
    const size_t v = node.outputs[i];
    if (absl::Status s = MergeIntoValue(node, graph.mutable_value(v), dtype, ctx.output_shape(i));
        !s.ok()) {
      return s;
    }
    if (ctx.output_constant(i)) folded[v] = ctx.output_constant(i);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status InferGraphShapes(Graph& graph, const SchemaRegistry& registry) {
  absl::StatusOr<std::vector<size_t>> order = graph.TopologicalOrder();
  if (!order.ok()) return order.status();
  FoldedConstants folded;
  for (size_t id : *order) {
    const Node& node = graph.node(id);
    const int64_t opset = graph.Opset(node.domain);
    const OpSchema* schema = registry.Find(node.domain, node.op_type, opset);
    if (schema == nullptr) continue;  // a backend may still implement it
    if (absl::Status s = InferNode(graph, node, *schema, opset, folded); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace infer::core
