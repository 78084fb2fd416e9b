// Plumbing for ops whose kernels compute in float or double: scalar inputs read as numbers
// and whole tensors converted to and from the compute type.
#ifndef INFER_PLUGINS_CPU_OPS_TENSOR_VALUES_H_
#define INFER_PLUGINS_CPU_OPS_TENSOR_VALUES_H_

#include <cmath>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <vector>

#include "ops/op.h"

namespace infer::cpu {

// A scalar input (rank 0, or any shape with one element) of an integer type.
int64_t scalar_int(const Tensor& t, const char* what);
// A scalar input of a float type.
double scalar_float(const Tensor& t, const char* what);

// v converted to T the way numpy's astype does for in-range values; NaN and out-of-range values
// saturate for integer types instead of being undefined behaviour.
template <typename T, typename Acc>
T convert_value(Acc v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != Acc(0);
  } else if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) return 0;
    if (v <= static_cast<Acc>(std::numeric_limits<T>::lowest())) {
      return std::numeric_limits<T>::lowest();
    }
    if (v >= static_cast<Acc>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  } else {
    return store<T>(static_cast<compute_t<T>>(v));
  }
}

// The elements of a numeric tensor as Acc (float or double).
template <typename Acc>
std::vector<Acc> to_vector(const Tensor& t) {
  std::vector<Acc> out(static_cast<size_t>(numel(t.shape)));
  const bool ok = visit_dtype<kNumeric | kBool>(t.dtype, [&]<typename T>(T) {
    const T* p = t.as<T>();
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<Acc>(load(p[i]));
  });
  if (!ok) fail_input(str_cat("unexpected type ", plugin::dtype_name(t.dtype)));
  return out;
}

// Writes n values to dst, an array of `dtype`.
template <typename Acc>
void store_values(const Acc* src, int64_t n, infer_dtype dtype, void* dst) {
  const bool ok = visit_dtype<kNumeric | kBool>(dtype, [&]<typename T>(T) {
    T* p = static_cast<T*>(dst);
    for (int64_t i = 0; i < n; ++i) p[i] = convert_value<T>(src[i]);
  });
  if (!ok) fail_input(str_cat("unexpected type ", plugin::dtype_name(dtype)));
}

// Allocates output i with this dtype and shape and fills it from values (numel(shape) long).
template <typename Acc>
void write_output(KernelContext& ctx, size_t i, infer_dtype dtype, ShapeSpan shape,
                  const std::vector<Acc>& values) {
  void* out = ctx.allocate_output(i, dtype, shape);
  store_values(values.data(), static_cast<int64_t>(values.size()), dtype, out);
}

// Calls fn(Acc{}) with double for float64 tensors and float for the other types, the precision
// in which the float ops of this backend compute.
template <typename Fn>
void visit_compute_type(infer_dtype dtype, Fn&& fn) {
  if (dtype == INFER_DTYPE_FLOAT64) {
    fn(double{});
  } else {
    fn(float{});
  }
}

// An ONNX TensorProto data type given as an attribute (output_datatype, output_dtype, ...),
// checked against the types the op allows.
infer_dtype dtype_attr(const OpContext& ctx, const char* name, infer_dtype fallback,
                       DtypeMask allowed);

// Dtype checks for ops with more inputs than OpDesc::input_dtypes describes: one mask per
// input, checked at compile time (known types) and at run time.
void check_input_types(const OpContext& ctx, std::initializer_list<DtypeMask> masks);
void check_input_types(const KernelContext& ctx, std::initializer_list<DtypeMask> masks);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_TENSOR_VALUES_H_
