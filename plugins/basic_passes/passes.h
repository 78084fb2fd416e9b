// The level-1 passes of the basic_passes plugin, declared from passes.inc.
#pragma once

#include "infer/pass_cxx.hpp"

namespace infer::basic_passes {

#define INFER_PASS(fn, name, order) size_t fn(plugin::GraphEditor& g, const infer_config* cfg);
#include "passes.inc"
#undef INFER_PASS

}  // namespace infer::basic_passes
