// Shared machinery of the per-op lowerings in ops/: DRAM views, DMA boxes, tile-size
// candidates, and the emitter that turns a list of tiles into a double-buffered stream.
#ifndef INFER_PLUGINS_NPU_SIM_LOWERING_H_
#define INFER_PLUGINS_NPU_SIM_LOWERING_H_

#include <optional>
#include <string>
#include <vector>

#include "compiler.h"

namespace infer::npu_sim {

struct Lowering {
  const NpuConfig& cfg;
  const Network& net;
  Program* prog;                    // null when only planning (capability)
  std::vector<uint32_t> buffer_of;  // per tensor
  bool plan_only() const { return prog == nullptr; }
};

// A strided view of a DRAM buffer with up to kMaxRank dims.
struct View {
  uint32_t buffer = 0;
  uint32_t rank = 0;
  uint32_t elem_bytes = 2;
  std::array<int64_t, kMaxRank> dims{};
  std::array<int64_t, kMaxRank> stride{};
};

// Row-major view of a tensor.
View tensor_view(const Lowering& l, int tensor);
// View of `tensor` broadcast (numpy rules) to `out`: leading dims added, stride 0 where the
// tensor has extent 1.
View broadcast_view(const Lowering& l, int tensor, const Shape& out);
// The box of `extent` at `origin` (rank of the view) as a DMA descriptor, SRAM address unset.
DmaCmd box_dma(const View& v, const int64_t* origin, const int64_t* extent, uint32_t fill = 0);
inline int64_t bytes_of(const Lowering& l, int tensor) {
  return elem_bytes(l.net.tensors[tensor].elem);
}

// Tile sizes worth trying for an extent: n, ceil(n/2), ceil(n/4), ..., 1.
std::vector<int64_t> tile_sizes(int64_t n);
inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
// SRAM regions are 64-byte aligned.
inline int64_t align64(int64_t bytes) { return (bytes + 63) / 64 * 64; }
// Estimated DMA cycles of `bytes` in `transfers` transfers (the planners' objective).
double dma_estimate(const NpuConfig& cfg, double bytes, double transfers);

// Splits `shape` into row-major boxes of at most `max_elems` elements, keeping the last
// `whole_dims` dims whole. Each box is {origin, extent}. Empty when that cannot fit.
struct Box {
  Shape origin, extent;
};
std::vector<Box> split_boxes(const Shape& shape, int64_t max_elems, size_t whole_dims);

[[noreturn]] void refuse_sram(const Lowering& l, const Op& op, int64_t need_bytes);

// One step of an op: operands to bring in (reused when equal to what the slot holds), a
// compute command, and the box to write back. Without a compute, the store reads operand 0.
struct Tile {
  std::array<std::optional<DmaCmd>, 3> loads;
  std::optional<Command> compute;
  std::optional<DmaCmd> store;
};
// Appends the tiles as DMA_IN (one tile ahead, into the other of two slots), compute and
// DMA_OUT commands, allocating SRAM for them.
void emit_tiles(Lowering& l, const Op& op, std::vector<Tile>& tiles);

void lower_conv(Lowering& l, const Op& op);
void lower_matmul(Lowering& l, const Op& op);
void lower_elementwise(Lowering& l, const Op& op);
void lower_pool(Lowering& l, const Op& op);
void lower_concat(Lowering& l, const Op& op);
void lower_softmax(Lowering& l, const Op& op);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_LOWERING_H_
