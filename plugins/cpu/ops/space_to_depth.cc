#include "ops/block_rearrange.h"

namespace infer::cpu {
namespace {

// mode arrived in opset 28.
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_block_rearrange(ctx, /*to_space=*/false, 28);
}

}  // namespace

constinit const OpDesc kOpSpaceToDepth = {
    .op_type = "SpaceToDepth", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
