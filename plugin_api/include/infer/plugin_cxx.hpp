// Header-only C++ conveniences over plugin_api.h for plugin authors.
// Everything here is inline and lives inside the plugin: no C++ type crosses
// the ABI. Use it or ignore it; the C header is the contract.
#ifndef INFER_PLUGIN_CXX_HPP_
#define INFER_PLUGIN_CXX_HPP_

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "infer/plugin_api.h"

namespace infer::plugin {

// Makes an infer_status* through the host (NULL host -> NULL, so only use
// after init).
inline infer_status* make_status(const infer_host_api* host, infer_status_code code,
                                 const std::string& message) {
  return host->status_create(code, message.c_str());
}

// Thrown inside a plugin and turned into infer_status* at the ABI edge by
// guard(); never let it escape an exported function.
struct PluginError : std::exception {
  infer_status_code code;
  std::string message;
  PluginError(infer_status_code c, std::string m) : code(c), message(std::move(m)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

// Runs `fn` and converts any exception to a status: the catch-all every ABI
// entry needs.
template <typename Fn>
infer_status* guard(const infer_host_api* host, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const PluginError& e) {
    return host->status_create(e.code, e.message.c_str());
  } catch (const std::bad_alloc&) {
    return host->status_create(INFER_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return host->status_create(INFER_INTERNAL, e.what());
  } catch (...) {
    return host->status_create(INFER_INTERNAL, "unknown exception in plugin");
  }
}

// Size in bytes of one element, 0 for non fixed-size types.
inline size_t dtype_size(infer_dtype t) {
  switch (t) {
    case INFER_DTYPE_BOOL:
    case INFER_DTYPE_UINT8:
    case INFER_DTYPE_INT8:
    case INFER_DTYPE_FLOAT8E4M3FN:
    case INFER_DTYPE_FLOAT8E4M3FNUZ:
    case INFER_DTYPE_FLOAT8E5M2:
    case INFER_DTYPE_FLOAT8E5M2FNUZ:
      return 1;
    case INFER_DTYPE_UINT16:
    case INFER_DTYPE_INT16:
    case INFER_DTYPE_FLOAT16:
    case INFER_DTYPE_BFLOAT16:
      return 2;
    case INFER_DTYPE_FLOAT32:
    case INFER_DTYPE_INT32:
    case INFER_DTYPE_UINT32:
      return 4;
    case INFER_DTYPE_FLOAT64:
    case INFER_DTYPE_INT64:
    case INFER_DTYPE_UINT64:
      return 8;
    default:
      return 0;
  }
}

inline const char* dtype_name(infer_dtype t) {
  switch (t) {
    case INFER_DTYPE_FLOAT32:
      return "float32";
    case INFER_DTYPE_UINT8:
      return "uint8";
    case INFER_DTYPE_INT8:
      return "int8";
    case INFER_DTYPE_UINT16:
      return "uint16";
    case INFER_DTYPE_INT16:
      return "int16";
    case INFER_DTYPE_INT32:
      return "int32";
    case INFER_DTYPE_INT64:
      return "int64";
    case INFER_DTYPE_STRING:
      return "string";
    case INFER_DTYPE_BOOL:
      return "bool";
    case INFER_DTYPE_FLOAT16:
      return "float16";
    case INFER_DTYPE_FLOAT64:
      return "float64";
    case INFER_DTYPE_UINT32:
      return "uint32";
    case INFER_DTYPE_UINT64:
      return "uint64";
    case INFER_DTYPE_BFLOAT16:
      return "bfloat16";
    case INFER_DTYPE_FLOAT8E4M3FN:
      return "float8e4m3fn";
    case INFER_DTYPE_FLOAT8E4M3FNUZ:
      return "float8e4m3fnuz";
    case INFER_DTYPE_FLOAT8E5M2:
      return "float8e5m2";
    case INFER_DTYPE_FLOAT8E5M2FNUZ:
      return "float8e5m2fnuz";
    default:
      return "undefined";
  }
}

// Read-only view of one node through the host API.
class NodeView {
 public:
  NodeView(const infer_host_api* host, const infer_graph* g, size_t node)
      : host_(host), g_(g), node_(node) {}

  size_t id() const { return node_; }
  const infer_host_api* host() const { return host_; }
  const infer_graph* graph() const { return g_; }
  std::string_view op_type() const { return host_->node_op_type(g_, node_); }
  std::string_view domain() const { return host_->node_domain(g_, node_); }
  std::string_view name() const { return host_->node_name(g_, node_); }
  size_t input_count() const { return host_->node_input_count(g_, node_); }
  size_t output_count() const { return host_->node_output_count(g_, node_); }
  size_t input(size_t i) const { return host_->node_input(g_, node_, i); }
  size_t output(size_t i) const { return host_->node_output(g_, node_, i); }
  bool has_input(size_t i) const { return i < input_count() && input(i) != INFER_NO_VALUE; }

  std::optional<infer_attr_view> attr(const char* name) const {
    infer_attr_view v{};
    if (host_->node_attr(g_, node_, name, &v)) return v;
    return std::nullopt;
  }
  int64_t attr_int(const char* name, int64_t fallback) const {
    auto a = attr(name);
    return a && a->type == INFER_ATTR_INT ? a->i : fallback;
  }
  float attr_float(const char* name, float fallback) const {
    auto a = attr(name);
    return a && a->type == INFER_ATTR_FLOAT ? a->f : fallback;
  }
  std::string attr_string(const char* name, std::string fallback) const {
    auto a = attr(name);
    return a && a->type == INFER_ATTR_STRING ? std::string(a->s, a->s_len) : fallback;
  }
  std::vector<int64_t> attr_ints(const char* name, std::vector<int64_t> fallback = {}) const {
    auto a = attr(name);
    if (!a || a->type != INFER_ATTR_INTS) return fallback;
    return std::vector<int64_t>(a->ints, a->ints + a->count);
  }
  std::vector<float> attr_floats(const char* name, std::vector<float> fallback = {}) const {
    auto a = attr(name);
    if (!a || a->type != INFER_ATTR_FLOATS) return fallback;
    return std::vector<float>(a->floats, a->floats + a->count);
  }

  // Value description of input/output i (struct_size set for you).
  infer_value_info value(size_t value_id) const {
    infer_value_info info{};
    info.struct_size = sizeof(info);
    if (infer_status* st = host_->value_info(g_, value_id, &info)) {
      std::string msg = host_->status_message(st);
      host_->status_release(st);
      throw PluginError(INFER_INVALID_MODEL, msg);
    }
    return info;
  }

  // "Conv 'conv1'" for error messages.
  std::string describe() const {
    std::string s(op_type());
    s += " node '";
    s += name();
    s += "'";
    return s;
  }

 private:
  const infer_host_api* host_;
  const infer_graph* g_;
  size_t node_;
};

}  // namespace infer::plugin

#endif  // INFER_PLUGIN_CXX_HPP_
