#include "kernels/memory_plan.h"

#include <algorithm>
#include <numeric>

namespace infer::cpu {

namespace {
constexpr size_t kAlign = 64;
size_t align_up(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }
}  // namespace

ArenaLayout plan_arena(std::span<const BufferLifetime> buffers) {
  ArenaLayout layout;
  layout.offsets.assign(buffers.size(), 0);
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  struct Placed {
    size_t offset, end, first, last;
  };
  std::vector<Placed> placed;  // sorted by offset
  for (size_t i : order) {
    const BufferLifetime& b = buffers[i];
    layout.total_bytes += b.bytes;
    if (b.bytes == 0) continue;
    const size_t size = align_up(b.bytes);
    // Lowest gap between buffers that live at the same time as b.
    size_t offset = 0;
    for (const Placed& p : placed) {
      if (p.last < b.first || b.last < p.first) continue;  // never alive together
      if (offset + size <= p.offset) break;                // fits below p
      offset = std::max(offset, p.end);
    }
    const Placed mine{offset, offset + size, b.first, b.last};
    placed.insert(
        std::upper_bound(placed.begin(), placed.end(), mine,
                         [](const Placed& x, const Placed& y) { return x.offset < y.offset; }),
        mine);
    layout.offsets[i] = offset;
    layout.arena_bytes = std::max(layout.arena_bytes, mine.end);
  }
  return layout;
}

}  // namespace infer::cpu
