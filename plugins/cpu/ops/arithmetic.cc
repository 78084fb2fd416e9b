// Broadcasting arithmetic: Add, Sub, Mul, Div, Mod.
#include "ops/binary.h"

namespace infer::cpu {
namespace {

std::unique_ptr<Kernel> create_mod(const OpContext& ctx) {
  if (attr_bool(ctx, "fmod", false)) return make_binary<kNumeric, fn::FMod>(ctx);
  return make_binary<kNumeric, fn::Mod>(ctx);
}

}  // namespace

constinit const OpDesc kOpAdd = binary_desc<kNumeric, fn::Add>("Add");
constinit const OpDesc kOpSub = binary_desc<kNumeric, fn::Sub>("Sub");
constinit const OpDesc kOpMul = binary_desc<kNumeric, fn::Mul>("Mul");
constinit const OpDesc kOpDiv = binary_desc<kNumeric, fn::Div>("Div");
constinit const OpDesc kOpMod = {.op_type = "Mod",
                                 .min_inputs = 2,
                                 .max_inputs = 2,
                                 .input_dtypes = {kNumeric, kNumeric},
                                 .create = &create_mod};

}  // namespace infer::cpu
