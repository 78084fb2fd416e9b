// MaxPool, AveragePool and GlobalAveragePool: tiles of (batch item, channel block, output
// rows, output columns); the input tile carries the window's halo, padding is filled with
// -inf (max) or 0 (average); max pooling of int8/uint8 fills with the type's minimum and is
// exact.
#include <algorithm>
#include <limits>

#include "../lowering.h"

namespace infer::npu_sim {
namespace {

struct PoolPlan {
  int64_t tc = 1, toh = 1, tow = 1;
};

int64_t in_extent(int64_t out, int64_t k, int64_t s) { return (out - 1) * s + k; }

int64_t working_set(const Window2d& w, const PoolPlan& p, int64_t eb) {
  return 2 * (align64(p.tc * in_extent(p.toh, w.kh, w.sh) * in_extent(p.tow, w.kw, w.sw) * eb) +
              align64(p.tc * p.toh * p.tow * eb));
}

// The padding of a max window: a value below everything.
uint32_t lowest(Elem e) {
  switch (e) {
    case Elem::kI8:
      return 0x80u;  // -128
    case Elem::kU8:
      return 0u;
    default:
      return 0xfc00u;  // fp16 -inf
  }
}

}  // namespace

void lower_pool(Lowering& l, const Op& op) {
  const Shape& xs = l.net.tensors[op.in[0]].shape;
  const Shape& ys = l.net.tensors[op.out].shape;
  const Window2d& w = op.win;
  const Elem elem = l.net.tensors[op.in[0]].elem;
  const int64_t eb = elem_bytes(elem);
  PoolPlan best;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int64_t tc : tile_sizes(xs[1])) {
    for (int64_t toh : tile_sizes(ys[2])) {
      for (int64_t tow : tile_sizes(ys[3])) {
        const PoolPlan p{tc, toh, tow};
        if (working_set(w, p, eb) > l.cfg.sram_bytes) continue;
        const double tiles = static_cast<double>(xs[0] * ceil_div(xs[1], tc) *
                                                 ceil_div(ys[2], toh) * ceil_div(ys[3], tow));
        const double in_bytes = tiles * static_cast<double>(tc * in_extent(toh, w.kh, w.sh) *
                                                            in_extent(tow, w.kw, w.sw) * eb);
        const double cost = dma_estimate(l.cfg, in_bytes, 2 * tiles);
        if (cost < best_cost) best_cost = cost, best = p;
      }
    }
  }
  if (best_cost == std::numeric_limits<double>::infinity())
    refuse_sram(l, op, working_set(w, {}, eb));
  if (l.plan_only()) return;

  const bool is_max = op.kind == OpKind::kMaxPool;
  const View x = tensor_view(l, op.in[0]), y = tensor_view(l, op.out);
  std::vector<Tile> tiles;
  for (int64_t n = 0; n < xs[0]; ++n) {
    for (int64_t c = 0; c < xs[1]; c += best.tc) {
      for (int64_t oh = 0; oh < ys[2]; oh += best.toh) {
        for (int64_t ow = 0; ow < ys[3]; ow += best.tow) {
          PoolCmd cmd{};
          cmd.channels = std::min(best.tc, xs[1] - c);
          cmd.oh = std::min(best.toh, ys[2] - oh);
          cmd.ow = std::min(best.tow, ys[3] - ow);
          cmd.ih = in_extent(cmd.oh, w.kh, w.sh);
          cmd.iw = in_extent(cmd.ow, w.kw, w.sw);
          cmd.win = w;
          cmd.max = is_max;
          cmd.count_include_pad = op.count_include_pad;
          cmd.y0 = oh * w.sh - w.pad_top;
          cmd.x0 = ow * w.sw - w.pad_left;
          cmd.in_h = xs[2];
          cmd.in_w = xs[3];
          cmd.elem = elem;
          Tile t;
          const int64_t in_origin[4] = {n, c, cmd.y0, cmd.x0};
          const int64_t in_box[4] = {1, cmd.channels, cmd.ih, cmd.iw};
          t.loads[0] = box_dma(x, in_origin, in_box, is_max ? lowest(elem) : 0);
          const int64_t y_origin[4] = {n, c, oh, ow};
          const int64_t y_box[4] = {1, cmd.channels, cmd.oh, cmd.ow};
          t.compute = Command{CmdType::kPool, 0, cmd};
          t.store = box_dma(y, y_origin, y_box);
          tiles.push_back(std::move(t));
        }
      }
    }
  }
  emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
