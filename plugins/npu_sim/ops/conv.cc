// Conv: tiles of (batch item, output-channel block or depthwise group block, output rows,
// output columns, input-channel block). The input tile carries the halo the kernel needs and
// the padding as zero fill (the input zero point in int8); splitting the input channels
// accumulates in SRAM (fp32, or int32 in int8).
#include <algorithm>
#include <limits>

#include "../cost_model.h"
#include "../lowering.h"

namespace infer::npu_sim {
namespace {

struct ConvGeometry {
  int64_t batch, channels, height, width, out_channels, out_h, out_w;
  int64_t cin_g, cout_g;
  bool depthwise;  // one input and one output channel per group: groups tile together
  bool has_bias;   // or the int8 channel records
  // Bytes per element of input, weights and output, and per output channel of bias/records.
  int64_t in_b = 2, w_b = 2, out_b = 2, bias_b = 2;
  bool int8 = false;
};

struct ConvPlan {
  int64_t tg = 1, tco = 1, tci = 1, toh = 1, tow = 1;
};

int64_t in_extent(int64_t out, int64_t k, int64_t s, int64_t d) {
  return (out - 1) * s + (k - 1) * d + 1;
}

// SRAM bytes of a plan: double-buffered input, weights, bias and output, plus the fp32
// accumulator when the input channels are split.
int64_t working_set(const ConvGeometry& g, const Window2d& w, const ConvPlan& p) {
  const int64_t ih = in_extent(p.toh, w.kh, w.sh, w.dh), iw = in_extent(p.tow, w.kw, w.sw, w.dw);
  const int64_t in = align64(p.tg * p.tci * ih * iw * g.in_b);
  const int64_t wt = align64(p.tg * p.tco * p.tci * w.kh * w.kw * g.w_b);
  const int64_t bias = g.has_bias ? align64(p.tg * p.tco * g.bias_b) : 0;
  const int64_t out = align64(p.tg * p.tco * p.toh * p.tow * g.out_b);
  const int64_t acc = p.tci < g.cin_g ? align64(p.tg * p.tco * p.toh * p.tow * 4) : 0;
  return 2 * (in + wt + bias + out) + acc;
}

// Estimated cycles of a plan: DMA traffic (the input is re-read per channel block, the
// weights per spatial tile only when the reduction is split) against MAC work.
double estimate(const NpuConfig& cfg, const ConvGeometry& g, const Window2d& w, const ConvPlan& p) {
  const double n_sp = static_cast<double>(ceil_div(g.out_h, p.toh) * ceil_div(g.out_w, p.tow));
  const double n_co = g.depthwise
                          ? static_cast<double>(ceil_div(g.channels, p.tg))
                          : static_cast<double>(g.channels / g.cin_g * ceil_div(g.cout_g, p.tco));
  const double n_ci = static_cast<double>(ceil_div(g.cin_g, p.tci));
  const double tiles = static_cast<double>(g.batch) * n_co * n_sp * n_ci;
  const double ih = static_cast<double>(in_extent(p.toh, w.kh, w.sh, w.dh));
  const double iw = static_cast<double>(in_extent(p.tow, w.kw, w.sw, w.dw));
  const double in_bytes = tiles * static_cast<double>(p.tg * p.tci * g.in_b) * ih * iw;
  const double w_loads = n_ci > 1 ? tiles : static_cast<double>(g.batch) * n_co;
  const double w_bytes = w_loads * static_cast<double>(p.tg * p.tco * p.tci * w.kh * w.kw * g.w_b);
  const double outs = static_cast<double>(g.batch) * n_co * n_sp;
  const double out_bytes = outs * static_cast<double>(p.tg * p.tco * p.toh * p.tow * g.out_b);
  const double dma = dma_estimate(cfg, in_bytes + w_bytes + out_bytes, tiles + w_loads + outs);
  const double rows = static_cast<double>(ceil_div(p.tg * p.tco, cfg.mac_rows));
  const double cols = static_cast<double>(ceil_div(p.toh * p.tow, cfg.mac_cols));
  const double steps = static_cast<double>(reduction_steps(cfg, p.tci * w.kh * w.kw, g.int8));
  const double mac = tiles * (rows * cols * steps + static_cast<double>(kComputeIssueCycles));
  return std::max(dma, mac) + 0.05 * std::min(dma, mac);
}

ConvPlan plan_conv(const Lowering& l, const Op& op, const ConvGeometry& g) {
  const Window2d& w = op.win;
  ConvPlan best;
  double best_cost = std::numeric_limits<double>::infinity();
  const std::vector<int64_t> tgs = g.depthwise ? tile_sizes(g.channels) : std::vector<int64_t>{1};
  const std::vector<int64_t> tcos = g.depthwise ? std::vector<int64_t>{1} : tile_sizes(g.cout_g);
  const std::vector<int64_t> tcis = g.depthwise ? std::vector<int64_t>{1} : tile_sizes(g.cin_g);
  for (int64_t tg : tgs) {
    for (int64_t tco : tcos) {
      for (int64_t tci : tcis) {
        for (int64_t toh : tile_sizes(g.out_h)) {
          for (int64_t tow : tile_sizes(g.out_w)) {
            const ConvPlan p{tg, tco, tci, toh, tow};
            if (working_set(g, w, p) > l.cfg.sram_bytes) continue;
            const double cost = estimate(l.cfg, g, w, p);
            if (cost < best_cost) best_cost = cost, best = p;
          }
        }
      }
    }
  }
  if (best_cost == std::numeric_limits<double>::infinity()) {
    refuse_sram(l, op, working_set(g, w, ConvPlan{}));
  }
  return best;
}

}  // namespace

void lower_conv(Lowering& l, const Op& op) {
  const Shape& xs = l.net.tensors[op.in[0]].shape;
  const Shape& ys = l.net.tensors[op.out].shape;
  ConvGeometry g{
      xs[0], xs[1],        xs[2], xs[3], ys[1], ys[2], ys[3], xs[1] / op.group, ys[1] / op.group,
      false, op.in[2] >= 0};
  g.depthwise = op.group > 1 && g.cin_g == 1 && g.cout_g == 1;
  g.in_b = bytes_of(l, op.in[0]);
  g.w_b = bytes_of(l, op.in[1]);
  g.out_b = bytes_of(l, op.out);
  g.bias_b = op.quantized ? kChannelRecord * 4 : 2;
  g.int8 = op.quantized;
  const ConvPlan p = plan_conv(l, op, g);
  if (l.plan_only()) return;

  const Window2d& w = op.win;
  const View x = tensor_view(l, op.in[0]), wt = tensor_view(l, op.in[1]),
             y = tensor_view(l, op.out);
  // Bias [M], or the int8 channel records [M, kChannelRecord].
  const View bias = op.in[2] >= 0 ? tensor_view(l, op.in[2]) : View{};
  IntMode q;
  if (op.quantized) {
    q = {true,
         l.net.tensors[op.in[0]].elem,
         l.net.tensors[op.in[1]].elem,
         l.net.tensors[op.out].elem,
         op.in_zp,
         op.out_zp};
  }
  // Padding is a real zero: the input zero point in int8 (one byte).
  const uint32_t pad = op.quantized ? static_cast<uint32_t>(op.in_zp) & 0xffu : 0u;
  // Channel blocks: {first output channel, output channels, first input channel, groups}.
  struct Block {
    int64_t oc, n_oc, ic, groups, cout;
  };
  std::vector<Block> blocks;
  if (g.depthwise) {
    for (int64_t c = 0; c < g.channels; c += p.tg) {
      const int64_t n = std::min(p.tg, g.channels - c);
      blocks.push_back({c, n, c, n, 1});
    }
  } else {
    for (int64_t grp = 0; grp < op.group; ++grp) {
      for (int64_t co = 0; co < g.cout_g; co += p.tco) {
        const int64_t n = std::min(p.tco, g.cout_g - co);
        blocks.push_back({grp * g.cout_g + co, n, grp * g.cin_g, 1, n});
      }
    }
  }
  std::vector<Tile> tiles;
  for (int64_t n = 0; n < g.batch; ++n) {
    for (const Block& b : blocks) {
      for (int64_t oh = 0; oh < g.out_h; oh += p.toh) {
        for (int64_t ow = 0; ow < g.out_w; ow += p.tow) {
          const int64_t toh = std::min(p.toh, g.out_h - oh), tow = std::min(p.tow, g.out_w - ow);
          const int64_t ih = in_extent(toh, w.kh, w.sh, w.dh),
                        iw = in_extent(tow, w.kw, w.sw, w.dw);
          const int64_t cin_total = g.depthwise ? 1 : g.cin_g;
          for (int64_t ci = 0; ci < cin_total; ci += p.tci) {
            const int64_t tci = g.depthwise ? 1 : std::min(p.tci, g.cin_g - ci);
            Tile t;
            const int64_t in_origin[4] = {n, b.ic + ci, oh * w.sh - w.pad_top,
                                          ow * w.sw - w.pad_left};
            const int64_t in_box[4] = {1, b.groups * tci, ih, iw};
            t.loads[0] = box_dma(x, in_origin, in_box, pad);
            const int64_t w_origin[4] = {b.oc, g.depthwise ? 0 : ci, 0, 0};
            const int64_t w_box[4] = {b.n_oc, tci, w.kh, w.kw};
            t.loads[1] = box_dma(wt, w_origin, w_box);
            const int64_t b_origin[2] = {b.oc, 0}, b_box[2] = {b.n_oc, kChannelRecord};
            if (g.has_bias) t.loads[2] = box_dma(bias, b_origin, op.quantized ? b_box : &b.n_oc);
            ConvCmd c{};
            c.groups = b.groups;
            c.cout = b.cout;
            c.cin = tci;
            c.ih = ih, c.iw = iw, c.oh = toh, c.ow = tow;
            c.win = w;
            c.has_bias = g.has_bias;
            c.act = op.act;
            c.q = q;
            c.io.first = ci == 0;
            c.io.last = ci + tci >= cin_total;
            c.io.acc_bytes = p.tci < cin_total ? static_cast<uint32_t>(b.n_oc * toh * tow * 4) : 0;
            t.compute = Command{CmdType::kConv, 0, c};
            if (c.io.last) {
              const int64_t y_origin[4] = {n, b.oc, oh, ow};
              const int64_t y_box[4] = {1, b.n_oc, toh, tow};
              t.store = box_dma(y, y_origin, y_box);
            }
            tiles.push_back(std::move(t));
          }
        }
      }
    }
  }
  emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
