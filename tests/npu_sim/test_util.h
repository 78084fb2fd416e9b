// Helpers for the npu_sim tests: hand-built nodes, running a small network through the
// compiler and executor, and fp16-aware comparison.
#ifndef INFER_TESTS_NPU_SIM_TEST_UTIL_H_
#define INFER_TESTS_NPU_SIM_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "compiler.h"
#include "executor.h"
#include "fp16.h"
#include "network.h"

namespace infer::npu_sim::test {

inline AttrSnapshot attr_i(int64_t v) {
  AttrSnapshot a;
  a.type = INFER_ATTR_INT;
  a.i = v;
  return a;
}
inline AttrSnapshot attr_f(float v) {
  AttrSnapshot a;
  a.type = INFER_ATTR_FLOAT;
  a.f = v;
  return a;
}
inline AttrSnapshot attr_ints(std::vector<int64_t> v) {
  AttrSnapshot a;
  a.type = INFER_ATTR_INTS;
  a.ints = std::move(v);
  return a;
}
inline AttrSnapshot attr_s(std::string v) {
  AttrSnapshot a;
  a.type = INFER_ATTR_STRING;
  a.s = std::move(v);
  return a;
}

inline std::vector<float> random_values(size_t n, std::mt19937& rng, float lo = -1, float hi = 1) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Rounded to fp16 as the NPU sees them.
inline std::vector<float> rounded(std::vector<float> v) {
  for (float& x : v) x = round_fp16(x);
  return v;
}

// A small graph built by hand: values get ids in creation order.
class GraphBuilder {
 public:
  ValueSnapshot value(const std::string& name, Shape dims,
                      infer_dtype dtype = INFER_DTYPE_FLOAT32) {
    ValueSnapshot v;
    v.id = next_++;
    v.name = name;
    v.dims = std::move(dims);
    v.dtype = dtype;
    return v;
  }
  ValueSnapshot input(const std::string& name, Shape dims, std::vector<float> data) {
    ValueSnapshot v = value(name, std::move(dims));
    inputs.push_back(v);
    input_data.push_back(std::move(data));
    return v;
  }
  ValueSnapshot constant(const std::string& name, Shape dims, std::vector<float> data) {
    ValueSnapshot v = value(name, std::move(dims));
    v.is_const = true;
    v.set_floats(data);
    return v;
  }
  NodeSnapshot& node(const std::string& op, std::vector<ValueSnapshot> in,
                     std::vector<ValueSnapshot> out,
                     std::map<std::string, AttrSnapshot> attrs = {}) {
    NodeSnapshot n;
    n.op_type = op;
    n.name = op + std::to_string(nodes.size());
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.attrs = std::move(attrs);
    nodes.push_back(std::move(n));
    return nodes.back();
  }

  std::unique_ptr<Program> compile(const NpuConfig& cfg, int64_t opset = 17) const {
    return compile_network(build_network(nodes, inputs, outputs, opset), cfg);
  }

  std::vector<std::vector<float>> run(const NpuConfig& cfg, const Program** keep = nullptr) {
    program_ = compile(cfg);
    if (keep) *keep = program_.get();
    std::vector<std::vector<float>> out(outputs.size());
    std::vector<const float*> in_ptrs;
    std::vector<float*> out_ptrs;
    for (const auto& d : input_data) in_ptrs.push_back(d.data());
    for (size_t j = 0; j < outputs.size(); ++j) {
      out[j].resize(static_cast<size_t>(numel(outputs[j].dims)));
      out_ptrs.push_back(out[j].data());
    }
    execute(*program_, in_ptrs, out_ptrs);
    return out;
  }

  std::vector<NodeSnapshot> nodes;
  std::vector<ValueSnapshot> inputs, outputs;
  std::vector<std::vector<float>> input_data;

 private:
  size_t next_ = 0;
  std::unique_ptr<Program> program_;
};

inline NpuConfig tiny_sram(int64_t kib = 16) {
  NpuConfig c;
  c.sram_bytes = kib * 1024;
  return c;
}

// Spacing of fp16 values around x.
inline float fp16_ulp(float x) {
  const float a = std::fabs(x);
  if (a < 0x1p-14f) return 0x1p-24f;
  return std::ldexp(1.0f, std::ilogb(a) - 10);
}

// Within one fp16 ulp of the reference (already rounded to fp16), plus a little absolute
// slack for fp32 summation order on long reductions that cancel.
inline void expect_fp16_close(const std::vector<float>& got, const std::vector<float>& want,
                              const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  float scale = 0;
  for (float w : want) scale = std::max(scale, std::fabs(w));
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const float tol = fp16_ulp(want[i]) + 1e-4f * scale;
    if (!(std::fabs(got[i] - want[i]) <= tol) && ++bad <= 5) {
      ADD_FAILURE() << what << ": element " << i << " got " << got[i] << ", want " << want[i];
    }
  }
  EXPECT_EQ(bad, 0u) << what;
}

}  // namespace infer::npu_sim::test

#endif  // INFER_TESTS_NPU_SIM_TEST_UTIL_H_
