// End-to-end tests of libinfer_cpu.so through the plugin ABI, driven by a small fake host that
// implements just the host functions a backend uses.
#include <dlfcn.h>

#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "infer/plugin_api.h"
#include "reference.h"

using infer::cpu::test::Dims;
using infer::cpu::test::TTensor;

// The host's opaque types, as this fake host defines them.
struct infer_status {
  infer_status_code code;
  std::string message;
};

struct infer_capability {
  std::set<size_t> claimed;
  std::map<size_t, std::string> refused;
};

struct infer_run_context {
  size_t n_outputs = 0;
  std::map<size_t, Dims> shapes;
  std::map<size_t, infer_dtype> dtypes;
  std::map<size_t, std::vector<std::byte>> buffers;
  int allocated_twice = 0;
};

namespace fake {

struct Attr {
  std::string name;
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
};

Attr attr_int(const char* name, int64_t v) { return {name, INFER_ATTR_INT, v, 0, {}, {}}; }
Attr attr_float(const char* name, float v) { return {name, INFER_ATTR_FLOAT, 0, v, {}, {}}; }
Attr attr_ints(const char* name, Dims v) { return {name, INFER_ATTR_INTS, 0, 0, {}, std::move(v)}; }

struct Node {
  std::string op, domain, name;
  std::vector<size_t> inputs, outputs;
  std::vector<Attr> attrs;
};

struct Value {
  std::string name;
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  Dims dims;
  bool rank_known = true;
  bool is_constant = false;
  std::vector<std::byte> data;
};

}  // namespace fake

struct infer_graph {
  std::vector<fake::Value> values;
  std::vector<fake::Node> nodes;
  std::map<std::string, int64_t> opsets{{"", 17}};

  size_t value(const std::string& name, infer_dtype dtype, Dims dims) {
    values.push_back({name, dtype, std::move(dims), true, false, {}});
    return values.size() - 1;
  }
  // A value whose type and rank shape inference left unknown.
  size_t unknown(const std::string& name, infer_dtype dtype = INFER_DTYPE_UNDEFINED) {
    values.push_back({name, dtype, {}, false, false, {}});
    return values.size() - 1;
  }
  size_t constant(const std::string& name, infer_dtype dtype, Dims dims, const void* data,
                  size_t nbytes) {
    fake::Value v{name, dtype, std::move(dims), true, true, std::vector<std::byte>(nbytes)};
    std::memcpy(v.data.data(), data, nbytes);
    values.push_back(std::move(v));
    return values.size() - 1;
  }
  size_t constant(const std::string& name, const TTensor& t) {
    return constant(name, INFER_DTYPE_FLOAT32, t.shape, t.data.data(), t.data.size() * 4);
  }
  size_t node(const std::string& op, const std::string& name, std::vector<size_t> in,
              std::vector<size_t> out, std::vector<fake::Attr> attrs = {},
              const std::string& domain = "") {
    nodes.push_back({op, domain, name, std::move(in), std::move(out), std::move(attrs)});
    return nodes.size() - 1;
  }
};

namespace fake {

infer_status* status_create(infer_status_code c, const char* m) {
  return new infer_status{c, m ? m : ""};
}
infer_status_code status_code(const infer_status* s) { return s ? s->code : INFER_OK; }
const char* status_message(const infer_status* s) { return s ? s->message.c_str() : ""; }
void status_release(infer_status* s) { delete s; }
void log(infer_log_level, const char*, const char*) {}

size_t graph_node_count(const infer_graph* g) { return g->nodes.size(); }
const char* node_op_type(const infer_graph* g, size_t n) { return g->nodes[n].op.c_str(); }
const char* node_domain(const infer_graph* g, size_t n) { return g->nodes[n].domain.c_str(); }
const char* node_name(const infer_graph* g, size_t n) { return g->nodes[n].name.c_str(); }
size_t node_input_count(const infer_graph* g, size_t n) { return g->nodes[n].inputs.size(); }
size_t node_output_count(const infer_graph* g, size_t n) { return g->nodes[n].outputs.size(); }
size_t node_input(const infer_graph* g, size_t n, size_t i) { return g->nodes[n].inputs.at(i); }
size_t node_output(const infer_graph* g, size_t n, size_t i) { return g->nodes[n].outputs.at(i); }
int node_attr(const infer_graph* g, size_t n, const char* name, infer_attr_view* out) {
  for (const Attr& a : g->nodes[n].attrs) {
    if (a.name != name) continue;
    *out = infer_attr_view{};
    out->type = a.type;
    out->i = a.i;
    out->f = a.f;
    out->s = a.s.c_str();
    out->s_len = a.s.size();
    out->ints = a.ints.data();
    out->count = a.ints.size();
    return 1;
  }
  return 0;
}
size_t node_attr_count(const infer_graph* g, size_t n) { return g->nodes[n].attrs.size(); }
const char* node_attr_name(const infer_graph* g, size_t n, size_t i) {
  return g->nodes[n].attrs[i].name.c_str();
}
size_t graph_value_count(const infer_graph* g) { return g->values.size(); }
infer_status* value_info(const infer_graph* g, size_t v, infer_value_info* out) {
  if (v >= g->values.size()) return status_create(INFER_OUT_OF_RANGE, "bad value id");
  if (out->struct_size < sizeof(*out)) return status_create(INFER_INVALID_ARGUMENT, "size");
  const Value& val = g->values[v];
  *out = infer_value_info{};
  out->struct_size = sizeof(*out);
  out->name = val.name.c_str();
  out->dtype = val.dtype;
  out->rank = val.rank_known ? val.dims.size() : INFER_RANK_UNKNOWN;
  out->dims = val.dims.data();
  out->is_constant = val.is_constant;
  if (val.is_constant) {
    out->constant = {val.dtype, val.dims.size(), val.dims.data(),
                     const_cast<std::byte*>(val.data.data()), val.data.size()};
  }
  return nullptr;
}
size_t graph_find_value(const infer_graph* g, const char* name) {
  for (size_t i = 0; i < g->values.size(); ++i) {
    if (g->values[i].name == name) return i;
  }
  return INFER_NO_VALUE;
}
int64_t graph_opset(const infer_graph* g, const char* domain) {
  auto it = g->opsets.find(domain);
  return it == g->opsets.end() ? 0 : it->second;
}
void capability_claim(infer_capability* cap, size_t node, uint32_t) { cap->claimed.insert(node); }
void capability_refuse(infer_capability* cap, size_t node, const char* reason) {
  cap->refused[node] = reason;
}
infer_status* run_allocate_output(infer_run_context* ctx, size_t index, infer_dtype dtype,
                                  size_t rank, const int64_t* shape, void** out) {
  if (index >= ctx->n_outputs) return status_create(INFER_OUT_OF_RANGE, "bad output index");
  if (ctx->buffers.contains(index)) ++ctx->allocated_twice;
  Dims dims(shape, shape + rank);
  size_t n = infer::plugin::dtype_size(dtype);
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  ctx->shapes[index] = dims;
  ctx->dtypes[index] = dtype;
  ctx->buffers[index].assign(n, std::byte{0xff});  // garbage, to catch unwritten outputs
  *out = ctx->buffers[index].data();
  return nullptr;
}

infer_host_api make_host() {
  infer_host_api h{};
  h.struct_size = sizeof(h);
  h.abi_major = INFER_PLUGIN_ABI_MAJOR;
  h.abi_minor = INFER_PLUGIN_ABI_MINOR;
  h.status_create = status_create;
  h.status_code = status_code;
  h.status_message = status_message;
  h.status_release = status_release;
  h.log = log;
  h.graph_node_count = graph_node_count;
  h.node_op_type = node_op_type;
  h.node_domain = node_domain;
  h.node_name = node_name;
  h.node_input_count = node_input_count;
  h.node_output_count = node_output_count;
  h.node_input = node_input;
  h.node_output = node_output;
  h.node_attr = node_attr;
  h.node_attr_count = node_attr_count;
  h.node_attr_name = node_attr_name;
  h.graph_value_count = graph_value_count;
  h.value_info = value_info;
  h.graph_find_value = graph_find_value;
  h.graph_opset = graph_opset;
  h.capability_claim = capability_claim;
  h.capability_refuse = capability_refuse;
  h.run_allocate_output = run_allocate_output;
  return h;
}

}  // namespace fake

namespace infer::cpu::test {
namespace {

infer_tensor_view view_of(const TTensor& t) {
  return {INFER_DTYPE_FLOAT32, t.shape.size(), t.shape.data(), const_cast<float*>(t.data.data()),
          t.data.size() * sizeof(float)};
}

std::vector<float> floats_of(const infer_run_context& ctx, size_t index) {
  const std::vector<std::byte>& b = ctx.buffers.at(index);
  std::vector<float> v(b.size() / sizeof(float));
  std::memcpy(v.data(), b.data(), b.size());
  return v;
}

// Code and message of a status, which it releases; {INFER_OK, ""} for success.
std::pair<infer_status_code, std::string> take(infer_status* st) {
  if (!st) return {INFER_OK, ""};
  std::pair<infer_status_code, std::string> r{st->code, st->message};
  delete st;
  return r;
}

class CpuPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
#ifdef INFER_CPU_PLUGIN_PATH
    handle_ = dlopen(INFER_CPU_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    auto entry = reinterpret_cast<infer_plugin_entry_fn>(dlsym(handle_, INFER_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    api_ = entry(INFER_PLUGIN_ABI_MAJOR, INFER_PLUGIN_ABI_MINOR);
    ASSERT_NE(api_, nullptr);
    host_ = fake::make_host();
    ASSERT_EQ(take(api_->init(&host_, nullptr, &state_)).first, INFER_OK);
#endif
  }
  static void TearDownTestSuite() {
    if (api_ && state_) api_->shutdown(state_);
    if (handle_) dlclose(handle_);
    api_ = nullptr;
    state_ = nullptr;
    handle_ = nullptr;
  }
  void SetUp() override {
    if (!api_) GTEST_SKIP() << "cpu plugin not built alongside the tests";
  }

  const infer_backend_api& backend() { return *api_->backend; }

  // Compiles and returns {status, partition}.
  std::pair<std::pair<infer_status_code, std::string>, void*> compile(
      const infer_graph& g, const std::vector<size_t>& nodes, const std::vector<size_t>& inputs,
      const std::vector<size_t>& outputs) {
    void* part = nullptr;
    auto st =
        take(backend().compile(state_, &g, nodes.data(), nodes.size(), inputs.data(), inputs.size(),
                               outputs.data(), outputs.size(), nullptr, &part));
    return {st, part};
  }

  static std::pair<infer_status_code, std::string> run(void* part,
                                                       const std::vector<infer_tensor_view>& in,
                                                       infer_run_context& ctx) {
    return take(api_->backend->run(part, in.data(), in.size(), &ctx));
  }

  static inline void* handle_ = nullptr;
  static inline const infer_plugin_api* api_ = nullptr;
  static inline infer_host_api host_{};
  static inline void* state_ = nullptr;
};

TEST_F(CpuPlugin, EntryAndProbe) {
  auto entry = reinterpret_cast<infer_plugin_entry_fn>(dlsym(handle_, INFER_PLUGIN_ENTRY_SYMBOL));
  EXPECT_EQ(entry(INFER_PLUGIN_ABI_MAJOR + 1, 0), nullptr);
  EXPECT_EQ(api_->abi_major, static_cast<uint32_t>(INFER_PLUGIN_ABI_MAJOR));
  EXPECT_EQ(api_->frontend, nullptr);
  infer_plugin_probe probe{};
  probe.struct_size = sizeof(probe);
  api_->probe(&probe);
  EXPECT_STREQ(probe.name, "cpu");
  EXPECT_STREQ(probe.vendor, "infer");
  EXPECT_STREQ(probe.version, "0.1.0");
  EXPECT_EQ(probe.kinds, static_cast<uint32_t>(INFER_PLUGIN_BACKEND));
  EXPECT_EQ(probe.score, 10);
  EXPECT_STREQ(backend().device, "CPU");
  // A host that only knows the first fields gets only those written.
  infer_plugin_probe small{};
  small.struct_size = offsetof(infer_plugin_probe, vendor);
  api_->probe(&small);
  EXPECT_STREQ(small.name, "cpu");
  EXPECT_EQ(small.vendor, nullptr);
}

TEST_F(CpuPlugin, CapabilityClaimsAndRefuses) {
  infer_graph g;
  const size_t xf = g.value("xf", INFER_DTYPE_FLOAT32, {2, 3});
  const size_t xs = g.value("xs", INFER_DTYPE_STRING, {2, 3});
  const size_t xu = g.unknown("xu");
  const size_t x4 = g.value("x4", INFER_DTYPE_FLOAT32, {1, 1, 4, 4});
  auto out = [&](const char* name) { return g.unknown(name); };
  const size_t w6 = g.value("w6", INFER_DTYPE_FLOAT32, {1, 1, 1, 1, 1, 1});
  const size_t x6 = g.value("x6", INFER_DTYPE_FLOAT32, {1, 1, 2, 2, 2, 2});
  std::vector<size_t> nodes = {
      g.node("Relu", "relu_ok", {xf}, {out("a")}),
      g.node("Foo", "foo", {xf}, {out("b")}),
      g.node("Relu", "ms_relu", {xf}, {out("c")}, {}, "com.microsoft"),
      g.node("Add", "add_str", {xs, xs}, {out("d")}),
      g.node("MaxPool", "pool_idx", {x4}, {out("e"), out("e_idx")},
             {fake::attr_ints("kernel_shape", {2, 2})}),
      g.node("Relu", "relu_ai_onnx", {xf}, {out("f")}, {}, "ai.onnx"),
      g.node("Relu", "relu_untyped", {xu}, {out("g")}),
      g.node("BatchNormalization", "bn_train", {x4, xf, xf, xf, xf}, {out("h")},
             {fake::attr_int("training_mode", 1)}),
      g.node("Conv", "conv4d", {x6, w6}, {out("i")}),
  };
  infer_capability cap;
  ASSERT_EQ(take(backend().get_capability(state_, &g, nodes.data(), nodes.size(), &cap)).first,
            INFER_OK);
  // MaxPool with Indices (nodes[4]) is supported since the pooling kernels grew it.
  EXPECT_EQ(cap.claimed, (std::set<size_t>{nodes[0], nodes[4], nodes[5], nodes[6]}));
  EXPECT_EQ(cap.refused[nodes[1]],
            "op 'Foo' (domain 'ai.onnx', opset 17) is not implemented by the cpu backend");
  EXPECT_EQ(cap.refused[nodes[2]],
            "op 'Relu' (domain 'com.microsoft', opset 0) is not implemented by the cpu backend");
  EXPECT_NE(cap.refused[nodes[3]].find("Add node 'add_str': input 0 has type string"),
            std::string::npos);
  EXPECT_NE(cap.refused[nodes[7]].find("training_mode"), std::string::npos);
  EXPECT_NE(cap.refused[nodes[8]].find("spatial rank 4"), std::string::npos);
}

// A small CNN with dynamic batch; partition outputs include a value consumed by later nodes,
// a pass-through input, a constant and a repeated output.
struct Network {
  infer_graph g;
  std::vector<size_t> nodes, inputs, outputs;
  TTensor w1, b1, w2, b2;

  Network() {
    std::mt19937 rng(12);
    w1 = random_tensor({4, 3, 3, 3}, rng);
    b1 = random_tensor({4}, rng);
    w2 = random_tensor({10, 64}, rng);
    b2 = random_tensor({10}, rng);
    const size_t x = g.value("x", INFER_DTYPE_FLOAT32, {-1, 3, 8, 8});
    const size_t cw1 = g.constant("w1", w1), cb1 = g.constant("b1", b1);
    const size_t cw2 = g.constant("w2", w2), cb2 = g.constant("b2", b2);
    const int64_t shape[] = {0, -1};
    const size_t cshape = g.constant("shape", INFER_DTYPE_INT64, {2}, shape, sizeof(shape));
    auto v = [&](const char* name) { return g.unknown(name, INFER_DTYPE_FLOAT32); };
    const size_t c0 = v("c0"), r0 = v("r0"), p0 = v("p0"), f0 = v("f0"), g0 = v("g0"), g1 = v("g1"),
                 y = v("y");
    nodes = {
        g.node("Conv", "conv0", {x, cw1, cb1}, {c0}, {fake::attr_ints("pads", {1, 1, 1, 1})}),
        g.node("Relu", "relu0", {c0}, {r0}),
        g.node("MaxPool", "pool0", {r0}, {p0},
               {fake::attr_ints("kernel_shape", {2, 2}), fake::attr_ints("strides", {2, 2})}),
        g.node("Flatten", "flat0", {p0}, {f0}),
        g.node("Gemm", "gemm0", {f0, cw2, cb2}, {g0}, {fake::attr_int("transB", 1)}),
        g.node("Reshape", "reshape0", {g0, cshape}, {g1}),
        g.node("Softmax", "softmax0", {g1}, {y}),
    };
    inputs = {x};
    outputs = {y, r0, x, cw2, y};
  }

  // Expected outputs 0 (y) and 1 (r0) for input x.
  std::pair<TTensor, TTensor> expected(const TTensor& x) const {
    const TTensor r0 = ref::relu(ref::conv(x, w1, &b1, {.pads = {1, 1, 1, 1}}));
    TTensor f0 = ref::max_pool(r0, {.kernel_shape = {2, 2}, .strides = {2, 2}});
    f0.shape = {x.shape[0], 64};
    const TTensor g0 = ref::gemm(f0, w2, &b2, 1.0f, 1.0f, false, true);
    return {ref::softmax(g0, -1, false), r0};
  }
};

void check_network_outputs(const Network& net, const TTensor& x, const infer_run_context& ctx) {
  const auto [y, r0] = net.expected(x);
  ASSERT_EQ(ctx.buffers.size(), 5u);
  EXPECT_EQ(ctx.allocated_twice, 0);
  EXPECT_EQ(ctx.shapes.at(0), y.shape);
  expect_close(floats_of(ctx, 0), y.data);
  EXPECT_EQ(ctx.shapes.at(1), r0.shape);
  expect_close(floats_of(ctx, 1), r0.data);
  EXPECT_EQ(ctx.shapes.at(2), x.shape);
  expect_close(floats_of(ctx, 2), x.data, 0.0f);
  EXPECT_EQ(ctx.shapes.at(3), net.w2.shape);
  expect_close(floats_of(ctx, 3), net.w2.data, 0.0f);
  expect_close(floats_of(ctx, 4), y.data);
}

TEST_F(CpuPlugin, RunsNetworkWithDynamicBatch) {
  Network net;
  auto [st, part] = compile(net.g, net.nodes, net.inputs, net.outputs);
  ASSERT_EQ(st.first, INFER_OK) << st.second;
  std::mt19937 rng(13);
  for (int64_t batch : {1, 3}) {
    SCOPED_TRACE(batch);
    const TTensor x = random_tensor({batch, 3, 8, 8}, rng);
    infer_run_context ctx;
    ctx.n_outputs = net.outputs.size();
    ASSERT_EQ(run(part, {view_of(x)}, ctx).first, INFER_OK);
    check_network_outputs(net, x, ctx);
  }
  backend().release_partition(part);
}

TEST_F(CpuPlugin, ConcurrentRunsShareOnePartition) {
  Network net;
  auto [st, part] = compile(net.g, net.nodes, net.inputs, net.outputs);
  ASSERT_EQ(st.first, INFER_OK) << st.second;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(100 + t));
      for (int iter = 0; iter < 5; ++iter) {
        const TTensor x = random_tensor({t + 1, 3, 8, 8}, rng);
        infer_run_context ctx;
        ctx.n_outputs = net.outputs.size();
        EXPECT_EQ(run(part, {view_of(x)}, ctx).first, INFER_OK);
        check_network_outputs(net, x, ctx);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  backend().release_partition(part);
}

TEST_F(CpuPlugin, PartitionWithoutNodesCopiesInputsAndConstants) {
  infer_graph g;
  const size_t x = g.value("x", INFER_DTYPE_FLOAT32, {2});
  const int64_t k[] = {7, 8, 9};
  const size_t c = g.constant("k", INFER_DTYPE_INT64, {3}, k, sizeof(k));
  auto [st, part] = compile(g, {}, {x}, {c, x});
  ASSERT_EQ(st.first, INFER_OK) << st.second;
  const TTensor tx{{2}, {1.5f, -2.5f}};
  infer_run_context ctx;
  ctx.n_outputs = 2;
  ASSERT_EQ(run(part, {view_of(tx)}, ctx).first, INFER_OK);
  EXPECT_EQ(ctx.dtypes.at(0), INFER_DTYPE_INT64);
  EXPECT_EQ(std::memcmp(ctx.buffers.at(0).data(), k, sizeof(k)), 0);
  expect_close(floats_of(ctx, 1), tx.data, 0.0f);
  backend().release_partition(part);
}

TEST_F(CpuPlugin, CompileErrorsNameTheNode) {
  infer_graph g;
  const size_t x = g.value("x", INFER_DTYPE_FLOAT32, {1, 1, 5, 5});
  std::mt19937 rng(14);
  const size_t w = g.constant("w", random_tensor({1, 1, 3, 3}, rng));
  const size_t y = g.unknown("y", INFER_DTYPE_FLOAT32);
  const size_t dangling = g.value("dangling", INFER_DTYPE_FLOAT32, {1});
  const size_t bad_conv =
      g.node("Conv", "bad_conv", {x, w}, {y}, {fake::attr_ints("strides", {0, 1})});
  auto [st, part] = compile(g, {bad_conv}, {x}, {y});
  EXPECT_EQ(part, nullptr);
  EXPECT_EQ(st.first, INFER_INVALID_MODEL);
  EXPECT_NE(st.second.find("Conv node 'bad_conv'"), std::string::npos) << st.second;
  EXPECT_NE(st.second.find("'strides'"), std::string::npos) << st.second;

  const size_t y2 = g.unknown("y2", INFER_DTYPE_FLOAT32);
  const size_t orphan = g.node("Relu", "orphan", {dangling}, {y2});
  st = compile(g, {orphan}, {x}, {y2}).first;
  EXPECT_EQ(st.first, INFER_INVALID_ARGUMENT);
  EXPECT_NE(st.second.find("Relu node 'orphan': input 'dangling'"), std::string::npos) << st.second;

  const size_t y3 = g.unknown("y3", INFER_DTYPE_FLOAT32);
  const size_t relu = g.node("Relu", "relu", {x}, {y3});
  st = compile(g, {relu}, {x}, {y2}).first;
  EXPECT_EQ(st.first, INFER_INVALID_ARGUMENT);
  EXPECT_NE(st.second.find("not produced"), std::string::npos) << st.second;

  const size_t y4 = g.unknown("y4", INFER_DTYPE_FLOAT32);
  const size_t softmax = g.node("Softmax", "sm", {x}, {y4}, {fake::attr_int("axis", 4)});
  st = compile(g, {softmax}, {x}, {y4}).first;
  EXPECT_NE(st.second.find("Softmax node 'sm': axis 4 is out of range"), std::string::npos)
      << st.second;
}

TEST_F(CpuPlugin, RunErrorsAreCleanStatuses) {
  infer_graph g;
  const size_t a = g.value("a", INFER_DTYPE_FLOAT32, {-1, -1});
  const size_t b = g.value("b", INFER_DTYPE_FLOAT32, {-1});
  const size_t shape = g.value("shape", INFER_DTYPE_INT64, {2});
  const size_t sum = g.unknown("sum", INFER_DTYPE_FLOAT32);
  const size_t y = g.unknown("y", INFER_DTYPE_FLOAT32);
  const std::vector<size_t> nodes = {g.node("Add", "add0", {a, b}, {sum}),
                                     g.node("Reshape", "rs", {sum, shape}, {y})};
  auto [st, part] = compile(g, nodes, {a, b, shape}, {y});
  ASSERT_EQ(st.first, INFER_OK) << st.second;

  std::mt19937 rng(15);
  const TTensor ta = random_tensor({2, 3}, rng), tb = random_tensor({4}, rng),
                tb_ok = random_tensor({3}, rng);
  int64_t good_shape[] = {3, -1}, bad_shape[] = {5, -1};
  const int64_t shape_dims[] = {2};
  infer_tensor_view vs{INFER_DTYPE_INT64, 1, shape_dims, good_shape, sizeof(good_shape)};
  infer_run_context ctx;
  ctx.n_outputs = 1;

  auto r = run(part, {view_of(ta), view_of(tb), vs}, ctx);
  EXPECT_EQ(r.first, INFER_INVALID_ARGUMENT);
  EXPECT_EQ(r.second, "Add node 'add0': shapes [2,3] and [4] do not broadcast");

  vs.data = bad_shape;
  r = run(part, {view_of(ta), view_of(tb_ok), vs}, ctx);
  EXPECT_EQ(r.first, INFER_INVALID_ARGUMENT);
  EXPECT_NE(r.second.find("Reshape node 'rs': cannot reshape input [2,3]"), std::string::npos)
      << r.second;

  r = run(part, {view_of(ta), view_of(tb_ok)}, ctx);
  EXPECT_NE(r.second.find("expects 3 inputs, got 2"), std::string::npos) << r.second;

  infer_tensor_view short_a = view_of(ta);
  short_a.nbytes -= 4;
  r = run(part, {short_a, view_of(tb_ok), vs}, ctx);
  EXPECT_NE(r.second.find("input 0 ('a'): tensor of type float32 and shape [2,3] needs 24 bytes"),
            std::string::npos)
      << r.second;

  vs.dtype = INFER_DTYPE_INT32;
  vs.nbytes = 8;
  r = run(part, {view_of(ta), view_of(tb_ok), vs}, ctx);
  EXPECT_NE(r.second.find("has type int32, expected int64"), std::string::npos) << r.second;

  vs = {INFER_DTYPE_INT64, 1, shape_dims, good_shape, sizeof(good_shape)};
  infer_run_context ok;
  ok.n_outputs = 1;
  r = run(part, {view_of(ta), view_of(tb_ok), vs}, ok);
  ASSERT_EQ(r.first, INFER_OK) << r.second;
  EXPECT_EQ(ok.shapes.at(0), (Dims{3, 2}));
  expect_close(floats_of(ok, 0), ref::binary(ta, tb_ok, '+').data);
  backend().release_partition(part);
}

TEST_F(CpuPlugin, OpsetSelectsSemantics) {
  std::mt19937 rng(16);
  const TTensor x = random_tensor({2, 3, 4}, rng);
  for (int64_t opset : {11, 13}) {
    SCOPED_TRACE(opset);
    infer_graph g;
    g.opsets[""] = opset;
    const size_t vx = g.value("x", INFER_DTYPE_FLOAT32, {2, 3, 4});
    const size_t vy = g.unknown("y", INFER_DTYPE_FLOAT32);
    const size_t n = g.node("Softmax", "sm", {vx}, {vy});
    auto [st, part] = compile(g, {n}, {vx}, {vy});
    ASSERT_EQ(st.first, INFER_OK) << st.second;
    infer_run_context ctx;
    ctx.n_outputs = 1;
    ASSERT_EQ(run(part, {view_of(x)}, ctx).first, INFER_OK);
    // Opset 11 defaults to axis 1 and coerces to 2-D; opset 13 normalises axis -1.
    const TTensor expected = opset < 13 ? ref::softmax(x, 1, true) : ref::softmax(x, -1, false);
    expect_close(floats_of(ctx, 0), expected.data);
    backend().release_partition(part);
  }
}

TEST_F(CpuPlugin, LegacyBroadcastBeforeOpset7) {
  std::mt19937 rng(17);
  const TTensor a = random_tensor({2, 3, 4}, rng), b = random_tensor({3}, rng);
  infer_graph g;
  g.opsets[""] = 6;
  const size_t va = g.value("a", INFER_DTYPE_FLOAT32, {2, 3, 4});
  const size_t vb = g.value("b", INFER_DTYPE_FLOAT32, {3});
  const size_t vy = g.unknown("y", INFER_DTYPE_FLOAT32);
  const size_t n = g.node("Mul", "mul", {va, vb}, {vy},
                          {fake::attr_int("broadcast", 1), fake::attr_int("axis", 1)});
  auto [st, part] = compile(g, {n}, {va, vb}, {vy});
  ASSERT_EQ(st.first, INFER_OK) << st.second;
  infer_run_context ctx;
  ctx.n_outputs = 1;
  ASSERT_EQ(run(part, {view_of(a), view_of(b)}, ctx).first, INFER_OK);
  const TTensor b_aligned{{3, 1}, b.data};
  expect_close(floats_of(ctx, 0), ref::binary(a, b_aligned, '*').data);
  backend().release_partition(part);
}

}  // namespace
}  // namespace infer::cpu::test
