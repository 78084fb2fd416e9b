// com.infer LayerNormalization: the standard operator's kernel under the engine's domain, for
// graphs whose default opset predates LayerNormalization (17) when layer_norm_fusion matches.
#include "ops/op.h"

namespace infer::cpu {

// Copied from the standard descriptor during dynamic initialisation, which is safe: constinit
// objects (kOpLayerNormalization) are initialised before any dynamic initialiser runs.
const OpDesc kOpInferLayerNormalization = [] {
  OpDesc d = kOpLayerNormalization;
  d.domain = kInferDomain;
  d.max_outputs = 1;  // the fusion produces Y only
  return d;
}();

}  // namespace infer::cpu
