// Logical (bool) and bitwise (integer) operators.
#include "ops/binary.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create_bit_shift(const OpContext& ctx) {
  const std::string direction = attr_string(ctx, "direction", "");
  if (direction == "LEFT") return make_binary<kInts, fn::ShiftLeft>(ctx);
  if (direction == "RIGHT") return make_binary<kInts, fn::ShiftRight>(ctx);
  fail_attr(
      str_cat("attribute 'direction' must be \"LEFT\" or \"RIGHT\", got \"", direction, "\""));
}

}  // namespace

constinit const OpDesc kOpAnd = binary_desc<kBool, fn::And>("And");
constinit const OpDesc kOpOr = binary_desc<kBool, fn::Or>("Or");
constinit const OpDesc kOpXor = binary_desc<kBool, fn::Xor>("Xor");
constinit const OpDesc kOpNot = unary_desc<kBool, fn::Not>("Not");
constinit const OpDesc kOpBitwiseAnd = binary_desc<kInts, fn::BitwiseAnd>("BitwiseAnd");
constinit const OpDesc kOpBitwiseOr = binary_desc<kInts, fn::BitwiseOr>("BitwiseOr");
constinit const OpDesc kOpBitwiseXor = binary_desc<kInts, fn::BitwiseXor>("BitwiseXor");
constinit const OpDesc kOpBitwiseNot = unary_desc<kInts, fn::BitwiseNot>("BitwiseNot");
// Unsigned integers in the standard; signed ones too, as the reference implementation.
constinit const OpDesc kOpBitShift = {.op_type = "BitShift",
                                      .min_inputs = 2,
                                      .max_inputs = 2,
                                      .input_dtypes = {kInts, kInts},
                                      .create = &create_bit_shift};

}  // namespace infer::cpu
