#include "ops/quant_common.h"

#include <limits>

#include "ops/tensor_values.h"

namespace infer::cpu {

std::pair<int64_t, int64_t> int_range(infer_dtype dtype) {
  std::pair<int64_t, int64_t> r{0, 0};
  const bool ok = visit_dtype<kInts>(dtype, [&]<typename T>(T) {
    r = {static_cast<int64_t>(std::numeric_limits<T>::lowest()),
         static_cast<int64_t>(std::numeric_limits<T>::max())};
  });
  if (!ok) fail_input(str_cat("expected an integer type, got ", plugin::dtype_name(dtype)));
  return r;
}

std::vector<double> quant_values(const Tensor& t, int64_t count, QuantLayout layout,
                                 const char* what) {
  std::vector<double> v = to_vector<double>(t);
  if (v.size() == 1) return v;
  const ShapeSpan s = t.shape;
  bool ok = static_cast<int64_t>(v.size()) == count;
  if (ok && s.size() > 1) {
    // [1..., M, 1] for rows, [1..., 1, N] for columns; channels take only [M].
    ok = layout != QuantLayout::kChannels &&
         s[s.size() - (layout == QuantLayout::kRows ? 2 : 1)] == count;
  }
  if (!ok) {
    const char* expected = layout == QuantLayout::kRows      ? "one value per row"
                           : layout == QuantLayout::kColumns ? "one value per column"
                                                             : "one value per output channel";
    fail_input(str_cat(what, " has shape ", shape_str(s), ": expected a scalar or ", expected, " (",
                       count, ")"));
  }
  return v;
}

}  // namespace infer::cpu
