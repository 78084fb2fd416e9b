#include "ops/block_rearrange.h"

namespace infer::cpu {
namespace {

// mode arrived in opset 11.
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return create_block_rearrange(ctx, /*to_space=*/true, 11);
}

}  // namespace

constinit const OpDesc kOpDepthToSpace = {
    .op_type = "DepthToSpace", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
