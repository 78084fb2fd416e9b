// Custom operators from custom-op plugins: their schemas join the environment's schema
// registry (so nodes are checked and shapes inferred like standard ops), and their kernels are
// found by (node, backend) for the backends that run them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "infer/plugin_api.h"
#include "ir/graph.h"
#include "schema/op_schema.h"

namespace infer::core {

struct PluginRecord;

class CustomOpRegistry {
 public:
  // Checks every schema the plugin lists and, only if all are valid and none is registered
  // yet (here or among the built-in ONNX schemas), registers them into `schemas` and keeps
  // their kernels. Errors name the op and say what is wrong.
  absl::Status AddPlugin(const PluginRecord& plugin, SchemaRegistry& schemas);

  struct Op {
    void* plugin_state = nullptr;
    std::string plugin_name;
    const infer_custom_op_schema* schema = nullptr;
    std::string backends;  // with a kernel, ","-separated: "cpu,minimal"
  };
  // The op a node resolves to (newest since_version <= the graph's opset for its domain), or
  // null; null too when the graph imports no opset for the domain.
  const Op* Find(const Graph& graph, const Node& node) const;
  // The kernel of `op` for `backend`, or null.
  static const infer_custom_kernel_def* KernelFor(const Op& op, std::string_view backend);
  // Every registered op, ordered by domain, op type and since_version.
  std::vector<const Op*> All() const;

 private:
  // domain + '\0' + op type -> versions, ascending since_version.
  std::map<std::string, std::vector<Op>, std::less<>> ops_;
};

// The ABI 1.5 host functions for shape inference and custom kernels (host_api.cc puts them in
// the table).
size_t ShapeInputCount(const infer_shape_context* ctx);
infer_status* ShapeInput(const infer_shape_context* ctx, size_t i, infer_value_info* out);
int ShapeAttr(const infer_shape_context* ctx, const char* name, infer_attr_view* out);
size_t ShapeOutputCount(const infer_shape_context* ctx);
infer_status* ShapeSetOutput(infer_shape_context* ctx, size_t i, infer_dtype dtype, size_t rank,
                             const int64_t* dims);
int CustomKernelAvailable(const infer_graph* g, size_t node, const char* backend);
infer_status* CustomKernelCreate(const infer_graph* g, size_t node, const char* backend,
                                 infer_custom_kernel** out_kernel);
infer_status* CustomKernelCompute(const infer_custom_kernel* kernel, infer_kernel_context* ctx);
void CustomKernelRelease(infer_custom_kernel* kernel);

}  // namespace infer::core
