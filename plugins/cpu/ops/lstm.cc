#include "ops/recurrent.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_recurrent_kernel(ctx, RnnCell::kLstm);
}

}  // namespace

// Inputs share type relations the masks cannot express: check_recurrent_types checks every input.
constinit const OpDesc kOpLSTM = {
    .op_type = "LSTM",
    .min_inputs = 3,
    .max_inputs = 8,
    .input_dtypes = {kRecurrentFloats, kRecurrentFloats, kRecurrentFloats, kRecurrentFloats,
                     kI32 | kRecurrentFloats},
    .max_outputs = 3,
    .create = &create,
    .check = &check_recurrent_types};

}  // namespace infer::cpu
