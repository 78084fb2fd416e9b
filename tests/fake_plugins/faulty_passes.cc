// A pass plugin that misbehaves on purpose, for the optimiser's fallback tests.
// Its one level-1 pass does what config "faulty.mode" says:
//   throws   - fails with an error status
//   dangling - makes a node read a value nothing produces
//   cycle    - wires a node's producer to read that node's output
//   shape    - feeds a binary op an initializer whose shape cannot broadcast
// The host must report the pass by name and continue with the graph from before it.
#include <string>

#include "infer/pass_cxx.hpp"

namespace {

using infer::plugin::GraphEditor;
using infer::plugin::PluginError;

size_t Misbehave(GraphEditor& g, const infer_config* cfg) {
  const char* mode_c = g.host()->config_get(cfg, "faulty.mode");
  const std::string mode = mode_c ? mode_c : "throws";
  if (mode == "throws")
    throw PluginError(INFER_INTERNAL, "deliberate failure (faulty.mode=throws)");
  for (size_t n = 0; n < g.node_count(); ++n) {
    if (!g.alive(n) || g.node(n).input_count() == 0) continue;
    const size_t in = g.node(n).input(0);
    if (mode == "dangling") {
      g.set_input(n, 0, g.add_value(g.unique_name("dangling"), INFER_DTYPE_FLOAT32));
      return 1;
    }
    if (mode == "cycle") {
      const size_t p = g.producer(in);
      if (p == INFER_NO_NODE || g.node(p).input_count() == 0) continue;
      g.set_input(p, 0, g.node(n).output(0));
      return 2;
    }
    if (mode == "shape" && (g.is_op(n, "Add") || g.is_op(n, "Mul")) &&
        g.node(n).input_count() == 2) {
      const std::vector<float> bad(7, 1.0f);
      g.set_input(n, 1, g.add_float_initializer("bad_shape", {7}, bad));
      return 1;
    }
  }
  return 0;
}

constexpr infer::plugin::PassDef kPasses[] = {
    {"faulty_pass", INFER_OPT_BASIC, nullptr, -100, &Misbehave}};

}  // namespace

INFER_DEFINE_PASS_PLUGIN("faulty_passes", "Misbehaving passes for tests", kPasses)
