// Attributes shared by the NCHWc operators the level-3 layout pass creates.
#ifndef INFER_PLUGINS_CPU_OPS_LAYOUT_NCHWC_ATTRS_H_
#define INFER_PLUGINS_CPU_OPS_LAYOUT_NCHWC_ATTRS_H_

#include "kernels/nchwc.h"
#include "ops/op.h"

namespace infer::cpu {

// The pass records the block size on every node, so kernels never guess it from the CPU.
inline int64_t nchwc_block_attr(const OpContext& ctx) {
  const int64_t block = attr_int(ctx, "block", 0);
  check_nchwc_block(block);
  return block;
}

// Window attributes of a 2-D NCHWc op; kernel_shape is required because the blocked input's
// rank (5) would otherwise be taken for three spatial axes.
inline WindowParams nchwc_window_attrs(const OpContext& ctx) {
  WindowParams p = read_window_attrs(ctx, /*kernel_shape_required=*/true);
  if (p.kernel_shape.size() != 2) {
    fail(INFER_UNIMPLEMENTED,
         str_cat("NCHWc ops take a 2-D window, got kernel_shape ", shape_str(p.kernel_shape)));
  }
  return p;
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_LAYOUT_NCHWC_ATTRS_H_
