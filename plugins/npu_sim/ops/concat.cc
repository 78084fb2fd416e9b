// Concat is pure data movement: each input is copied box by box through the SRAM into its
// place in the output; no compute command.
#include "../lowering.h"

namespace infer::npu_sim {

void lower_concat(Lowering& l, const Op& op) {
  // Two slots of 2-byte elements, plus alignment.
  const int64_t max_elems = (l.cfg.sram_bytes - 128) / 4;
  const View y = tensor_view(l, op.out);
  std::vector<Tile> tiles;
  int64_t offset = 0;
  for (int in : op.in) {
    const Shape& s = l.net.tensors[in].shape;
    const std::vector<Box> boxes = split_boxes(s, max_elems, 0);
    if (boxes.empty()) refuse_sram(l, op, 4 + 128);
    if (l.plan_only()) continue;
    const View x = tensor_view(l, in);
    for (const Box& b : boxes) {
      Tile t;
      t.loads[0] = box_dma(x, b.origin.data(), b.extent.data());
      Shape at = b.origin;
      at[op.axis] += offset;
      t.store = box_dma(y, at.data(), b.extent.data());
      tiles.push_back(std::move(t));
    }
    offset += s[op.axis];
  }
  if (!l.plan_only()) emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
