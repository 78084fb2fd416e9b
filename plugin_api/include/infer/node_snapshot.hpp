// Host-free snapshots of graph nodes, plus the small pieces every backend's ABI shell repeats.
// A snapshot copies one node's op, attributes and the type, shape and constant bytes of its
// values out of the host graph, so a backend's compiler can work (and be unit-tested with
// hand-built nodes) without a host. Inline like plugin_cxx.hpp: nothing here crosses the ABI.
#ifndef INFER_NODE_SNAPSHOT_HPP_
#define INFER_NODE_SNAPSHOT_HPP_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"

namespace infer::plugin {

// One value as a node sees it. Constants carry their dense bytes in `data`.
struct ValueSnapshot {
  size_t id = INFER_NO_VALUE;  // INFER_NO_VALUE: an absent optional input
  std::string name;
  infer_dtype dtype = INFER_DTYPE_FLOAT32;
  bool rank_known = true;
  std::vector<int64_t> dims;  // INFER_DIM_DYNAMIC where unknown
  bool is_const = false;
  std::vector<unsigned char> data;  // constants: numel() elements of dtype, else empty

  bool present() const { return id != INFER_NO_VALUE; }
  bool is_static() const {
    return rank_known && std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
  }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
  }
  // A constant whose bytes were read (an empty tensor has none to read).
  bool has_data() const { return is_const && (!data.empty() || (is_static() && numel() == 0)); }

  // float32 constant data; empty for any other dtype.
  std::vector<float> floats() const {
    if (dtype != INFER_DTYPE_FLOAT32) return {};
    std::vector<float> v(data.size() / sizeof(float));
    if (!v.empty()) std::memcpy(v.data(), data.data(), v.size() * sizeof(float));
    return v;
  }
  // Integer constant data (any width up to 64 bits), widened; empty for other dtypes.
  std::vector<int64_t> ints() const {
    std::vector<int64_t> out;
    with_int_type([&]<typename T>() {
      std::vector<T> w(data.size() / sizeof(T));
      if (!w.empty()) std::memcpy(w.data(), data.data(), w.size() * sizeof(T));
      out.assign(w.begin(), w.end());
    });
    return out;
  }

  // For hand-built constants (tests): store `v` as float32 bytes.
  void set_floats(std::span<const float> v) {
    dtype = INFER_DTYPE_FLOAT32;
    data.resize(v.size_bytes());
    if (!v.empty()) std::memcpy(data.data(), v.data(), v.size_bytes());
  }
  // For hand-built constants: store `v` narrowed to dtype, which must be an integer type.
  void set_ints(std::span<const int64_t> v) {
    const bool known = with_int_type([&]<typename T>() {
      data.resize(v.size() * sizeof(T));
      for (size_t i = 0; i < v.size(); ++i) {
        const T x = static_cast<T>(v[i]);
        std::memcpy(data.data() + i * sizeof(T), &x, sizeof(T));
      }
    });
    if (!known) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        std::string("set_ints: ") + dtype_name(dtype) + " is not an integer dtype");
    }
  }

 private:
  // Calls fn.template operator()<T>() with dtype's C type; false for a non-integer dtype.
  template <typename Fn>
  bool with_int_type(Fn&& fn) const {
    switch (dtype) {
      case INFER_DTYPE_INT8:
        fn.template operator()<int8_t>();
        return true;
      case INFER_DTYPE_UINT8:
        fn.template operator()<uint8_t>();
        return true;
      case INFER_DTYPE_INT16:
        fn.template operator()<int16_t>();
        return true;
      case INFER_DTYPE_UINT16:
        fn.template operator()<uint16_t>();
        return true;
      case INFER_DTYPE_INT32:
        fn.template operator()<int32_t>();
        return true;
      case INFER_DTYPE_UINT32:
        fn.template operator()<uint32_t>();
        return true;
      case INFER_DTYPE_INT64:
      case INFER_DTYPE_UINT64:  // values above INT64_MAX wrap
        fn.template operator()<int64_t>();
        return true;
      default:
        return false;
    }
  }
};

// One attribute; `type` says which field holds its value.
struct AttrSnapshot {
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
};

struct NodeSnapshot {
  size_t id = INFER_NO_NODE;  // the node's id in the host graph
  std::string op_type;
  std::string domain;
  std::string name;
  int64_t opset = 21;  // the graph's default-domain opset
  std::vector<ValueSnapshot> inputs;
  std::vector<ValueSnapshot> outputs;
  std::map<std::string, AttrSnapshot> attrs;

  bool has_input(size_t i) const { return i < inputs.size() && inputs[i].present(); }
  const AttrSnapshot* attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
  }
  int64_t attr_int(const std::string& key, int64_t fallback) const {
    const AttrSnapshot* a = attr(key);
    return a && a->type == INFER_ATTR_INT ? a->i : fallback;
  }
  float attr_float(const std::string& key, float fallback) const {
    const AttrSnapshot* a = attr(key);
    return a && a->type == INFER_ATTR_FLOAT ? a->f : fallback;
  }
  std::vector<int64_t> attr_ints(const std::string& key, std::vector<int64_t> fallback) const {
    const AttrSnapshot* a = attr(key);
    return a && a->type == INFER_ATTR_INTS ? a->ints : fallback;
  }
  std::vector<float> attr_floats(const std::string& key, std::vector<float> fallback) const {
    const AttrSnapshot* a = attr(key);
    return a && a->type == INFER_ATTR_FLOATS ? a->floats : fallback;
  }
  std::string attr_string(const std::string& key, std::string fallback) const {
    const AttrSnapshot* a = attr(key);
    return a && a->type == INFER_ATTR_STRING ? a->s : fallback;
  }
  // "Conv node 'conv1'" for messages.
  std::string describe() const { return op_type + " node '" + name + "'"; }
};

// Throws a non-null host status as PluginError (releasing it), so guard() reports it unchanged.
inline void check_status(const infer_host_api* host, infer_status* st) {
  if (!st) return;
  PluginError e(host->status_code(st), host->status_message(st));
  host->status_release(st);
  throw e;
}

// The graph's default-domain opset; a graph built by hand imports none: current semantics.
inline int64_t default_opset(const infer_host_api* host, const infer_graph* g) {
  const int64_t opset = host->graph_opset(g, "");
  return opset > 0 ? opset : 21;
}

// Value `id` (INFER_NO_VALUE gives an absent one). Constant bytes are kept only when they
// match the shape and dtype exactly, so floats()/ints() never read a short buffer.
inline ValueSnapshot read_value_snapshot(const infer_host_api* host, const infer_graph* g,
                                         size_t id) {
  ValueSnapshot v;
  if (id == INFER_NO_VALUE) return v;
  if (id >= host->graph_value_count(g))
    throw PluginError(INFER_INVALID_ARGUMENT, "unknown value id " + std::to_string(id));
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
    const size_t es = dtype_size(t.dtype);
    if (es && t.nbytes == static_cast<size_t>(v.numel()) * es && (t.nbytes == 0 || t.data)) {
      const auto* p = static_cast<const unsigned char*>(t.data);
      v.data.assign(p, p + t.nbytes);
    }
  }
  return v;
}

inline NodeSnapshot read_node_snapshot(const infer_host_api* host, const infer_graph* g,
                                       size_t node) {
  const NodeView view(host, g, node);
  NodeSnapshot n;
  n.id = node;
  n.op_type = view.op_type();
  n.domain = view.domain();
  n.name = view.name();
  n.opset = default_opset(host, g);
  for (size_t i = 0; i < view.input_count(); ++i)
    n.inputs.push_back(read_value_snapshot(host, g, view.input(i)));
  for (size_t i = 0; i < view.output_count(); ++i)
    n.outputs.push_back(read_value_snapshot(host, g, view.output(i)));
  for (size_t i = 0; i < host->node_attr_count(g, node); ++i) {
    const char* key = host->node_attr_name(g, node, i);
    infer_attr_view a{};
    if (!key || !host->node_attr(g, node, key, &a)) continue;
    AttrSnapshot d;
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

// --- ABI-shell helpers shared by the backends ---

// describe_partition's contract: copy what fits (NUL-terminated), return the full length.
inline size_t copy_report_text(const std::string& text, char* buf, size_t len) {
  if (buf && len) {
    const size_t n = std::min(len - 1, text.size());
    std::memcpy(buf, text.data(), n);
    buf[n] = '\0';
  }
  return text.size();
}

// A whole describe_partition: the text `make()` builds, copied as above; an exception gives
// an empty account (harmless in a report) rather than crossing the ABI.
template <typename Make>
size_t describe_with(Make&& make, char* buf, size_t len) noexcept {
  try {
    return copy_report_text(make(), buf, len);
  } catch (...) {
    return 0;
  }
}

// The table of a plugin that is a backend and nothing else.
constexpr infer_plugin_api backend_plugin_table(void (*probe)(infer_plugin_probe*),
                                                infer_status* (*init)(const infer_host_api*,
                                                                      const infer_config*, void**),
                                                void (*shutdown)(void*),
                                                const infer_backend_api* backend) {
  return infer_plugin_api{
      .struct_size = sizeof(infer_plugin_api),
      .abi_major = INFER_PLUGIN_ABI_MAJOR,
      .abi_minor = INFER_PLUGIN_ABI_MINOR,
      .probe = probe,
      .init = init,
      .shutdown = shutdown,
      .frontend = nullptr,
      .backend = backend,
      .pass = nullptr,
      .custom_ops = nullptr,
  };
}

// probe's contract: write only the fields the host's struct has room for.
inline void write_probe(infer_plugin_probe p, infer_plugin_probe* out) {
  p.struct_size = std::min(out->struct_size, sizeof(p));
  std::memcpy(out, &p, p.struct_size);
}

// init's check: same major, and a host table reaching at least `needed` bytes (offsetof the
// newest entry used + its size).
inline void check_host_abi(const infer_host_api* host, size_t needed, const std::string& who) {
  if (host->abi_major != INFER_PLUGIN_ABI_MAJOR || host->struct_size < needed) {
    throw PluginError(INFER_ABI_MISMATCH, who + ": host ABI " + std::to_string(host->abi_major) +
                                              "." + std::to_string(host->abi_minor) +
                                              " is not compatible with " +
                                              std::to_string(INFER_PLUGIN_ABI_MAJOR) + "." +
                                              std::to_string(INFER_PLUGIN_ABI_MINOR));
  }
}

// Node ids handed to get_capability/compile must exist in `g`.
inline void check_node_ids(const infer_host_api* host, const infer_graph* g, const size_t* nodes,
                           size_t n, const std::string& who) {
  if (n && !nodes) throw PluginError(INFER_INVALID_ARGUMENT, who + ": node list is null");
  const size_t count = host->graph_node_count(g);
  for (size_t id : std::span(nodes, n)) {
    if (id >= count) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        who + ": node id " + std::to_string(id) + " is out of range");
    }
  }
}

// What compile() is handed, checked and read: the nodes and the boundary values.
struct PartitionSnapshot {
  std::vector<NodeSnapshot> nodes;
  std::vector<ValueSnapshot> inputs, outputs;
};

inline PartitionSnapshot read_partition_snapshot(const infer_host_api* host, const infer_graph* g,
                                                 const size_t* nodes, size_t n_nodes,
                                                 const size_t* inputs, size_t n_inputs,
                                                 const size_t* outputs, size_t n_outputs,
                                                 const std::string& who) {
  check_node_ids(host, g, nodes, n_nodes, who);
  if ((n_inputs && !inputs) || (n_outputs && !outputs))
    throw PluginError(INFER_INVALID_ARGUMENT, who + ": boundary value list is null");
  PartitionSnapshot p;
  for (size_t i = 0; i < n_nodes; ++i) p.nodes.push_back(read_node_snapshot(host, g, nodes[i]));
  for (size_t i = 0; i < n_inputs; ++i) p.inputs.push_back(read_value_snapshot(host, g, inputs[i]));
  for (size_t i = 0; i < n_outputs; ++i)
    p.outputs.push_back(read_value_snapshot(host, g, outputs[i]));
  return p;
}

// get_capability's loop for backends that judge one snapshot at a time: `why(snapshot)` returns
// "" to claim the node, else the refusal; a node that cannot be read is refused, not fatal.
template <typename Why>
void claim_or_refuse(const infer_host_api* host, const infer_graph* g,
                     std::span<const size_t> nodes, infer_capability* cap, Why&& why) {
  for (size_t id : nodes) {
    std::string reason;
    try {
      reason = why(read_node_snapshot(host, g, id));
    } catch (const PluginError& e) {
      reason = NodeView(host, g, id).describe() + ": " + e.message;
    }
    if (reason.empty()) {
      host->capability_claim(cap, id, 0);
    } else {
      host->capability_refuse(cap, id, reason.c_str());
    }
  }
}

}  // namespace infer::plugin

#endif  // INFER_NODE_SNAPSHOT_HPP_
