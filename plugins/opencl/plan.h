// What compiling a partition produces before any run: the device storages (inputs, uploaded
// constants, activations), the kernel launches in order, and the activation buffers the
// liveness planner assigned. Ops fill it through Lowering.
#ifndef INFER_PLUGINS_OPENCL_PLAN_H_
#define INFER_PLUGINS_OPENCL_PLAN_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cl_api.h"
#include "infer/node_snapshot.hpp"
#include "kernels/gemm_conv.h"  // ProgramBuilder

namespace infer::opencl {

// The plugin SDK's host-free node copies: plugin.cc reads them, the tests build them.
using plugin::AttrSnapshot;
using plugin::NodeSnapshot;
using plugin::ValueSnapshot;

constexpr size_t kNone = static_cast<size_t>(-1);

struct Storage {
  enum class Kind { kInput, kConstant, kActivation };
  Kind kind = Kind::kActivation;
  size_t bytes = 0;
  std::vector<unsigned char> data;  // kConstant: uploaded once at compile
  // Launch indices of the first and last use; inputs are live from before launch 0 and
  // partition outputs until after the last launch.
  long first = -1, last = -1;
  size_t buffer = kNone;  // kActivation and kInput: the planned device buffer
};

struct Arg {
  enum class Kind { kBuffer, kInt, kFloat, kLocal };
  Kind kind = Kind::kInt;
  size_t storage = kNone;  // kBuffer
  int32_t i = 0;           // kInt
  float f = 0;             // kFloat
  size_t bytes = 0;        // kLocal: local memory size

  static Arg buffer(size_t storage) { return {Kind::kBuffer, storage, 0, 0, 0}; }
  static Arg int32(int64_t v);  // throws when v does not fit
  static Arg float32(float v) { return {Kind::kFloat, kNone, 0, v, 0}; }
  static Arg local(size_t bytes) { return {Kind::kLocal, kNone, 0, 0, bytes}; }
};

// A launch whose kernels are enqueued by an object of their own (the GEMM and convolution
// kernels), given the device buffers of the launch's buffer args in order.
class ExternalLaunch {
 public:
  virtual ~ExternalLaunch() = default;
  // Appends one event per kernel enqueued (the caller releases them).
  virtual void enqueue(cl_command_queue queue, const std::vector<cl_mem>& buffers,
                       std::vector<cl_event>& events) const = 0;
};

struct Launch {
  cl_program program = nullptr;  // owned by the program cache
  std::string kernel;            // kernel name; for external launches the profile label
  std::shared_ptr<const ExternalLaunch> external;
  std::vector<Arg> args;
  cl_uint dims = 1;
  std::array<size_t, 3> global{1, 1, 1};
  std::array<size_t, 3> local{0, 0, 0};  // all 0: the runtime picks
};

struct Plan {
  std::vector<Storage> storages;
  std::vector<Launch> launches;
  std::vector<size_t> input_storages;   // per partition input
  std::vector<size_t> output_storages;  // per partition output
  std::vector<std::vector<int64_t>> input_shapes, output_shapes;
  std::vector<size_t> buffer_bytes;  // planned device buffers for inputs and activations
  size_t unplanned_bytes = 0;        // the same without sharing
  uint64_t programs_cached = 0, programs_disk = 0, programs_built = 0;
};

// Shares device buffers between storages whose lifetimes do not overlap (greedy, in order of
// first use; a buffer grows to its largest tenant). Fills Storage::buffer and
// Plan::buffer_bytes.
void plan_buffers(Plan& plan);

// The interface an op lowers one node through.
class Lowering {
 public:
  // value_storage maps graph value ids to storages and grows as nodes are lowered.
  Lowering(Plan& plan, ProgramBuilder build, std::map<size_t, size_t>& value_storage,
           const NodeSnapshot& node)
      : plan_(plan), build_(std::move(build)), value_storage_(value_storage), node_(node) {}

  const NodeSnapshot& node() const { return node_; }
  // The device, for ops whose kernel objects are built at compile (GEMM, convolution).
  cl_context context = nullptr;
  cl_device_id device = nullptr;
  // Storage of node input i (a constant is uploaded the first time a kernel reads it).
  Arg input(size_t i);
  // Storage of node output i (a fresh activation sized from its static shape).
  Arg output(size_t i);
  // Output i is input j's bytes under another shape: no copy, no kernel.
  void alias_output(size_t i, size_t j);
  Arg constant(std::vector<float> values);
  Arg constant(std::vector<int32_t> values);
  // Temporary device memory live only across this node's launches.
  Arg scratch(size_t bytes);
  cl_program program(const std::string& source, const std::string& options = "") {
    return build_(source, options);
  }
  const ProgramBuilder& program_builder() const { return build_; }
  // Records a 1-D launch over n work items (rounded up to a multiple of 64; kernels check
  // their index against n themselves).
  void launch_1d(cl_program program, const char* kernel, std::vector<Arg> args, size_t n);
  void launch(Launch l);

 private:
  size_t new_storage(Storage::Kind kind, size_t bytes);

  Plan& plan_;
  ProgramBuilder build_;
  std::map<size_t, size_t>& value_storage_;
  const NodeSnapshot& node_;
};

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_PLAN_H_
