// A host-free copy of the graph facts npu_sim needs about one node: op type, attributes and
// the type, shape and (for constants) data of every input and output. plugin.cc fills it from
// the host API; the tests build it by hand.
#ifndef INFER_PLUGINS_NPU_SIM_NODE_DESC_H_
#define INFER_PLUGINS_NPU_SIM_NODE_DESC_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "infer/plugin_api.h"

namespace infer::npu_sim {

struct ValueDesc {
  size_t id = INFER_NO_VALUE;  // INFER_NO_VALUE: an absent optional input
  std::string name;
  infer_dtype dtype = INFER_DTYPE_FLOAT32;
  bool rank_known = true;
  std::vector<int64_t> dims;  // INFER_DIM_DYNAMIC where unknown
  bool is_const = false;
  bool has_data = false;  // constants only: f32 or i64 below holds the values
  std::vector<float> f32;
  std::vector<int64_t> i64;

  bool present() const { return id != INFER_NO_VALUE; }
};

struct AttrDesc {
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
};

struct NodeDesc {
  std::string op_type;
  std::string domain;
  std::string name;
  std::vector<ValueDesc> inputs;
  std::vector<ValueDesc> outputs;
  std::map<std::string, AttrDesc> attrs;

  const AttrDesc* attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
  }
  int64_t attr_int(const std::string& key, int64_t fallback) const {
    const AttrDesc* a = attr(key);
    return a && a->type == INFER_ATTR_INT ? a->i : fallback;
  }
  float attr_float(const std::string& key, float fallback) const {
    const AttrDesc* a = attr(key);
    return a && a->type == INFER_ATTR_FLOAT ? a->f : fallback;
  }
  std::vector<int64_t> attr_ints(const std::string& key, std::vector<int64_t> fallback) const {
    const AttrDesc* a = attr(key);
    return a && a->type == INFER_ATTR_INTS ? a->ints : fallback;
  }
  std::string attr_string(const std::string& key, std::string fallback) const {
    const AttrDesc* a = attr(key);
    return a && a->type == INFER_ATTR_STRING ? a->s : fallback;
  }
  // "Conv node 'conv1'" for messages.
  std::string describe() const { return op_type + " node '" + name + "'"; }
};

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_NODE_DESC_H_
