#include <cstring>

#include "ops/constant_value.h"

namespace infer::cpu {
namespace {

class ConstantKernel final : public Kernel {
 public:
  explicit ConstantKernel(ConstantValue value) : value_(std::move(value)) {}

  void run(KernelContext& ctx) const override {
    void* out = ctx.allocate_output(0, value_.dtype, value_.shape);
    if (!value_.bytes.empty()) std::memcpy(out, value_.bytes.data(), value_.bytes.size());
  }

 private:
  ConstantValue value_;
};

template <typename T>
ConstantValue from_values(infer_dtype dtype, const T* values, size_t n, bool scalar) {
  ConstantValue v{dtype, scalar ? Shape{} : Shape{int64_t(n)},
                  std::vector<std::byte>(n * sizeof(T))};
  if (n) std::memcpy(v.bytes.data(), values, n * sizeof(T));
  return v;
}

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // Exactly one of the value attributes (all but 'value' arrived in opset 12).
  const char* const kNames[] = {"value",      "value_float",  "value_floats",  "value_int",
                                "value_ints", "value_string", "value_strings", "sparse_value"};
  const char* given = nullptr;
  for (const char* name : kNames) {
    if (!has_attr(ctx, name)) continue;
    if (given) fail_attr(str_cat("attributes '", given, "' and '", name, "' are both set"));
    given = name;
  }
  if (!given) fail_attr("one of the value attributes is required");
  const std::string_view g(given);
  ConstantValue v;
  if (g == "value") {
    v = tensor_attr_value(ctx, given);
  } else if (g == "value_float") {
    const float f = attr_float(ctx, given, 0);
    v = from_values(INFER_DTYPE_FLOAT32, &f, 1, true);
  } else if (g == "value_int") {
    const int64_t i = attr_int(ctx, given, 0);
    v = from_values(INFER_DTYPE_INT64, &i, 1, true);
  } else if (g == "value_ints") {
    const Shape ints = attr_ints(ctx, given);
    v = from_values(INFER_DTYPE_INT64, ints.data(), ints.size(), false);
  } else if (g == "value_floats") {
    const std::vector<float> floats = ctx.node.attr_floats(given);
    if (ctx.node.attr(given)->type != INFER_ATTR_FLOATS) {
      fail_attr("attribute 'value_floats' must be of type floats");
    }
    v = from_values(INFER_DTYPE_FLOAT32, floats.data(), floats.size(), false);
  } else {
    fail(INFER_UNIMPLEMENTED,
         str_cat("attribute '", given, "' is not supported by the cpu backend"));
  }
  return std::make_unique<ConstantKernel>(std::move(v));
}

}  // namespace

constinit const OpDesc kOpConstant = {
    .op_type = "Constant", .min_inputs = 0, .max_inputs = 0, .create = &create};

}  // namespace infer::cpu
