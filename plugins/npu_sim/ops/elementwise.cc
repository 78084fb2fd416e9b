// Add, Mul, standalone activations, QuantizeLinear and DequantizeLinear: the output is split
// into row-major boxes; each operand is read through a broadcasting DMA view, so broadcasting
// costs no compute.
#include "../lowering.h"

namespace infer::npu_sim {

void lower_elementwise(Lowering& l, const Op& op) {
  const Shape& ys = l.net.tensors[op.out].shape;
  const size_t n_in = op.kind == OpKind::kAdd || op.kind == OpKind::kMul ? 2 : 1;
  // Two slots each for the operands and the output, plus alignment.
  const int64_t per_elem =
      2 * (bytes_of(l, op.out) + bytes_of(l, op.in[0]) * static_cast<int64_t>(n_in));
  const int64_t slack = static_cast<int64_t>(n_in + 1) * 2 * 64;
  const std::vector<Box> boxes = split_boxes(ys, (l.cfg.sram_bytes - slack) / per_elem, 0);
  if (boxes.empty()) refuse_sram(l, op, per_elem + slack);
  if (l.plan_only()) return;

  View in[2];
  for (size_t i = 0; i < n_in; ++i) in[i] = broadcast_view(l, op.in[i], ys);
  const View y = tensor_view(l, op.out);
  const EltOp kind = op.kind == OpKind::kAdd          ? EltOp::kAdd
                     : op.kind == OpKind::kMul        ? EltOp::kMul
                     : op.kind == OpKind::kQuantize   ? EltOp::kQuantize
                     : op.kind == OpKind::kDequantize ? EltOp::kDequantize
                                                      : EltOp::kCopy;
  EltwiseCmd base{{}, 0, kind, op.act};
  base.in = l.net.tensors[op.in[0]].elem;
  base.out = l.net.tensors[op.out].elem;
  base.scale = op.scale;
  base.zp = op.kind == OpKind::kQuantize ? op.out_zp : op.in_zp;
  std::vector<Tile> tiles;
  for (const Box& b : boxes) {
    Tile t;
    for (size_t i = 0; i < n_in; ++i) t.loads[i] = box_dma(in[i], b.origin.data(), b.extent.data());
    EltwiseCmd cmd = base;
    cmd.count = numel(b.extent);
    t.compute = Command{CmdType::kElementwise, 0, cmd};
    t.store = box_dma(y, b.origin.data(), b.extent.data());
    tiles.push_back(std::move(t));
  }
  emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
