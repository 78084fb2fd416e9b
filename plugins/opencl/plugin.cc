// The opencl backend plugin: the ABI entry points. This shell reads host graphs into Nodes,
// turns exceptions into statuses and owns the device and program cache; the work happens in
// CompiledPartition and the ops.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "device.h"
#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"
#include "ops/op.h"
#include "partition.h"
#include "program_cache.h"

namespace infer::opencl {
namespace {

using plugin::PluginError;

struct Backend {
  const infer_host_api* host = nullptr;
  std::unique_ptr<Device> device;
  std::unique_ptr<ProgramCache> cache;
  std::string cache_dir;  // from init's config or INFER_OPENCL_CACHE_DIR
};

struct Partition {
  const infer_host_api* host;
  std::unique_ptr<CompiledPartition> compiled;
};

std::atomic<const infer_host_api*> g_host{nullptr};

// The default device, looked up once: probe must stay cheap when called again.
const DeviceSearch& default_search() {
  static const DeviceSearch search = find_device("");
  return search;
}

void check_status(const infer_host_api* host, infer_status* st) {
  if (!st) return;
  PluginError e(host->status_code(st), host->status_message(st));
  host->status_release(st);
  throw e;
}

Value read_value(const infer_host_api* host, const infer_graph* g, size_t id) {
  Value v;
  if (id == INFER_NO_VALUE) return v;
  if (id >= host->graph_value_count(g)) {
    throw PluginError(INFER_INVALID_ARGUMENT, "opencl: unknown value id " + std::to_string(id));
  }
  infer_value_info info{};
  info.struct_size = sizeof(info);
  check_status(host, host->value_info(g, id, &info));
  v.id = id;
  v.name = info.name ? info.name : "";
  v.dtype = info.dtype;
  v.rank_known = info.rank != INFER_RANK_UNKNOWN;
  if (v.rank_known && info.rank) v.dims.assign(info.dims, info.dims + info.rank);
  v.is_const = info.is_constant != 0;
  if (v.is_const) {
    const infer_tensor_view& t = info.constant;
    v.dtype = t.dtype;
    v.rank_known = true;
    v.dims.assign(t.shape, t.shape + t.rank);
    const size_t es = plugin::dtype_size(t.dtype);
    if (es && t.nbytes == static_cast<size_t>(v.numel()) * es && (t.nbytes == 0 || t.data)) {
      const auto* p = static_cast<const unsigned char*>(t.data);
      v.data.assign(p, p + t.nbytes);
    }
  }
  return v;
}

Node read_node(const infer_host_api* host, const infer_graph* g, size_t node) {
  const plugin::NodeView view(host, g, node);
  Node n;
  n.op_type = view.op_type();
  n.domain = view.domain();
  n.name = view.name();
  const int64_t opset = host->graph_opset(g, "");
  n.opset = opset > 0 ? opset : 21;  // a hand-built graph imports none: current semantics
  for (size_t i = 0; i < view.input_count(); ++i)
    n.inputs.push_back(read_value(host, g, view.input(i)));
  for (size_t i = 0; i < view.output_count(); ++i)
    n.outputs.push_back(read_value(host, g, view.output(i)));
  for (size_t i = 0; i < host->node_attr_count(g, node); ++i) {
    const char* key = host->node_attr_name(g, node, i);
    infer_attr_view a{};
    if (!key || !host->node_attr(g, node, key, &a)) continue;
    Attr d;
    d.type = a.type;
    d.i = a.i;
    d.f = a.f;
    if (a.type == INFER_ATTR_STRING && a.s) d.s.assign(a.s, a.s_len);
    if (a.type == INFER_ATTR_INTS && a.ints) d.ints.assign(a.ints, a.ints + a.count);
    if (a.type == INFER_ATTR_FLOATS && a.floats) d.floats.assign(a.floats, a.floats + a.count);
    n.attrs[key] = std::move(d);
  }
  return n;
}

void check_node_ids(const infer_host_api* host, const infer_graph* g, const size_t* nodes,
                    size_t n) {
  if (n && !nodes) throw PluginError(INFER_INVALID_ARGUMENT, "opencl: node list is null");
  const size_t count = host->graph_node_count(g);
  for (size_t i = 0; i < n; ++i) {
    if (nodes[i] >= count) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        "opencl: node id " + std::to_string(nodes[i]) + " is out of range");
    }
  }
}

void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.struct_size = std::min(out->struct_size, sizeof(p));
  p.name = "opencl";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "OpenCL 1.2 GPU/accelerator backend through the ICD loader (float32)";
  p.kinds = INFER_PLUGIN_BACKEND;
  const DeviceSearch& s = default_search();
  p.score = s.found ? 5 : 0;  // behind cpu (10) unless the user names it
  p.score_reason = s.found ? nullptr : s.reason.c_str();
  std::memcpy(out, &p, p.struct_size);
}

const char* config_value(const infer_host_api* host, const infer_config* cfg, const char* key) {
  return cfg && host->config_get ? host->config_get(cfg, key) : nullptr;
}

infer_status* init(const infer_host_api* host, const infer_config* cfg, void** out_state) {
  if (!host || !host->status_create) return nullptr;  // nothing to report an error with
  return plugin::guard(host, [&]() -> infer_status* {
    constexpr size_t kNeeded = offsetof(infer_host_api, config_get) + sizeof(host->config_get);
    if (host->abi_major != INFER_PLUGIN_ABI_MAJOR || host->struct_size < kNeeded) {
      throw PluginError(INFER_ABI_MISMATCH, "opencl: host ABI " + std::to_string(host->abi_major) +
                                                "." + std::to_string(host->abi_minor) +
                                                " is not compatible");
    }
    if (!out_state) throw PluginError(INFER_INVALID_ARGUMENT, "out_plugin_state is null");
    const char* spec = config_value(host, cfg, "opencl.device");
    if (!spec) spec = std::getenv("INFER_OPENCL_DEVICE");
    const DeviceSearch search = spec && *spec ? find_device(spec) : default_search();
    if (!search.found) throw PluginError(INFER_UNAVAILABLE, "opencl: " + search.reason);
    auto b = std::make_unique<Backend>();
    b->host = host;
    b->device = std::make_unique<Device>(search.choice);
    b->cache = std::make_unique<ProgramCache>(*b->device);
    const char* dir = config_value(host, cfg, "opencl.cache_dir");
    if (!dir) dir = std::getenv("INFER_OPENCL_CACHE_DIR");
    if (dir) b->cache_dir = dir;
    g_host.store(host);
    *out_state = b.release();
    return nullptr;
  });
}

void shutdown(void* state) { delete static_cast<Backend*>(state); }

infer_status* get_capability(void* state, const infer_graph* g, const size_t* nodes, size_t n,
                             infer_capability* cap) {
  const infer_host_api* host = static_cast<Backend*>(state)->host;
  return plugin::guard(host, [&]() -> infer_status* {
    check_node_ids(host, g, nodes, n);
    for (size_t i = 0; i < n; ++i) {
      std::string reason;
      try {
        reason = refusal_reason(read_node(host, g, nodes[i]));
      } catch (const PluginError& e) {
        reason = plugin::NodeView(host, g, nodes[i]).describe() + ": " + e.message;
      }
      if (reason.empty()) {
        host->capability_claim(cap, nodes[i], 0);
      } else {
        host->capability_refuse(cap, nodes[i], reason.c_str());
      }
    }
    return nullptr;
  });
}

infer_status* compile(void* state, const infer_graph* g, const size_t* nodes, size_t n_nodes,
                      const size_t* inputs, size_t n_inputs, const size_t* outputs,
                      size_t n_outputs, const infer_config* cfg, void** out_partition) {
  Backend* b = static_cast<Backend*>(state);
  const infer_host_api* host = b->host;
  return plugin::guard(host, [&]() -> infer_status* {
    if (!out_partition) throw PluginError(INFER_INVALID_ARGUMENT, "out_partition is null");
    *out_partition = nullptr;
    check_node_ids(host, g, nodes, n_nodes);
    if ((n_inputs && !inputs) || (n_outputs && !outputs)) {
      throw PluginError(INFER_INVALID_ARGUMENT, "opencl: boundary value list is null");
    }
    std::vector<Node> descs;
    for (size_t i = 0; i < n_nodes; ++i) descs.push_back(read_node(host, g, nodes[i]));
    std::vector<Value> ins, outs;
    for (size_t i = 0; i < n_inputs; ++i) ins.push_back(read_value(host, g, inputs[i]));
    for (size_t i = 0; i < n_outputs; ++i) outs.push_back(read_value(host, g, outputs[i]));
    const char* dir = config_value(host, cfg, "opencl.cache_dir");
    auto p = std::make_unique<Partition>();
    p->host = host;
    p->compiled = CompiledPartition::compile(*b->device, *b->cache, descs, ins, outs,
                                             dir ? std::string(dir) : b->cache_dir);
    *out_partition = p.release();
    return nullptr;
  });
}

infer_status* run(void* partition, const infer_tensor_view* inputs, size_t n_inputs,
                  infer_run_context* ctx) {
  auto* p = static_cast<Partition*>(partition);
  const infer_host_api* host = p ? p->host : g_host.load();
  return plugin::guard(host, [&]() -> infer_status* {
    if (!p) throw PluginError(INFER_INVALID_ARGUMENT, "opencl: partition is null");
    if (n_inputs && !inputs) throw PluginError(INFER_INVALID_ARGUMENT, "opencl: inputs are null");
    p->compiled->run({inputs, n_inputs}, [&](size_t index, const std::vector<int64_t>& shape) {
      void* data = nullptr;
      check_status(host, host->run_allocate_output(ctx, index, INFER_DTYPE_FLOAT32, shape.size(),
                                                   shape.data(), &data));
      return data;
    });
    return nullptr;
  });
}

void release_partition(void* partition) { delete static_cast<Partition*>(partition); }

size_t describe_partition(void* partition, char* buf, size_t len) {
  try {
    const auto* p = static_cast<const Partition*>(partition);
    if (!p) return 0;
    const std::string text = p->compiled->describe();
    if (buf && len) {
      const size_t n = std::min(len - 1, text.size());
      std::memcpy(buf, text.data(), n);
      buf[n] = '\0';
    }
    return text.size();
  } catch (...) {
    return 0;  // no exception crosses the ABI; an empty account is harmless
  }
}

infer_backend_api g_backend_api = {
    .struct_size = sizeof(infer_backend_api),
    .device = "OpenCL",  // replaced by "OpenCL:<platform>/<device>" once a device is found
    .get_capability = &get_capability,
    .compile = &compile,
    .run = &run,
    .release_partition = &release_partition,
    .describe_partition = &describe_partition,
};

constexpr infer_plugin_api kPluginApi = {
    .struct_size = sizeof(infer_plugin_api),
    .abi_major = INFER_PLUGIN_ABI_MAJOR,
    .abi_minor = INFER_PLUGIN_ABI_MINOR,
    .probe = &probe,
    .init = &init,
    .shutdown = &shutdown,
    .frontend = nullptr,
    .backend = &g_backend_api,
    .pass = nullptr,
    .custom_ops = nullptr,
};

}  // namespace
}  // namespace infer::opencl

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t) {
  if (host_abi_major != INFER_PLUGIN_ABI_MAJOR) return nullptr;
  try {
    static const std::string label = infer::opencl::default_search().found
                                         ? infer::opencl::default_search().choice.label()
                                         : "OpenCL";
    infer::opencl::g_backend_api.device = label.c_str();
  } catch (...) {
  }
  return &infer::opencl::kPluginApi;
}

static_assert(std::is_same_v<decltype(&infer_plugin_entry), infer_plugin_entry_fn>);
