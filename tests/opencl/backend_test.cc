// The opencl backend's core on a real OpenCL device (PoCL in CI): ops against naive CPU
// references, buffer reuse, the program cache, concurrent runs, and the no-platform probe.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <thread>

#include "device.h"
#include "ops/op.h"
#include "partition.h"
#include "program_cache.h"

namespace infer::opencl {
namespace {

std::vector<float> random_values(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-2, 2);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

ValueSnapshot value(size_t id, std::vector<int64_t> dims) {
  ValueSnapshot v;
  v.id = id;
  v.name = "v" + std::to_string(id);
  v.dims = std::move(dims);
  return v;
}

ValueSnapshot constant(size_t id, std::vector<int64_t> dims, const std::vector<float>& data) {
  ValueSnapshot v = value(id, std::move(dims));
  v.is_const = true;
  v.set_floats(data);
  return v;
}

AttrSnapshot attr_i(int64_t i) { return {INFER_ATTR_INT, i, 0, "", {}, {}}; }
AttrSnapshot attr_s(std::string s) { return {INFER_ATTR_STRING, 0, 0, std::move(s), {}, {}}; }
AttrSnapshot attr_ints(std::vector<int64_t> v) {
  return {INFER_ATTR_INTS, 0, 0, "", std::move(v), {}};
}

NodeSnapshot node(std::string op, std::vector<ValueSnapshot> in, std::vector<ValueSnapshot> out,
                  std::map<std::string, AttrSnapshot> attrs = {}) {
  NodeSnapshot n;
  n.op_type = std::move(op);
  n.name = "n";
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  n.attrs = std::move(attrs);
  return n;
}

class OpenCLTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const DeviceSearch s = find_device("");
    // Fail loudly: CI installs PoCL, so a missing device is a broken setup, not a skip.
    ASSERT_TRUE(s.found) << "no OpenCL device: " << s.reason;
    device_ = new Device(s.choice);
    cache_ = new ProgramCache(*device_);
  }
  static void TearDownTestSuite() {
    delete cache_;
    delete device_;
  }

  std::unique_ptr<CompiledPartition> compile(const std::vector<NodeSnapshot>& nodes,
                                             const std::vector<ValueSnapshot>& ins,
                                             const std::vector<ValueSnapshot>& outs) {
    return CompiledPartition::compile(*device_, *cache_, nodes, ins, outs, "");
  }

  // Runs a partition on float inputs; returns each output.
  static std::vector<std::vector<float>> run(CompiledPartition& p,
                                             const std::vector<ValueSnapshot>& ins,
                                             std::vector<std::vector<float>>& data) {
    std::vector<infer_tensor_view> views;
    for (size_t i = 0; i < ins.size(); ++i) {
      views.push_back({INFER_DTYPE_FLOAT32, ins[i].dims.size(), ins[i].dims.data(), data[i].data(),
                       data[i].size() * 4});
    }
    std::vector<std::vector<float>> outs(p.plan().output_storages.size());
    p.run(views, [&](size_t j, const std::vector<int64_t>& shape) -> void* {
      int64_t n = 1;
      for (int64_t d : shape) n *= d;
      outs[j].assign(static_cast<size_t>(n), 0.f);
      return outs[j].data();
    });
    return outs;
  }

  // Single-node partition: all non-constant inputs are partition inputs.
  std::vector<float> run_node(const NodeSnapshot& n, std::vector<std::vector<float>> data) {
    std::vector<ValueSnapshot> ins;
    for (const ValueSnapshot& v : n.inputs)
      if (v.present() && !v.is_const) ins.push_back(v);
    auto p = compile({n}, ins, {n.outputs[0]});
    return run(*p, ins, data)[0];
  }

  static Device* device_;
  static ProgramCache* cache_;
};
Device* OpenCLTest::device_ = nullptr;
ProgramCache* OpenCLTest::cache_ = nullptr;

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * std::max(1.0f, std::fabs(want[i]))) << "at " << i;
}

TEST_F(OpenCLTest, BinaryBroadcast) {
  // [2,3,5] - [3,1] (odd sizes, both sides broadcast along different dims).
  const auto a = random_values(30, 1), b = random_values(3, 2);
  const auto y =
      run_node(node("Sub", {value(0, {2, 3, 5}), value(1, {3, 1})}, {value(2, {2, 3, 5})}), {a, b});
  std::vector<float> want(30);
  for (size_t i = 0; i < 30; ++i) want[i] = a[i] - b[(i / 5) % 3];
  expect_near(y, want);
  // Scalar constant operand.
  const auto y2 = run_node(node("Mul", {value(0, {7}), constant(1, {}, {3.0f})}, {value(2, {7})}),
                           {random_values(7, 3)});
  const auto x2 = random_values(7, 3);
  for (size_t i = 0; i < 7; ++i) EXPECT_NEAR(y2[i], x2[i] * 3.0f, 1e-6f);
}

TEST_F(OpenCLTest, UnaryOps) {
  const auto x = random_values(100, 4);
  struct Case {
    const char* op;
    float (*ref)(float);
  };
  const Case cases[] = {{"Relu", [](float v) { return std::max(v, 0.f); }},
                        {"Sigmoid", [](float v) { return 1.f / (1.f + std::exp(-v)); }},
                        {"Tanh", [](float v) { return std::tanh(v); }},
                        {"Erf", [](float v) { return std::erf(v); }}};
  for (const Case& c : cases) {
    const auto y = run_node(node(c.op, {value(0, {4, 25})}, {value(1, {4, 25})}), {x});
    std::vector<float> want(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = c.ref(x[i]);
    expect_near(y, want, 1e-5f);
  }
  NodeSnapshot clip =
      node("Clip", {value(0, {100}), constant(1, {}, {-0.5f}), constant(2, {}, {0.75f})},
           {value(3, {100})});
  const auto y = run_node(clip, {x});
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], std::min(std::max(x[i], -0.5f), 0.75f));
}

TEST_F(OpenCLTest, MaxAndAveragePoolWithPadsAndStrides) {
  const int64_t H = 7, W = 6, OH = 4, OW = 3;  // k3 s2 p1
  const auto x = random_values(2 * H * W, 5);
  std::map<std::string, AttrSnapshot> at = {{"kernel_shape", attr_ints({3, 3})},
                                            {"strides", attr_ints({2, 2})},
                                            {"pads", attr_ints({1, 1, 1, 1})}};
  for (const char* op : {"MaxPool", "AveragePool"}) {
    const bool is_max = std::string(op) == "MaxPool";
    const auto y =
        run_node(node(op, {value(0, {1, 2, H, W})}, {value(1, {1, 2, OH, OW})}, at), {x});
    std::vector<float> want;
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          float acc = is_max ? -INFINITY : 0.f;
          int cnt = 0;
          for (int64_t kh = 0; kh < 3; ++kh)
            for (int64_t kw = 0; kw < 3; ++kw) {
              const int64_t ih = oh * 2 - 1 + kh, iw = ow * 2 - 1 + kw;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const float v = x[static_cast<size_t>((c * H + ih) * W + iw)];
              acc = is_max ? std::max(acc, v) : acc + v;
              ++cnt;
            }
          want.push_back(is_max ? acc : acc / static_cast<float>(cnt));
        }
    expect_near(y, want);
  }
  const auto g =
      run_node(node("GlobalAveragePool", {value(0, {1, 2, H, W})}, {value(1, {1, 2, 1, 1})}), {x});
  for (size_t c = 0; c < 2; ++c) {
    float s = 0;
    for (size_t i = 0; i < H * W; ++i) s += x[c * H * W + i];
    EXPECT_NEAR(g[c], s / (H * W), 1e-5f);
  }
}

TEST_F(OpenCLTest, SoftmaxMiddleAxisAndLayerNorm) {
  const auto x = random_values(3 * 5 * 4, 6);
  const auto y = run_node(
      node("Softmax", {value(0, {3, 5, 4})}, {value(1, {3, 5, 4})}, {{"axis", attr_i(1)}}), {x});
  for (size_t o = 0; o < 3; ++o)
    for (size_t r = 0; r < 4; ++r) {
      float m = -INFINITY, s = 0;
      for (size_t k = 0; k < 5; ++k) m = std::max(m, x[o * 20 + k * 4 + r]);
      for (size_t k = 0; k < 5; ++k) s += std::exp(x[o * 20 + k * 4 + r] - m);
      for (size_t k = 0; k < 5; ++k)
        EXPECT_NEAR(y[o * 20 + k * 4 + r], std::exp(x[o * 20 + k * 4 + r] - m) / s, 1e-6f);
    }
  const auto scale = random_values(4, 7), bias = random_values(4, 8);
  const auto ln =
      run_node(node("LayerNormalization",
                    {value(0, {3, 5, 4}), constant(1, {4}, scale), constant(2, {4}, bias)},
                    {value(3, {3, 5, 4})}),
               {x});
  for (size_t r = 0; r < 15; ++r) {
    float mean = 0, var = 0;
    for (size_t c = 0; c < 4; ++c) mean += x[r * 4 + c] / 4;
    for (size_t c = 0; c < 4; ++c) var += (x[r * 4 + c] - mean) * (x[r * 4 + c] - mean) / 4;
    for (size_t c = 0; c < 4; ++c)
      EXPECT_NEAR(ln[r * 4 + c],
                  (x[r * 4 + c] - mean) / std::sqrt(var + 1e-5f) * scale[c] + bias[c], 1e-4f);
  }
}

TEST_F(OpenCLTest, ConcatTransposeReshapeChainReusesBuffers) {
  // x:[2,3] -> Relu -> a; concat(a, x) on axis 1 -> [2,6]; transpose -> [6,2]; reshape [12];
  // Neg -> out. a's buffer is free once the concat ran, so fewer buffers than storages.
  const auto x = random_values(6, 9);
  std::vector<NodeSnapshot> nodes = {
      node("Relu", {value(0, {2, 3})}, {value(1, {2, 3})}),
      node("Concat", {value(1, {2, 3}), value(0, {2, 3})}, {value(2, {2, 6})},
           {{"axis", attr_i(1)}}),
      node("Transpose", {value(2, {2, 6})}, {value(3, {6, 2})}, {{"perm", attr_ints({1, 0})}}),
      node("Reshape", {value(3, {6, 2}), constant(4, {1}, {0.f})}, {value(5, {12})}),
      node("Neg", {value(5, {12})}, {value(6, {12})}),
      node("Abs", {value(6, {12})}, {value(7, {12})})};
  nodes[3].inputs[1].dtype = INFER_DTYPE_INT64;
  nodes[3].inputs[1].data.assign(8, 0);
  std::vector<ValueSnapshot> ins = {value(0, {2, 3})};
  auto p = compile(nodes, ins, {value(7, {12})});
  std::vector<std::vector<float>> data = {x};
  const auto y = run(*p, ins, data)[0];
  std::vector<float> want;
  for (size_t j = 0; j < 6; ++j)
    for (size_t i = 0; i < 2; ++i) {
      const float v = j < 3 ? std::max(x[i * 3 + j], 0.f) : x[i * 3 + j - 3];
      want.push_back(std::fabs(v));
    }
  expect_near(y, want);
  EXPECT_LT(p->plan().buffer_bytes.size(), 5u) << "liveness should share buffers";
  size_t planned = 0;
  for (size_t b : p->plan().buffer_bytes) planned += b;
  EXPECT_LT(planned, p->plan().unplanned_bytes);
}

TEST_F(OpenCLTest, ResizeNearestAndLinear) {
  const auto x = random_values(12, 10);  // [1,1,3,4] -> [1,1,6,8]
  const auto near = run_node(node("Resize", {value(0, {1, 1, 3, 4})}, {value(1, {1, 1, 6, 8})},
                                  {{"coordinate_transformation_mode", attr_s("asymmetric")},
                                   {"nearest_mode", attr_s("floor")}}),
                             {x});
  for (size_t h = 0; h < 6; ++h)
    for (size_t w = 0; w < 8; ++w) EXPECT_EQ(near[h * 8 + w], x[(h / 2) * 4 + w / 2]);
  const auto lin = run_node(node("Resize", {value(0, {1, 1, 3, 4})}, {value(1, {1, 1, 6, 8})},
                                 {{"mode", attr_s("linear")}}),
                            {x});
  auto src = [](size_t o, size_t len) {
    return std::clamp((static_cast<float>(o) + 0.5f) / 2.f - 0.5f, 0.f,
                      static_cast<float>(len - 1));
  };
  for (size_t h = 0; h < 6; ++h)
    for (size_t w = 0; w < 8; ++w) {
      const float ch = src(h, 3), cw = src(w, 4);
      const size_t h0 = static_cast<size_t>(ch), w0 = static_cast<size_t>(cw);
      const size_t h1 = std::min<size_t>(h0 + 1, 2), w1 = std::min<size_t>(w0 + 1, 3);
      const float lh = ch - static_cast<float>(h0), lw = cw - static_cast<float>(w0);
      const float want = (x[h0 * 4 + w0] * (1 - lw) + x[h0 * 4 + w1] * lw) * (1 - lh) +
                         (x[h1 * 4 + w0] * (1 - lw) + x[h1 * 4 + w1] * lw) * lh;
      EXPECT_NEAR(lin[h * 8 + w], want, 1e-5f);
    }
}

TEST_F(OpenCLTest, RefusalsHaveReasons) {
  NodeSnapshot n = node("Relu", {value(0, {2, -1})}, {value(1, {2, -1})});
  EXPECT_NE(refusal_reason(n).find("dynamic shape"), std::string::npos);
  n = node("Relu", {value(0, {2})}, {value(1, {2})});
  n.inputs[0].dtype = INFER_DTYPE_INT64;
  EXPECT_NE(refusal_reason(n).find("int64"), std::string::npos);
  n = node("NonMaxSuppression", {}, {});
  EXPECT_NE(refusal_reason(n).find("not implemented"), std::string::npos);
  n = node("Resize", {value(0, {1, 1, 2, 2})}, {value(1, {1, 1, 4, 4})},
           {{"mode", attr_s("cubic")}});
  EXPECT_NE(refusal_reason(n).find("cubic"), std::string::npos);
}

TEST_F(OpenCLTest, ProgramCacheHitsOnSecondCompile) {
  const NodeSnapshot n = node("Tanh", {value(0, {5})}, {value(1, {5})});
  compile({n}, {n.inputs[0]}, {n.outputs[0]});
  auto p = compile({n}, {n.inputs[0]}, {n.outputs[0]});
  EXPECT_EQ(p->plan().programs_built, 0u);
  EXPECT_GE(p->plan().programs_cached, 1u);
  EXPECT_NE(p->describe().find("cache hits"), std::string::npos);
}

TEST_F(OpenCLTest, TwoThreadsRunOnePartition) {
  const NodeSnapshot n = node("Add", {value(0, {1000}), value(1, {1000})}, {value(2, {1000})});
  std::vector<ValueSnapshot> ins = {n.inputs[0], n.inputs[1]};
  auto p = compile({n}, ins, {n.outputs[0]});
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 20; ++r) {
        std::vector<std::vector<float>> data = {
            random_values(1000, static_cast<unsigned>(t * 100 + r)),
            std::vector<float>(1000, static_cast<float>(t))};
        const auto y = run(*p, ins, data)[0];
        for (size_t i = 0; i < 1000; ++i)
          if (y[i] != data[0][i] + static_cast<float>(t)) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_NE(p->describe().find("device time per run"), std::string::npos);
}

// Run by ctest with OCL_ICD_VENDORS pointing at an empty folder (see CMakeLists.txt).
TEST(OpenCLNoDevice, ProbeReasonWithoutPlatforms) {
  if (!std::getenv("INFER_OPENCL_TEST_NO_PLATFORM")) GTEST_SKIP() << "run by opencl_no_device";
  const DeviceSearch s = find_device("");
  EXPECT_FALSE(s.found);
  EXPECT_NE(s.reason.find("no OpenCL platform"), std::string::npos) << s.reason;
}

}  // namespace
}  // namespace infer::opencl
