// unused_initializer_removal: drops the data of initializers nothing reads any more (weights
// of folded or removed nodes), so the session does not keep them in memory.
#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {

size_t remove_unused_initializers(GraphEditor& g, const infer_config*) {
  size_t removed = 0;
  const size_t n = g.host()->graph_value_count(g.graph());
  for (size_t v = 0; v < n; ++v) {
    const infer_value_info info = g.value(v);
    // Graph inputs with defaults and graph outputs belong to the model's interface.
    if (!info.is_constant || info.is_graph_input || info.is_graph_output) continue;
    if (g.host()->value_consumer_count(g.graph(), v) > 0) continue;
    g.remove_initializer(v);
    ++removed;
  }
  return removed;
}

}  // namespace infer::basic_passes
