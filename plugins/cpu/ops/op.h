// The operator interface of the cpu backend: each ops/<op>.cc file describes one ONNX operator
// with an OpDesc, whose create() runs at compile time (reads and validates attributes) and
// returns an immutable Kernel whose run() computes output shapes and data for each run.
#ifndef INFER_PLUGINS_CPU_OPS_OP_H_
#define INFER_PLUGINS_CPU_OPS_OP_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "infer/plugin_cxx.hpp"
#include "kernels/common.h"
#include "kernels/window.h"

namespace infer::cpu {

// One input tensor during a run; absent optional inputs are !present().
struct Tensor {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  ShapeSpan shape;
  const void* data = nullptr;

  bool present() const { return dtype != INFER_DTYPE_UNDEFINED; }
  template <typename T>
  const T* as() const {
    return static_cast<const T*>(data);
  }
};

// Inputs and output allocation for one kernel in one run. Input dtypes have already been
// checked against the OpDesc.
class KernelContext {
 public:
  virtual size_t input_count() const = 0;
  virtual const Tensor& input(size_t i) const = 0;
  // Data may be null when the shape has no elements.
  virtual void* allocate_output(size_t i, infer_dtype dtype, ShapeSpan shape) = 0;

  template <typename T>
  T* output(size_t i, ShapeSpan shape) {
    return static_cast<T*>(allocate_output(i, dtype_of<T>(), shape));
  }

 protected:
  ~KernelContext() = default;
};

// Writes output 0 as a copy of x's bytes with a new shape (same element count).
void copy_to_output(KernelContext& ctx, const Tensor& x, ShapeSpan shape);

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Several runs may use one kernel at once: run() must not modify it.
  virtual void run(KernelContext& ctx) const = 0;
};

// What create() sees of a node at compile time.
struct OpContext {
  plugin::NodeView node;
  int64_t opset;  // of the node's domain

  // Rank of input i when the graph knows it.
  std::optional<size_t> input_rank(size_t i) const;
};

// The engine's own operators (fused and layout ops that optimisation passes create).
inline constexpr const char* kInferDomain = "com.infer";

struct OpDesc {
  const char* op_type;
  const char* domain = "";  // "" = the default ONNX domain; kInferDomain for the engine's ops
  size_t min_inputs = 1;
  size_t max_inputs = 1;
  // Allowed dtypes per input; inputs past the last non-zero entry reuse it (variadic ops).
  std::array<DtypeMask, 9> input_dtypes{};  // QLinearConv has 9 inputs
  // Outputs the kernel produces; a node using more (e.g. MaxPool's Indices) is refused.
  size_t max_outputs = 1;
  // Reads and validates attributes; called after check_node() passed.
  std::unique_ptr<Kernel> (*create)(const OpContext& ctx) = nullptr;
  // Optional: throws (INFER_UNIMPLEMENTED) for a node that passes the generic checks but uses
  // a mode or optional feature the kernel lacks, so that capability can refuse it.
  void (*check)(const OpContext& ctx) = nullptr;
};

#define INFER_CPU_OP(name) extern const OpDesc kOp##name;
#include "kernel_list.inc"
#include "kernel_list_fused.inc"
#include "kernel_list_layout.inc"
#undef INFER_CPU_OP

// Descriptor for an op type of a domain ("" or "ai.onnx" = default), or null.
const OpDesc* find_op(std::string_view domain, std::string_view op_type);
DtypeMask allowed_dtypes(const OpDesc& desc, size_t input);
// "float32 or int64"
std::string dtype_mask_str(DtypeMask mask);
// The checks capability and compile share: arity, input dtypes known at compile time, unused
// outputs, desc.check. Throws PluginError with the reason.
void check_node(const OpDesc& desc, const OpContext& ctx);

// Attribute readers: an attribute of the wrong type is an error, not a silent default.
int64_t attr_int(const OpContext& ctx, const char* name, int64_t fallback);
float attr_float(const OpContext& ctx, const char* name, float fallback);
std::string attr_string(const OpContext& ctx, const char* name, const std::string& fallback);
Shape attr_ints(const OpContext& ctx, const char* name);  // empty when absent
// An int attribute used as a flag: only 0 and 1 are valid.
bool attr_bool(const OpContext& ctx, const char* name, bool fallback);
bool has_attr(const OpContext& ctx, const char* name);

// kernel_shape, strides, dilations, pads, auto_pad and ceil_mode, validated against the
// spatial rank when it is known (from kernel_shape or the rank of the inputs).
WindowParams read_window_attrs(const OpContext& ctx, bool kernel_shape_required = false);
// Spatial rank of a windowed op: from kernel_shape, else from the rank of X or W when the
// graph knows it; 0 when unknown until the first run.
size_t spatial_rank(const OpContext& ctx, ShapeSpan kernel_shape);
// OpDesc::check for windowed ops: refuses spatial ranks the kernels do not implement.
void check_window_rank(const OpContext& ctx);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_OP_H_
