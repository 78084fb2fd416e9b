// Standalone test of the ONNX frontend plugin: dlopens libinfer_onnx.so and
// plays the host with a recording fake, so no core is linked or needed.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <stdlib.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"

// ---------------------------------------------------------------------------
// Recording fake host. The opaque ABI types are defined here, as a host would.
// ---------------------------------------------------------------------------

struct infer_status {
  infer_status_code code;
  std::string message;
};

namespace {

struct FakeValue {
  std::string name;
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  size_t rank = INFER_RANK_UNKNOWN;
  std::vector<int64_t> dims;
  std::vector<std::string> symbols;  // "" where none
  bool is_initializer = false;
  std::vector<uint8_t> data;
};

struct FakeAttr {
  infer_attr_type type = INFER_ATTR_UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  infer_dtype tensor_dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> tensor_shape;
  std::vector<uint8_t> tensor_data;
  infer_graph* graph = nullptr;
};

struct FakeNode {
  std::string op_type, domain, name;
  std::vector<size_t> inputs, outputs;
  std::map<std::string, FakeAttr> attrs;
};

}  // namespace

struct infer_graph {
  std::vector<FakeValue> values;
  std::vector<size_t> inputs, outputs;
  std::vector<FakeNode> nodes;
  std::map<std::string, int64_t> opsets;
  std::map<std::string, std::string> metadata;
  std::vector<std::unique_ptr<infer_graph>> subgraphs;

  const FakeValue* find(const std::string& name) const {
    for (const auto& v : values)
      if (v.name == name) return &v;
    return nullptr;
  }
  size_t id(const std::string& name) const {
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i].name == name) return i;
    return INFER_NO_VALUE;
  }
  const FakeNode* node(const std::string& name) const {
    for (const auto& n : nodes)
      if (n.name == name) return &n;
    return nullptr;
  }
};

namespace {

using infer::plugin::dtype_size;

// Name of a host function to fail on, for error-propagation tests.
std::string g_fail_on;

infer_status* MakeStatus(infer_status_code code, const char* msg) {
  return new infer_status{code, msg != nullptr ? msg : ""};
}
infer_status* Err(const std::string& msg) {
  return MakeStatus(INFER_INVALID_ARGUMENT, msg.c_str());
}
infer_status* Injected(const char* fn) {
  return g_fail_on == fn ? MakeStatus(INFER_OUT_OF_RANGE, "injected failure") : nullptr;
}

infer_status_code StatusCode(const infer_status* s) { return s ? s->code : INFER_OK; }
const char* StatusMessage(const infer_status* s) { return s ? s->message.c_str() : ""; }
void StatusRelease(infer_status* s) { delete s; }
void Log(infer_log_level, const char*, const char*) {}

infer_status* SetOpset(infer_graph* g, const char* domain, int64_t version) {
  if (!g->opsets.emplace(domain, version).second) return Err("opset set twice");
  return nullptr;
}
infer_status* SetMetadata(infer_graph* g, const char* key, const char* value) {
  if (!g->metadata.emplace(key, value).second) return Err(std::string("metadata twice: ") + key);
  return nullptr;
}

infer_status* AddValue(infer_graph* g, const char* name, infer_dtype dtype, size_t rank,
                       const int64_t* dims, const char* const* syms, size_t* out) {
  if (auto* st = Injected("graph_add_value")) return st;
  if (g->find(name)) return Err(std::string("duplicate value ") + name);
  FakeValue v;
  v.name = name;
  v.dtype = dtype;
  v.rank = rank;
  if (rank != INFER_RANK_UNKNOWN) {
    for (size_t i = 0; i < rank; ++i) {
      v.dims.push_back(dims ? dims[i] : INFER_DIM_DYNAMIC);
      v.symbols.push_back(syms && syms[i] ? syms[i] : "");
    }
  }
  g->values.push_back(std::move(v));
  *out = g->values.size() - 1;
  return nullptr;
}

infer_status* AddInitializer(infer_graph* g, const char* name, infer_dtype dtype, size_t rank,
                             const int64_t* shape, const void* data, size_t nbytes, size_t* out) {
  if (auto* st = Injected("graph_add_initializer")) return st;
  size_t count = 1;
  for (size_t i = 0; i < rank; ++i) count *= static_cast<size_t>(shape[i]);
  if (count * dtype_size(dtype) != nbytes) return Err("initializer size mismatch");
  if (auto* st = AddValue(g, name, dtype, rank, shape, nullptr, out)) return st;
  auto& v = g->values[*out];
  v.is_initializer = true;
  if (nbytes)
    v.data.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + nbytes);
  return nullptr;
}

infer_status* AddInput(infer_graph* g, size_t v) {
  if (v >= g->values.size()) return Err("bad input id");
  g->inputs.push_back(v);
  return nullptr;
}
infer_status* AddOutput(infer_graph* g, size_t v) {
  if (v >= g->values.size()) return Err("bad output id");
  g->outputs.push_back(v);
  return nullptr;
}

infer_status* AddNode(infer_graph* g, const char* op, const char* domain, const char* name,
                      const size_t* in, size_t n_in, const size_t* outs, size_t n_out,
                      size_t* out_node) {
  if (auto* st = Injected("graph_add_node")) return st;
  FakeNode n{op, domain, name, {}, {}, {}};
  for (size_t i = 0; i < n_in; ++i) {
    if (in[i] != INFER_NO_VALUE && in[i] >= g->values.size()) return Err("bad node input");
    n.inputs.push_back(in[i]);
  }
  for (size_t i = 0; i < n_out; ++i) {
    if (outs[i] != INFER_NO_VALUE && outs[i] >= g->values.size()) return Err("bad node output");
    n.outputs.push_back(outs[i]);
  }
  g->nodes.push_back(std::move(n));
  *out_node = g->nodes.size() - 1;
  return nullptr;
}

// Common checks for node_set_attr_*; returns the slot to fill or an error.
infer_status* NewAttr(infer_graph* g, size_t node, const char* name, infer_attr_type type,
                      FakeAttr** out) {
  if (node >= g->nodes.size()) return Err("bad node id");
  auto [it, fresh] = g->nodes[node].attrs.emplace(name, FakeAttr{});
  if (!fresh) return Err(std::string("attribute twice: ") + name);
  it->second.type = type;
  *out = &it->second;
  return nullptr;
}

infer_status* SetAttrInt(infer_graph* g, size_t node, const char* name, int64_t v) {
  if (auto* st = Injected("node_set_attr_int")) return st;
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_INT, &a)) return st;
  a->i = v;
  return nullptr;
}
infer_status* SetAttrFloat(infer_graph* g, size_t node, const char* name, float v) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_FLOAT, &a)) return st;
  a->f = v;
  return nullptr;
}
infer_status* SetAttrString(infer_graph* g, size_t node, const char* name, const char* v,
                            size_t len) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_STRING, &a)) return st;
  a->s.assign(v, len);
  return nullptr;
}
infer_status* SetAttrInts(infer_graph* g, size_t node, const char* name, const int64_t* v,
                          size_t n) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_INTS, &a)) return st;
  a->ints.assign(v, v + n);
  return nullptr;
}
infer_status* SetAttrFloats(infer_graph* g, size_t node, const char* name, const float* v,
                            size_t n) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_FLOATS, &a)) return st;
  a->floats.assign(v, v + n);
  return nullptr;
}
infer_status* SetAttrStrings(infer_graph* g, size_t node, const char* name, const char* const* v,
                             size_t n) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_STRINGS, &a)) return st;
  for (size_t i = 0; i < n; ++i) a->strings.emplace_back(v[i]);
  return nullptr;
}
infer_status* SetAttrTensor(infer_graph* g, size_t node, const char* name,
                            const infer_tensor_view* t) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_TENSOR, &a)) return st;
  a->tensor_dtype = t->dtype;
  a->tensor_shape.assign(t->shape, t->shape + t->rank);
  if (t->nbytes) {
    auto* p = static_cast<const uint8_t*>(t->data);
    a->tensor_data.assign(p, p + t->nbytes);
  }
  return nullptr;
}
infer_status* AddAttrGraph(infer_graph* g, size_t node, const char* name, infer_graph** out) {
  FakeAttr* a = nullptr;
  if (auto* st = NewAttr(g, node, name, INFER_ATTR_GRAPH, &a)) return st;
  g->subgraphs.push_back(std::make_unique<infer_graph>());
  a->graph = g->subgraphs.back().get();
  *out = a->graph;
  return nullptr;
}

infer_host_api MakeHost() {
  infer_host_api h{};
  h.struct_size = sizeof(h);
  h.abi_major = INFER_PLUGIN_ABI_MAJOR;
  h.abi_minor = INFER_PLUGIN_ABI_MINOR;
  h.status_create = MakeStatus;
  h.status_code = StatusCode;
  h.status_message = StatusMessage;
  h.status_release = StatusRelease;
  h.log = Log;
  h.graph_set_opset = SetOpset;
  h.graph_set_metadata = SetMetadata;
  h.graph_add_value = AddValue;
  h.graph_add_initializer = AddInitializer;
  h.graph_add_input = AddInput;
  h.graph_add_output = AddOutput;
  h.graph_add_node = AddNode;
  h.node_set_attr_int = SetAttrInt;
  h.node_set_attr_float = SetAttrFloat;
  h.node_set_attr_string = SetAttrString;
  h.node_set_attr_ints = SetAttrInts;
  h.node_set_attr_floats = SetAttrFloats;
  h.node_set_attr_strings = SetAttrStrings;
  h.node_set_attr_tensor = SetAttrTensor;
  h.node_add_attr_graph = AddAttrGraph;
  return h;
}

const infer_host_api kHost = MakeHost();

// ---------------------------------------------------------------------------
// Plugin loading and model helpers
// ---------------------------------------------------------------------------

struct LoadResult {
  infer_status_code code = INFER_OK;
  std::string message;
  std::unique_ptr<infer_graph> graph = std::make_unique<infer_graph>();
};

class OnnxFrontendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    handle_ = dlopen(INFER_ONNX_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    entry_ = reinterpret_cast<infer_plugin_entry_fn>(dlsym(handle_, INFER_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry_, nullptr) << dlerror();
    api_ = entry_(INFER_PLUGIN_ABI_MAJOR, INFER_PLUGIN_ABI_MINOR);
    ASSERT_NE(api_, nullptr);
    infer_status* st = api_->init(&kHost, nullptr, &state_);
    ASSERT_EQ(st, nullptr) << st->message;
  }
  static void TearDownTestSuite() {
    if (api_) api_->shutdown(state_);
    // The plugin links protobuf; keep it loaded until exit rather than risk
    // unloading registered descriptors.
  }
  void TearDown() override { g_fail_on.clear(); }

  static LoadResult Load(const std::string& bytes, const char* model_dir = nullptr) {
    LoadResult r;
    infer_status* st =
        api_->frontend->load(state_, bytes.data(), bytes.size(), model_dir, r.graph.get());
    if (st) {
      r.code = st->code;
      r.message = st->message;
      delete st;
    }
    return r;
  }
  static LoadResult Load(const onnx::ModelProto& m, const char* model_dir = nullptr) {
    return Load(m.SerializeAsString(), model_dir);
  }

  static inline void* handle_ = nullptr;
  static inline infer_plugin_entry_fn entry_ = nullptr;
  static inline const infer_plugin_api* api_ = nullptr;
  static inline void* state_ = nullptr;
};

onnx::ModelProto BaseModel() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("test-producer");
  m.set_producer_version("1.2");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  m.mutable_graph()->set_name("main");
  return m;
}

// dims: a number is a fixed size, a string is a dim_param.
struct Dim {
  int64_t value = -1;
  std::string param;
  Dim(int64_t v) : value(v) {}      // NOLINT: implicit on purpose
  Dim(const char* p) : param(p) {}  // NOLINT
};

void SetTensorType(onnx::ValueInfoProto* v, const std::string& name, int elem,
                   std::vector<Dim> dims) {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem);
  auto* shape = t->mutable_shape();
  for (const Dim& d : dims) {
    auto* dim = shape->add_dim();
    if (d.param.empty()) {
      dim->set_dim_value(d.value);
    } else {
      dim->set_dim_param(d.param);
    }
  }
}

onnx::NodeProto* AddNode(onnx::GraphProto* g, const std::string& op, const std::string& name,
                         std::vector<std::string> in, std::vector<std::string> out) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (auto& s : in) n->add_input(s);
  for (auto& s : out) n->add_output(s);
  return n;
}

onnx::AttributeProto* AddAttr(onnx::NodeProto* n, const std::string& name,
                              onnx::AttributeProto::AttributeType type) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}

onnx::TensorProto* FloatInit(onnx::GraphProto* g, const std::string& name,
                             std::vector<int64_t> dims, std::vector<float> data) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  for (float f : data) t->add_float_data(f);
  return t;
}

template <typename T>
std::vector<uint8_t> BytesOf(std::vector<T> v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

TEST_F(OnnxFrontendTest, EntryProbeAndTables) {
  EXPECT_EQ(entry_(INFER_PLUGIN_ABI_MAJOR + 1, 0), nullptr);
  EXPECT_EQ(api_->struct_size, sizeof(infer_plugin_api));
  EXPECT_EQ(api_->abi_major, static_cast<uint32_t>(INFER_PLUGIN_ABI_MAJOR));
  infer_plugin_probe p{};
  p.struct_size = sizeof(p);
  api_->probe(&p);
  EXPECT_STREQ(p.name, "onnx");
  EXPECT_STREQ(p.vendor, "infer");
  EXPECT_STREQ(p.version, "0.1.0");
  EXPECT_EQ(p.kinds, static_cast<uint32_t>(INFER_PLUGIN_FRONTEND));
  EXPECT_EQ(p.score, 1);
  EXPECT_EQ(p.struct_size, sizeof(p));

  // A caller with an older, shorter probe struct gets only what fits.
  infer_plugin_probe small{};
  small.struct_size = offsetof(infer_plugin_probe, vendor);
  small.vendor = "untouched";
  api_->probe(&small);
  EXPECT_STREQ(small.name, "onnx");
  EXPECT_STREQ(small.vendor, "untouched");

  ASSERT_NE(api_->frontend, nullptr);
  EXPECT_EQ(api_->backend, nullptr);
  EXPECT_STREQ(api_->frontend->format, "onnx");
  EXPECT_STREQ(api_->frontend->file_extensions, ".onnx");
  std::string model = BaseModel().SerializeAsString();
  EXPECT_EQ(api_->frontend->can_load(state_, model.data(), model.size()), 1);
  EXPECT_EQ(api_->frontend->can_load(state_, "hello", 5), 0);
  EXPECT_EQ(api_->frontend->can_load(state_, nullptr, 0), 0);
}

// Bias values stored as raw_data in SmallModel().
const std::vector<float> kB = {0.5f, -1.0f};

// A model touching every import path: typed and raw initializers, dim
// params, value_info, absent optional inputs/outputs, every attribute type
// and If subgraphs that use outer values.
onnx::ModelProto SmallModel() {
  onnx::ModelProto m = BaseModel();
  auto* op = m.add_opset_import();
  op->set_domain("com.example");
  op->set_version(1);
  auto* prop = m.add_metadata_props();
  prop->set_key("author");
  prop->set_value("me");
  auto* g = m.mutable_graph();

  SetTensorType(g->add_input(), "X", onnx::TensorProto::FLOAT, {"N", 3});
  SetTensorType(g->add_input(), "W", onnx::TensorProto::FLOAT, {3, 2});  // also an initializer
  auto* z = g->add_input();  // a type with no shape: rank unknown
  z->set_name("Z");
  z->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  SetTensorType(g->add_output(), "Y", onnx::TensorProto::FLOAT, {"N", 2});
  SetTensorType(g->add_output(), "C", onnx::TensorProto::FLOAT, {"N", 2});
  SetTensorType(g->add_value_info(), "XW", onnx::TensorProto::FLOAT, {"N", 2});

  FloatInit(g, "W", {3, 2}, {1, 2, 3, 4, 5, 6});
  auto* b = g->add_initializer();
  b->set_name("B");
  b->set_data_type(onnx::TensorProto::FLOAT);
  b->add_dims(2);
  b->set_raw_data(std::string(reinterpret_cast<const char*>(kB.data()), 8));
  FloatInit(g, "cmax", {}, {6.0f});

  AddNode(g, "MatMul", "mm", {"X", "W"}, {"XW"});
  AddNode(g, "Add", "", {"XW", "B"}, {"Y"});                 // unnamed: gets "Add_1"
  AddNode(g, "Clip", "clip", {"Y", "", "cmax"}, {"C", ""});  // absent optional input
  auto* custom = AddNode(g, "Custom", "custom", {"Z"}, {"A"});
  custom->set_domain("com.example");
  AddAttr(custom, "i", onnx::AttributeProto::INT)->set_i(-42);
  AddAttr(custom, "f", onnx::AttributeProto::FLOAT)->set_f(2.5f);
  AddAttr(custom, "s", onnx::AttributeProto::STRING)->set_s(std::string("a\0b", 3));
  auto* ints = AddAttr(custom, "ints", onnx::AttributeProto::INTS);
  ints->add_ints(1);
  ints->add_ints(-2);
  auto* floats = AddAttr(custom, "floats", onnx::AttributeProto::FLOATS);
  floats->add_floats(0.25f);
  auto* strings = AddAttr(custom, "strings", onnx::AttributeProto::STRINGS);
  strings->add_strings("x");
  strings->add_strings("yz");
  auto* t = AddAttr(custom, "t", onnx::AttributeProto::TENSOR)->mutable_t();
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(2);
  t->add_int64_data(7);
  t->add_int64_data(-8);
  auto* untyped = custom->add_attribute();  // old models leave type unset
  untyped->set_name("legacy");
  untyped->set_i(5);

  // If with two bodies that use the outer value Y without defining it.
  auto* iff = AddNode(g, "If", "if", {"cond"}, {"IfOut"});
  auto* then_g = AddAttr(iff, "then_branch", onnx::AttributeProto::GRAPH)->mutable_g();
  then_g->set_name("then");
  SetTensorType(then_g->add_output(), "then_out", onnx::TensorProto::FLOAT, {"N", 2});
  FloatInit(then_g, "k", {1}, {3.0f});
  AddNode(then_g, "Mul", "then_mul", {"Y", "k"}, {"then_out"});
  auto* else_g = AddAttr(iff, "else_branch", onnx::AttributeProto::GRAPH)->mutable_g();
  else_g->add_output()->set_name("else_out");
  AddNode(else_g, "Neg", "", {"Y"}, {"else_out"});

  return m;
}

TEST_F(OnnxFrontendTest, ImportsSmallModel) {
  onnx::ModelProto m = SmallModel();
  LoadResult r = Load(m);
  ASSERT_EQ(r.code, INFER_OK) << r.message;
  const infer_graph& G = *r.graph;

  EXPECT_EQ(G.opsets.at("ai.onnx"), 17);
  EXPECT_EQ(G.opsets.at("com.example"), 1);
  EXPECT_EQ(G.metadata.at("producer_name"), "test-producer");
  EXPECT_EQ(G.metadata.at("producer_version"), "1.2");
  EXPECT_EQ(G.metadata.at("ir_version"), "8");
  EXPECT_EQ(G.metadata.at("author"), "me");

  // Inputs: X and Z; W is an initializer, not an input.
  ASSERT_EQ(G.inputs.size(), 2u);
  EXPECT_EQ(G.values[G.inputs[0]].name, "X");
  EXPECT_EQ(G.values[G.inputs[1]].name, "Z");
  const FakeValue* x = G.find("X");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->dtype, INFER_DTYPE_FLOAT32);
  ASSERT_EQ(x->rank, 2u);
  EXPECT_EQ(x->dims, (std::vector<int64_t>{INFER_DIM_DYNAMIC, 3}));
  EXPECT_EQ(x->symbols, (std::vector<std::string>{"N", ""}));
  EXPECT_EQ(G.find("Z")->dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(G.find("Z")->rank, INFER_RANK_UNKNOWN);

  // Outputs and value_info keep their declared types.
  ASSERT_EQ(G.outputs.size(), 2u);
  EXPECT_EQ(G.outputs[0], G.id("Y"));
  EXPECT_EQ(G.outputs[1], G.id("C"));
  EXPECT_EQ(G.find("Y")->dims, (std::vector<int64_t>{INFER_DIM_DYNAMIC, 2}));
  EXPECT_EQ(G.find("XW")->dtype, INFER_DTYPE_FLOAT32);
  EXPECT_EQ(G.find("XW")->rank, 2u);

  // Initializers.
  const FakeValue* w = G.find("W");
  ASSERT_TRUE(w && w->is_initializer);
  EXPECT_EQ(w->dims, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(w->data, BytesOf<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(G.find("B")->data, BytesOf(kB));
  EXPECT_EQ(G.find("cmax")->rank, 0u);
  EXPECT_EQ(G.find("cmax")->data, BytesOf<float>({6.0f}));

  // Nodes, in order, with values resolved by name.
  ASSERT_EQ(G.nodes.size(), 5u);
  EXPECT_EQ(G.nodes[0].op_type, "MatMul");
  EXPECT_EQ(G.nodes[0].inputs, (std::vector<size_t>{G.id("X"), G.id("W")}));
  EXPECT_EQ(G.nodes[0].outputs, (std::vector<size_t>{G.id("XW")}));
  EXPECT_EQ(G.nodes[1].name, "Add_1");
  EXPECT_EQ(G.nodes[1].domain, "");
  EXPECT_EQ(G.nodes[2].inputs, (std::vector<size_t>{G.id("Y"), INFER_NO_VALUE, G.id("cmax")}));
  EXPECT_EQ(G.nodes[2].outputs, (std::vector<size_t>{G.id("C"), INFER_NO_VALUE}));

  const FakeNode* c = G.node("custom");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->domain, "com.example");
  const FakeValue* a = G.find("A");  // first seen as an output: untyped
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->dtype, INFER_DTYPE_UNDEFINED);
  EXPECT_EQ(a->rank, INFER_RANK_UNKNOWN);
  EXPECT_EQ(c->attrs.at("i").type, INFER_ATTR_INT);
  EXPECT_EQ(c->attrs.at("i").i, -42);
  EXPECT_EQ(c->attrs.at("f").f, 2.5f);
  EXPECT_EQ(c->attrs.at("s").s, std::string("a\0b", 3));
  EXPECT_EQ(c->attrs.at("ints").ints, (std::vector<int64_t>{1, -2}));
  EXPECT_EQ(c->attrs.at("floats").floats, (std::vector<float>{0.25f}));
  EXPECT_EQ(c->attrs.at("strings").strings, (std::vector<std::string>{"x", "yz"}));
  const FakeAttr& ta = c->attrs.at("t");
  EXPECT_EQ(ta.type, INFER_ATTR_TENSOR);
  EXPECT_EQ(ta.tensor_dtype, INFER_DTYPE_INT64);
  EXPECT_EQ(ta.tensor_shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(ta.tensor_data, BytesOf<int64_t>({7, -8}));
  EXPECT_EQ(c->attrs.at("legacy").type, INFER_ATTR_INT);
  EXPECT_EQ(c->attrs.at("legacy").i, 5);

  // Subgraphs: own values, outer names as untyped placeholders.
  const FakeNode* n_if = G.node("if");
  ASSERT_NE(n_if, nullptr);
  EXPECT_EQ(G.find("cond")->dtype, INFER_DTYPE_UNDEFINED);  // used, never declared
  const infer_graph* then_sub = n_if->attrs.at("then_branch").graph;
  ASSERT_NE(then_sub, nullptr);
  ASSERT_EQ(then_sub->outputs.size(), 1u);
  EXPECT_EQ(then_sub->values[then_sub->outputs[0]].name, "then_out");
  EXPECT_EQ(then_sub->values[then_sub->outputs[0]].dtype, INFER_DTYPE_FLOAT32);
  EXPECT_TRUE(then_sub->find("k")->is_initializer);
  const FakeValue* outer_y = then_sub->find("Y");
  ASSERT_NE(outer_y, nullptr);
  EXPECT_EQ(outer_y->dtype, INFER_DTYPE_UNDEFINED);
  EXPECT_EQ(outer_y->rank, INFER_RANK_UNKNOWN);
  ASSERT_EQ(then_sub->nodes.size(), 1u);
  EXPECT_EQ(then_sub->nodes[0].inputs, (std::vector<size_t>{then_sub->id("Y"), then_sub->id("k")}));
  const infer_graph* else_sub = n_if->attrs.at("else_branch").graph;
  ASSERT_NE(else_sub, nullptr);
  EXPECT_EQ(else_sub->nodes.at(0).name, "Neg_0");
  EXPECT_EQ(else_sub->values[else_sub->outputs.at(0)].rank, INFER_RANK_UNKNOWN);
  EXPECT_TRUE(else_sub->opsets.empty());  // subgraphs inherit the model's opsets
}

// One initializer stored both ways must give identical bytes, equal to the
// expected little-endian element bytes.
struct DtypeCase {
  int onnx_type;
  std::vector<uint8_t> expected;
  std::function<void(onnx::TensorProto*)> fill_typed;
};

TEST_F(OnnxFrontendTest, RawDataAndTypedFieldsGiveSameBytes) {
  using T = onnx::TensorProto;
  std::vector<DtypeCase> cases = {
      {T::FLOAT, BytesOf<float>({1.5f, -2.0f, 0.0f}),
       [](T* t) {
         for (float v : {1.5f, -2.0f, 0.0f}) t->add_float_data(v);
       }},
      {T::DOUBLE, BytesOf<double>({1e300, -0.5, 3.0}),
       [](T* t) {
         for (double v : {1e300, -0.5, 3.0}) t->add_double_data(v);
       }},
      {T::INT64, BytesOf<int64_t>({-1, int64_t{1} << 40, 7}),
       [](T* t) {
         for (int64_t v : {int64_t{-1}, int64_t{1} << 40, int64_t{7}}) t->add_int64_data(v);
       }},
      {T::INT32, BytesOf<int32_t>({-5, 100000, 0}),
       [](T* t) {
         for (int32_t v : {-5, 100000, 0}) t->add_int32_data(v);
       }},
      {T::INT16, BytesOf<int16_t>({-2, 300, 7}),
       [](T* t) {
         for (int32_t v : {-2, 300, 7}) t->add_int32_data(v);
       }},
      {T::UINT16, BytesOf<uint16_t>({65535, 1, 2}),
       [](T* t) {
         for (int32_t v : {65535, 1, 2}) t->add_int32_data(v);
       }},
      {T::INT8, BytesOf<int8_t>({-1, 127, -128}),
       [](T* t) {
         for (int32_t v : {-1, 127, -128}) t->add_int32_data(v);
       }},
      {T::UINT8, BytesOf<uint8_t>({255, 0, 9}),
       [](T* t) {
         for (int32_t v : {255, 0, 9}) t->add_int32_data(v);
       }},
      {T::BOOL, BytesOf<uint8_t>({1, 0, 1}),
       [](T* t) {
         for (int32_t v : {1, 0, 1}) t->add_int32_data(v);
       }},
      {T::FLOAT16, BytesOf<uint16_t>({0x3c00, 0xc000, 0x7bff}),
       [](T* t) {
         for (int32_t v : {0x3c00, 0xc000, 0x7bff}) t->add_int32_data(v);
       }},
      {T::BFLOAT16, BytesOf<uint16_t>({0x3f80, 0xbf80, 0x0001}),
       [](T* t) {
         for (int32_t v : {0x3f80, 0xbf80, 0x0001}) t->add_int32_data(v);
       }},
      {T::UINT32, BytesOf<uint32_t>({4294967295u, 1, 2}),
       [](T* t) {
         for (uint64_t v : {4294967295ull, 1ull, 2ull}) t->add_uint64_data(v);
       }},
      {T::UINT64, BytesOf<uint64_t>({~uint64_t{0}, 0, 5}),
       [](T* t) {
         for (uint64_t v : {~uint64_t{0}, uint64_t{0}, uint64_t{5}}) t->add_uint64_data(v);
       }},
  };
  for (const DtypeCase& c : cases) {
    SCOPED_TRACE(T::DataType_Name(static_cast<T::DataType>(c.onnx_type)));
    onnx::ModelProto m = BaseModel();
    auto* g = m.mutable_graph();
    auto* typed = g->add_initializer();
    typed->set_name("typed");
    typed->set_data_type(c.onnx_type);
    typed->add_dims(3);
    c.fill_typed(typed);
    auto* raw = g->add_initializer();
    raw->set_name("raw");
    raw->set_data_type(c.onnx_type);
    raw->add_dims(3);
    raw->set_raw_data(std::string(c.expected.begin(), c.expected.end()));

    LoadResult r = Load(m);
    ASSERT_EQ(r.code, INFER_OK) << r.message;
    EXPECT_EQ(r.graph->find("typed")->dtype, static_cast<infer_dtype>(c.onnx_type));
    EXPECT_EQ(r.graph->find("typed")->data, c.expected);
    EXPECT_EQ(r.graph->find("raw")->data, c.expected);
  }
}

TEST_F(OnnxFrontendTest, RefusesBytesThatAreNotAModel) {
  onnx::ModelProto m = BaseModel();
  FloatInit(m.mutable_graph(), "W", {64}, std::vector<float>(64, 1.0f));
  AddNode(m.mutable_graph(), "Relu", "r", {"W"}, {"Y"});
  const std::string good = m.SerializeAsString();
  ASSERT_EQ(Load(good).code, INFER_OK);

  auto expect_invalid = [&](const std::string& bytes, const char* label) {
    LoadResult r = Load(bytes);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL) << label << ": " << r.message;
    EXPECT_NE(r.message.find("not a valid ONNX model"), std::string::npos) << r.message;
  };
  expect_invalid("", "empty");
  expect_invalid(good.substr(0, good.size() / 2), "truncated");
  expect_invalid(good.substr(0, good.size() - 1), "one byte short");
  expect_invalid("this is not an ONNX file at all", "text");
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 50; ++trial) {
    std::string junk(64 + static_cast<size_t>(trial) * 13, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    expect_invalid(junk, "random");
  }
  onnx::ModelProto no_graph;
  no_graph.set_ir_version(8);
  expect_invalid(no_graph.SerializeAsString(), "no graph");
  onnx::ModelProto no_ir = BaseModel();
  no_ir.set_ir_version(0);
  expect_invalid(no_ir.SerializeAsString(), "ir_version 0");
  // A single varint field parses as a protobuf but is not a model.
  expect_invalid(std::string("\x08\x07", 2), "ir_version only");

  // Empty opset_import on a modern IR is malformed too.
  onnx::ModelProto no_opset = BaseModel();
  no_opset.clear_opset_import();
  EXPECT_EQ(Load(no_opset).code, INFER_INVALID_MODEL);
}

// Corrupted models must give an error or a graph, never a crash (run this
// under ASan to make it meaningful).
TEST_F(OnnxFrontendTest, SurvivesCorruptedModels) {
  const std::string good = SmallModel().SerializeAsString();
  std::mt19937 rng(42);
  int refused = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    if (trial % 3 == 0) bytes.resize(rng() % bytes.size());
    LoadResult r = Load(bytes);
    if (r.code != INFER_OK) {
      ++refused;
      EXPECT_FALSE(r.message.empty());
    }
  }
  EXPECT_GT(refused, 0);
}

TEST_F(OnnxFrontendTest, RefusesShapeDataMismatch) {
  {
    onnx::ModelProto m = BaseModel();
    FloatInit(m.mutable_graph(), "W", {2, 3}, {1, 2, 3, 4, 5});
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL);
    EXPECT_NE(r.message.find("'W'"), std::string::npos) << r.message;
  }
  {
    onnx::ModelProto m = BaseModel();
    auto* t = m.mutable_graph()->add_initializer();
    t->set_name("R");
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(2);
    t->add_dims(3);
    t->set_raw_data(std::string(20, '\0'));
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL);
    EXPECT_NE(r.message.find("'R'"), std::string::npos) << r.message;
  }
  {  // element count overflows size_t
    onnx::ModelProto m = BaseModel();
    FloatInit(m.mutable_graph(), "huge", {int64_t{1} << 40, int64_t{1} << 40}, {1.0f});
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL) << r.message;
  }
  {  // byte size overflows size_t although the count does not
    onnx::ModelProto m = BaseModel();
    FloatInit(m.mutable_graph(), "big", {int64_t{1} << 62}, {1.0f});
    EXPECT_EQ(Load(m).code, INFER_INVALID_MODEL);
  }
  {
    onnx::ModelProto m = BaseModel();
    FloatInit(m.mutable_graph(), "neg", {-1}, {});
    EXPECT_EQ(Load(m).code, INFER_INVALID_MODEL);
  }
  {  // data in the wrong typed field
    onnx::ModelProto m = BaseModel();
    auto* t = FloatInit(m.mutable_graph(), "wrong", {1}, {});
    t->add_int64_data(1);
    EXPECT_EQ(Load(m).code, INFER_INVALID_MODEL);
  }
  {  // an empty tensor with no data is fine
    onnx::ModelProto m = BaseModel();
    FloatInit(m.mutable_graph(), "empty", {0, 4}, {});
    LoadResult r = Load(m);
    ASSERT_EQ(r.code, INFER_OK) << r.message;
    EXPECT_TRUE(r.graph->find("empty")->data.empty());
  }
}

TEST_F(OnnxFrontendTest, RefusesUnsupportedConstructsClearly) {
  {
    onnx::ModelProto m = BaseModel();
    auto* t = m.mutable_graph()->add_initializer();
    t->set_name("names");
    t->set_data_type(onnx::TensorProto::STRING);
    t->add_dims(1);
    t->add_string_data("hello");
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_UNIMPLEMENTED);
    EXPECT_NE(r.message.find("'names'"), std::string::npos) << r.message;
  }
  {
    onnx::ModelProto m = BaseModel();
    auto* sp = m.mutable_graph()->add_sparse_initializer();
    sp->mutable_values()->set_name("sparse_w");
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_UNIMPLEMENTED);
    EXPECT_NE(r.message.find("'sparse_w'"), std::string::npos) << r.message;
  }
  {
    onnx::ModelProto m = BaseModel();
    auto* n = AddNode(m.mutable_graph(), "Weird", "weird_node", {}, {"y"});
    AddAttr(n, "bodies", onnx::AttributeProto::GRAPHS)->add_graphs();
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_UNIMPLEMENTED);
    EXPECT_NE(r.message.find("'weird_node'"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("'bodies'"), std::string::npos) << r.message;
  }
  {
    onnx::ModelProto m = BaseModel();
    auto* n = AddNode(m.mutable_graph(), "Weird", "sparse_node", {}, {"y"});
    AddAttr(n, "sp", onnx::AttributeProto::SPARSE_TENSOR)->mutable_sparse_tensor();
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_UNIMPLEMENTED);
    EXPECT_NE(r.message.find("'sparse_node'"), std::string::npos) << r.message;
  }
  {  // an error inside a loop body names the whole path
    onnx::ModelProto m = BaseModel();
    auto* loop = AddNode(m.mutable_graph(), "Loop", "loop", {"", ""}, {"out"});
    auto* body = AddAttr(loop, "body", onnx::AttributeProto::GRAPH)->mutable_g();
    FloatInit(body, "bad_w", {2}, {1.0f});
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL);
    EXPECT_NE(r.message.find("'loop'"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("'body'"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("'bad_w'"), std::string::npos) << r.message;
  }
  {  // SSA: a value produced twice
    onnx::ModelProto m = BaseModel();
    AddNode(m.mutable_graph(), "Relu", "first", {"x"}, {"y"});
    AddNode(m.mutable_graph(), "Relu", "second", {"x"}, {"y"});
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL);
    EXPECT_NE(r.message.find("'second'"), std::string::npos) << r.message;
  }
}

TEST_F(OnnxFrontendTest, PropagatesHostErrors) {
  onnx::ModelProto m = BaseModel();
  FloatInit(m.mutable_graph(), "W", {1}, {1.0f});
  auto* n = AddNode(m.mutable_graph(), "Relu", "relu", {"W"}, {"Y"});
  AddAttr(n, "k", onnx::AttributeProto::INT)->set_i(1);
  for (const char* fn :
       {"graph_add_value", "graph_add_initializer", "graph_add_node", "node_set_attr_int"}) {
    g_fail_on = fn;
    LoadResult r = Load(m);
    EXPECT_EQ(r.code, INFER_OUT_OF_RANGE) << fn;
    EXPECT_NE(r.message.find("injected failure"), std::string::npos) << r.message;
  }
  g_fail_on = "node_set_attr_int";
  EXPECT_NE(Load(m).message.find("'relu'"), std::string::npos);
}

// ---------------------------------------------------------------------------
// External data
// ---------------------------------------------------------------------------

class ExternalDataTest : public OnnxFrontendTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/infer_onnx_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    dir_ = root_ / "model";
    std::filesystem::create_directories(dir_ / "sub");
    // 8 bytes of padding, then 4 floats.
    std::string blob(8, 'x');
    blob += std::string(reinterpret_cast<const char*>(kData.data()), 16);
    Write(dir_ / "weights.bin", blob);
    Write(dir_ / "sub" / "w.bin", blob);
    Write(root_ / "secret.bin", blob);
    std::filesystem::create_symlink(root_ / "secret.bin", dir_ / "link.bin");
    std::filesystem::create_directory_symlink(root_, dir_ / "linkdir");
  }
  void TearDown() override {
    std::filesystem::remove_all(root_);
    OnnxFrontendTest::TearDown();
  }

  static void Write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }

  // A model whose initializer W [4] float lives in `location`.
  static onnx::ModelProto ExternalModel(const std::string& location, const char* offset = "8",
                                        const char* length = "16") {
    onnx::ModelProto m = BaseModel();
    auto* t = m.mutable_graph()->add_initializer();
    t->set_name("W");
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(4);
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](const char* k, const std::string& v) {
      auto* e = t->add_external_data();
      e->set_key(k);
      e->set_value(v);
    };
    add("location", location);
    if (offset) add("offset", offset);
    if (length) add("length", length);
    return m;
  }

  LoadResult LoadExternal(const std::string& location, const char* offset = "8",
                          const char* length = "16") {
    return Load(ExternalModel(location, offset, length), dir_.c_str());
  }

  static constexpr std::array<float, 4> kData = {1.0f, -2.0f, 3.5f, 4.25f};
  std::filesystem::path root_, dir_;
};

TEST_F(ExternalDataTest, LoadsDataInsideTheModelFolder) {
  const std::vector<uint8_t> expected = BytesOf<float>({1.0f, -2.0f, 3.5f, 4.25f});
  for (const char* loc : {"weights.bin", "sub/w.bin", "./weights.bin"}) {
    LoadResult r = LoadExternal(loc);
    ASSERT_EQ(r.code, INFER_OK) << loc << ": " << r.message;
    EXPECT_EQ(r.graph->find("W")->data, expected) << loc;
  }
  // Without a length the tensor's own size is read.
  LoadResult r = LoadExternal("weights.bin", "8", nullptr);
  ASSERT_EQ(r.code, INFER_OK) << r.message;
  EXPECT_EQ(r.graph->find("W")->data, expected);

  // TENSOR attributes (Constant) may use external data too.
  onnx::ModelProto m = BaseModel();
  auto* n = AddNode(m.mutable_graph(), "Constant", "const", {}, {"c"});
  auto* attr = AddAttr(n, "value", onnx::AttributeProto::TENSOR);
  *attr->mutable_t() = ExternalModel("weights.bin").graph().initializer(0);
  LoadResult rc = Load(m, dir_.c_str());
  ASSERT_EQ(rc.code, INFER_OK) << rc.message;
  EXPECT_EQ(rc.graph->nodes.at(0).attrs.at("value").tensor_data, expected);
}

TEST_F(ExternalDataTest, RefusesLocationsOutsideTheModelFolder) {
  const std::string abs = (root_ / "secret.bin").string();
  for (const std::string& loc : {std::string("../secret.bin"), std::string("sub/../../secret.bin"),
                                 abs, std::string("link.bin"), std::string("linkdir/secret.bin"),
                                 std::string("..\\secret.bin")}) {
    LoadResult r = LoadExternal(loc);
    EXPECT_EQ(r.code, INFER_INVALID_MODEL) << loc << ": " << r.message;
    EXPECT_NE(r.message.find("'W'"), std::string::npos) << r.message;
  }
}

TEST_F(ExternalDataTest, RefusesBadRequests) {
  // In-memory models have no folder to read from.
  LoadResult r = Load(ExternalModel("weights.bin"), nullptr);
  EXPECT_EQ(r.code, INFER_FAILED_PRECONDITION) << r.message;
  // Past the end of the file.
  EXPECT_EQ(LoadExternal("weights.bin", "16", "16").code, INFER_INVALID_MODEL);
  EXPECT_EQ(LoadExternal("weights.bin", "18446744073709551615", "16").code, INFER_INVALID_MODEL);
  // Length disagreeing with the shape.
  EXPECT_EQ(LoadExternal("weights.bin", "8", "12").code, INFER_INVALID_MODEL);
  // Malformed numbers.
  EXPECT_EQ(LoadExternal("weights.bin", "-8", "16").code, INFER_INVALID_MODEL);
  EXPECT_EQ(LoadExternal("weights.bin", "8x", "16").code, INFER_INVALID_MODEL);
  // Missing file, and a folder instead of a file.
  EXPECT_EQ(LoadExternal("missing.bin").code, INFER_NOT_FOUND);
  EXPECT_EQ(LoadExternal("sub").code, INFER_INVALID_MODEL);
  EXPECT_EQ(LoadExternal("").code, INFER_INVALID_MODEL);
}

}  // namespace
