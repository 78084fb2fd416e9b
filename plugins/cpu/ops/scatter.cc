#include "ops/scatter_common.h"

namespace infer::cpu {
namespace {

// Scatter (opset 9-10) is ScatterElements without reduction.
std::unique_ptr<Kernel> create(const OpContext& ctx) { return create_scatter_elements(ctx, false); }

}  // namespace

constinit const OpDesc kOpScatter = {.op_type = "Scatter",
                                     .min_inputs = 3,
                                     .max_inputs = 3,
                                     .input_dtypes = {kAnyFixed, kScatterIndexDtypes, kAnyFixed},
                                     .create = &create};

}  // namespace infer::cpu
