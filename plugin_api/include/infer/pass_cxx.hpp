// Header-only C++ helpers for writing graph optimisation passes over the host
// API (plugin_api.h, ABI 1.2). Like plugin_cxx.hpp it is optional: everything
// here is inline and calls only the C host table.
//
// Errors from the host are thrown as PluginError; the pass entry point wraps
// its body in plugin::guard() so they reach the host as a status.
#ifndef INFER_PASS_CXX_HPP_
#define INFER_PASS_CXX_HPP_

#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "infer/plugin_cxx.hpp"

namespace infer::plugin {

// Throws the status as a PluginError (and releases it) if it is an error.
inline void check(const infer_host_api* host, infer_status* st) {
  if (st == nullptr) return;
  PluginError e(host->status_code(st), host->status_message(st));
  host->status_release(st);
  throw e;
}

// A dense constant read from the graph: float data is the common case passes
// need (folding weights), so it is offered directly.
struct ConstantView {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> shape;
  const void* data = nullptr;
  size_t nbytes = 0;

  size_t element_count() const {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
  }
  template <typename T>
  std::span<const T> as() const {
    return {static_cast<const T*>(data), nbytes / sizeof(T)};
  }
};

// A mutable graph seen through the host API.
class GraphEditor {
 public:
  GraphEditor(const infer_host_api* host, infer_graph* g) : host_(host), g_(g) {}

  const infer_host_api* host() const { return host_; }
  infer_graph* graph() const { return g_; }

  // --- reading -------------------------------------------------------------
  size_t node_count() const { return host_->graph_node_count(g_); }
  NodeView node(size_t id) const { return NodeView(host_, g_, id); }
  // False for removed nodes (node_op_type returns "" for them).
  bool alive(size_t id) const {
    const char* op = host_->node_op_type(g_, id);
    return op != nullptr && *op != '\0';
  }
  bool is_op(size_t id, std::string_view op_type, std::string_view domain = "") const {
    if (!alive(id)) return false;
    const NodeView n = node(id);
    std::string_view d = n.domain();
    if (d == "ai.onnx") d = "";
    return n.op_type() == op_type && d == domain;
  }
  std::string_view backend(size_t id) const { return host_->node_backend(g_, id); }

  infer_value_info value(size_t v) const {
    infer_value_info info{};
    info.struct_size = sizeof(info);
    check(host_, host_->value_info(g_, v, &info));
    return info;
  }
  std::string value_name(size_t v) const { return value(v).name; }
  bool is_constant(size_t v) const { return v != INFER_NO_VALUE && value(v).is_constant; }
  bool is_graph_output(size_t v) const { return value(v).is_graph_output; }
  std::optional<ConstantView> constant(size_t v) const {
    if (v == INFER_NO_VALUE) return std::nullopt;
    infer_value_info info = value(v);
    if (!info.is_constant) return std::nullopt;
    ConstantView c;
    c.dtype = info.constant.dtype;
    c.shape.assign(info.constant.shape, info.constant.shape + info.constant.rank);
    c.data = info.constant.data;
    c.nbytes = info.constant.nbytes;
    return c;
  }
  // Known static shape of a value, or nullopt if its rank or any dim is unknown.
  std::optional<std::vector<int64_t>> static_shape(size_t v) const {
    infer_value_info info = value(v);
    if (info.rank == INFER_RANK_UNKNOWN) return std::nullopt;
    std::vector<int64_t> dims(info.dims, info.dims + info.rank);
    for (int64_t d : dims) {
      if (d < 0) return std::nullopt;
    }
    return dims;
  }
  // True if the constant is a single value (any broadcastable shape) equal to x.
  bool is_scalar_constant(size_t v, double x) const;

  size_t producer(size_t v) const { return host_->value_producer(g_, v); }
  std::vector<size_t> consumers(size_t v) const {
    std::vector<size_t> out(host_->value_consumer_count(g_, v));
    for (size_t i = 0; i < out.size(); ++i) out[i] = host_->value_consumer(g_, v, i);
    return out;
  }
  // The only consumer of v, if v has exactly one read and is not a graph output.
  std::optional<size_t> single_consumer(size_t v) const {
    if (is_graph_output(v)) return std::nullopt;
    std::vector<size_t> c = consumers(v);
    if (c.size() != 1) return std::nullopt;
    return c.front();
  }

  // --- rewriting -----------------------------------------------------------
  void remove_node(size_t id) { check(host_, host_->graph_remove_node(g_, id)); }
  void set_input(size_t node, size_t i, size_t v) {
    check(host_, host_->node_set_input(g_, node, i, v));
  }
  void replace_uses(size_t from, size_t to) {
    check(host_, host_->graph_replace_uses(g_, from, to));
  }
  // Folds a node with constant inputs; false (graph unchanged) if no backend can run it.
  bool try_fold(size_t node) {
    infer_status* st = host_->graph_fold_node(g_, node);
    if (st == nullptr) return true;
    host_->status_release(st);
    return false;
  }
  void remove_initializer(size_t v) { check(host_, host_->graph_remove_initializer(g_, v)); }
  std::string unique_name(const std::string& prefix) {
    return host_->graph_unique_name(g_, prefix.c_str());
  }

  size_t add_value(const std::string& name, infer_dtype dtype,
                   std::optional<std::vector<int64_t>> shape = std::nullopt) {
    size_t id = INFER_NO_VALUE;
    check(host_, host_->graph_add_value(g_, name.c_str(), dtype,
                                        shape ? shape->size() : INFER_RANK_UNKNOWN,
                                        shape ? shape->data() : nullptr, nullptr, &id));
    return id;
  }
  size_t add_initializer(const std::string& name, infer_dtype dtype,
                         const std::vector<int64_t>& shape, const void* data, size_t nbytes) {
    size_t id = INFER_NO_VALUE;
    check(host_, host_->graph_add_initializer(g_, name.c_str(), dtype, shape.size(), shape.data(),
                                              data, nbytes, &id));
    return id;
  }
  size_t add_float_initializer(const std::string& prefix, const std::vector<int64_t>& shape,
                               const std::vector<float>& data) {
    return add_initializer(unique_name(prefix), INFER_DTYPE_FLOAT32, shape, data.data(),
                           data.size() * sizeof(float));
  }
  size_t add_node(const std::string& op_type, const std::string& domain, const std::string& name,
                  const std::vector<size_t>& inputs, const std::vector<size_t>& outputs) {
    size_t id = INFER_NO_VALUE;
    check(host_,
          host_->graph_add_node(g_, op_type.c_str(), domain.c_str(), name.c_str(), inputs.data(),
                                inputs.size(), outputs.data(), outputs.size(), &id));
    return id;
  }
  // Copies every attribute of node `from` onto node `to`.
  void copy_attributes(size_t from, size_t to);
  void set_attr(size_t node, const char* name, int64_t v) {
    check(host_, host_->node_set_attr_int(g_, node, name, v));
  }
  void set_attr(size_t node, const char* name, float v) {
    check(host_, host_->node_set_attr_float(g_, node, name, v));
  }
  void set_attr(size_t node, const char* name, const std::string& v) {
    check(host_, host_->node_set_attr_string(g_, node, name, v.data(), v.size()));
  }
  void set_attr(size_t node, const char* name, const std::vector<int64_t>& v) {
    check(host_, host_->node_set_attr_ints(g_, node, name, v.data(), v.size()));
  }
  void set_attr(size_t node, const char* name, const std::vector<float>& v) {
    check(host_, host_->node_set_attr_floats(g_, node, name, v.data(), v.size()));
  }
  void set_opset(const char* domain, int64_t version) {
    check(host_, host_->graph_set_opset(g_, domain, version));
  }

 private:
  const infer_host_api* host_;
  infer_graph* g_;
};

inline bool GraphEditor::is_scalar_constant(size_t v, double x) const {
  std::optional<ConstantView> c = constant(v);
  if (!c || c->element_count() != 1) return false;
  switch (c->dtype) {
    case INFER_DTYPE_FLOAT32:
      return c->as<float>()[0] == static_cast<float>(x);
    case INFER_DTYPE_FLOAT64:
      return c->as<double>()[0] == x;
    case INFER_DTYPE_INT32:
      return c->as<int32_t>()[0] == static_cast<int32_t>(x);
    case INFER_DTYPE_INT64:
      return c->as<int64_t>()[0] == static_cast<int64_t>(x);
    default:
      return false;
  }
}

inline void GraphEditor::copy_attributes(size_t from, size_t to) {
  const size_t n = host_->node_attr_count(g_, from);
  for (size_t i = 0; i < n; ++i) {
    const char* name = host_->node_attr_name(g_, from, i);
    infer_attr_view a{};
    if (!host_->node_attr(g_, from, name, &a)) continue;
    switch (a.type) {
      case INFER_ATTR_INT:
        set_attr(to, name, a.i);
        break;
      case INFER_ATTR_FLOAT:
        set_attr(to, name, a.f);
        break;
      case INFER_ATTR_STRING:
        set_attr(to, name, std::string(a.s, a.s_len));
        break;
      case INFER_ATTR_INTS:
        set_attr(to, name, std::vector<int64_t>(a.ints, a.ints + a.count));
        break;
      case INFER_ATTR_FLOATS:
        set_attr(to, name, std::vector<float>(a.floats, a.floats + a.count));
        break;
      case INFER_ATTR_STRINGS:
        check(host_, host_->node_set_attr_strings(g_, to, name, a.strings, a.count));
        break;
      case INFER_ATTR_TENSOR:
        check(host_, host_->node_set_attr_tensor(g_, to, name, &a.tensor));
        break;
      default:
        throw PluginError(INFER_UNIMPLEMENTED,
                          std::string("cannot copy graph attribute '") + name + "'");
    }
  }
}

// --- a plugin made of passes --------------------------------------------------
// One pass: `run` rewrites the graph and returns how many nodes it changed.
// Throw PluginError for a failure; the host then restores the graph.
struct PassDef {
  const char* name;
  int32_t level;        // infer_opt_level
  const char* backend;  // nullptr for level-1 passes
  int32_t order;        // within the level
  size_t (*run)(GraphEditor& g, const infer_config* cfg);
};

struct PassLibrary {
  const infer_host_api* host = nullptr;
  std::span<const PassDef> passes;
};

// init() of a pass plugin: checks that the host has the ABI 1.2 pass functions.
inline infer_status* init_pass_library(const infer_host_api* host, std::span<const PassDef> passes,
                                       void** out_state) {
  constexpr size_t kNeeded = offsetof(infer_host_api, graph_unique_name) + sizeof(void*);
  if (host->struct_size < kNeeded) {
    return host->status_create(INFER_FAILED_PRECONDITION,
                               "the host is older than plugin ABI 1.2 and cannot run passes");
  }
  *out_state = new PassLibrary{host, passes};
  return nullptr;
}
inline void shutdown_pass_library(void* state) { delete static_cast<PassLibrary*>(state); }

// The infer_pass_api table over a PassLibrary state.
inline const infer_pass_api* pass_library_api() {
  static const infer_pass_api api = {
      .struct_size = sizeof(infer_pass_api),
      .pass_count = [](void* state) { return static_cast<PassLibrary*>(state)->passes.size(); },
      .pass_info =
          [](void* state, size_t index, infer_pass_info* out) {
            const PassDef& d = static_cast<PassLibrary*>(state)->passes[index];
            out->name = d.name;
            out->level = d.level;
            out->backend = d.backend;
            if (out->struct_size >= offsetof(infer_pass_info, order) + sizeof(int32_t)) {
              out->order = d.order;
            }
          },
      .pass_run = [](void* state, size_t index, infer_graph* g, const infer_config* cfg,
                     size_t* out_changed) -> infer_status* {
        auto* lib = static_cast<PassLibrary*>(state);
        return guard(lib->host, [&]() -> infer_status* {
          GraphEditor editor(lib->host, g);
          *out_changed = lib->passes[index].run(editor, cfg);
          return nullptr;
        });
      }};
  return &api;
}

}  // namespace infer::plugin

// Defines the whole plugin (probe, init, shutdown and the exported entry
// symbol) for a library whose only content is the PassDef array `PASSES`.
// Use once, at global scope, in one .cc file of the library.
#define INFER_DEFINE_PASS_PLUGIN(NAME, DESCRIPTION, PASSES)                                  \
  namespace infer_pass_plugin_detail {                                                       \
  static void probe(infer_plugin_probe* out) {                                               \
    infer_plugin_probe p{};                                                                  \
    p.struct_size = out->struct_size < sizeof(p) ? out->struct_size : sizeof(p);             \
    p.name = NAME;                                                                           \
    p.vendor = "infer";                                                                      \
    p.version = "0.1.0";                                                                     \
    p.description = DESCRIPTION;                                                             \
    p.kinds = INFER_PLUGIN_PASS;                                                             \
    p.score = 1;                                                                             \
    std::memcpy(out, &p, p.struct_size);                                                     \
  }                                                                                          \
  static infer_status* init(const infer_host_api* host, const infer_config*, void** state) { \
    return ::infer::plugin::init_pass_library(host, PASSES, state);                          \
  }                                                                                          \
  static const infer_plugin_api* api() {                                                     \
    static const infer_plugin_api table = {                                                  \
        .struct_size = sizeof(infer_plugin_api),                                             \
        .abi_major = INFER_PLUGIN_ABI_MAJOR,                                                 \
        .abi_minor = INFER_PLUGIN_ABI_MINOR,                                                 \
        .probe = &probe,                                                                     \
        .init = &init,                                                                       \
        .shutdown = &::infer::plugin::shutdown_pass_library,                                 \
        .frontend = nullptr,                                                                 \
        .backend = nullptr,                                                                  \
        .pass = ::infer::plugin::pass_library_api(),                                         \
        .custom_ops = nullptr,                                                               \
    };                                                                                       \
    return &table;                                                                           \
  }                                                                                          \
  }                                                                                          \
  extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t major,  \
                                                                            uint32_t) {      \
    return major == INFER_PLUGIN_ABI_MAJOR ? infer_pass_plugin_detail::api() : nullptr;      \
  }

#endif  // INFER_PASS_CXX_HPP_
