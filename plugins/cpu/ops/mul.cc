#include "ops/binary.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_binary_kernel(ctx, BinaryOp::kMul);
}

}  // namespace

constinit const OpDesc kOpMul = {.op_type = "Mul",
                                 .min_inputs = 2,
                                 .max_inputs = 2,
                                 .input_dtypes = {kBinaryDtypes, kBinaryDtypes},
                                 .create = &create};

}  // namespace infer::cpu
