// Static memory planning: intermediates of a partition get offsets in one arena so that a run
// with planned shapes allocates nothing. Two buffers may share bytes only when their lifetimes
// (the steps from the producer to the last reader, both included) do not overlap.
#ifndef INFER_PLUGINS_CPU_MEMORY_PLAN_H_
#define INFER_PLUGINS_CPU_MEMORY_PLAN_H_

#include <cstddef>
#include <span>
#include <vector>

namespace infer::cpu {

struct BufferLifetime {
  size_t bytes = 0;
  size_t first = 0, last = 0;  // steps, inclusive
};

struct ArenaLayout {
  std::vector<size_t> offsets;  // per buffer, 64-byte aligned
  size_t arena_bytes = 0;       // what the layout needs
  size_t total_bytes = 0;       // sum of the buffers: what no reuse would need
};

// Greedy by size (largest first), each buffer at the lowest offset free during its lifetime,
// as TFLite's and ONNX Runtime's planners do.
ArenaLayout plan_arena(std::span<const BufferLifetime> buffers);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_MEMORY_PLAN_H_
