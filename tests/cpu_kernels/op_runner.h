// Runs one ONNX node through the cpu plugin's ABI (dlopen, compile, run) with typed tensors,
// so that operator tests see exactly what a model sees: attribute checks, dtype dispatch,
// run-time shape checks and their error statuses.
#ifndef INFER_TESTS_CPU_KERNELS_OP_RUNNER_H_
#define INFER_TESTS_CPU_KERNELS_OP_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "infer/plugin_api.h"
#include "kernels/dtype.h"

namespace infer::cpu::test {

// A dense tensor of any dtype; dtype UNDEFINED stands for an absent optional input.
struct OpTensor {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;

  // Element by element, so that std::vector<bool> works too.
  template <typename T>
  static OpTensor of(std::vector<int64_t> shape, const std::vector<T>& values) {
    OpTensor t{dtype_of<T>(), std::move(shape), std::vector<std::byte>(values.size() * sizeof(T))};
    for (size_t i = 0; i < values.size(); ++i) {
      const T v = values[i];
      std::memcpy(t.bytes.data() + i * sizeof(T), &v, sizeof(T));
    }
    return t;
  }
  template <typename T>
  std::vector<T> values() const {
    std::vector<T> out;
    for (size_t i = 0; i + sizeof(T) <= bytes.size(); i += sizeof(T)) {
      T v;
      std::memcpy(&v, bytes.data() + i, sizeof(T));
      out.push_back(v);
    }
    return out;
  }
};

inline OpTensor absent() { return {}; }

struct OpAttr {
  std::string name;
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats = {};
};
inline OpAttr attr(const char* name, int64_t v) { return {name, INFER_ATTR_INT, v, 0, {}, {}}; }
inline OpAttr attr(const char* name, float v) { return {name, INFER_ATTR_FLOAT, 0, v, {}, {}}; }
inline OpAttr attr(const char* name, const char* v) {
  return {name, INFER_ATTR_STRING, 0, 0, v, {}};
}
inline OpAttr attr(const char* name, std::vector<float> v) {
  return {name, INFER_ATTR_FLOATS, 0, 0, {}, {}, std::move(v)};
}

struct OpResult {
  infer_status_code code = INFER_OK;
  std::string message;  // of the failing step (capability, compile or run)
  std::vector<OpTensor> outputs;
};

struct OpRunOptions {
  int64_t opset = 21;       // of `domain`
  std::string domain = {};  // "" = default ONNX domain, else e.g. "com.infer"
  size_t outputs = 1;
  // Declare the inputs with unknown type and rank, as a dynamically shaped model would.
  bool unknown_inputs = false;
};

// Capability, compile and run of a single node `op_type` (options.domain) on `inputs`.
// The plugin must have been built (INFER_CPU_PLUGIN_PATH); fails the test otherwise.
OpResult run_op(const std::string& op_type, const std::vector<OpTensor>& inputs,
                const std::vector<OpAttr>& attrs = {}, const OpRunOptions& options = {});

}  // namespace infer::cpu::test

#endif  // INFER_TESTS_CPU_KERNELS_OP_RUNNER_H_
