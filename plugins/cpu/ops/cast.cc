// Cast (target type from the `to` attribute), CastLike (from input 1's type) and BitCast
// (reinterprets the bytes). Cast's `saturate` (opset 19+) only concerns float8 targets;
// `round_mode` only FLOAT8E8M0, which is refused.
#include "kernels/cast.h"

#include <cstring>
#include <iterator>
#include <string_view>

#include "ops/unary.h"

namespace infer::cpu {
namespace {

// ONNX TensorProto.DataType values are infer_dtype values; Cast-1 spells them as strings.
constexpr std::string_view kTypeNames[] = {"UNDEFINED",  "FLOAT",   "UINT8",  "INT8",   "UINT16",
                                           "INT16",      "INT32",   "INT64",  "STRING", "BOOL",
                                           "FLOAT16",    "DOUBLE",  "UINT32", "UINT64", "COMPLEX64",
                                           "COMPLEX128", "BFLOAT16"};
// The highest TensorProto type number as of ONNX 1.18 (FLOAT8E8M0 and 4/2-bit types).
constexpr int64_t kMaxOnnxType = 26;

// The `to` attribute as an engine dtype: an unknown type is an invalid node, a known one the
// cpu backend lacks (strings, complex, float8e8m0, 4-bit) is unimplemented.
infer_dtype target_dtype(const OpContext& ctx) {
  if (!has_attr(ctx, "to")) fail_attr("attribute 'to' is required");
  int64_t to = -1;
  if (ctx.node.attr("to")->type == INFER_ATTR_STRING) {
    const std::string name = attr_string(ctx, "to", "");
    for (size_t i = 1; i < std::size(kTypeNames); ++i) {
      if (name == kTypeNames[i]) to = static_cast<int64_t>(i);
    }
    if (to < 0) fail_attr(str_cat("attribute 'to' names an unknown type \"", name, "\""));
  } else {
    to = attr_int(ctx, "to", 0);
  }
  if (to <= 0 || to > kMaxOnnxType) fail_attr(str_cat("attribute 'to' is not a type: ", to));
  const auto dtype = static_cast<infer_dtype>(to);
  if (!((kAnyFixed | kFloat8) & dtype_bit(dtype))) {
    fail(INFER_UNIMPLEMENTED, str_cat("Cast to ONNX type ", to, " (",
                                      to < static_cast<int64_t>(std::size(kTypeNames))
                                          ? kTypeNames[static_cast<size_t>(to)]
                                          : std::string_view("a sub-byte or float8 type"),
                                      ") is not supported by the cpu backend"));
  }
  return dtype;
}

class CastKernel final : public Kernel {
 public:
  // to: the target dtype, or UNDEFINED for CastLike's input 1.
  CastKernel(infer_dtype to, bool saturate) : to_(to), saturate_(saturate) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const infer_dtype to = to_ != INFER_DTYPE_UNDEFINED ? to_ : ctx.input(1).dtype;
    void* y = ctx.allocate_output(0, to, x.shape);
    cast_elements(x.dtype, x.data, to, y, numel(x.shape), saturate_);
  }

 private:
  infer_dtype to_;
  bool saturate_;
};

// Opset 19 adds `saturate` (default 1) to Cast and CastLike.
bool saturate_attr(const OpContext& ctx) {
  return ctx.opset < 19 || attr_bool(ctx, "saturate", true);
}

void check_cast(const OpContext& ctx) { target_dtype(ctx); }

std::unique_ptr<Kernel> create_cast(const OpContext& ctx) {
  return std::make_unique<CastKernel>(target_dtype(ctx), saturate_attr(ctx));
}

std::unique_ptr<Kernel> create_cast_like(const OpContext& ctx) {
  return std::make_unique<CastKernel>(INFER_DTYPE_UNDEFINED, saturate_attr(ctx));
}

// Reinterprets each element's bytes as another type of the same size.
class BitCastKernel final : public Kernel {
 public:
  explicit BitCastKernel(infer_dtype to) : to_(to) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    check_sizes(x.dtype, to_, &fail_input);
    const int64_t n = numel(x.shape);
    void* y = ctx.allocate_output(0, to_, x.shape);
    if (to_ == INFER_DTYPE_BOOL) {
      // A bool byte other than 0 or 1 is not a valid C++ bool: normalise to "non-zero is true".
      const auto* src = static_cast<const uint8_t*>(x.data);
      bool* dst = static_cast<bool*>(y);
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] != 0;
    } else if (n) {
      std::memcpy(y, x.data, static_cast<size_t>(n) * plugin::dtype_size(to_));
    }
  }

  // failure: fail_input at run time, fail_attr at compile time.
  static void check_sizes(infer_dtype from, infer_dtype to, void (*failure)(const std::string&)) {
    if (plugin::dtype_size(from) != plugin::dtype_size(to)) {
      failure(str_cat("BitCast from ", plugin::dtype_name(from), " (", plugin::dtype_size(from),
                      " bytes) to ", plugin::dtype_name(to), " (", plugin::dtype_size(to),
                      " bytes) needs types of one size"));
    }
  }

 private:
  infer_dtype to_;
};

void check_bit_cast(const OpContext& ctx) {
  const infer_dtype to = target_dtype(ctx);
  const infer_dtype from = ctx.node.value(ctx.node.input(0)).dtype;
  if (from != INFER_DTYPE_UNDEFINED) BitCastKernel::check_sizes(from, to, &fail_attr);
}

std::unique_ptr<Kernel> create_bit_cast(const OpContext& ctx) {
  return std::make_unique<BitCastKernel>(target_dtype(ctx));
}

}  // namespace

constinit const OpDesc kOpBitCast = {.op_type = "BitCast",
                                     .input_dtypes = {kAnyFixed},
                                     .create = &create_bit_cast,
                                     .check = &check_bit_cast};
constinit const OpDesc kOpCast = {.op_type = "Cast",
                                  .input_dtypes = {kAnyFixed | kFloat8},
                                  .create = &create_cast,
                                  .check = &check_cast};
constinit const OpDesc kOpCastLike = {.op_type = "CastLike",
                                      .min_inputs = 2,
                                      .max_inputs = 2,
                                      .input_dtypes = {kAnyFixed | kFloat8, kAnyFixed | kFloat8},
                                      .create = &create_cast_like};

}  // namespace infer::cpu
