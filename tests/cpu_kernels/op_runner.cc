#include "op_runner.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "infer/plugin_cxx.hpp"

namespace infer::cpu::test {
namespace {

// The host's opaque types are this file's own structs behind casts: other test files define
// `struct infer_graph` etc. for their fake hosts, and two definitions would break the ODR.
struct Value {
  std::string name;
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> dims;
  bool rank_known = true;
};
struct Graph {
  std::vector<Value> values;
  std::string op_type, domain;
  std::vector<size_t> inputs, outputs;
  std::vector<OpAttr> attrs;
  int64_t opset = 0;
};
struct Status {
  infer_status_code code;
  std::string message;
};
struct Capability {
  bool claimed = false;
  std::string refused;
};
struct RunContext {
  std::vector<OpTensor> outputs;
};

const Graph& G(const infer_graph* g) { return *reinterpret_cast<const Graph*>(g); }

infer_status* status_create(infer_status_code c, const char* m) {
  return reinterpret_cast<infer_status*>(new Status{c, m ? m : ""});
}
Status take(infer_status* st) {
  if (!st) return {INFER_OK, ""};
  std::unique_ptr<Status> s(reinterpret_cast<Status*>(st));
  return *s;
}

infer_host_api make_host() {
  infer_host_api h{};
  h.struct_size = sizeof(h);
  h.abi_major = INFER_PLUGIN_ABI_MAJOR;
  h.abi_minor = INFER_PLUGIN_ABI_MINOR;
  h.status_create = status_create;
  h.status_code = [](const infer_status* s) {
    return s ? reinterpret_cast<const Status*>(s)->code : INFER_OK;
  };
  h.status_message = [](const infer_status* s) {
    return s ? reinterpret_cast<const Status*>(s)->message.c_str() : "";
  };
  h.status_release = [](infer_status* s) { delete reinterpret_cast<Status*>(s); };
  h.log = [](infer_log_level, const char*, const char*) {};
  h.graph_node_count = [](const infer_graph*) -> size_t { return 1; };
  h.node_op_type = [](const infer_graph* g, size_t) { return G(g).op_type.c_str(); };
  h.node_domain = [](const infer_graph* g, size_t) { return G(g).domain.c_str(); };
  h.node_name = [](const infer_graph*, size_t) { return "n"; };
  h.node_input_count = [](const infer_graph* g, size_t) { return G(g).inputs.size(); };
  h.node_output_count = [](const infer_graph* g, size_t) { return G(g).outputs.size(); };
  h.node_input = [](const infer_graph* g, size_t, size_t i) { return G(g).inputs.at(i); };
  h.node_output = [](const infer_graph* g, size_t, size_t i) { return G(g).outputs.at(i); };
  h.node_attr = [](const infer_graph* g, size_t, const char* name, infer_attr_view* out) {
    for (const OpAttr& a : G(g).attrs) {
      if (a.name != name) continue;
      *out = infer_attr_view{};
      out->type = a.type;
      out->i = a.i;
      out->f = a.f;
      out->s = a.s.c_str();
      out->s_len = a.s.size();
      out->ints = a.ints.data();
      out->floats = a.floats.data();
      out->count = a.type == INFER_ATTR_FLOATS ? a.floats.size() : a.ints.size();
      return 1;
    }
    return 0;
  };
  h.node_attr_count = [](const infer_graph* g, size_t) { return G(g).attrs.size(); };
  h.node_attr_name = [](const infer_graph* g, size_t, size_t i) {
    return G(g).attrs.at(i).name.c_str();
  };
  h.graph_value_count = [](const infer_graph* g) { return G(g).values.size(); };
  h.value_info = [](const infer_graph* g, size_t v, infer_value_info* out) -> infer_status* {
    if (v >= G(g).values.size()) return status_create(INFER_OUT_OF_RANGE, "bad value id");
    const Value& val = G(g).values[v];
    *out = infer_value_info{};
    out->struct_size = sizeof(*out);
    out->name = val.name.c_str();
    out->dtype = val.dtype;
    out->rank = val.rank_known ? val.dims.size() : INFER_RANK_UNKNOWN;
    out->dims = val.dims.data();
    return nullptr;
  };
  h.graph_find_value = [](const infer_graph* g, const char* name) {
    for (size_t i = 0; i < G(g).values.size(); ++i) {
      if (G(g).values[i].name == name) return i;
    }
    return size_t{INFER_NO_VALUE};
  };
  h.graph_opset = [](const infer_graph* g, const char* domain) {
    return std::string(domain) == G(g).domain ? G(g).opset : int64_t{0};
  };
  h.capability_claim = [](infer_capability* cap, size_t, uint32_t) {
    reinterpret_cast<Capability*>(cap)->claimed = true;
  };
  h.capability_refuse = [](infer_capability* cap, size_t, const char* reason) {
    reinterpret_cast<Capability*>(cap)->refused = reason;
  };
  h.run_allocate_output = [](infer_run_context* ctx, size_t index, infer_dtype dtype, size_t rank,
                             const int64_t* shape, void** out) -> infer_status* {
    auto& outputs = reinterpret_cast<RunContext*>(ctx)->outputs;
    if (index >= outputs.size()) return status_create(INFER_OUT_OF_RANGE, "bad output index");
    OpTensor& t = outputs[index];
    t.dtype = dtype;
    t.shape.assign(shape, shape + rank);
    size_t n = plugin::dtype_size(dtype);
    for (int64_t d : t.shape) n *= static_cast<size_t>(d);
    t.bytes.assign(n, std::byte{0xa5});  // garbage, to catch unwritten outputs
    *out = t.bytes.data();
    return nullptr;
  };
  return h;
}

struct Plugin {
  const infer_plugin_api* api = nullptr;
  infer_host_api host{};
  void* state = nullptr;
  std::string error = "built without INFER_CPU_PLUGIN_PATH";

  Plugin() {
#ifdef INFER_CPU_PLUGIN_PATH
    void* handle = dlopen(INFER_CPU_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);  // kept for the process
    if (!handle) {
      error = dlerror();
      return;
    }
    auto entry = reinterpret_cast<infer_plugin_entry_fn>(dlsym(handle, INFER_PLUGIN_ENTRY_SYMBOL));
    api = entry ? entry(INFER_PLUGIN_ABI_MAJOR, INFER_PLUGIN_ABI_MINOR) : nullptr;
    host = make_host();
    if (api && take(api->init(&host, nullptr, &state)).code != INFER_OK) api = nullptr;
    error = api ? "" : "the plugin's entry or init failed";
#endif
  }
};

}  // namespace

OpResult run_op(const std::string& op_type, const std::vector<OpTensor>& inputs,
                const std::vector<OpAttr>& attrs, const OpRunOptions& options) {
  static Plugin plugin;
  if (!plugin.api) {
    ADD_FAILURE() << "cpu plugin could not be loaded: " << plugin.error;
    return {INFER_INTERNAL, "no plugin", {}};
  }
  Graph g;
  g.op_type = op_type;
  g.domain = options.domain;
  g.attrs = attrs;
  g.opset = options.opset;
  std::vector<size_t> partition_inputs;
  std::vector<infer_tensor_view> views;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const OpTensor& t = inputs[i];
    if (t.dtype == INFER_DTYPE_UNDEFINED) {
      g.inputs.push_back(INFER_NO_VALUE);
      continue;
    }
    Value v{"in" + std::to_string(i), t.dtype, t.shape, true};
    if (options.unknown_inputs) v = {v.name, INFER_DTYPE_UNDEFINED, {}, false};
    g.values.push_back(v);
    g.inputs.push_back(g.values.size() - 1);
    partition_inputs.push_back(g.values.size() - 1);
    views.push_back({t.dtype, t.shape.size(), t.shape.data(),
                     const_cast<std::byte*>(t.bytes.data()), t.bytes.size()});
  }
  for (size_t i = 0; i < options.outputs; ++i) {
    g.values.push_back({"out" + std::to_string(i), INFER_DTYPE_UNDEFINED, {}, false});
    g.outputs.push_back(g.values.size() - 1);
  }
  const auto* graph = reinterpret_cast<const infer_graph*>(&g);
  const infer_backend_api& backend = *plugin.api->backend;
  const size_t node = 0;

  Capability cap;
  Status st = take(backend.get_capability(plugin.state, graph, &node, 1,
                                          reinterpret_cast<infer_capability*>(&cap)));
  if (st.code != INFER_OK) return {st.code, st.message, {}};
  if (!cap.claimed) {
    // Compile gives the same reason with the precise status code.
    EXPECT_FALSE(cap.refused.empty());
  }
  void* part = nullptr;
  st = take(backend.compile(plugin.state, graph, &node, 1, partition_inputs.data(),
                            partition_inputs.size(), g.outputs.data(), g.outputs.size(), nullptr,
                            &part));
  if (st.code != INFER_OK) return {st.code, st.message, {}};
  EXPECT_TRUE(cap.claimed) << "compiled a node that capability refused: " << cap.refused;
  RunContext ctx;
  ctx.outputs.resize(options.outputs);
  st = take(
      backend.run(part, views.data(), views.size(), reinterpret_cast<infer_run_context*>(&ctx)));
  backend.release_partition(part);
  return {st.code, st.message,
          st.code == INFER_OK ? std::move(ctx.outputs) : std::vector<OpTensor>{}};
}

}  // namespace infer::cpu::test
