// The opencl backend plugin: the ABI entry points. This shell reads host graphs into NodeSnapshots,
// turns exceptions into statuses and owns the device and program cache; the work happens in
// CompiledPartition and the ops.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <type_traits>

#include "device.h"
#include "infer/node_snapshot.hpp"
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

void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.name = "opencl";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "OpenCL 1.2 GPU/accelerator backend through the ICD loader (float32)";
  p.kinds = INFER_PLUGIN_BACKEND;
  const DeviceSearch& s = default_search();
  p.score = s.found ? 5 : 0;  // behind cpu (10) unless the user names it
  p.score_reason = s.found ? nullptr : s.reason.c_str();
  plugin::write_probe(p, out);
}

const char* config_value(const infer_host_api* host, const infer_config* cfg, const char* key) {
  return cfg && host->config_get ? host->config_get(cfg, key) : nullptr;
}

infer_status* init(const infer_host_api* host, const infer_config* cfg, void** out_state) {
  if (!host || !host->status_create) return nullptr;  // nothing to report an error with
  return plugin::guard(host, [&]() -> infer_status* {
    plugin::check_host_abi(host, offsetof(infer_host_api, config_get) + sizeof(host->config_get),
                           "opencl");
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
    plugin::check_node_ids(host, g, nodes, n, "opencl");
    plugin::claim_or_refuse(host, g, {nodes, n}, cap,
                            [](const NodeSnapshot& node) { return refusal_reason(node); });
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
    const plugin::PartitionSnapshot part = plugin::read_partition_snapshot(
        host, g, nodes, n_nodes, inputs, n_inputs, outputs, n_outputs, "opencl");
    const char* dir = config_value(host, cfg, "opencl.cache_dir");
    auto p = std::make_unique<Partition>();
    p->host = host;
    p->compiled = CompiledPartition::compile(*b->device, *b->cache, part.nodes, part.inputs,
                                             part.outputs, dir ? std::string(dir) : b->cache_dir);
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
      plugin::check_status(host, host->run_allocate_output(ctx, index, INFER_DTYPE_FLOAT32,
                                                           shape.size(), shape.data(), &data));
      return data;
    });
    return nullptr;
  });
}

void release_partition(void* partition) { delete static_cast<Partition*>(partition); }

size_t describe_partition(void* partition, char* buf, size_t len) {
  const auto* p = static_cast<const Partition*>(partition);
  if (!p) return 0;
  return plugin::describe_with([p] { return p->compiled->describe(); }, buf, len);
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

constexpr infer_plugin_api kPluginApi =
    plugin::backend_plugin_table(&probe, &init, &shutdown, &g_backend_api);

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
