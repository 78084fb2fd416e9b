#include "ops/binary.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_binary_kernel(ctx, BinaryOp::kAdd);
}

}  // namespace

constinit const OpDesc kOpAdd = {.op_type = "Add",
                                 .min_inputs = 2,
                                 .max_inputs = 2,
                                 .input_dtypes = {kBinaryDtypes, kBinaryDtypes},
                                 .create = &create};

}  // namespace infer::cpu
