// Softmax on the last axis: blocks of whole rows; a row longer than the SRAM can hold is
// refused.
#include "../lowering.h"

namespace infer::npu_sim {

void lower_softmax(Lowering& l, const Op& op) {
  const Shape& s = l.net.tensors[op.in[0]].shape;
  // Two input and two output slots of 2-byte elements, plus alignment.
  const std::vector<Box> boxes = split_boxes(s, (l.cfg.sram_bytes - 256) / 8, 1);
  if (boxes.empty()) refuse_sram(l, op, s.back() * 8 + 256);
  if (l.plan_only()) return;
  const View x = tensor_view(l, op.in[0]), y = tensor_view(l, op.out);
  std::vector<Tile> tiles;
  for (const Box& b : boxes) {
    Tile t;
    t.loads[0] = box_dma(x, b.origin.data(), b.extent.data());
    const int64_t len = s.back();
    t.compute = Command{CmdType::kSoftmax, 0, SoftmaxCmd{{}, numel(b.extent) / len, len}};
    t.store = box_dma(y, b.origin.data(), b.extent.data());
    tiles.push_back(std::move(t));
  }
  emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
