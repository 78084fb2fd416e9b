#include "compiler.h"

#include <algorithm>
#include <string>

#include "cost_model.h"
#include "infer/plugin_cxx.hpp"
#include "lowering.h"

namespace infer::npu_sim {

using plugin::PluginError;

View tensor_view(const Lowering& l, int tensor) {
  const Shape& s = l.net.tensors[tensor].shape;
  View v;
  v.buffer = l.buffer_of.empty() ? 0 : l.buffer_of[tensor];
  v.elem_bytes = static_cast<uint32_t>(bytes_of(l, tensor));
  v.rank = static_cast<uint32_t>(std::max<size_t>(s.size(), 1));
  v.dims.fill(1);
  int64_t stride = 1;
  for (size_t i = s.size(); i-- > 0;) {
    v.dims[i] = s[i];
    v.stride[i] = stride;
    stride *= s[i];
  }
  if (s.empty()) v.stride[0] = 1;
  return v;
}

View broadcast_view(const Lowering& l, int tensor, const Shape& out) {
  const View t = tensor_view(l, tensor);
  const size_t trank = l.net.tensors[tensor].shape.size();
  View v;
  v.buffer = t.buffer;
  v.elem_bytes = t.elem_bytes;
  v.rank = static_cast<uint32_t>(std::max<size_t>(out.size(), 1));
  v.dims.fill(1);
  for (size_t i = 0; i < out.size(); ++i) {
    v.dims[i] = out[i];
    const size_t lead = out.size() - trank;
    if (i >= lead && t.dims[i - lead] != 1) v.stride[i] = t.stride[i - lead];
  }
  if (out.empty()) v.stride[0] = 0;
  return v;
}

DmaCmd box_dma(const View& v, const int64_t* origin, const int64_t* extent, uint32_t fill) {
  DmaCmd d;
  d.buffer = v.buffer;
  d.elem_bytes = v.elem_bytes;
  d.rank = v.rank;
  d.dims = v.dims;
  d.stride = v.stride;
  d.fill = fill;
  for (uint32_t i = 0; i < v.rank; ++i) {
    d.origin[i] = origin[i];
    d.box[i] = extent[i];
  }
  return d;
}

std::vector<int64_t> tile_sizes(int64_t n) {
  std::vector<int64_t> out;
  for (int64_t div = 1;; div *= 2) {
    const int64_t t = ceil_div(n, div);
    if (out.empty() || out.back() != t) out.push_back(t);
    if (t <= 1) break;
  }
  return out;
}

double dma_estimate(const NpuConfig& cfg, double bytes, double transfers) {
  return bytes / static_cast<double>(cfg.dma_bytes_per_cycle) +
         transfers * static_cast<double>(cfg.dma_latency_cycles);
}

std::vector<Box> split_boxes(const Shape& shape_in, int64_t max_elems, size_t whole_dims) {
  const Shape shape = shape_in.empty() ? Shape{1} : shape_in;
  const size_t rank = shape.size();
  if (max_elems < 1) return {};
  // suffix[i]: elements of dims i.. ; split the outermost dim d whose inner dims fit whole.
  std::vector<int64_t> suffix(rank + 1, 1);
  for (size_t i = rank; i-- > 0;) suffix[i] = suffix[i + 1] * shape[i];
  if (suffix[0] <= max_elems) return {{Shape(rank, 0), shape}};
  size_t d = 0;
  while (suffix[d + 1] > max_elems) ++d;
  if (rank - 1 - d < whole_dims) return {};
  const int64_t t = max_elems / suffix[d + 1];
  std::vector<Box> boxes;
  Shape origin(rank, 0);
  for (;;) {
    Box b{origin, shape};
    for (size_t i = 0; i < d; ++i) b.extent[i] = 1;
    b.extent[d] = std::min(t, shape[d] - origin[d]);
    boxes.push_back(b);
    // Next box: advance dim d, carrying into the outer dims.
    origin[d] += t;
    size_t i = d;
    while (origin[i] >= shape[i]) {
      origin[i] = 0;
      if (i == 0) return boxes;
      ++origin[--i];
    }
  }
}

void refuse_sram(const Lowering& l, const Op& op, int64_t need_bytes) {
  throw PluginError(INFER_UNIMPLEMENTED,
                    op.label + ": tensor too large for SRAM tiling: the smallest tile needs " +
                        std::to_string(ceil_div(need_bytes, 1024)) + " KiB, the SRAM has " +
                        std::to_string(l.cfg.sram_bytes / 1024) + " KiB");
}

namespace {

void push(Lowering& l, Command cmd) {
  cmd.cycles = command_cycles(cmd, l.cfg);
  l.prog->commands.push_back(std::move(cmd));
}

ComputeIo& io_of(Command& c) {
  return std::visit(
      [](auto& body) -> ComputeIo& {
        if constexpr (requires { body.io; }) {
          return body.io;
        } else {
          throw PluginError(INFER_INTERNAL, "npu_sim: a DMA command is not a compute command");
        }
      },
      c.body);
}

}  // namespace

void emit_tiles(Lowering& l, const Op& op, std::vector<Tile>& tiles) {
  if (tiles.empty()) return;
  int64_t load_bytes[3] = {0, 0, 0};
  int64_t store_bytes = 0, acc_bytes = 0;
  bool any_compute = false;
  for (Tile& t : tiles) {
    for (size_t i = 0; i < 3; ++i) {
      if (t.loads[i]) load_bytes[i] = std::max(load_bytes[i], t.loads[i]->bytes());
    }
    if (t.compute) {
      any_compute = true;
      acc_bytes = std::max<int64_t>(acc_bytes, io_of(*t.compute).acc_bytes);
      if (t.store) store_bytes = std::max(store_bytes, t.store->bytes());
    }
  }
  // Two slots per operand and for the output, one accumulator.
  uint32_t next = 0;
  auto alloc = [&](int64_t bytes) {
    const uint32_t at = next;
    next += static_cast<uint32_t>(align64(bytes));
    return at;
  };
  uint32_t slot[3][2] = {};
  for (size_t i = 0; i < 3; ++i) {
    if (load_bytes[i]) slot[i][0] = alloc(load_bytes[i]), slot[i][1] = alloc(load_bytes[i]);
  }
  uint32_t out_slot[2] = {};
  if (any_compute && store_bytes)
    out_slot[0] = alloc(store_bytes), out_slot[1] = alloc(store_bytes);
  const uint32_t acc = acc_bytes ? alloc(acc_bytes) : 0;
  if (next > l.cfg.sram_bytes) {
    throw PluginError(INFER_INTERNAL, op.label + ": npu_sim tile plan needs " +
                                          std::to_string(next) + " bytes of SRAM, more than " +
                                          std::to_string(l.cfg.sram_bytes));
  }
  l.prog->sram_peak = std::max<int64_t>(l.prog->sram_peak, next);

  struct Resident {
    bool valid = false;
    int which = 0;
    DmaCmd dma;
  } resident[3];
  std::vector<std::array<uint32_t, 3>> addr(tiles.size());
  auto issue_loads = [&](size_t t) {
    for (size_t i = 0; i < 3; ++i) {
      if (!tiles[t].loads[i]) continue;
      DmaCmd& d = *tiles[t].loads[i];
      Resident& r = resident[i];
      if (!r.valid || !r.dma.same_source(d)) {
        r.which = r.valid ? 1 - r.which : 0;
        r.valid = true;
        d.sram = slot[i][r.which];
        r.dma = d;
        push(l, {CmdType::kDmaIn, 0, d});
      }
      addr[t][i] = slot[i][r.which];
    }
  };
  issue_loads(0);
  int out = 0;
  for (size_t t = 0; t < tiles.size(); ++t) {
    if (t + 1 < tiles.size()) issue_loads(t + 1);
    Tile& tile = tiles[t];
    if (tile.compute) {
      ComputeIo& io = io_of(*tile.compute);
      io.src = addr[t];
      io.src_mask = 0;
      for (size_t i = 0; i < 3; ++i)
        io.src_mask |= static_cast<uint8_t>(tile.loads[i] ? 1u << i : 0u);
      io.dst = out_slot[out];
      io.acc = acc;
      push(l, std::move(*tile.compute));
    }
    if (tile.store) {
      tile.store->sram = tile.compute ? out_slot[out] : addr[t][0];
      push(l, {CmdType::kDmaOut, 0, *tile.store});
      if (tile.compute) out ^= 1;
    }
  }
}

namespace {

// Folds an activation that is the only reader of a Conv/MatMul/Add result into that op.
std::vector<Op> fuse_activations(const Network& net) {
  std::vector<Op> ops = net.ops;
  std::vector<int> readers(net.tensors.size(), 0);
  for (const Op& op : ops) {
    for (int t : op.in) {
      if (t >= 0) ++readers[t];
    }
  }
  for (int t : net.outputs) ++readers[t];  // read by the host
  std::vector<bool> gone(ops.size(), false);
  for (size_t i = 0; i < ops.size(); ++i) {
    Op& op = ops[i];
    if (op.kind != OpKind::kConv && op.kind != OpKind::kMatMul && op.kind != OpKind::kAdd) continue;
    // int8 results are never read by a float activation (network.cc refuses those).
    if (op.quantized || op.act.kind != Act::kNone || readers[op.out] != 1) continue;
    for (size_t j = i + 1; j < ops.size(); ++j) {
      if (ops[j].kind == OpKind::kUnary && ops[j].in[0] == op.out) {
        op.act = ops[j].act;
        op.out = ops[j].out;
        op.label += " + " + ops[j].label;
        gone[j] = true;
        break;
      }
    }
  }
  std::vector<Op> kept;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!gone[i]) kept.push_back(std::move(ops[i]));
  }
  return kept;
}

void lower_op(Lowering& l, const Op& op) {
  switch (op.kind) {
    case OpKind::kConv:
      return lower_conv(l, op);
    case OpKind::kMatMul:
      return lower_matmul(l, op);
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kUnary:
    case OpKind::kQuantize:
    case OpKind::kDequantize:
      return lower_elementwise(l, op);
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
      return lower_pool(l, op);
    case OpKind::kConcat:
      return lower_concat(l, op);
    case OpKind::kSoftmax:
      return lower_softmax(l, op);
    case OpKind::kReshape:
      return;
  }
}

}  // namespace

void check_tiling(const Network& net, const NpuConfig& cfg) {
  Lowering l{cfg, net, nullptr, {}};
  for (const Op& op : net.ops) lower_op(l, op);
}

std::unique_ptr<Program> compile_network(const Network& net, const NpuConfig& cfg) {
  auto prog = std::make_unique<Program>();
  prog->cfg = cfg;
  prog->op_count = net.ops.size();
  Lowering l{cfg, net, prog.get(), std::vector<uint32_t>(net.tensors.size(), 0)};
  // DRAM buffers: one per tensor, except that a reshape shares its input's.
  std::vector<int> alias(net.tensors.size(), -1);
  for (const Op& op : net.ops) {
    if (op.kind == OpKind::kReshape) alias[op.out] = op.in[0];
  }
  for (size_t t = 0; t < net.tensors.size(); ++t) {
    const Tensor& tensor = net.tensors[t];
    if (alias[t] >= 0) {
      l.buffer_of[t] = l.buffer_of[alias[t]];  // producers come first: already assigned
      continue;
    }
    Buffer b{numel(tensor.shape), tensor.elem, -1};
    if (tensor.is_const) {
      b.constant = static_cast<int>(prog->constants.size());
      prog->constants.push_back(tensor.data);
    }
    l.buffer_of[t] = static_cast<uint32_t>(prog->buffers.size());
    prog->buffers.push_back(b);
  }
  for (int t : net.inputs) {
    prog->input_buffers.push_back(l.buffer_of[t]);
    prog->input_shapes.push_back(net.tensors[t].shape);
    prog->input_elems.push_back(net.tensors[t].elem);
  }
  for (int t : net.outputs) {
    prog->output_buffers.push_back(l.buffer_of[t]);
    prog->output_shapes.push_back(net.tensors[t].shape);
    prog->output_elems.push_back(net.tensors[t].elem);
  }
  for (const Op& op : fuse_activations(net)) lower_op(l, op);
  prog->stats = simulate(prog->commands, cfg);
  return prog;
}

}  // namespace infer::npu_sim
