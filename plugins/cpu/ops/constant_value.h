// A tensor value read from attributes at compile time (Constant, ConstantOfShape).
#ifndef INFER_PLUGINS_CPU_OPS_CONSTANT_VALUE_H_
#define INFER_PLUGINS_CPU_OPS_CONSTANT_VALUE_H_

#include <cstddef>
#include <vector>

#include "ops/op.h"

namespace infer::cpu {

struct ConstantValue {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  Shape shape;
  std::vector<std::byte> bytes;
};

// The tensor attribute `name`, copied and checked (fixed-size dtype, bytes matching the shape).
ConstantValue tensor_attr_value(const OpContext& ctx, const char* name);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_CONSTANT_VALUE_H_
