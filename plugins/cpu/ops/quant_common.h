// Shared by the quantization operators: integer ranges, rounding to a float type, and scales or
// zero points that are per tensor or per row / column / channel.
#ifndef INFER_PLUGINS_CPU_OPS_QUANT_COMMON_H_
#define INFER_PLUGINS_CPU_OPS_QUANT_COMMON_H_

#include <utility>
#include <vector>

#include "kernels/precision.h"
#include "ops/tensor_values.h"

namespace infer::cpu {

// The quantized integer types (int8, uint8, int16, uint16) and their ranges.
constexpr DtypeMask kQuantInts = kI8 | kU8 | kI16 | kU16;
std::pair<int64_t, int64_t> int_range(infer_dtype dtype);

// How a non-scalar scale or zero point lines up with its operand.
enum class QuantLayout {
  kRows,      // one value per row of a [..., M, K] operand: [M] or [1..., M, 1]
  kColumns,   // one value per column of a [..., K, N] operand: [N] or [1..., 1, N]
  kChannels,  // one value per output channel of a conv weight [M, ...]: [M]
};
// The values of a scale or zero point as doubles: one value (per tensor), or `count` values
// laid out as `layout` says. `what` names the input in errors.
std::vector<double> quant_values(const Tensor& t, int64_t count, QuantLayout layout,
                                 const char* what);

// x converted to int32 with zero_point[index(i)] subtracted, where the zero point values come
// from quant_values and index maps the flat element index i of x to the value it uses.
template <typename IndexFn>
std::vector<int32_t> minus_zero_point(const Tensor& x, const std::vector<double>& zero_point,
                                      IndexFn&& index) {
  std::vector<int32_t> out(static_cast<size_t>(numel(x.shape)));
  visit_dtype<kQuantInts>(x.dtype, [&]<typename T>(T) {
    const T* p = x.as<T>();
    for (size_t i = 0; i < out.size(); ++i) {
      const double zp =
          zero_point.size() == 1 ? zero_point[0] : zero_point[static_cast<size_t>(index(i))];
      out[i] = static_cast<int32_t>(p[i]) - static_cast<int32_t>(zp);
    }
  });
  return out;
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_QUANT_COMMON_H_
