// MatMul and Gemm: per batch item, tiles of (m block, n block, k block). Transposed Gemm
// operands are read through a transposing DMA view; Gemm's C is a broadcast view added in
// the epilogue. Splitting k accumulates in SRAM (fp32, or int32 in int8). QLinearMatMul
// reads its per-column records where Gemm reads C.
#include <algorithm>
#include <limits>

#include "../cost_model.h"
#include "../lowering.h"

namespace infer::npu_sim {
namespace {

struct MmPlan {
  int64_t tm = 1, tn = 1, tk = 1;
};

// Bytes per element of a, b, the output and C (or per column of the int8 records, tn of them).
struct MmBytes {
  int64_t a = 2, b = 2, out = 2, c = 0;
  bool c_per_column = false;
  bool int8 = false;
};

int64_t working_set(const MmPlan& p, int64_t k, const MmBytes& e) {
  const int64_t a = align64(p.tm * p.tk * e.a), b = align64(p.tk * p.tn * e.b);
  const int64_t out = align64(p.tm * p.tn * e.out);
  const int64_t c = align64((e.c_per_column ? p.tn : p.tm * p.tn) * e.c);
  const int64_t acc = p.tk < k ? align64(p.tm * p.tn * 4) : 0;
  return 2 * (a + b + c + out) + acc;
}

double estimate(const NpuConfig& cfg, const MmPlan& p, int64_t batch, int64_t m, int64_t n,
                int64_t k, const MmBytes& e) {
  const auto d = [](int64_t v) { return static_cast<double>(v); };
  const double nm = d(ceil_div(m, p.tm)), nn = d(ceil_div(n, p.tn)), nk = d(ceil_div(k, p.tk));
  const double tiles = d(batch) * nm * nn * nk;
  const double a_loads = nk == 1 ? d(batch) * nm : tiles;
  const double b_loads = nk == 1 && nn == 1 ? d(batch) : tiles;
  const double outs = d(batch) * nm * nn;
  const double c_bytes = d((e.c_per_column ? p.tn : p.tm * p.tn) * e.c);
  const double bytes = a_loads * d(p.tm * p.tk * e.a) + b_loads * d(p.tk * p.tn * e.b) +
                       outs * (d(p.tm * p.tn * e.out) + c_bytes);
  const double dma = dma_estimate(cfg, bytes, a_loads + b_loads + outs * (e.c ? 2 : 1));
  const double mac = tiles * (d(ceil_div(p.tn, cfg.mac_rows) * ceil_div(p.tm, cfg.mac_cols)) *
                                  d(reduction_steps(cfg, p.tk, e.int8)) +
                              d(kComputeIssueCycles));
  return std::max(dma, mac) + 0.05 * std::min(dma, mac);
}

// A 2-D Gemm operand stored transposed, read as rows x cols.
View transposed(View v) {
  std::swap(v.dims[0], v.dims[1]);
  std::swap(v.stride[0], v.stride[1]);
  return v;
}

}  // namespace

void lower_matmul(Lowering& l, const Op& op) {
  const Shape& ys = l.net.tensors[op.out].shape;
  const size_t r = ys.size();
  const Shape& as = l.net.tensors[op.in[0]].shape;
  const int64_t m = ys[r - 2], n = ys[r - 1];
  const int64_t k = op.trans_a ? as[as.size() - 2] : as.back();
  const Shape batch_dims(ys.begin(), ys.end() - 2);
  const int64_t batch = numel(batch_dims);
  const bool has_c = !op.quantized && op.in.size() > 2 && op.in[2] >= 0;
  MmBytes e{bytes_of(l, op.in[0]), bytes_of(l, op.in[1]), bytes_of(l, op.out), 0, false,
            op.quantized};
  if (has_c) e.c = 2;
  if (op.quantized) e.c = kChannelRecord * 4, e.c_per_column = true;

  MmPlan best;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int64_t tm : tile_sizes(m)) {
    for (int64_t tn : tile_sizes(n)) {
      for (int64_t tk : tile_sizes(k)) {
        const MmPlan p{tm, tn, tk};
        if (working_set(p, k, e) > l.cfg.sram_bytes) continue;
        const double cost = estimate(l.cfg, p, batch, m, n, k, e);
        if (cost < best_cost) best_cost = cost, best = p;
      }
    }
  }
  if (best_cost == std::numeric_limits<double>::infinity()) {
    refuse_sram(l, op, working_set(MmPlan{}, k, e));
  }
  if (l.plan_only()) return;

  Shape a_shape = batch_dims, b_shape = batch_dims;
  a_shape.insert(a_shape.end(), {m, k});
  b_shape.insert(b_shape.end(), {k, n});
  const View a =
      op.trans_a ? transposed(tensor_view(l, op.in[0])) : broadcast_view(l, op.in[0], a_shape);
  const View b =
      op.trans_b ? transposed(tensor_view(l, op.in[1])) : broadcast_view(l, op.in[1], b_shape);
  const View c = has_c          ? broadcast_view(l, op.in[2], {m, n})
                 : op.quantized ? tensor_view(l, op.in[2])
                                : View{};
  IntMode q;
  if (op.quantized) {
    q = {true,
         l.net.tensors[op.in[0]].elem,
         l.net.tensors[op.in[1]].elem,
         l.net.tensors[op.out].elem,
         op.in_zp,
         op.out_zp};
  }
  const View y = tensor_view(l, op.out);

  std::vector<Tile> tiles;
  Shape bidx(batch_dims.size(), 0);
  for (int64_t bi = 0; bi < batch; ++bi) {
    for (int64_t m0 = 0; m0 < m; m0 += best.tm) {
      for (int64_t n0 = 0; n0 < n; n0 += best.tn) {
        for (int64_t k0 = 0; k0 < k; k0 += best.tk) {
          const int64_t tm = std::min(best.tm, m - m0), tn = std::min(best.tn, n - n0),
                        tk = std::min(best.tk, k - k0);
          // Origins and boxes: the batch coordinates, then the two matrix dims.
          auto corner = [&](int64_t i, int64_t j) {
            Shape s = bidx;
            s.insert(s.end(), {i, j});
            return s;
          };
          const Shape ones_mk = [&] {
            Shape s(bidx.size(), 1);
            s.insert(s.end(), {tm, tk});
            return s;
          }();
          Shape ones_kn(bidx.size(), 1), ones_mn(bidx.size(), 1);
          ones_kn.insert(ones_kn.end(), {tk, tn});
          ones_mn.insert(ones_mn.end(), {tm, tn});
          Tile t;
          t.loads[0] = box_dma(a, corner(m0, k0).data(), ones_mk.data());
          t.loads[1] = box_dma(b, corner(k0, n0).data(), ones_kn.data());
          const int64_t mn_origin[2] = {m0, n0}, mn_box[2] = {tm, tn};
          if (has_c) t.loads[2] = box_dma(c, mn_origin, mn_box);
          const int64_t rec_origin[2] = {n0, 0}, rec_box[2] = {tn, kChannelRecord};
          if (op.quantized) t.loads[2] = box_dma(c, rec_origin, rec_box);
          MatMulCmd cmd{};
          cmd.m = tm, cmd.n = tn, cmd.k = tk;
          cmd.alpha = op.alpha;
          cmd.beta = op.beta;
          cmd.has_c = has_c;
          cmd.act = op.act;
          cmd.q = q;
          cmd.io.first = k0 == 0;
          cmd.io.last = k0 + tk >= k;
          cmd.io.acc_bytes = best.tk < k ? static_cast<uint32_t>(tm * tn * 4) : 0;
          t.compute = Command{CmdType::kMatMul, 0, cmd};
          if (cmd.io.last) t.store = box_dma(y, corner(m0, n0).data(), ones_mn.data());
          tiles.push_back(std::move(t));
        }
      }
    }
    // Next batch coordinates, row-major.
    for (size_t i = bidx.size(); i-- > 0;) {
      if (++bidx[i] < batch_dims[i]) break;
      bidx[i] = 0;
    }
  }
  emit_tiles(l, op, tiles);
}

}  // namespace infer::npu_sim
