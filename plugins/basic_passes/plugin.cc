// The basic_passes plugin: its pass table, built from passes.inc.
#include <iterator>
#include <span>

#include "passes.h"

namespace infer::basic_passes {
namespace {

constinit const plugin::PassDef kPasses[] = {
#define INFER_PASS(fn, name, order) {name, INFER_OPT_BASIC, nullptr, order, &fn},
#include "passes.inc"
#undef INFER_PASS
    {},  // end marker: keeps the array valid while a list is empty
};

// Every entry but the end marker.
constexpr std::span<const plugin::PassDef> kPassList(kPasses, std::size(kPasses) - 1);

}  // namespace
}  // namespace infer::basic_passes

INFER_DEFINE_PASS_PLUGIN("basic_passes",
                         "Level-1 graph optimisations: constant folding, Conv+BatchNormalization "
                         "folding, dead code, CSE, simplifications",
                         infer::basic_passes::kPassList)
