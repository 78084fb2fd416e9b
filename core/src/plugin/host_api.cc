// The host API table: the only way plugins reach the core. Every function
// validates its ids and never throws across the ABI.
#include <cstring>
#include <exception>

#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "plugin/abi_objects.h"
#include "plugin/custom_ops.h"
#include "runtime/profiler.h"
#include "spdlog/spdlog.h"

namespace infer::core {
namespace {

const char* kEmpty = "";

// Runs `fn` returning absl::Status and converts it (and any exception) to C.
template <typename Fn>
infer_status* Guard(Fn&& fn) noexcept {
  try {
    return ToC(fn());
  } catch (const std::bad_alloc&) {
    return MakeCStatus(INFER_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return MakeCStatus(INFER_INTERNAL, e.what());
  } catch (...) {
    return MakeCStatus(INFER_INTERNAL, "unknown exception");
  }
}

absl::Status NullArg(const char* what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " is NULL"));
}

// --- status ---------------------------------------------------------------
infer_status* StatusCreate(infer_status_code code, const char* message) {
  return MakeCStatus(code, message != nullptr ? message : "");
}
infer_status_code StatusGetCode(const infer_status* s) { return s ? s->code : INFER_OK; }
const char* StatusGetMessage(const infer_status* s) { return s ? s->message.c_str() : kEmpty; }
void StatusRelease(infer_status* s) { delete s; }

void Log(infer_log_level level, const char* plugin, const char* message) {
  const char* who = plugin ? plugin : "plugin";
  const char* what = message ? message : "";
  switch (level) {
    case INFER_LOG_DEBUG:
      spdlog::debug("[{}] {}", who, what);
      break;
    case INFER_LOG_INFO:
      spdlog::info("[{}] {}", who, what);
      break;
    case INFER_LOG_WARN:
      spdlog::warn("[{}] {}", who, what);
      break;
    default:
      spdlog::error("[{}] {}", who, what);
      break;
  }
}

// --- graph reading ----------------------------------------------------------
const Node* NodeOrNull(const infer_graph* g, size_t n) {
  if (g == nullptr || !AsGraph(g).valid_node(n)) return nullptr;
  return &AsGraph(g).node(n);
}

size_t GraphNodeCount(const infer_graph* g) { return g ? AsGraph(g).node_count() : 0; }
const char* NodeOpType(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->op_type.c_str() : kEmpty;
}
const char* NodeDomain(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->domain.c_str() : kEmpty;
}
const char* NodeName(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->name.c_str() : kEmpty;
}
size_t NodeInputCount(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->inputs.size() : 0;
}
size_t NodeOutputCount(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->outputs.size() : 0;
}
size_t NodeInput(const infer_graph* g, size_t n, size_t i) {
  const Node* node = NodeOrNull(g, n);
  return node && i < node->inputs.size() ? node->inputs[i] : INFER_NO_VALUE;
}
size_t NodeOutput(const infer_graph* g, size_t n, size_t i) {
  const Node* node = NodeOrNull(g, n);
  return node && i < node->outputs.size() ? node->outputs[i] : INFER_NO_VALUE;
}

}  // namespace

void FillAttrView(const Attribute& a, infer_attr_view* out) {
  *out = infer_attr_view{};
  out->type = a.type;
  out->i = a.i;
  out->f = a.f;
  out->s = a.s.c_str();
  out->s_len = a.s.size();
  switch (a.type) {
    case INFER_ATTR_INTS:
      out->ints = a.ints.data();
      out->count = a.ints.size();
      break;
    case INFER_ATTR_FLOATS:
      out->floats = a.floats.data();
      out->count = a.floats.size();
      break;
    case INFER_ATTR_STRINGS:
      out->strings = a.string_ptrs.data();
      out->count = a.string_ptrs.size();
      break;
    case INFER_ATTR_TENSOR:
      if (a.tensor) out->tensor = a.tensor->view();
      break;
    case INFER_ATTR_GRAPH:
      out->graph = a.graph ? AsC(*a.graph) : nullptr;
      break;
    default:
      break;
  }
}

namespace {

int NodeAttr(const infer_graph* g, size_t n, const char* name, infer_attr_view* out) {
  const Node* node = NodeOrNull(g, n);
  if (node == nullptr || name == nullptr || out == nullptr) return 0;
  const Attribute* a = node->FindAttribute(name);
  if (a == nullptr) return 0;
  FillAttrView(*a, out);
  return 1;
}
size_t NodeAttrCount(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->attributes.size() : 0;
}
const char* NodeAttrName(const infer_graph* g, size_t n, size_t i) {
  const Node* node = NodeOrNull(g, n);
  return node && i < node->attributes.size() ? node->attributes[i].first.c_str() : kEmpty;
}

size_t GraphValueCount(const infer_graph* g) { return g ? AsGraph(g).value_count() : 0; }

infer_status* ValueInfo(const infer_graph* g, size_t v, infer_value_info* out) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr) return NullArg("graph");
    if (out == nullptr) return NullArg("out");
    if (out->struct_size < sizeof(infer_value_info)) {
      return absl::InvalidArgumentError("infer_value_info.struct_size is too small");
    }
    const Graph& graph = AsGraph(g);
    if (!graph.valid_value(v)) return absl::OutOfRangeError(absl::StrCat("bad value id ", v));
    const Value& val = graph.value(v);
    val.abi_dims.clear();
    val.abi_symbols.clear();
    for (const Dim& d : val.shape.dims) {
      val.abi_dims.push_back(d.value);
      val.abi_symbols.push_back(d.symbol.empty() ? nullptr : d.symbol.c_str());
    }
    const size_t size = out->struct_size;
    *out = infer_value_info{};
    out->struct_size = size;
    out->name = val.name.c_str();
    out->dtype = val.dtype;
    out->rank = val.shape.rank_known ? val.shape.rank() : INFER_RANK_UNKNOWN;
    out->dims = val.abi_dims.data();
    out->dim_symbols = val.abi_symbols.data();
    out->is_constant = val.constant ? 1 : 0;
    if (val.constant) out->constant = val.constant->view();
    out->is_graph_input = val.is_graph_input ? 1 : 0;
    out->is_graph_output = val.is_graph_output ? 1 : 0;
    return absl::OkStatus();
  });
}

size_t GraphFindValue(const infer_graph* g, const char* name) {
  if (g == nullptr || name == nullptr) return INFER_NO_VALUE;
  auto v = AsGraph(g).FindValue(name);
  return v ? *v : INFER_NO_VALUE;
}
size_t GraphInputCount(const infer_graph* g) { return g ? AsGraph(g).inputs().size() : 0; }
size_t GraphInput(const infer_graph* g, size_t i) {
  return g && i < AsGraph(g).inputs().size() ? AsGraph(g).inputs()[i] : INFER_NO_VALUE;
}
size_t GraphOutputCount(const infer_graph* g) { return g ? AsGraph(g).outputs().size() : 0; }
size_t GraphOutput(const infer_graph* g, size_t i) {
  return g && i < AsGraph(g).outputs().size() ? AsGraph(g).outputs()[i] : INFER_NO_VALUE;
}
int64_t GraphOpset(const infer_graph* g, const char* domain) {
  return g ? AsGraph(g).Opset(domain ? domain : "") : 0;
}

// --- graph building ---------------------------------------------------------
infer_status* GraphSetOpset(infer_graph* g, const char* domain, int64_t version) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr) return NullArg("graph");
    if (version <= 0)
      return absl::InvalidArgumentError(absl::StrCat("bad opset version ", version));
    AsGraph(g).SetOpset(domain ? domain : "", version);
    return absl::OkStatus();
  });
}

infer_status* GraphSetMetadata(infer_graph* g, const char* key, const char* value) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr || key == nullptr) return NullArg("graph or key");
    AsGraph(g).SetMetadata(key, value ? value : "");
    return absl::OkStatus();
  });
}

absl::StatusOr<Shape> MakeShape(size_t rank, const int64_t* dims, const char* const* symbols) {
  Shape s;
  if (rank == INFER_RANK_UNKNOWN) return s;
  if (rank > 64) return absl::InvalidArgumentError(absl::StrCat("rank ", rank, " is too large"));
  s.rank_known = true;
  for (size_t i = 0; i < rank; ++i) {
    Dim d;
    d.value = dims ? dims[i] : INFER_DIM_DYNAMIC;
    if (d.value < INFER_DIM_DYNAMIC) {
      return absl::InvalidArgumentError(absl::StrCat("negative dimension ", d.value));
    }
    if (symbols && symbols[i]) d.symbol = symbols[i];
    s.dims.push_back(std::move(d));
  }
  return s;
}

infer_status* GraphAddValue(infer_graph* g, const char* name, infer_dtype dtype, size_t rank,
                            const int64_t* dims, const char* const* symbols, size_t* out) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr || name == nullptr || out == nullptr) return NullArg("graph, name or out");
    INFER_ASSIGN_OR_RETURN(Shape shape, MakeShape(rank, dims, symbols));
    INFER_ASSIGN_OR_RETURN(*out, AsGraph(g).AddValue(name, dtype, std::move(shape)));
    return absl::OkStatus();
  });
}

infer_status* GraphAddInitializer(infer_graph* g, const char* name, infer_dtype dtype, size_t rank,
                                  const int64_t* shape, const void* data, size_t nbytes,
                                  size_t* out) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr || name == nullptr || out == nullptr) return NullArg("graph, name or out");
    if (rank > 64) return absl::InvalidArgumentError("initializer rank too large");
    if (rank > 0 && shape == nullptr) return NullArg("shape");
    std::vector<int64_t> dims(shape, shape + rank);
    auto tensor = Tensor::Copy(dtype, dims, data, nbytes);
    if (!tensor.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("initializer '", name, "': ", tensor.status().message()));
    }
    INFER_ASSIGN_OR_RETURN(*out, AsGraph(g).AddInitializer(name, std::move(*tensor)));
    return absl::OkStatus();
  });
}

infer_status* GraphAddInput(infer_graph* g, size_t v) {
  return Guard([&] { return g ? AsGraph(g).AddInput(v) : NullArg("graph"); });
}
infer_status* GraphAddOutput(infer_graph* g, size_t v) {
  return Guard([&] { return g ? AsGraph(g).AddOutput(v) : NullArg("graph"); });
}

infer_status* GraphAddNode(infer_graph* g, const char* op_type, const char* domain,
                           const char* name, const size_t* inputs, size_t n_inputs,
                           const size_t* outputs, size_t n_outputs, size_t* out) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr || op_type == nullptr || out == nullptr) return NullArg("graph, op or out");
    if ((n_inputs && !inputs) || (n_outputs && !outputs)) return NullArg("inputs or outputs");
    Node node;
    node.op_type = op_type;
    node.domain = domain ? domain : "";
    node.name = name ? name : "";
    node.inputs.assign(inputs, inputs + n_inputs);
    node.outputs.assign(outputs, outputs + n_outputs);
    INFER_ASSIGN_OR_RETURN(*out, AsGraph(g).AddNode(std::move(node)));
    return absl::OkStatus();
  });
}

// Shared checks for the node_set_attr_* family; `fill` writes the attribute.
template <typename Fill>
infer_status* SetAttr(infer_graph* g, size_t n, const char* name, Fill&& fill) {
  return Guard([&]() -> absl::Status {
    if (g == nullptr || name == nullptr) return NullArg("graph or attribute name");
    Graph& graph = AsGraph(g);
    if (!graph.valid_node(n)) return absl::OutOfRangeError(absl::StrCat("bad node id ", n));
    return fill(graph.mutable_node(n).SetAttribute(name));
  });
}

infer_status* SetAttrInt(infer_graph* g, size_t n, const char* name, int64_t v) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    a.type = INFER_ATTR_INT;
    a.i = v;
    return absl::OkStatus();
  });
}
infer_status* SetAttrFloat(infer_graph* g, size_t n, const char* name, float v) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    a.type = INFER_ATTR_FLOAT;
    a.f = v;
    return absl::OkStatus();
  });
}
infer_status* SetAttrString(infer_graph* g, size_t n, const char* name, const char* v, size_t len) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    if (v == nullptr && len > 0) return NullArg("string value");
    a.type = INFER_ATTR_STRING;
    a.s.assign(v ? v : "", len);
    return absl::OkStatus();
  });
}
infer_status* SetAttrInts(infer_graph* g, size_t n, const char* name, const int64_t* v,
                          size_t count) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    if (v == nullptr && count > 0) return NullArg("ints");
    a.type = INFER_ATTR_INTS;
    a.ints.assign(v, v + count);
    return absl::OkStatus();
  });
}
infer_status* SetAttrFloats(infer_graph* g, size_t n, const char* name, const float* v,
                            size_t count) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    if (v == nullptr && count > 0) return NullArg("floats");
    a.type = INFER_ATTR_FLOATS;
    a.floats.assign(v, v + count);
    return absl::OkStatus();
  });
}
infer_status* SetAttrStrings(infer_graph* g, size_t n, const char* name, const char* const* v,
                             size_t count) {
  return SetAttr(g, n, name, [&](Attribute& a) {
    if (v == nullptr && count > 0) return NullArg("strings");
    a.type = INFER_ATTR_STRINGS;
    for (size_t i = 0; i < count; ++i) a.strings.emplace_back(v[i] ? v[i] : "");
    for (const auto& s : a.strings) a.string_ptrs.push_back(s.c_str());
    return absl::OkStatus();
  });
}
infer_status* SetAttrTensor(infer_graph* g, size_t n, const char* name,
                            const infer_tensor_view* t) {
  return SetAttr(g, n, name, [&](Attribute& a) -> absl::Status {
    if (t == nullptr) return NullArg("tensor");
    if (t->rank > 64 || (t->rank > 0 && t->shape == nullptr)) {
      return absl::InvalidArgumentError("bad tensor attribute shape");
    }
    a.type = INFER_ATTR_TENSOR;
    INFER_ASSIGN_OR_RETURN(
        a.tensor, Tensor::Copy(t->dtype, std::vector<int64_t>(t->shape, t->shape + t->rank),
                               t->data, t->nbytes));
    return absl::OkStatus();
  });
}
infer_status* AddAttrGraph(infer_graph* g, size_t n, const char* name, infer_graph** out) {
  return SetAttr(g, n, name, [&](Attribute& a) -> absl::Status {
    if (out == nullptr) return NullArg("out");
    a.type = INFER_ATTR_GRAPH;
    a.graph = std::make_unique<Graph>(&AsGraph(g));
    *out = AsC(*a.graph);
    return absl::OkStatus();
  });
}

// --- rewriting ----------------------------------------------------------------
infer_status* NodeSetInput(infer_graph* g, size_t n, size_t i, size_t v) {
  return Guard([&] { return g ? AsGraph(g).SetNodeInput(n, i, v) : NullArg("graph"); });
}
infer_status* GraphRemoveNode(infer_graph* g, size_t n) {
  return Guard([&] { return g ? AsGraph(g).RemoveNode(n) : NullArg("graph"); });
}
infer_status* GraphSetOutput(infer_graph* g, size_t i, size_t v) {
  return Guard([&] { return g ? AsGraph(g).SetOutput(i, v) : NullArg("graph"); });
}

// --- capability ----------------------------------------------------------------
void CapabilityClaim(infer_capability* cap, size_t node, uint32_t group) {
  if (cap == nullptr) return;
  try {
    auto& a = cap->answers[node];
    a.claimed = true;
    a.group = group;
    a.reason.clear();
  } catch (...) {  // out of memory: the node simply stays unclaimed
  }
}
void CapabilityRefuse(infer_capability* cap, size_t node, const char* reason) {
  if (cap == nullptr) return;
  try {
    auto& a = cap->answers[node];
    a.claimed = false;
    a.reason = reason ? reason : "refused";
  } catch (...) {
  }
}

// --- run context -----------------------------------------------------------------
infer_status* RunAllocateOutput(infer_run_context* ctx, size_t index, infer_dtype dtype,
                                size_t rank, const int64_t* shape, void** out_data) {
  return Guard([&]() -> absl::Status {
    if (ctx == nullptr || out_data == nullptr) return NullArg("context or out_data");
    if (index >= ctx->outputs.size()) {
      return absl::OutOfRangeError(absl::StrCat("partition output index ", index, " out of range (",
                                                ctx->outputs.size(), ")"));
    }
    if (rank > 64 || (rank > 0 && shape == nullptr)) {
      return absl::InvalidArgumentError("bad output shape");
    }
    INFER_ASSIGN_OR_RETURN(auto tensor,
                           Tensor::Allocate(dtype, std::vector<int64_t>(shape, shape + rank)));
    *out_data = tensor->data();
    ctx->outputs[index] = std::move(tensor);
    return absl::OkStatus();
  });
}

// --- profiling (ABI 1.4) ------------------------------------------------------

int RunProfiling(const infer_run_context* ctx) { return ctx && ctx->profiler ? 1 : 0; }

void RunProfileEvent(infer_run_context* ctx, const char* name, int64_t start_ns,
                     int64_t duration_ns) {
  if (ctx == nullptr || ctx->profiler == nullptr || name == nullptr) return;
  ctx->profiler->RecordNode(name, ctx->backend, ctx->run, start_ns, duration_ns);
}

const char* ConfigGet(const infer_config* cfg, const char* key) {
  if (cfg == nullptr || key == nullptr) return nullptr;
  auto it = cfg->values.find(std::string_view(key));
  return it == cfg->values.end() ? nullptr : it->second.c_str();
}

// --- optimisation (ABI 1.2) ---------------------------------------------------
size_t ValueProducer(const infer_graph* g, size_t v) {
  if (g == nullptr || !AsGraph(g).valid_value(v)) return INFER_NO_NODE;
  return AsGraph(g).value(v).producer;
}
size_t ValueConsumerCount(const infer_graph* g, size_t v) {
  if (g == nullptr || !AsGraph(g).valid_value(v)) return 0;
  return AsGraph(g).Consumers(v).size();
}
size_t ValueConsumer(const infer_graph* g, size_t v, size_t i) {
  if (g == nullptr || !AsGraph(g).valid_value(v)) return INFER_NO_NODE;
  const std::vector<size_t>& c = AsGraph(g).Consumers(v);
  return i < c.size() ? c[i] : INFER_NO_NODE;
}
infer_status* GraphReplaceUses(infer_graph* g, size_t from, size_t to) {
  return Guard([&] { return g ? AsGraph(g).ReplaceUses(from, to) : NullArg("graph"); });
}
infer_status* GraphRemoveInitializer(infer_graph* g, size_t v) {
  return Guard([&] { return g ? AsGraph(g).RemoveInitializer(v) : NullArg("graph"); });
}
infer_status* GraphFoldNode(infer_graph* g, size_t n) {
  return Guard([&] { return g ? AsGraph(g).FoldNode(n) : NullArg("graph"); });
}
const char* NodeBackend(const infer_graph* g, size_t n) {
  const Node* node = NodeOrNull(g, n);
  return node ? node->backend.c_str() : kEmpty;
}
const char* GraphUniqueName(infer_graph* g, const char* prefix) {
  if (g == nullptr) return kEmpty;
  // One buffer per thread: passes of different sessions may run concurrently.
  thread_local std::string name;
  name = AsGraph(g).UniqueName(prefix ? prefix : "");
  return name.c_str();
}
const infer_config* CapabilityConfig(const infer_capability* cap) {
  return cap ? cap->config : nullptr;
}

infer_host_api MakeHostApi() {
  infer_host_api h{};
  h.struct_size = sizeof(infer_host_api);
  h.abi_major = INFER_PLUGIN_ABI_MAJOR;
  h.abi_minor = INFER_PLUGIN_ABI_MINOR;
  h.status_create = StatusCreate;
  h.status_code = StatusGetCode;
  h.status_message = StatusGetMessage;
  h.status_release = StatusRelease;
  h.log = Log;
  h.graph_node_count = GraphNodeCount;
  h.node_op_type = NodeOpType;
  h.node_domain = NodeDomain;
  h.node_name = NodeName;
  h.node_input_count = NodeInputCount;
  h.node_output_count = NodeOutputCount;
  h.node_input = NodeInput;
  h.node_output = NodeOutput;
  h.node_attr = NodeAttr;
  h.node_attr_count = NodeAttrCount;
  h.node_attr_name = NodeAttrName;
  h.graph_value_count = GraphValueCount;
  h.value_info = ValueInfo;
  h.graph_find_value = GraphFindValue;
  h.graph_input_count = GraphInputCount;
  h.graph_input = GraphInput;
  h.graph_output_count = GraphOutputCount;
  h.graph_output = GraphOutput;
  h.graph_opset = GraphOpset;
  h.graph_set_opset = GraphSetOpset;
  h.graph_set_metadata = GraphSetMetadata;
  h.graph_add_value = GraphAddValue;
  h.graph_add_initializer = GraphAddInitializer;
  h.graph_add_input = GraphAddInput;
  h.graph_add_output = GraphAddOutput;
  h.graph_add_node = GraphAddNode;
  h.node_set_attr_int = SetAttrInt;
  h.node_set_attr_float = SetAttrFloat;
  h.node_set_attr_string = SetAttrString;
  h.node_set_attr_ints = SetAttrInts;
  h.node_set_attr_floats = SetAttrFloats;
  h.node_set_attr_strings = SetAttrStrings;
  h.node_set_attr_tensor = SetAttrTensor;
  h.node_add_attr_graph = AddAttrGraph;
  h.node_set_input = NodeSetInput;
  h.graph_remove_node = GraphRemoveNode;
  h.graph_set_output = GraphSetOutput;
  h.capability_claim = CapabilityClaim;
  h.capability_refuse = CapabilityRefuse;
  h.run_allocate_output = RunAllocateOutput;
  h.config_get = ConfigGet;
  h.value_producer = ValueProducer;
  h.value_consumer_count = ValueConsumerCount;
  h.value_consumer = ValueConsumer;
  h.graph_replace_uses = GraphReplaceUses;
  h.graph_remove_initializer = GraphRemoveInitializer;
  h.graph_fold_node = GraphFoldNode;
  h.node_backend = NodeBackend;
  h.graph_unique_name = GraphUniqueName;
  h.capability_config = CapabilityConfig;
  h.run_profiling = RunProfiling;
  h.run_profile_event = RunProfileEvent;
  h.shape_input_count = ShapeInputCount;
  h.shape_input = ShapeInput;
  h.shape_attr = ShapeAttr;
  h.shape_output_count = ShapeOutputCount;
  h.shape_set_output = ShapeSetOutput;
  h.custom_kernel_available = CustomKernelAvailable;
  h.custom_kernel_create = CustomKernelCreate;
  h.custom_kernel_compute = CustomKernelCompute;
  h.custom_kernel_release = CustomKernelRelease;
  return h;
}

}  // namespace

const infer_host_api* HostApi() {
  static const infer_host_api api = MakeHostApi();
  return &api;
}

}  // namespace infer::core
