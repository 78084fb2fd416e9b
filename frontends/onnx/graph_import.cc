#include "graph_import.h"

#include <onnx/onnx_pb.h>

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "host_check.h"
#include "tensor_decode.h"

namespace infer::onnx_fe {
namespace {

using onnx::AttributeProto;

// Imports one graph scope. Values are tracked by name per scope: a subgraph
// gets its own importer, and names it uses without defining become
// placeholder values that the core resolves in the enclosing scopes.
class GraphImporter {
 public:
  GraphImporter(const ImportContext& ctx, infer_graph* g) : ctx_(ctx), host_(ctx.host), g_(g) {}

  void Import(const onnx::GraphProto& graph);

 private:
  size_t AddValue(const std::string& name, const onnx::TypeProto* type, bool strict,
                  const std::string& what);
  size_t Resolve(const std::string& name);
  void ImportNode(const onnx::NodeProto& node, int index);
  void ImportAttribute(size_t node, const AttributeProto& attr, const std::string& node_desc);

  const ImportContext& ctx_;
  const infer_host_api* host_;
  infer_graph* g_;
  std::unordered_map<std::string, size_t> values_;
  // Names given a value by this scope (input, initializer, node output):
  // ONNX graphs are SSA, so a second definition is a malformed model.
  std::unordered_map<std::string, std::string> defined_by_;
};

const char* TypeCaseName(const onnx::TypeProto& type) {
  switch (type.value_case()) {
    case onnx::TypeProto::kSequenceType:
      return "sequence";
    case onnx::TypeProto::kMapType:
      return "map";
    case onnx::TypeProto::kOptionalType:
      return "optional";
    case onnx::TypeProto::kSparseTensorType:
      return "sparse tensor";
    default:
      return "non-tensor";
  }
}

// Older models may leave AttributeProto.type unset; infer it from the field
// that holds the value.
AttributeProto::AttributeType AttributeType(const AttributeProto& a) {
  if (a.type() != AttributeProto::UNDEFINED) return a.type();
  if (a.has_f()) return AttributeProto::FLOAT;
  if (a.has_i()) return AttributeProto::INT;
  if (a.has_s()) return AttributeProto::STRING;
  if (a.has_t()) return AttributeProto::TENSOR;
  if (a.has_g()) return AttributeProto::GRAPH;
  if (a.has_sparse_tensor()) return AttributeProto::SPARSE_TENSOR;
  if (a.floats_size() > 0) return AttributeProto::FLOATS;
  if (a.ints_size() > 0) return AttributeProto::INTS;
  if (a.strings_size() > 0) return AttributeProto::STRINGS;
  if (a.tensors_size() > 0) return AttributeProto::TENSORS;
  if (a.graphs_size() > 0) return AttributeProto::GRAPHS;
  if (a.sparse_tensors_size() > 0) return AttributeProto::SPARSE_TENSORS;
  return AttributeProto::UNDEFINED;
}

void GraphImporter::Import(const onnx::GraphProto& graph) {
  if (graph.sparse_initializer_size() > 0) {
    const auto& sparse = graph.sparse_initializer(0);
    Fail(INFER_UNIMPLEMENTED, "sparse initializer " + Quote(sparse.values().name()) +
                                  " is not supported; store it as a dense initializer");
  }

  // Since IR 4 an initializer may also be listed as an input (an overridable
  // default); the initializer wins and it is not a graph input.
  std::unordered_set<std::string> initializer_names;
  for (const auto& init : graph.initializer()) initializer_names.insert(init.name());

  for (const auto& input : graph.input()) {
    const std::string what = "graph input " + Quote(input.name());
    if (input.name().empty()) Fail(INFER_INVALID_MODEL, "a graph input has no name");
    if (initializer_names.count(input.name()) > 0) continue;
    if (values_.count(input.name()) > 0) Fail(INFER_INVALID_MODEL, what + " is listed twice");
    size_t id = AddValue(input.name(), input.has_type() ? &input.type() : nullptr, true, what);
    Check(host_, host_->graph_add_input(g_, id), "adding " + what);
    defined_by_[input.name()] = what;
  }

  for (const auto& init : graph.initializer()) {
    const std::string what = "initializer " + Quote(init.name());
    if (init.name().empty()) Fail(INFER_INVALID_MODEL, "an initializer has no name");
    if (defined_by_.count(init.name()) > 0) {
      Fail(INFER_INVALID_MODEL, what + " is defined twice");
    }
    DecodedTensor t = DecodeTensor(init, ctx_.model_dir, what);
    size_t id = 0;
    Check(host_,
          host_->graph_add_initializer(g_, init.name().c_str(), t.dtype, t.dims.size(),
                                       t.dims.data(), t.data(), t.nbytes(), &id),
          "adding " + what);
    values_[init.name()] = id;
    defined_by_[init.name()] = what;
  }

  for (const auto& output : graph.output()) {
    const std::string what = "graph output " + Quote(output.name());
    if (output.name().empty()) Fail(INFER_INVALID_MODEL, "a graph output has no name");
    auto it = values_.find(output.name());
    // An output may be an input or initializer directly; otherwise it is
    // declared now, with its type, and produced by a node below.
    size_t id =
        it != values_.end()
            ? it->second
            : AddValue(output.name(), output.has_type() ? &output.type() : nullptr, true, what);
    Check(host_, host_->graph_add_output(g_, id), "adding " + what);
  }

  // Types of intermediates; a declaration of a known name adds nothing.
  for (const auto& info : graph.value_info()) {
    if (info.name().empty() || values_.count(info.name()) > 0) continue;
    AddValue(info.name(), info.has_type() ? &info.type() : nullptr, false,
             "value_info " + Quote(info.name()));
  }

  for (int i = 0; i < graph.node_size(); ++i) ImportNode(graph.node(i), i);
}

// Declares a value from an optional TypeProto. Graph inputs and outputs must
// be tensors (`strict`); a value_info of another kind is only a hint and is
// imported as untyped.
size_t GraphImporter::AddValue(const std::string& name, const onnx::TypeProto* type, bool strict,
                               const std::string& what) {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  size_t rank = INFER_RANK_UNKNOWN;
  std::vector<int64_t> dims;
  std::vector<const char*> symbols;
  bool any_symbol = false;

  if (type != nullptr && type->has_tensor_type()) {
    const auto& tensor = type->tensor_type();
    dtype = DtypeFromOnnx(tensor.elem_type(), what);
    if (tensor.has_shape()) {
      rank = static_cast<size_t>(tensor.shape().dim_size());
      for (const auto& dim : tensor.shape().dim()) {
        if (dim.has_dim_value()) {
          if (dim.dim_value() < 0) {
            Fail(INFER_INVALID_MODEL,
                 what + " has negative dimension " + std::to_string(dim.dim_value()));
          }
          dims.push_back(dim.dim_value());
          symbols.push_back(nullptr);
        } else {
          dims.push_back(INFER_DIM_DYNAMIC);
          const bool named = dim.has_dim_param() && !dim.dim_param().empty();
          symbols.push_back(named ? dim.dim_param().c_str() : nullptr);
          any_symbol = any_symbol || named;
        }
      }
    }
  } else if (type != nullptr && type->value_case() != onnx::TypeProto::VALUE_NOT_SET && strict) {
    Fail(INFER_UNIMPLEMENTED, what + " has a " + TypeCaseName(*type) +
                                  " type; only tensor inputs and outputs are supported");
  }

  size_t id = 0;
  Check(host_,
        host_->graph_add_value(g_, name.c_str(), dtype, rank, dims.empty() ? nullptr : dims.data(),
                               any_symbol ? symbols.data() : nullptr, &id),
        "adding " + what);
  values_[name] = id;
  return id;
}

// A name seen first as a node input or output gets an untyped value; the
// core's shape inference or outer-scope lookup fills it in.
size_t GraphImporter::Resolve(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  size_t id = 0;
  Check(host_,
        host_->graph_add_value(g_, name.c_str(), INFER_DTYPE_UNDEFINED, INFER_RANK_UNKNOWN, nullptr,
                               nullptr, &id),
        "adding value " + Quote(name));
  values_.emplace(name, id);
  return id;
}

void GraphImporter::ImportNode(const onnx::NodeProto& node, int index) {
  const std::string& op = node.op_type();
  if (op.empty()) {
    Fail(INFER_INVALID_MODEL,
         "node #" + std::to_string(index) + " " + Quote(node.name()) + " has no op_type");
  }
  const std::string name = node.name().empty() ? op + "_" + std::to_string(index) : node.name();
  const std::string desc = op + " node " + Quote(name);
  // The IR's default domain is "" (see node_domain in plugin_api.h).
  const std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  if (ctx_.local_functions.count({node.domain(), op}) > 0) {
    Fail(INFER_UNIMPLEMENTED, desc + " calls the model-local function " +
                                  Quote(node.domain() + ":" + op) +
                                  ", which is not supported; inline it before loading");
  }

  std::vector<size_t> inputs;
  inputs.reserve(static_cast<size_t>(node.input_size()));
  for (const std::string& in : node.input()) {
    inputs.push_back(in.empty() ? INFER_NO_VALUE : Resolve(in));
  }
  std::vector<size_t> outputs;
  outputs.reserve(static_cast<size_t>(node.output_size()));
  for (const std::string& out : node.output()) {
    if (out.empty()) {
      outputs.push_back(INFER_NO_VALUE);  // optional output not requested
      continue;
    }
    auto prev = defined_by_.find(out);
    if (prev != defined_by_.end()) {
      Fail(INFER_INVALID_MODEL,
           desc + " output " + Quote(out) + " is already defined by " + prev->second);
    }
    outputs.push_back(Resolve(out));
    defined_by_.emplace(out, desc);
  }

  size_t id = 0;
  Check(host_,
        host_->graph_add_node(g_, op.c_str(), domain.c_str(), name.c_str(), inputs.data(),
                              inputs.size(), outputs.data(), outputs.size(), &id),
        "adding " + desc);

  std::unordered_set<std::string> seen;
  for (const auto& attr : node.attribute()) {
    if (!seen.insert(attr.name()).second) {
      Fail(INFER_INVALID_MODEL, desc + " has attribute " + Quote(attr.name()) + " twice");
    }
    ImportAttribute(id, attr, desc);
  }
}

void GraphImporter::ImportAttribute(size_t node, const AttributeProto& a,
                                    const std::string& node_desc) {
  const std::string& name = a.name();
  if (name.empty()) Fail(INFER_INVALID_MODEL, node_desc + " has an attribute with no name");
  const std::string what = node_desc + " attribute " + Quote(name);
  if (!a.ref_attr_name().empty()) {
    Fail(INFER_INVALID_MODEL,
         what + " refers to a function attribute, which is only valid inside a function");
  }
  const char* n = name.c_str();
  const std::string setting = "setting " + what;

  const AttributeProto::AttributeType type = AttributeType(a);
  switch (type) {
    case AttributeProto::FLOAT:
      Check(host_, host_->node_set_attr_float(g_, node, n, a.f()), setting);
      return;
    case AttributeProto::INT:
      Check(host_, host_->node_set_attr_int(g_, node, n, a.i()), setting);
      return;
    case AttributeProto::STRING:
      Check(host_, host_->node_set_attr_string(g_, node, n, a.s().data(), a.s().size()), setting);
      return;
    case AttributeProto::FLOATS:
      Check(host_,
            host_->node_set_attr_floats(g_, node, n, a.floats().data(),
                                        static_cast<size_t>(a.floats_size())),
            setting);
      return;
    case AttributeProto::INTS:
      Check(host_,
            host_->node_set_attr_ints(g_, node, n, a.ints().data(),
                                      static_cast<size_t>(a.ints_size())),
            setting);
      return;
    case AttributeProto::STRINGS: {
      std::vector<const char*> strings;
      strings.reserve(static_cast<size_t>(a.strings_size()));
      for (const std::string& s : a.strings()) strings.push_back(s.c_str());
      Check(host_, host_->node_set_attr_strings(g_, node, n, strings.data(), strings.size()),
            setting);
      return;
    }
    case AttributeProto::TENSOR: {
      DecodedTensor t = DecodeTensor(a.t(), ctx_.model_dir, what);
      const infer_tensor_view view = t.view();
      Check(host_, host_->node_set_attr_tensor(g_, node, n, &view), setting);
      return;
    }
    case AttributeProto::GRAPH: {
      infer_graph* sub = nullptr;
      Check(host_, host_->node_add_attr_graph(g_, node, n, &sub), setting);
      if (sub == nullptr) Fail(INFER_INTERNAL, setting + ": the host returned no subgraph");
      try {
        GraphImporter(ctx_, sub).Import(a.g());
      } catch (PluginError& e) {
        // Nested bodies read outermost first: "in Loop node 'l' attribute 'body': ...".
        e.message = "in " + what + ": " + e.message;
        throw;
      }
      return;
    }
    case AttributeProto::GRAPHS:
    case AttributeProto::TENSORS:
    case AttributeProto::SPARSE_TENSOR:
    case AttributeProto::SPARSE_TENSORS:
    case AttributeProto::TYPE_PROTO:
    case AttributeProto::TYPE_PROTOS:
      Fail(INFER_UNIMPLEMENTED, what + " has type " + AttributeProto::AttributeType_Name(type) +
                                    ", which is not supported");
    default:
      Fail(INFER_INVALID_MODEL,
           what + " has no value or an unknown type " + std::to_string(static_cast<int>(type)));
  }
}

}  // namespace

void ImportGraph(const ImportContext& ctx, const onnx::GraphProto& graph, infer_graph* g) {
  GraphImporter(ctx, g).Import(graph);
}

}  // namespace infer::onnx_fe
