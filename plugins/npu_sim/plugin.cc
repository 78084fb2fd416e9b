// The npu_sim backend plugin: the ABI entry points. This shell turns host graphs into
// NodeDescs, exceptions into statuses, and keeps the per-partition run counters; the
// compiler, executor and cost model are host-free (npu_sim_core).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "capability.h"
#include "compiler.h"
#include "cost_model.h"
#include "executor.h"
#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"
#include "network.h"

namespace infer::npu_sim {
namespace {

using plugin::PluginError;

constexpr const char* kConfigKeys[] = {"npu_sim.mac_rows",
                                       "npu_sim.mac_cols",
                                       "npu_sim.sram_kib",
                                       "npu_sim.dma_bytes_per_cycle",
                                       "npu_sim.dma_latency_cycles",
                                       "npu_sim.clock_mhz",
                                       "npu_sim.int8_macs_per_fp16_mac"};

struct Backend {
  const infer_host_api* host;
  std::map<std::string, std::string> init_config;  // npu_sim.* keys given to init
  NpuConfig config;                                // parsed from init_config
};

struct Partition {
  const infer_host_api* host;
  std::unique_ptr<Program> program;
  std::atomic<uint64_t> runs{0};
  std::atomic<uint64_t> host_ns{0};
};

// Last resort for reporting a null partition handle, which carries no host of its own.
std::atomic<const infer_host_api*> g_host{nullptr};

void check_status(const infer_host_api* host, infer_status* st) {
  if (!st) return;
  PluginError e(host->status_code(st), host->status_message(st));
  host->status_release(st);
  throw e;
}

std::vector<int64_t> widen(const infer_tensor_view& t, size_t n) {
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    if (t.dtype == INFER_DTYPE_INT8) {
      out[i] = static_cast<const int8_t*>(t.data)[i];
    } else if (t.dtype == INFER_DTYPE_UINT8) {
      out[i] = static_cast<const uint8_t*>(t.data)[i];
    } else {
      int32_t v;
      std::memcpy(&v, static_cast<const char*>(t.data) + i * 4, 4);
      out[i] = v;
    }
  }
  return out;
}

ValueDesc read_value(const infer_host_api* host, const infer_graph* g, size_t id) {
  ValueDesc v;
  if (id == INFER_NO_VALUE) return v;
  if (id >= host->graph_value_count(g)) {
    throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: unknown value id " + std::to_string(id));
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
    int64_t n = 1;
    for (size_t i = 0; i < t.rank; ++i) n *= t.shape[i];
    const size_t es = plugin::dtype_size(t.dtype);
    if (es && t.nbytes == static_cast<size_t>(n) * es && (n == 0 || t.data)) {
      if (t.dtype == INFER_DTYPE_FLOAT32) {
        v.f32.resize(static_cast<size_t>(n));
        if (n) std::memcpy(v.f32.data(), t.data, t.nbytes);
        v.has_data = true;
      } else if (t.dtype == INFER_DTYPE_INT64) {
        v.i64.resize(static_cast<size_t>(n));
        if (n) std::memcpy(v.i64.data(), t.data, t.nbytes);
        v.has_data = true;
      } else if (t.dtype == INFER_DTYPE_INT8 || t.dtype == INFER_DTYPE_UINT8 ||
                 t.dtype == INFER_DTYPE_INT32) {
        // Quantized weights, zero points and biases, widened.
        v.i64 = widen(t, static_cast<size_t>(n));
        v.has_data = true;
      }
    }
  }
  return v;
}

NodeDesc read_node(const infer_host_api* host, const infer_graph* g, size_t node) {
  const plugin::NodeView view(host, g, node);
  NodeDesc n;
  n.op_type = view.op_type();
  n.domain = view.domain();
  n.name = view.name();
  for (size_t i = 0; i < view.input_count(); ++i)
    n.inputs.push_back(read_value(host, g, view.input(i)));
  for (size_t i = 0; i < view.output_count(); ++i)
    n.outputs.push_back(read_value(host, g, view.output(i)));
  for (size_t i = 0; i < host->node_attr_count(g, node); ++i) {
    const char* key = host->node_attr_name(g, node, i);
    infer_attr_view a{};
    if (!key || !host->node_attr(g, node, key, &a)) continue;
    AttrDesc d;
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

int64_t graph_opset(const infer_host_api* host, const infer_graph* g) {
  // A graph built by hand imports no default opset: give it current semantics.
  const int64_t opset = host->graph_opset(g, "");
  return opset > 0 ? opset : 21;
}

void check_node_ids(const infer_host_api* host, const infer_graph* g, const size_t* nodes,
                    size_t n) {
  if (n && !nodes) throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: node list is null");
  const size_t count = host->graph_node_count(g);
  for (size_t i = 0; i < n; ++i) {
    if (nodes[i] >= count) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        "npu_sim: node id " + std::to_string(nodes[i]) + " is out of range");
    }
  }
}

void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.struct_size = std::min(out->struct_size, sizeof(p));
  p.name = "npu_sim";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "Simulated mobile NPU: fp16/int8 MAC array, SRAM tiling, DMA, cycle cost model";
  p.kinds = INFER_PLUGIN_BACKEND;
  p.score = 1;
  p.score_reason = nullptr;
  std::memcpy(out, &p, p.struct_size);
}

infer_status* init(const infer_host_api* host, const infer_config* cfg, void** out_state) {
  if (!host || !host->status_create) return nullptr;  // nothing to report an error with
  return plugin::guard(host, [&]() -> infer_status* {
    constexpr size_t kNeeded = offsetof(infer_host_api, config_get) + sizeof(host->config_get);
    if (host->abi_major != INFER_PLUGIN_ABI_MAJOR || host->struct_size < kNeeded) {
      throw PluginError(INFER_ABI_MISMATCH, "npu_sim: host ABI " + std::to_string(host->abi_major) +
                                                "." + std::to_string(host->abi_minor) +
                                                " is not compatible");
    }
    if (!out_state) throw PluginError(INFER_INVALID_ARGUMENT, "out_plugin_state is null");
    auto backend = std::make_unique<Backend>();
    backend->host = host;
    for (const char* key : kConfigKeys) {
      const char* v = cfg ? host->config_get(cfg, key) : nullptr;
      if (v) backend->init_config[key] = v;
    }
    backend->config = parse_config([&](const char* key) -> const char* {
      auto it = backend->init_config.find(key);
      return it == backend->init_config.end() ? nullptr : it->second.c_str();
    });
    g_host.store(host);
    *out_state = backend.release();
    return nullptr;
  });
}

void shutdown(void* state) { delete static_cast<Backend*>(state); }

// The session's npu_sim.* keys, falling back to those given to init.
NpuConfig session_config(const Backend& b, const infer_config* cfg) {
  return parse_config([&](const char* key) -> const char* {
    if (const char* v = b.host->config_get(cfg, key)) return v;
    auto it = b.init_config.find(key);
    return it == b.init_config.end() ? nullptr : it->second.c_str();
  });
}

infer_status* get_capability(void* state, const infer_graph* g, const size_t* nodes, size_t n,
                             infer_capability* cap) {
  const Backend* b = static_cast<Backend*>(state);
  const infer_host_api* host = b->host;
  return plugin::guard(host, [&]() -> infer_status* {
    check_node_ids(host, g, nodes, n);
    const int64_t opset = graph_opset(host, g);
    // The session's keys (ABI 1.3) decide what fits, as they will at compile.
    constexpr size_t kHasSessionConfig =
        offsetof(infer_host_api, capability_config) + sizeof(host->capability_config);
    const infer_config* cfg = host->struct_size >= kHasSessionConfig && host->capability_config
                                  ? host->capability_config(cap)
                                  : nullptr;
    const NpuConfig config = cfg ? session_config(*b, cfg) : b->config;
    for (size_t i = 0; i < n; ++i) {
      std::string reason;
      try {
        reason = refusal_reason(read_node(host, g, nodes[i]), opset, config);
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
  const Backend* b = static_cast<Backend*>(state);
  const infer_host_api* host = b->host;
  return plugin::guard(host, [&]() -> infer_status* {
    if (!out_partition) throw PluginError(INFER_INVALID_ARGUMENT, "out_partition is null");
    *out_partition = nullptr;
    check_node_ids(host, g, nodes, n_nodes);
    if ((n_inputs && !inputs) || (n_outputs && !outputs)) {
      throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: boundary value list is null");
    }
    const NpuConfig config = cfg ? session_config(*b, cfg) : b->config;
    std::vector<NodeDesc> descs;
    for (size_t i = 0; i < n_nodes; ++i) descs.push_back(read_node(host, g, nodes[i]));
    std::vector<ValueDesc> ins, outs;
    for (size_t i = 0; i < n_inputs; ++i) ins.push_back(read_value(host, g, inputs[i]));
    for (size_t i = 0; i < n_outputs; ++i) outs.push_back(read_value(host, g, outputs[i]));
    auto p = std::make_unique<Partition>();
    p->host = host;
    p->program = compile_network(build_network(descs, ins, outs, graph_opset(host, g)), config);
    *out_partition = p.release();
    return nullptr;
  });
}

infer_status* run(void* partition, const infer_tensor_view* inputs, size_t n_inputs,
                  infer_run_context* ctx) {
  auto* p = static_cast<Partition*>(partition);
  const infer_host_api* host = p ? p->host : g_host.load();
  return plugin::guard(host, [&]() -> infer_status* {
    if (!p) throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: partition is null");
    const auto start = std::chrono::steady_clock::now();
    const Program& prog = *p->program;
    if (n_inputs != prog.input_shapes.size() || (n_inputs && !inputs)) {
      throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: expected " +
                                                    std::to_string(prog.input_shapes.size()) +
                                                    " inputs, got " + std::to_string(n_inputs));
    }
    std::vector<const void*> in(n_inputs);
    for (size_t i = 0; i < n_inputs; ++i) {
      const infer_tensor_view& t = inputs[i];
      const Shape& want = prog.input_shapes[i];
      const infer_dtype dtype = host_dtype(prog.input_elems[i]);
      const bool shape_ok = t.rank == want.size() && (t.rank == 0 || t.shape) &&
                            std::equal(want.begin(), want.end(), t.shape);
      const size_t nbytes = static_cast<size_t>(numel(want)) * plugin::dtype_size(dtype);
      if (t.dtype != dtype || !shape_ok || t.nbytes != nbytes || (nbytes && !t.data)) {
        throw PluginError(INFER_INVALID_ARGUMENT, "npu_sim: input " + std::to_string(i) +
                                                      " must be " + plugin::dtype_name(dtype) +
                                                      " " + shape_str(want) +
                                                      " (the type and shape it was compiled for)");
      }
      in[i] = t.data;
    }
    std::vector<void*> out(prog.output_shapes.size());
    for (size_t j = 0; j < out.size(); ++j) {
      const Shape& s = prog.output_shapes[j];
      void* data = nullptr;
      check_status(host, host->run_allocate_output(ctx, j, host_dtype(prog.output_elems[j]),
                                                   s.size(), s.data(), &data));
      if (!data && numel(s))
        throw PluginError(INFER_INTERNAL, "npu_sim: host gave no output buffer");
      out[j] = data;
    }
    execute(prog, in, out);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now() - start);
    p->host_ns.fetch_add(static_cast<uint64_t>(ns.count()), std::memory_order_relaxed);
    p->runs.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  });
}

void release_partition(void* partition) { delete static_cast<Partition*>(partition); }

size_t describe_partition(void* partition, char* buf, size_t len) {
  try {
    const auto* p = static_cast<const Partition*>(partition);
    if (!p) return 0;
    const std::string text = describe_program(*p->program, p->runs.load(std::memory_order_relaxed),
                                              p->host_ns.load(std::memory_order_relaxed));
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

constexpr infer_backend_api kBackendApi = {
    .struct_size = sizeof(infer_backend_api),
    .device = "NPU(sim)",
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
    .backend = &kBackendApi,
    .pass = nullptr,
    .custom_ops = nullptr,
};

}  // namespace
}  // namespace infer::npu_sim

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t) {
  // A different major means incompatible tables: refuse rather than guess.
  return host_abi_major == INFER_PLUGIN_ABI_MAJOR ? &infer::npu_sim::kPluginApi : nullptr;
}

static_assert(std::is_same_v<decltype(&infer_plugin_entry), infer_plugin_entry_fn>);
