#include "ops/cumulative.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) { return create_cumulative(ctx, true); }

}  // namespace

constinit const OpDesc kOpCumProd = {.op_type = "CumProd",
                                     .min_inputs = 2,
                                     .max_inputs = 2,
                                     .input_dtypes = {kCumulativeDtypes, kI32 | kI64},
                                     .create = &create};

}  // namespace infer::cpu
