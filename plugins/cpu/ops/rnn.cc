#include "ops/recurrent.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_recurrent_kernel(ctx, RnnCell::kRnn);
}

}  // namespace

// Inputs share type relations the masks cannot express: check_recurrent_types checks every input.
constinit const OpDesc kOpRNN = {
    .op_type = "RNN",
    .min_inputs = 3,
    .max_inputs = 6,
    .input_dtypes = {kRecurrentFloats, kRecurrentFloats, kRecurrentFloats, kRecurrentFloats,
                     kI32 | kRecurrentFloats},
    .max_outputs = 2,
    .create = &create,
    .check = &check_recurrent_types};

}  // namespace infer::cpu
