#include "serialize/model_file.h"

#include <cstring>
#include <fstream>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "infer_model.pb.h"

namespace infer::core {
namespace {

constexpr char kMagic[8] = {'I', 'N', 'F', 'E', 'R', 'O', 'P', 'T'};
constexpr size_t kHeaderSize = sizeof(kMagic) + sizeof(uint32_t);
// Subgraphs nest; a hostile file must not recurse the reader off the stack.
constexpr int kMaxGraphDepth = 64;

std::string Compatibility(uint32_t format) {
  return absl::StrCat("infer-model-format-", format, ";plugin-abi-", INFER_PLUGIN_ABI_MAJOR);
}

// --- writing ----------------------------------------------------------------

void WriteTensor(const Tensor& t, model::TensorProto* out) {
  out->set_dtype(t.dtype());
  for (int64_t d : t.shape()) out->add_dims(d);
  out->set_data(t.data(), t.nbytes());
}

void WriteGraph(const Graph& g, model::GraphProto* out);

void WriteAttribute(const std::string& name, const Attribute& a, model::AttributeProto* out) {
  out->set_name(name);
  out->set_type(a.type);
  out->set_i(a.i);
  out->set_f(a.f);
  out->set_s(a.s);
  for (int64_t v : a.ints) out->add_ints(v);
  for (float v : a.floats) out->add_floats(v);
  for (const std::string& s : a.strings) out->add_strings(s);
  if (a.tensor) WriteTensor(*a.tensor, out->mutable_tensor());
  if (a.graph) WriteGraph(*a.graph, out->mutable_graph());
}

// Writes live nodes in topological order and only the values they, the graph
// inputs and the outputs use, renumbered densely.
void WriteGraph(const Graph& g, model::GraphProto* out) {
  absl::flat_hash_map<size_t, int64_t> index;  // IR value id -> file index
  auto value_index = [&](size_t v) -> int64_t {
    if (v == kNoValue) return -1;
    auto [it, inserted] = index.emplace(v, static_cast<int64_t>(out->values_size()));
    if (!inserted) return it->second;
    const Value& value = g.value(v);
    model::ValueProto* vp = out->add_values();
    vp->set_name(value.name);
    vp->set_dtype(value.dtype);
    vp->set_rank_known(value.shape.rank_known);
    for (const Dim& d : value.shape.dims) {
      vp->add_dims(d.value);
      vp->add_dim_symbols(d.symbol);
    }
    if (value.constant) {
      vp->set_is_initializer(true);
      WriteTensor(*value.constant, vp->mutable_constant());
    }
    return it->second;
  };
  for (size_t v : g.inputs()) out->add_inputs(value_index(v));
  // The graph was validated before it is written, so the order exists.
  std::vector<size_t> order = g.TopologicalOrder().value();
  for (size_t n : order) {
    const Node& node = g.node(n);
    model::NodeProto* np = out->add_nodes();
    np->set_op_type(node.op_type);
    np->set_domain(node.domain);
    np->set_name(node.name);
    for (size_t v : node.inputs) np->add_inputs(value_index(v));
    for (size_t v : node.outputs) np->add_outputs(value_index(v));
    // Outer-scope names a subgraph reads must exist here to be resolved again.
    for (size_t v : node.implicit_inputs) value_index(v);
    for (const auto& [name, attr] : node.attributes) {
      WriteAttribute(name, attr, np->add_attributes());
    }
  }
  for (size_t v : g.outputs()) out->add_outputs(value_index(v));
  for (const auto& [domain, version] : g.opsets()) {
    model::OpsetProto* op = out->add_opsets();
    op->set_domain(domain);
    op->set_version(version);
  }
  for (const auto& [key, value] : g.metadata()) {
    model::MetadataProto* mp = out->add_metadata();
    mp->set_key(key);
    mp->set_value(value);
  }
}

// --- reading ----------------------------------------------------------------

absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrCat("the optimized model file is corrupt: ", what));
}

absl::StatusOr<TensorPtr> ReadTensor(const model::TensorProto& t, const std::string& owner) {
  const auto dtype = static_cast<infer_dtype>(t.dtype());
  if (DtypeSize(dtype) == 0) {
    return Corrupt(absl::StrCat(owner, " has a tensor of unsupported dtype ", t.dtype()));
  }
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  absl::StatusOr<size_t> bytes = DenseByteSize(dtype, dims);
  if (!bytes.ok() || *bytes != t.data().size()) {
    return Corrupt(absl::StrCat(owner, ": tensor data holds ", t.data().size(),
                                " bytes, its shape needs ",
                                bytes.ok() ? absl::StrCat(*bytes) : "an impossible size"));
  }
  return Tensor::Copy(dtype, std::move(dims), t.data().data(), t.data().size());
}

absl::Status ReadGraph(const model::GraphProto& gp, Graph& g, int depth);

absl::Status ReadAttribute(const model::AttributeProto& ap, Node& node, int depth) {
  if (ap.type() < INFER_ATTR_FLOAT || ap.type() > INFER_ATTR_STRINGS) {
    return Corrupt(
        absl::StrCat(node.Describe(), ": attribute '", ap.name(), "' has type ", ap.type()));
  }
  Attribute& a = node.SetAttribute(ap.name());
  a.type = static_cast<infer_attr_type>(ap.type());
  a.i = ap.i();
  a.f = ap.f();
  a.s = ap.s();
  a.ints.assign(ap.ints().begin(), ap.ints().end());
  a.floats.assign(ap.floats().begin(), ap.floats().end());
  a.strings.assign(ap.strings().begin(), ap.strings().end());
  for (const std::string& s : a.strings) a.string_ptrs.push_back(s.c_str());
  if (a.type == INFER_ATTR_TENSOR) {
    INFER_ASSIGN_OR_RETURN(a.tensor, ReadTensor(ap.tensor(), node.Describe()));
  }
  if (a.type == INFER_ATTR_GRAPH) {
    // The subgraph's parent is set once the node is in its graph (see ReadGraph).
    a.graph = std::make_unique<Graph>();
    INFER_RETURN_IF_ERROR(ReadGraph(ap.graph(), *a.graph, depth + 1));
  }
  return absl::OkStatus();
}

absl::Status ReadGraph(const model::GraphProto& gp, Graph& g, int depth) {
  if (depth > kMaxGraphDepth) return Corrupt("subgraphs nest too deeply");
  const int64_t n_values = gp.values_size();
  auto id = [&](int64_t i, bool allow_absent, const std::string& where) -> absl::StatusOr<size_t> {
    if (i == -1 && allow_absent) return kNoValue;
    if (i < 0 || i >= n_values) {
      return Corrupt(absl::StrCat(where, " names value ", i, " of ", n_values));
    }
    return static_cast<size_t>(i);
  };
  for (const model::ValueProto& vp : gp.values()) {
    Shape shape;
    shape.rank_known = vp.rank_known();
    if (vp.dim_symbols_size() != vp.dims_size()) {
      return Corrupt(absl::StrCat("value '", vp.name(), "' has mismatched dims"));
    }
    for (int i = 0; i < vp.dims_size(); ++i) {
      shape.dims.push_back(Dim{vp.dims(i) < 0 ? INFER_DIM_DYNAMIC : vp.dims(i), vp.dim_symbols(i)});
    }
    if (vp.is_initializer()) {
      INFER_ASSIGN_OR_RETURN(TensorPtr t,
                             ReadTensor(vp.constant(), absl::StrCat("value '", vp.name(), "'")));
      INFER_RETURN_IF_ERROR(g.AddInitializer(vp.name(), std::move(t)).status());
    } else {
      INFER_RETURN_IF_ERROR(
          g.AddValue(vp.name(), static_cast<infer_dtype>(vp.dtype()), std::move(shape)).status());
    }
  }
  for (int64_t i : gp.inputs()) {
    INFER_ASSIGN_OR_RETURN(size_t v, id(i, false, "a graph input"));
    INFER_RETURN_IF_ERROR(g.AddInput(v));
  }
  for (const model::NodeProto& np : gp.nodes()) {
    Node node;
    node.op_type = np.op_type();
    node.domain = np.domain();
    node.name = np.name();
    for (int64_t i : np.inputs()) {
      INFER_ASSIGN_OR_RETURN(size_t v, id(i, true, node.Describe()));
      node.inputs.push_back(v);
    }
    for (int64_t i : np.outputs()) {
      INFER_ASSIGN_OR_RETURN(size_t v, id(i, true, node.Describe()));
      node.outputs.push_back(v);
    }
    for (const model::AttributeProto& ap : np.attributes()) {
      INFER_RETURN_IF_ERROR(ReadAttribute(ap, node, depth));
    }
    INFER_ASSIGN_OR_RETURN(size_t added, g.AddNode(std::move(node)));
    for (auto& [name, attr] : g.mutable_node(added).attributes) {
      if (attr.graph) attr.graph->set_parent(&g);
    }
  }
  for (int64_t i : gp.outputs()) {
    INFER_ASSIGN_OR_RETURN(size_t v, id(i, false, "a graph output"));
    INFER_RETURN_IF_ERROR(g.AddOutput(v));
  }
  for (const model::OpsetProto& op : gp.opsets()) g.SetOpset(op.domain(), op.version());
  for (const model::MetadataProto& mp : gp.metadata()) g.SetMetadata(mp.key(), mp.value());
  return absl::OkStatus();
}

}  // namespace

bool IsOptimizedModel(const void* bytes, size_t len) {
  return bytes != nullptr && len >= sizeof(kMagic) &&
         std::memcmp(bytes, kMagic, sizeof(kMagic)) == 0;
}

absl::StatusOr<OptimizedModel> ReadOptimizedModel(const void* bytes, size_t len) {
  if (!IsOptimizedModel(bytes, len)) return Corrupt("it does not start with INFEROPT");
  if (len < kHeaderSize) return Corrupt("the file is truncated inside its header");
  const auto* p = static_cast<const unsigned char*>(bytes);
  const uint32_t format =
      uint32_t{p[8]} | uint32_t{p[9]} << 8 | uint32_t{p[10]} << 16 | uint32_t{p[11]} << 24;
  if (format != kModelFileFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the optimized model file has format version ", format, "; this build of infer (",
        INFER_VERSION_STRING, ") reads format version ", kModelFileFormatVersion,
        ". Re-create it from the original model with this version's infer-opt"));
  }
  model::ModelFile file;
  if (len - kHeaderSize > static_cast<size_t>(INT32_MAX) ||
      !file.ParseFromArray(p + kHeaderSize, static_cast<int>(len - kHeaderSize))) {
    return Corrupt("its contents do not parse (the file is truncated or damaged)");
  }
  if (file.producer().empty()) return Corrupt("it holds no model (the file is truncated)");
  if (file.compatibility() != Compatibility(format)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the optimized model file was written by ", file.producer(), " ", file.producer_version(),
        " for '", file.compatibility(), "'; this build of infer (", INFER_VERSION_STRING,
        ") needs '", Compatibility(kModelFileFormatVersion),
        "'. Re-create it from the original model with this version's infer-opt"));
  }
  if (file.optimization_level() < 0 || file.optimization_level() > 3) {
    return Corrupt(absl::StrCat("optimization level ", file.optimization_level()));
  }
  OptimizedModel model;
  model.graph = std::make_unique<Graph>();
  model.level = file.optimization_level();
  model.producer_version = file.producer_version();
  if (absl::Status st = ReadGraph(file.graph(), *model.graph, 0); !st.ok()) {
    if (st.code() == absl::StatusCode::kDataLoss) return st;
    return Corrupt(std::string(st.message()));
  }
  return model;
}

absl::Status WriteOptimizedModel(const Graph& graph, int level, const std::string& path) {
  model::ModelFile file;
  file.set_producer("infer");
  file.set_producer_version(INFER_VERSION_STRING);
  file.set_compatibility(Compatibility(kModelFileFormatVersion));
  file.set_optimization_level(level);
  std::set<std::string> backends;
  for (size_t n = 0; n < graph.node_count(); ++n) {
    if (graph.valid_node(n) && !graph.node(n).backend.empty())
      backends.insert(graph.node(n).backend);
  }
  for (const std::string& b : backends) file.add_backends(b);
  WriteGraph(graph, file.mutable_graph());
  std::string body;
  if (!file.SerializeToString(&body)) {
    return absl::ResourceExhaustedError(
        "the optimized model is too large for one protobuf message (2 GiB)");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write '", path, "'"));
  const unsigned char version[4] = {
      static_cast<unsigned char>(kModelFileFormatVersion & 0xff),
      static_cast<unsigned char>((kModelFileFormatVersion >> 8) & 0xff),
      static_cast<unsigned char>((kModelFileFormatVersion >> 16) & 0xff),
      static_cast<unsigned char>((kModelFileFormatVersion >> 24) & 0xff)};
  out.write(kMagic, sizeof(kMagic));
  out.write(reinterpret_cast<const char*>(version), sizeof(version));
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("writing '", path, "' failed"));
  return absl::OkStatus();
}

}  // namespace infer::core
