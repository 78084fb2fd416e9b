// The npu_sim backend plugin: the ABI entry points. This shell turns host graphs into
// NodeSnapshots, exceptions into statuses, and keeps the per-partition run counters; the
// compiler, executor and cost model are host-free (npu_sim_core).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "capability.h"
#include "compiler.h"
#include "cost_model.h"
#include "executor.h"
#include "infer/node_snapshot.hpp"
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

void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.name = "npu_sim";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "Simulated mobile NPU: fp16/int8 MAC array, SRAM tiling, DMA, cycle cost model";
  p.kinds = INFER_PLUGIN_BACKEND;
  p.score = 1;
  p.score_reason = nullptr;
  plugin::write_probe(p, out);
}

infer_status* init(const infer_host_api* host, const infer_config* cfg, void** out_state) {
  if (!host || !host->status_create) return nullptr;  // nothing to report an error with
  return plugin::guard(host, [&]() -> infer_status* {
    plugin::check_host_abi(host, offsetof(infer_host_api, config_get) + sizeof(host->config_get),
                           "npu_sim");
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
    plugin::check_node_ids(host, g, nodes, n, "npu_sim");
    const int64_t opset = plugin::default_opset(host, g);
    // The session's keys (ABI 1.3) decide what fits, as they will at compile.
    constexpr size_t kHasSessionConfig =
        offsetof(infer_host_api, capability_config) + sizeof(host->capability_config);
    const infer_config* cfg = host->struct_size >= kHasSessionConfig && host->capability_config
                                  ? host->capability_config(cap)
                                  : nullptr;
    const NpuConfig config = cfg ? session_config(*b, cfg) : b->config;
    plugin::claim_or_refuse(host, g, {nodes, n}, cap, [&](const NodeSnapshot& node) {
      return refusal_reason(node, opset, config);
    });
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
    const plugin::PartitionSnapshot part = plugin::read_partition_snapshot(
        host, g, nodes, n_nodes, inputs, n_inputs, outputs, n_outputs, "npu_sim");
    const NpuConfig config = cfg ? session_config(*b, cfg) : b->config;
    auto p = std::make_unique<Partition>();
    p->host = host;
    p->program = compile_network(
        build_network(part.nodes, part.inputs, part.outputs, plugin::default_opset(host, g)),
        config);
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
      plugin::check_status(host, host->run_allocate_output(ctx, j, host_dtype(prog.output_elems[j]),
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
  const auto* p = static_cast<const Partition*>(partition);
  if (!p) return 0;
  return plugin::describe_with(
      [p] {
        return describe_program(*p->program, p->runs.load(std::memory_order_relaxed),
                                p->host_ns.load(std::memory_order_relaxed));
      },
      buf, len);
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

constexpr infer_plugin_api kPluginApi =
    plugin::backend_plugin_table(&probe, &init, &shutdown, &kBackendApi);

}  // namespace
}  // namespace infer::npu_sim

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t) {
  // A different major means incompatible tables: refuse rather than guess.
  return host_abi_major == INFER_PLUGIN_ABI_MAJOR ? &infer::npu_sim::kPluginApi : nullptr;
}

static_assert(std::is_same_v<decltype(&infer_plugin_entry), infer_plugin_entry_fn>);
