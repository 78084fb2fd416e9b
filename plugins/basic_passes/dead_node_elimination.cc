// dead_node_elimination: removes nodes whose results nothing reads, e.g. branches left behind
// by other passes or exported but unused outputs.
#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

// A node is dead when none of its outputs is read or a graph output. Nodes with
// no present output at all are left alone: they are malformed, not dead.
bool is_dead(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  bool has_output = false;
  for (size_t i = 0; i < n.output_count(); ++i) {
    const size_t v = n.output(i);
    if (v == INFER_NO_VALUE) continue;
    if (is_used(g, v)) return false;
    has_output = true;
  }
  return has_output;
}

}  // namespace

size_t eliminate_dead_nodes(GraphEditor& g, const infer_config*) {
  size_t removed = 0;
  // Walk backwards so a chain of dead nodes goes in one sweep (readers usually
  // come after their producers); repeat until nothing more dies.
  for (bool again = true; again;) {
    again = false;
    std::vector<size_t> nodes = live_nodes(g);
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
      if (!is_dead(g, *it)) continue;
      g.remove_node(*it);
      ++removed;
      again = true;
    }
  }
  return removed;
}

}  // namespace infer::basic_passes
