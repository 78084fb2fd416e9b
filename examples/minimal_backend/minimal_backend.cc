// minimal_backend: a backend plugin to start from. It is built out of tree against an installed
// engine (see README.md) and uses only the installed SDK headers.
//
// The three jobs of a backend, in the order the engine asks for them:
//   capability: claim the nodes it can run, refuse the rest with a one-line reason;
//   compile:    turn a partition (claimed nodes) into its own little program: a list of
//               instructions over buffers, shapes resolved, constants copied in;
//   run:        execute that program on host memory, outputs allocated by the host.
// The file reads top down: 1. the program format, 2. lowering a node to an instruction (shared
// by capability and compile), 3. the kernels, 4. the ABI functions the engine calls. A vendor
// replaces 1-3 with their compiler and device runtime and keeps the shape of 4.
//
// Op set: float32 Gemm, MatMul, Add, Sub, Mul, Div (numpy broadcasting), Relu, Sigmoid, Tanh
// and Softmax (last axis), all with static shapes; plus custom operators whose custom-op plugin
// ships a kernel for "minimal" (examples/custom_op does), run through the host.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infer/node_snapshot.hpp"  // NodeSnapshot: a node copied out of the host graph
#include "infer/plugin_api.h"       // the C ABI: the contract
#include "infer/plugin_cxx.hpp"     // guard(), PluginError

namespace minimal {
namespace {

namespace plugin = infer::plugin;
using plugin::NodeSnapshot;
using plugin::PluginError;
using plugin::ValueSnapshot;
using Shape = std::vector<int64_t>;

constexpr const char* kName = "minimal";
constexpr const char* kOpList = "Gemm, MatMul, Add, Sub, Mul, Div, Relu, Sigmoid, Tanh, Softmax";

int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string shape_text(const ValueSnapshot& v) {
  if (!v.rank_known) return "[rank unknown]";
  std::string s = "[";
  for (size_t i = 0; i < v.dims.size(); ++i) {
    s += i ? "," : "";
    s += v.dims[i] < 0 ? "?" : std::to_string(v.dims[i]);
  }
  return s + "]";
}

// --------------------------------------------------------------------------------------------
// 1. The program a partition compiles to
// --------------------------------------------------------------------------------------------

// Every ONNX op lowers to one of four instruction kinds (MatMul is a Gemm without bias); a
// custom operator to a call of its plugin's kernel.
enum class Kind { Gemm, Binary, Unary, Softmax, Custom };

// One instruction: reads buffers `in`, writes buffer `out`. Everything a kernel needs is
// resolved here, at compile time, so run() does no graph work at all.
struct Instr {
  Kind kind = Kind::Unary;
  std::string label;  // "Gemm node '/fc1/Gemm'": profile events and messages
  std::string op;     // the ONNX op it came from, for describe_partition
  std::vector<size_t> in;
  size_t out = 0;
  Shape out_shape;
  float (*unary)(float) = nullptr;          // Unary
  float (*binary)(float, float) = nullptr;  // Binary
  std::vector<Shape> strides;               // Binary: each input's, Gemm: C's (broadcast)
  int64_t m = 0, n = 0, k = 0;              // Gemm: [m,k] x [k,n]; Softmax: m rows of n
  bool trans_a = false, trans_b = false;
  float alpha = 1, beta = 0;
  infer_custom_kernel* custom = nullptr;  // Custom: owned by Program::custom_kernels
};

// Whether the host table is new enough to hold `field` (tables only grow; check before use).
#define HOST_HAS(host, field) \
  ((host)->struct_size >= offsetof(infer_host_api, field) + sizeof((host)->field))

// Releases a custom operator's kernel through the host that created it.
struct CustomKernelRelease {
  const infer_host_api* host;
  void operator()(infer_custom_kernel* k) const { host->custom_kernel_release(k); }
};
using CustomKernel = std::unique_ptr<infer_custom_kernel, CustomKernelRelease>;

// A tensor the program reads or writes. Where its memory comes from decides its kind.
struct Buffer {
  enum Source { kInput, kOutput, kConstant, kScratch } source = kScratch;
  Shape shape;
  size_t index = 0;         // kInput/kOutput: position in the partition; kScratch: float offset
  std::vector<float> data;  // kConstant: the values, copied at compile
};

struct Program {
  std::vector<Buffer> buffers;
  std::vector<Instr> code;
  std::vector<size_t> input_buffers;  // buffer of each partition input, in order
  int64_t scratch_floats = 0;         // one block per run holds every intermediate
  std::vector<CustomKernel> custom_kernels;
};

// --------------------------------------------------------------------------------------------
// 2. Compiling: lower() turns one node into one instruction, compile_program() a partition into
//    a Program. Capability calls lower() too, so what it claims is exactly what compile accepts.
// --------------------------------------------------------------------------------------------

// Strides that read a tensor of shape `in` as if broadcast to `out` (numpy rules): 0 along the
// dimensions it is repeated on.
Shape broadcast_strides(const Shape& in, const Shape& out) {
  if (in.size() > out.size()) throw PluginError(INFER_INVALID_ARGUMENT, "rank too large");
  Shape strides(out.size(), 0);
  int64_t step = 1;
  for (size_t i = 1; i <= in.size(); ++i) {
    const int64_t d = in[in.size() - i], o = out[out.size() - i];
    if (d != 1 && d != o) {
      throw PluginError(INFER_UNIMPLEMENTED, "shapes do not broadcast to the output's");
    }
    strides[out.size() - i] = d == 1 ? 0 : step;
    step *= d;
  }
  return strides;
}

float relu(float x) { return x > 0 ? x : 0; }
float sigmoid(float x) { return 1 / (1 + std::exp(-x)); }
float tanh_(float x) { return std::tanh(x); }
float add(float a, float b) { return a + b; }
float sub(float a, float b) { return a - b; }
float mul(float a, float b) { return a * b; }
float div_(float a, float b) { return a / b; }

const std::map<std::string, float (*)(float)> kUnary = {
    {"Relu", relu}, {"Sigmoid", sigmoid}, {"Tanh", tanh_}};
const std::map<std::string, float (*)(float, float)> kBinary = {
    {"Add", add}, {"Sub", sub}, {"Mul", mul}, {"Div", div_}};

// True when a loaded custom-op plugin has a kernel for this node on this backend (host ABI 1.5).
bool has_custom_kernel(const infer_host_api* host, const infer_graph* g, const NodeSnapshot& node) {
  return HOST_HAS(host, custom_kernel_release) &&
         host->custom_kernel_available(g, node.id, kName) != 0;
}

// One node -> one instruction with its parameters resolved (buffer ids are filled in by the
// caller). Throws PluginError naming what this backend cannot do (op, dtype, dynamic shape,
// attribute); capability uses that message as the refusal reason. `custom`: the node is a
// custom operator with a kernel for this backend (has_custom_kernel).
Instr lower(const NodeSnapshot& node, bool custom) {
  Instr ins;
  ins.label = node.describe();
  ins.op = node.op_type;
  if (!custom && !node.domain.empty() && node.domain != "ai.onnx") {
    throw PluginError(INFER_UNIMPLEMENTED,
                      "op " + node.domain + "." + node.op_type +
                          " is not supported (only the default domain, and custom ops with a "
                          "kernel for " +
                          kName + ")");
  }
  for (const auto* list : {&node.inputs, &node.outputs}) {
    for (const ValueSnapshot& v : *list) {
      if (!v.present()) continue;
      if (v.dtype != INFER_DTYPE_FLOAT32) {
        throw PluginError(INFER_UNIMPLEMENTED, "tensor '" + v.name + "' is " +
                                                   plugin::dtype_name(v.dtype) + "; " + kName +
                                                   " runs float32 only");
      }
      if (!v.is_static()) {
        throw PluginError(INFER_UNIMPLEMENTED, "tensor '" + v.name + "' has a dynamic shape " +
                                                   shape_text(v) + "; " + kName +
                                                   " needs static shapes (infer-run --dim)");
      }
    }
  }
  if (node.outputs.empty() || !node.outputs[0].present()) {
    throw PluginError(INFER_INVALID_MODEL, "node has no output");
  }
  ins.out_shape = node.outputs[0].dims;
  auto in_shape = [&](size_t i) -> const Shape& {
    if (!node.has_input(i))
      throw PluginError(INFER_INVALID_MODEL, "input " + std::to_string(i) + " is missing");
    return node.inputs[i].dims;
  };

  if (custom) {
    if (node.outputs.size() != 1) {
      throw PluginError(INFER_UNIMPLEMENTED, "custom ops with more than one output");
    }
    ins.kind = Kind::Custom;  // the kernel itself is created by compile_program
  } else if (auto un = kUnary.find(node.op_type); un != kUnary.end()) {
    ins.kind = Kind::Unary;
    ins.unary = un->second;
  } else if (auto bin = kBinary.find(node.op_type); bin != kBinary.end()) {
    ins.kind = Kind::Binary;
    ins.binary = bin->second;
    ins.strides = {broadcast_strides(in_shape(0), ins.out_shape),
                   broadcast_strides(in_shape(1), ins.out_shape)};
  } else if (node.op_type == "Gemm") {  // Y = alpha * A' B' + beta * C
    const Shape &a = in_shape(0), &b = in_shape(1);
    if (a.size() != 2 || b.size() != 2)
      throw PluginError(INFER_INVALID_MODEL, "A and B must be 2-D");
    ins.kind = Kind::Gemm;
    ins.trans_a = node.attr_int("transA", 0) != 0;
    ins.trans_b = node.attr_int("transB", 0) != 0;
    ins.alpha = node.attr_float("alpha", 1);
    ins.m = ins.trans_a ? a[1] : a[0];
    ins.k = ins.trans_a ? a[0] : a[1];
    ins.n = ins.trans_b ? b[0] : b[1];
    if (node.has_input(2)) {
      ins.beta = node.attr_float("beta", 1);
      ins.strides = {broadcast_strides(in_shape(2), {ins.m, ins.n})};
    }
  } else if (node.op_type == "MatMul") {  // [..., M, K] x [K, N]: one Gemm with M = all rows
    const Shape &a = in_shape(0), &b = in_shape(1);
    if (a.size() < 2 || b.size() != 2) {
      throw PluginError(INFER_UNIMPLEMENTED, "MatMul of a rank-" + std::to_string(a.size()) +
                                                 " by a rank-" + std::to_string(b.size()) +
                                                 " tensor (only [..., M, K] x [K, N])");
    }
    ins.kind = Kind::Gemm;
    ins.k = a.back();
    ins.m = numel(a) / std::max<int64_t>(ins.k, 1);
    ins.n = b[1];
  } else if (node.op_type == "Softmax") {
    const int64_t rank = static_cast<int64_t>(ins.out_shape.size());
    const int64_t axis = node.attr_int("axis", node.opset >= 13 ? -1 : 1);  // default changed in 13
    if (rank == 0 || (axis != -1 && axis != rank - 1)) {
      throw PluginError(INFER_UNIMPLEMENTED, "attribute axis=" + std::to_string(axis) +
                                                 ": only the last axis is supported");
    }
    ins.kind = Kind::Softmax;
    ins.n = ins.out_shape.back();
    ins.m = numel(ins.out_shape) / std::max<int64_t>(ins.n, 1);
  } else {
    throw PluginError(INFER_UNIMPLEMENTED,
                      "op " + node.op_type + " is not supported (supported: " + kOpList + ")");
  }
  return ins;
}

// The whole partition: a buffer per value, an instruction per node, in the given (topological)
// order. Partition inputs and outputs keep their positions; constants are copied in.
Program compile_program(const infer_host_api* host, const infer_graph* g,
                        const plugin::PartitionSnapshot& part) {
  Program prog;
  std::map<size_t, size_t> buffer_of;  // value id -> buffer
  auto add_buffer = [&](const ValueSnapshot& v, Buffer::Source source, size_t index) {
    Buffer b;
    b.source = source;
    b.shape = v.dims;
    b.index = index;
    if (source == Buffer::kConstant) b.data = v.floats();
    if (source == Buffer::kScratch) {
      b.index = static_cast<size_t>(prog.scratch_floats);
      prog.scratch_floats += numel(v.dims);
    }
    prog.buffers.push_back(std::move(b));
    return buffer_of[v.id] = prog.buffers.size() - 1;
  };
  for (size_t i = 0; i < part.inputs.size(); ++i) {
    prog.input_buffers.push_back(add_buffer(part.inputs[i], Buffer::kInput, i));
  }
  std::map<size_t, size_t> output_index;  // value id -> position among the partition's outputs
  for (size_t i = 0; i < part.outputs.size(); ++i) output_index.emplace(part.outputs[i].id, i);

  for (const NodeSnapshot& node : part.nodes) {
    Instr ins = lower(node, has_custom_kernel(host, g, node));
    if (ins.kind == Kind::Custom) {  // the plugin reads the node's attributes once, here
      plugin::check_status(host, host->custom_kernel_create(g, node.id, kName, &ins.custom));
      prog.custom_kernels.emplace_back(ins.custom, CustomKernelRelease{host});
    }
    for (const ValueSnapshot& v : node.inputs) {
      if (!v.present()) continue;
      if (!buffer_of.contains(v.id)) {
        if (!v.has_data())
          throw PluginError(INFER_INVALID_ARGUMENT,
                            "value '" + v.name + "' has no producer in the partition");
        add_buffer(v, Buffer::kConstant, 0);
      }
      ins.in.push_back(buffer_of[v.id]);
    }
    const ValueSnapshot& y = node.outputs[0];
    auto out = output_index.find(y.id);
    ins.out = out != output_index.end() ? add_buffer(y, Buffer::kOutput, out->second)
                                        : add_buffer(y, Buffer::kScratch, 0);
    prog.code.push_back(std::move(ins));
  }
  for (const ValueSnapshot& v : part.outputs) {
    if (!buffer_of.contains(v.id) || prog.buffers[buffer_of[v.id]].source != Buffer::kOutput) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        "partition output '" + v.name + "' is not computed by the partition");
    }
  }
  return prog;
}

// --------------------------------------------------------------------------------------------
// 3. The kernels: plain loops on host memory (a device backend would enqueue work instead)
// --------------------------------------------------------------------------------------------

// `t[i]` of the inputs and `y` of the output; only `y` is written.
void execute(const Instr& ins, const std::vector<const float*>& t, float* y) {
  switch (ins.kind) {
    case Kind::Unary:
      for (int64_t i = 0, n = numel(ins.out_shape); i < n; ++i) y[i] = ins.unary(t[0][i]);
      break;
    case Kind::Binary: {  // walk the output with an odometer; broadcast inputs have stride 0
      const Shape& shape = ins.out_shape;
      const Shape &sa = ins.strides[0], &sb = ins.strides[1];
      Shape idx(shape.size(), 0);
      int64_t ia = 0, ib = 0;
      for (int64_t i = 0, n = numel(shape); i < n; ++i) {
        y[i] = ins.binary(t[0][ia], t[1][ib]);
        for (size_t d = shape.size(); d-- > 0;) {
          ia += sa[d];
          ib += sb[d];
          if (++idx[d] < shape[d]) break;
          ia -= sa[d] * shape[d];
          ib -= sb[d] * shape[d];
          idx[d] = 0;
        }
      }
      break;
    }
    case Kind::Gemm: {
      const float *a = t[0], *b = t[1], *c = t.size() > 2 ? t[2] : nullptr;
      for (int64_t i = 0; i < ins.m; ++i) {
        for (int64_t j = 0; j < ins.n; ++j) {
          float acc = 0;
          for (int64_t p = 0; p < ins.k; ++p) {
            acc += (ins.trans_a ? a[p * ins.m + i] : a[i * ins.k + p]) *
                   (ins.trans_b ? b[j * ins.k + p] : b[p * ins.n + j]);
          }
          float bias = c ? ins.beta * c[i * ins.strides[0][0] + j * ins.strides[0][1]] : 0.0f;
          y[i * ins.n + j] = ins.alpha * acc + bias;
        }
      }
      break;
    }
    case Kind::Custom:  // run() calls run_custom() instead
      break;
    case Kind::Softmax:
      for (int64_t r = 0; r < ins.m; ++r) {
        const float* x = t[0] + r * ins.n;
        float* out = y + r * ins.n;
        float mx = x[0], sum = 0;
        for (int64_t j = 1; j < ins.n; ++j) mx = std::max(mx, x[j]);
        for (int64_t j = 0; j < ins.n; ++j) sum += out[j] = std::exp(x[j] - mx);
        for (int64_t j = 0; j < ins.n; ++j) out[j] /= sum;
      }
      break;
  }
}

// A custom operator: its plugin's kernel computes into the buffer this program planned for the
// output (shape and type known since compile), through the context the engine's ABI defines.
struct CustomCall {
  infer_kernel_context abi{};
  const infer_host_api* host = nullptr;
  const Instr* ins = nullptr;
  float* out = nullptr;

  static infer_status* allocate_output(infer_kernel_context* self, size_t index, infer_dtype dtype,
                                       size_t rank, const int64_t* shape, void** out_data) {
    const auto* call = static_cast<CustomCall*>(self->backend_data);
    if (index != 0 || dtype != INFER_DTYPE_FLOAT32 || out_data == nullptr ||
        Shape(shape, shape + rank) != call->ins->out_shape) {
      return call->host->status_create(INFER_INVALID_ARGUMENT,
                                       "minimal: a custom kernel must write output 0 as float32 "
                                       "of the shape inferred at compile time");
    }
    *out_data = call->out;
    return nullptr;
  }
};

void run_custom(const infer_host_api* host, const Program& prog, const Instr& ins,
                const std::vector<const float*>& t, float* y) {
  std::vector<infer_tensor_view> inputs;
  for (size_t j = 0; j < ins.in.size(); ++j) {
    const Shape& shape = prog.buffers[ins.in[j]].shape;
    inputs.push_back({INFER_DTYPE_FLOAT32, shape.size(), shape.data(), const_cast<float*>(t[j]),
                      static_cast<size_t>(numel(shape)) * sizeof(float)});
  }
  CustomCall call;
  call.host = host;
  call.ins = &ins;
  call.out = y;
  call.abi.struct_size = sizeof(infer_kernel_context);
  call.abi.inputs = inputs.data();
  call.abi.n_inputs = inputs.size();
  call.abi.n_outputs = 1;
  call.abi.allocate_output = &CustomCall::allocate_output;
  call.abi.parallel_for = nullptr;  // no thread pool here: the kernel loops itself
  call.abi.backend_data = &call;
  plugin::check_status(host, host->custom_kernel_compute(ins.custom, &call.abi));
}

// --------------------------------------------------------------------------------------------
// 4. The ABI shell: the functions the engine calls through the tables at the end
// --------------------------------------------------------------------------------------------

struct Backend {
  const infer_host_api* host;
};

// A compiled partition. Immutable after compile, so concurrent run() calls share it safely;
// the only shared mutable state is the run counter, an atomic.
struct Partition {
  const infer_host_api* host;
  Program program;
  std::atomic<uint64_t> runs{0};
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Cheap and called before init: who we are and how much we want to run (cpu scores 10; a score
// of 1 means "only when the user puts me first in --backends").
void probe(infer_plugin_probe* out) {
  infer_plugin_probe p{};
  p.name = kName;
  p.vendor = "example";
  p.version = "0.1.0";
  p.description = "Minimal example backend: float32 Gemm/MatMul/elementwise/Softmax on the host";
  p.kinds = INFER_PLUGIN_BACKEND;
  p.score = 1;  // 0 would mean "no device here" (then set p.score_reason)
  plugin::write_probe(p, out);
}

infer_status* init(const infer_host_api* host, const infer_config*, void** out_state) {
  return plugin::guard(host, [&]() -> infer_status* {
    // Everything up to config_get is ABI 1.0; newer host functions are checked where used.
    plugin::check_host_abi(host, offsetof(infer_host_api, config_get) + sizeof(host->config_get),
                           kName);
    *out_state = new Backend{host};
    return nullptr;
  });
}

void shutdown(void* state) { delete static_cast<Backend*>(state); }

// Claims each node lower() accepts and refuses the rest with lower()'s message. The session
// option minimal.disable_ops=A,B (infer-run --config) refuses ops on request: handy to test a
// split placement.
infer_status* get_capability(void* state, const infer_graph* g, const size_t* nodes, size_t n,
                             infer_capability* cap) {
  const infer_host_api* host = static_cast<Backend*>(state)->host;
  return plugin::guard(host, [&]() -> infer_status* {
    plugin::check_node_ids(host, g, nodes, n, kName);
    const infer_config* cfg =
        HOST_HAS(host, capability_config) ? host->capability_config(cap) : nullptr;
    const char* disabled = cfg ? host->config_get(cfg, "minimal.disable_ops") : nullptr;
    const std::string disabled_ops = std::string(",") + (disabled ? disabled : "") + ",";
    plugin::claim_or_refuse(host, g, {nodes, n}, cap, [&](const NodeSnapshot& node) {
      // The reason needs not name the node: the engine prints it beside the node.
      if (disabled_ops.find("," + node.op_type + ",") != std::string::npos)
        return "op " + node.op_type + " is disabled by minimal.disable_ops";
      try {
        lower(node, has_custom_kernel(host, g, node));
        return std::string();  // "": claim
      } catch (const PluginError& e) {
        return e.message;
      }
    });
    return nullptr;
  });
}

infer_status* compile(void* state, const infer_graph* g, const size_t* nodes, size_t n_nodes,
                      const size_t* inputs, size_t n_inputs, const size_t* outputs,
                      size_t n_outputs, const infer_config*, void** out_partition) {
  const infer_host_api* host = static_cast<Backend*>(state)->host;
  return plugin::guard(host, [&]() -> infer_status* {
    // Copy what we need out of the host graph; from here on nothing touches it.
    const plugin::PartitionSnapshot part = plugin::read_partition_snapshot(
        host, g, nodes, n_nodes, inputs, n_inputs, outputs, n_outputs, kName);
    auto p = std::make_unique<Partition>();
    p->host = host;
    p->program = compile_program(host, g, part);
    *out_partition = p.release();
    return nullptr;
  });
}

// May run on several threads at once for the same partition: everything a run writes (the
// scratch block, the pointer table) is local to the call.
infer_status* run(void* partition, const infer_tensor_view* inputs, size_t n_inputs,
                  infer_run_context* ctx) {
  auto* p = static_cast<Partition*>(partition);
  const infer_host_api* host = p->host;
  return plugin::guard(host, [&]() -> infer_status* {
    const Program& prog = p->program;
    if (n_inputs != prog.input_buffers.size()) {
      throw PluginError(INFER_INVALID_ARGUMENT, std::string(kName) + ": expected " +
                                                    std::to_string(prog.input_buffers.size()) +
                                                    " inputs, got " + std::to_string(n_inputs));
    }
    std::vector<float> scratch(static_cast<size_t>(prog.scratch_floats));
    std::vector<float*> ptr(prog.buffers.size());
    for (size_t i = 0; i < prog.buffers.size(); ++i) {
      const Buffer& b = prog.buffers[i];
      switch (b.source) {
        case Buffer::kInput: {  // must be what we compiled for
          const infer_tensor_view& t = inputs[b.index];
          if (t.dtype != INFER_DTYPE_FLOAT32 || Shape(t.shape, t.shape + t.rank) != b.shape) {
            throw PluginError(INFER_INVALID_ARGUMENT, std::string(kName) + ": input " +
                                                          std::to_string(b.index) +
                                                          " differs from the compiled shape");
          }
          ptr[i] = static_cast<float*>(t.data);  // read only: kernels write just `out`
          break;
        }
        case Buffer::kOutput: {  // the host owns output memory
          void* data = nullptr;
          plugin::check_status(
              host, host->run_allocate_output(ctx, b.index, INFER_DTYPE_FLOAT32, b.shape.size(),
                                              b.shape.data(), &data));
          ptr[i] = static_cast<float*>(data);
          break;
        }
        case Buffer::kConstant:
          ptr[i] = const_cast<float*>(b.data.data());  // read only, shared by all runs
          break;
        case Buffer::kScratch:  // no reuse: a real backend would plan memory by liveness
          ptr[i] = scratch.data() + b.index;
          break;
      }
    }
    // ABI 1.4: while the session records a profile, report each instruction as an event.
    const bool profiling = HOST_HAS(host, run_profile_event) && host->run_profiling(ctx);
    std::vector<const float*> args;
    for (const Instr& ins : prog.code) {
      args.assign(ins.in.size(), nullptr);
      for (size_t j = 0; j < ins.in.size(); ++j) args[j] = ptr[ins.in[j]];
      const int64_t start = profiling ? now_ns() : 0;
      if (ins.kind == Kind::Custom) {
        run_custom(host, prog, ins, args, ptr[ins.out]);
      } else {
        execute(ins, args, ptr[ins.out]);
      }
      if (profiling) host->run_profile_event(ctx, ins.label.c_str(), start, now_ns() - start);
    }
    p->runs.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  });
}

void release_partition(void* partition) { delete static_cast<Partition*>(partition); }

// A few lines under the partition in the placement report (infer-run --report).
size_t describe_partition(void* partition, char* buf, size_t len) {
  const auto* p = static_cast<const Partition*>(partition);
  return plugin::describe_with(
      [p] {
        std::map<std::string, int> ops;
        size_t const_bytes = 0;
        for (const Instr& ins : p->program.code) ++ops[ins.op];
        for (const Buffer& b : p->program.buffers) const_bytes += b.data.size() * sizeof(float);
        std::string text =
            std::string(kName) + ": " + std::to_string(p->program.code.size()) + " instructions (";
        for (const auto& [op, count] : ops) {
          text += (text.back() == '(' ? "" : ", ") + op + " " + std::to_string(count);
        }
        text += ") over " + std::to_string(p->program.buffers.size()) + " buffers\n";
        text += std::string(kName) + ": " + std::to_string(const_bytes) + " bytes of constants, " +
                std::to_string(p->program.scratch_floats * sizeof(float)) +
                " bytes of scratch per run, " + std::to_string(p->runs.load()) + " run(s)\n";
        return text;
      },
      buf, len);
}

constexpr infer_backend_api kBackendApi = {
    .struct_size = sizeof(infer_backend_api),
    .device = "host (minimal example)",
    .get_capability = &get_capability,
    .compile = &compile,
    .run = &run,
    .release_partition = &release_partition,
    .describe_partition = &describe_partition,
};

constexpr infer_plugin_api kPluginApi =
    plugin::backend_plugin_table(&probe, &init, &shutdown, &kBackendApi);

}  // namespace
}  // namespace minimal

// The one exported symbol. A different major means different tables: refuse (return NULL)
// rather than guess; the engine then lists this file as failed, with both versions.
extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                                          uint32_t) {
  return host_abi_major == INFER_PLUGIN_ABI_MAJOR ? &minimal::kPluginApi : nullptr;
}
