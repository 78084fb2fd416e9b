// Entry point and ABI tables of the ONNX frontend plugin. Everything here is
// thin: the work is in model_import.cc.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "host_check.h"
#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"
#include "model_import.h"

namespace {

using infer::plugin::guard;

// The last host seen by init, only to report "not initialised" when load is
// called with a NULL state; normal calls use the state init returned.
std::atomic<const infer_host_api*> g_last_host{nullptr};

// Host fields this plugin calls, so an older, smaller host table is refused
// at init instead of read past its end.
constexpr size_t kHostNeeds =
    offsetof(infer_host_api, node_add_attr_graph) + sizeof(infer_host_api::node_add_attr_graph);
constexpr size_t kHostStatusNeeds =
    offsetof(infer_host_api, status_release) + sizeof(infer_host_api::status_release);

bool HostComplete(const infer_host_api* h) {
  return h->status_create && h->status_code && h->status_message && h->status_release &&
         h->graph_set_opset && h->graph_set_metadata && h->graph_add_value &&
         h->graph_add_initializer && h->graph_add_input && h->graph_add_output &&
         h->graph_add_node && h->node_set_attr_int && h->node_set_attr_float &&
         h->node_set_attr_string && h->node_set_attr_ints && h->node_set_attr_floats &&
         h->node_set_attr_strings && h->node_set_attr_tensor && h->node_add_attr_graph;
}

void Probe(infer_plugin_probe* out) {
  if (out == nullptr) return;
  infer_plugin_probe p{};
  p.struct_size = out->struct_size;  // keep the caller's size
  p.name = "onnx";
  p.vendor = "infer";
  p.version = "0.1.0";
  p.description = "ONNX model frontend (.onnx protobuf, external data)";
  p.kinds = INFER_PLUGIN_FRONTEND;
  p.score = 1;
  p.score_reason = nullptr;
  // Fill only as much as the caller's struct has room for.
  std::memcpy(out, &p, std::min(out->struct_size, sizeof(p)));
}

infer_status* Init(const infer_host_api* host, const infer_config* /*cfg*/,
                   void** out_plugin_state) {
  // Without a usable status_create no error can be reported at all: such a
  // host is broken, and it gets a NULL state and no table of its own.
  if (host == nullptr || out_plugin_state == nullptr) return nullptr;
  *out_plugin_state = nullptr;
  if (host->struct_size < kHostStatusNeeds || host->status_create == nullptr) return nullptr;
  return guard(host, [&]() -> infer_status* {
    if (host->abi_major != INFER_PLUGIN_ABI_MAJOR || host->struct_size < kHostNeeds ||
        !HostComplete(host)) {
      infer::onnx_fe::Fail(INFER_ABI_MISMATCH,
                           "onnx frontend: host API " + std::to_string(host->abi_major) + "." +
                               std::to_string(host->abi_minor) +
                               " lacks the graph-building functions this plugin needs");
    }
    // The host table is all the state a load needs; it outlives the plugin.
    *out_plugin_state = const_cast<infer_host_api*>(host);
    g_last_host = host;
    return nullptr;
  });
}

void Shutdown(void* /*plugin_state*/) {}

int CanLoad(void* /*plugin_state*/, const void* head, size_t head_len) {
  return infer::onnx_fe::LooksLikeModel(head, head_len) ? 1 : 0;
}

infer_status* Load(void* plugin_state, const void* bytes, size_t len, const char* model_dir,
                   infer_graph* g) {
  const auto* host = static_cast<const infer_host_api*>(plugin_state);
  if (host == nullptr) {
    const infer_host_api* last = g_last_host.load();
    if (last == nullptr) return nullptr;  // never initialised: there is no way to report
    return last->status_create(INFER_FAILED_PRECONDITION,
                               "onnx frontend: load called without a successful init");
  }
  return guard(host, [&]() -> infer_status* {
    infer::onnx_fe::LoadModel(host, bytes, len, model_dir, g);
    return nullptr;
  });
}

const infer_frontend_api kFrontend = {
    .struct_size = sizeof(infer_frontend_api),
    .format = "onnx",
    .file_extensions = ".onnx",
    .can_load = CanLoad,
    .load = Load,
};

const infer_plugin_api kApi = {
    .struct_size = sizeof(infer_plugin_api),
    .abi_major = INFER_PLUGIN_ABI_MAJOR,
    .abi_minor = INFER_PLUGIN_ABI_MINOR,
    .probe = Probe,
    .init = Init,
    .shutdown = Shutdown,
    .frontend = &kFrontend,
    .backend = nullptr,
    .pass = nullptr,
    .custom_ops = nullptr,
};

}  // namespace

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t /*minor*/) {
  // Minor versions only add fields, which struct_size guards; only the
  // major must match.
  return host_abi_major == INFER_PLUGIN_ABI_MAJOR ? &kApi : nullptr;
}

static_assert(std::is_same_v<decltype(&infer_plugin_entry), infer_plugin_entry_fn>);
