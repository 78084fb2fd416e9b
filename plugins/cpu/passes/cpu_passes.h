// The cpu backend's level-2 (fusion) and level-3 (layout) passes, declared from their lists.
#pragma once

#include "infer/pass_cxx.hpp"

namespace infer::cpu_passes {

// Domain of the cpu backend's own operators (see plugins/cpu/ops/op.h).
inline constexpr const char* kInferDomain = "com.infer";

#define INFER_CPU_PASS(fn, name, level, order) \
  size_t fn(plugin::GraphEditor& g, const infer_config* cfg);
#include "fusion_passes.inc"
#include "layout_passes.inc"
#undef INFER_CPU_PASS

}  // namespace infer::cpu_passes
