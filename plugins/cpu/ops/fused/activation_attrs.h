// The `activation` / `activation_params` attributes that the fused operators share.
#ifndef INFER_PLUGINS_CPU_OPS_FUSED_ACTIVATION_ATTRS_H_
#define INFER_PLUGINS_CPU_OPS_FUSED_ACTIVATION_ATTRS_H_

#include "kernels/fused_activation.h"
#include "ops/op.h"

namespace infer::cpu {

inline FusedActivation read_fused_activation(const OpContext& ctx) {
  if (auto a = ctx.node.attr("activation_params"); a && a->type != INFER_ATTR_FLOATS) {
    fail_attr("attribute 'activation_params' must be a list of floats");
  }
  return parse_fused_activation(attr_string(ctx, "activation", ""),
                                ctx.node.attr_floats("activation_params"));
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_FUSED_ACTIVATION_ATTRS_H_
