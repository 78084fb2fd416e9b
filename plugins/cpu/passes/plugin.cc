// The cpu_passes plugin: its pass table, built from fusion_passes.inc and layout_passes.inc.
#include <iterator>
#include <span>

#include "cpu_passes.h"

namespace infer::cpu_passes {
namespace {

constinit const plugin::PassDef kPasses[] = {
#define INFER_CPU_PASS(fn, name, level, order) {name, level, "cpu", order, &fn},
#include "fusion_passes.inc"
#include "layout_passes.inc"
#undef INFER_CPU_PASS
    {},  // end marker: keeps the array valid while a list is empty
};

// Every entry but the end marker.
constexpr std::span<const plugin::PassDef> kPassList(kPasses, std::size(kPasses) - 1);

}  // namespace
}  // namespace infer::cpu_passes

INFER_DEFINE_PASS_PLUGIN("cpu_passes",
                         "Fusion (level 2) and NCHWc layout (level 3) passes for the cpu backend",
                         infer::cpu_passes::kPassList)
