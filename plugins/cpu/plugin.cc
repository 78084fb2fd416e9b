// The cpu backend plugin: the ABI entry points. Everything here is a thin shell that turns
// exceptions into statuses; the work happens in Partition and the ops.
#include <atomic>
#include <cstddef>
#include <type_traits>

#include "infer/node_snapshot.hpp"  // write_probe, check_host_abi, backend_plugin_table
#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"
#include "partition.h"

namespace infer::cpu {
namespace {

struct Backend {
  const infer_host_api* host;
};

// Last resort for reporting a null partition handle, which carries no host of its own.
std::atomic<const infer_host_api*> g_host{nullptr};

void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.name = "cpu";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "Portable reference CPU backend (float32 kernels)";
  p.kinds = INFER_PLUGIN_BACKEND;
  p.score = 10;  // ahead of simulated devices when the user names no order
  p.score_reason = nullptr;
  plugin::write_probe(p, out);
}

infer_status* init(const infer_host_api* host, const infer_config*, void** out_state) {
  if (!host || !host->status_create) return nullptr;  // nothing to report an error with
  return plugin::guard(host, [&]() -> infer_status* {
    plugin::check_host_abi(
        host, offsetof(infer_host_api, run_allocate_output) + sizeof(host->run_allocate_output),
        "cpu backend");
    if (!out_state) throw plugin::PluginError(INFER_INVALID_ARGUMENT, "out_plugin_state is null");
    g_host.store(host);
    *out_state = new Backend{host};
    return nullptr;
  });
}

void shutdown(void* state) { delete static_cast<Backend*>(state); }

infer_status* get_capability(void* state, const infer_graph* g, const size_t* nodes, size_t n,
                             infer_capability* cap) {
  const infer_host_api* host = static_cast<Backend*>(state)->host;
  return plugin::guard(host, [&]() -> infer_status* {
    check_node_ids(host, g, {nodes, n});
    for (size_t i = 0; i < n; ++i) {
      const plugin::NodeView node(host, g, nodes[i]);
      const OpContext ctx{node, node_opset(host, g, node)};
      const OpDesc* desc = find_node_op(ctx);
      if (!desc) {
        host->capability_refuse(cap, nodes[i], unimplemented_op_message(ctx).c_str());
        continue;
      }
      try {
        check_node(*desc, ctx);
        host->capability_claim(cap, nodes[i], 0);
      } catch (const plugin::PluginError& e) {
        host->capability_refuse(cap, nodes[i], (node.describe() + ": " + e.message).c_str());
      }
    }
    return nullptr;
  });
}

infer_status* compile(void* state, const infer_graph* g, const size_t* nodes, size_t n_nodes,
                      const size_t* inputs, size_t n_inputs, const size_t* outputs,
                      size_t n_outputs, const infer_config* cfg, void** out_partition) {
  const infer_host_api* host = static_cast<Backend*>(state)->host;
  return plugin::guard(host, [&]() -> infer_status* {
    if (!out_partition) throw plugin::PluginError(INFER_INVALID_ARGUMENT, "out_partition is null");
    *out_partition = nullptr;
    std::unique_ptr<Partition> p =
        Partition::compile(host, g, {nodes, n_nodes}, {inputs, n_inputs}, {outputs, n_outputs},
                           read_cpu_options(host, cfg));
    *out_partition = p.release();
    return nullptr;
  });
}

infer_status* run(void* partition, const infer_tensor_view* inputs, size_t n_inputs,
                  infer_run_context* ctx) {
  const auto* p = static_cast<const Partition*>(partition);
  const infer_host_api* host = p ? p->host() : g_host.load();
  return plugin::guard(host, [&]() -> infer_status* {
    if (!p) throw plugin::PluginError(INFER_INVALID_ARGUMENT, "cpu backend: partition is null");
    p->run({inputs, n_inputs}, ctx);
    return nullptr;
  });
}

void release_partition(void* partition) { delete static_cast<Partition*>(partition); }

size_t describe_partition(void* partition, char* buf, size_t len) {
  const auto* p = static_cast<const Partition*>(partition);
  return plugin::describe_with([&] { return p ? p->describe() : std::string(); }, buf, len);
}

constexpr infer_backend_api kBackendApi = {
    .struct_size = sizeof(infer_backend_api),
    .device = "CPU",
    .get_capability = &get_capability,
    .compile = &compile,
    .run = &run,
    .release_partition = &release_partition,
    .describe_partition = &describe_partition,
};

constexpr infer_plugin_api kPluginApi =
    plugin::backend_plugin_table(&probe, &init, &shutdown, &kBackendApi);

}  // namespace
}  // namespace infer::cpu

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t) {
  // A different major means incompatible tables: refuse rather than guess.
  return host_abi_major == INFER_PLUGIN_ABI_MAJOR ? &infer::cpu::kPluginApi : nullptr;
}

static_assert(std::is_same_v<decltype(&infer_plugin_entry), infer_plugin_entry_fn>);
