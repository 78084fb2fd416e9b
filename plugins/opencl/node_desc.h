// Host-free facts about one node (op, attributes, and type/shape/constant data of its values):
// plugin.cc fills them from the host graph, the tests build them by hand.
#ifndef INFER_PLUGINS_OPENCL_NODE_DESC_H_
#define INFER_PLUGINS_OPENCL_NODE_DESC_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "infer/plugin_api.h"

namespace infer::opencl {

struct Value {
  size_t id = INFER_NO_VALUE;  // INFER_NO_VALUE: an absent optional input
  std::string name;
  infer_dtype dtype = INFER_DTYPE_FLOAT32;
  bool rank_known = true;
  std::vector<int64_t> dims;  // INFER_DIM_DYNAMIC where unknown
  bool is_const = false;
  std::vector<unsigned char> data;  // constants: the dense bytes

  bool present() const { return id != INFER_NO_VALUE; }
  bool is_static() const {
    if (!rank_known) return false;
    for (int64_t d : dims)
      if (d < 0) return false;
    return true;
  }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
  }
  std::vector<float> floats() const {
    std::vector<float> v(data.size() / sizeof(float));
    if (dtype == INFER_DTYPE_FLOAT32 && !v.empty()) std::memcpy(v.data(), data.data(), data.size());
    return v;
  }
  // int64 or int32 constant data, widened.
  std::vector<int64_t> ints() const {
    std::vector<int64_t> v;
    if (dtype == INFER_DTYPE_INT64) {
      v.resize(data.size() / 8);
      if (!v.empty()) std::memcpy(v.data(), data.data(), v.size() * 8);
    } else if (dtype == INFER_DTYPE_INT32) {
      std::vector<int32_t> w(data.size() / 4);
      if (!w.empty()) std::memcpy(w.data(), data.data(), w.size() * 4);
      v.assign(w.begin(), w.end());
    }
    return v;
  }
};

struct Attr {
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
};

struct Node {
  std::string op_type;
  std::string domain;
  std::string name;
  int64_t opset = 21;  // of the node's domain
  std::vector<Value> inputs;
  std::vector<Value> outputs;
  std::map<std::string, Attr> attrs;

  bool has_input(size_t i) const { return i < inputs.size() && inputs[i].present(); }
  const Attr* attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
  }
  int64_t attr_int(const std::string& key, int64_t fallback) const {
    const Attr* a = attr(key);
    return a && a->type == INFER_ATTR_INT ? a->i : fallback;
  }
  float attr_float(const std::string& key, float fallback) const {
    const Attr* a = attr(key);
    return a && a->type == INFER_ATTR_FLOAT ? a->f : fallback;
  }
  std::vector<int64_t> attr_ints(const std::string& key, std::vector<int64_t> fallback) const {
    const Attr* a = attr(key);
    return a && a->type == INFER_ATTR_INTS ? a->ints : fallback;
  }
  std::string attr_string(const std::string& key, std::string fallback) const {
    const Attr* a = attr(key);
    return a && a->type == INFER_ATTR_STRING ? a->s : fallback;
  }
  // "Conv node 'conv1'" for messages.
  std::string describe() const { return op_type + " node '" + name + "'"; }
};

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_NODE_DESC_H_
