#include "cost_model.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace infer::npu_sim {

const char* cmd_type_name(CmdType t) {
  switch (t) {
    case CmdType::kDmaIn:
      return "DMA_IN";
    case CmdType::kDmaOut:
      return "DMA_OUT";
    case CmdType::kConv:
      return "CONV";
    case CmdType::kMatMul:
      return "MATMUL";
    case CmdType::kElementwise:
      return "ELEMENTWISE";
    case CmdType::kPool:
      return "POOL";
    case CmdType::kSoftmax:
      return "SOFTMAX";
  }
  return "?";
}

namespace {

uint64_t div_up(int64_t a, int64_t b) { return static_cast<uint64_t>((a + b - 1) / b); }

// Output-stationary array: `n` output channels on the rows, `m` output positions on the
// columns, one step of the reduction `k` per cycle (several in int8). Partial tiles waste the
// rest.
uint64_t array_cycles(const NpuConfig& cfg, int64_t n, int64_t m, int64_t k, bool int8) {
  return div_up(n, cfg.mac_rows) * div_up(m, cfg.mac_cols) * reduction_steps(cfg, k, int8);
}

// The vector unit (elementwise, pooling, softmax, epilogues) is mac_cols lanes wide.
uint64_t vector_cycles(const NpuConfig& cfg, int64_t ops) { return div_up(ops, cfg.mac_cols); }

struct Span {
  uint32_t addr, bytes;
};

// SRAM regions a command reads and writes, for the scoreboard.
void regions(const Command& c, std::vector<Span>& reads, std::vector<Span>& writes) {
  reads.clear();
  writes.clear();
  std::visit(
      [&](const auto& b) {
        if constexpr (requires { b.io; }) {
          for (size_t i = 0; i < b.io.src.size(); ++i) {
            if (b.io.src_mask >> i & 1) reads.push_back({b.io.src[i], 1});
          }
          if (b.io.acc_bytes) {
            reads.push_back({b.io.acc, 1});
            writes.push_back({b.io.acc, 1});
          }
          if (b.io.last) writes.push_back({b.io.dst, 1});
        } else {
          (c.type == CmdType::kDmaIn ? writes : reads).push_back({b.sram, 1});
        }
      },
      c.body);
}

}  // namespace

uint64_t reduction_steps(const NpuConfig& cfg, int64_t k, bool int8) {
  return int8 ? div_up(k, cfg.int8_macs_per_fp16_mac) : static_cast<uint64_t>(k);
}

bool Command::int8() const {
  if (const auto* c = std::get_if<ConvCmd>(&body)) return c->q.on;
  if (const auto* m = std::get_if<MatMulCmd>(&body)) return m->q.on;
  if (const auto* e = std::get_if<EltwiseCmd>(&body)) return is_quant(e->in) || is_quant(e->out);
  if (const auto* p = std::get_if<PoolCmd>(&body)) return is_quant(p->elem);
  return false;
}

uint64_t command_macs(const Command& cmd) {
  if (const auto* c = std::get_if<ConvCmd>(&cmd.body)) {
    return static_cast<uint64_t>(c->groups * c->cout * c->oh * c->ow * c->cin * c->win.kh *
                                 c->win.kw);
  }
  if (const auto* m = std::get_if<MatMulCmd>(&cmd.body)) {
    return static_cast<uint64_t>(m->m * m->n * m->k);
  }
  return 0;
}

uint64_t command_cycles(const Command& cmd, const NpuConfig& cfg) {
  switch (cmd.type) {
    case CmdType::kDmaIn:
    case CmdType::kDmaOut: {
      const auto& d = std::get<DmaCmd>(cmd.body);
      return static_cast<uint64_t>(cfg.dma_latency_cycles) +
             div_up(d.bytes(), cfg.dma_bytes_per_cycle);
    }
    case CmdType::kConv: {
      const auto& c = std::get<ConvCmd>(cmd.body);
      const int64_t m = c.oh * c.ow, k = c.cin * c.win.kh * c.win.kw;
      // Depthwise tiles put the independent channels on the rows.
      const uint64_t array = c.groups > 1 ? array_cycles(cfg, c.groups * c.cout, m, k, c.q.on)
                                          : array_cycles(cfg, c.cout, m, k, c.q.on);
      const uint64_t epilogue = c.io.last ? vector_cycles(cfg, c.groups * c.cout * m) : 0;
      return kComputeIssueCycles + array + epilogue;
    }
    case CmdType::kMatMul: {
      const auto& c = std::get<MatMulCmd>(cmd.body);
      const uint64_t epilogue = c.io.last ? vector_cycles(cfg, c.m * c.n) : 0;
      return kComputeIssueCycles + array_cycles(cfg, c.n, c.m, c.k, c.q.on) + epilogue;
    }
    case CmdType::kElementwise: {
      const auto& c = std::get<EltwiseCmd>(cmd.body);
      // Sigmoid takes a few passes through the vector unit's exp/reciprocal.
      const int64_t per = c.act.kind == Act::kSigmoid ? 4 : 1;
      return kComputeIssueCycles + vector_cycles(cfg, c.count * per);
    }
    case CmdType::kPool: {
      const auto& c = std::get<PoolCmd>(cmd.body);
      return kComputeIssueCycles +
             vector_cycles(cfg, c.channels * c.oh * c.ow * c.win.kh * c.win.kw);
    }
    case CmdType::kSoftmax: {
      const auto& c = std::get<SoftmaxCmd>(cmd.body);
      // max, exp, sum, divide: about four passes over the row.
      return kComputeIssueCycles + vector_cycles(cfg, 4 * c.rows * c.len);
    }
  }
  return 0;
}

Stats simulate(const std::vector<Command>& commands, const NpuConfig& cfg) {
  Stats s;
  uint64_t dma_free = 0, mac_free = 0;
  struct Region {
    uint64_t write_end = 0, read_end = 0;
  };
  // Regions keyed by start address: within one op the emitter's regions never overlap, and
  // an op's first DMA_IN queues behind its predecessor's last DMA_OUT, which waits for that
  // op's last compute.
  std::unordered_map<uint32_t, Region> sram;
  std::vector<Span> reads, writes;
  for (const Command& c : commands) {
    const size_t type = static_cast<size_t>(c.type);
    ++s.count[type];
    s.cycles[type] += c.cycles;
    s.int8_count[type] += c.int8() ? 1 : 0;
    s.macs += command_macs(c);
    if (c.type == CmdType::kConv || c.type == CmdType::kMatMul) {
      const int64_t per_cycle =
          cfg.mac_rows * cfg.mac_cols * (c.int8() ? cfg.int8_macs_per_fp16_mac : 1);
      s.mac_capacity += c.cycles * static_cast<uint64_t>(per_cycle);
    }
    const bool dma = is_dma(c.type);
    uint64_t start = dma ? dma_free : mac_free;
    regions(c, reads, writes);
    for (const Span& r : reads) start = std::max(start, sram[r.addr].write_end);
    for (const Span& w : writes) {
      const Region& reg = sram[w.addr];
      start = std::max({start, reg.write_end, reg.read_end});
    }
    const uint64_t end = start + c.cycles;
    for (const Span& r : reads) sram[r.addr].read_end = std::max(sram[r.addr].read_end, end);
    for (const Span& w : writes) sram[w.addr].write_end = end;
    (dma ? dma_free : mac_free) = end;
    (dma ? s.dma_busy : s.mac_busy) += c.cycles;
  }
  s.total_cycles = std::max(dma_free, mac_free);
  return s;
}

namespace {

std::string grouped(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

std::string describe_program(const Program& p, uint64_t runs, uint64_t host_ns) {
  const Stats& s = p.stats;
  const double cycles_per_ms = static_cast<double>(p.cfg.clock_mhz) * 1000.0;
  auto ms = [&](uint64_t cycles) {
    return fmt("%.3f", static_cast<double>(cycles) / cycles_per_ms);
  };
  uint64_t total_cmds = 0;
  std::string kinds;
  auto add_kind = [&](size_t t, const char* suffix, uint64_t n) {
    if (!n) return;
    kinds += std::string(kinds.empty() ? "" : ", ") + cmd_type_name(static_cast<CmdType>(t)) +
             suffix + " " + grouped(n);
  };
  for (size_t t = 0; t < kCmdTypeCount; ++t) {
    total_cmds += s.count[t];
    add_kind(t, "", s.count[t] - s.int8_count[t]);
    add_kind(t, "(int8)", s.int8_count[t]);
  }
  const double util =
      s.mac_capacity ? 100.0 * static_cast<double>(s.macs) / static_cast<double>(s.mac_capacity)
                     : 0.0;
  std::string out = "npu_sim: " + grouped(p.op_count) + " ops -> " + grouped(total_cmds) +
                    " commands (" + kinds + "); SRAM " + grouped(p.cfg.sram_bytes / 1024) +
                    " KiB, peak " + grouped(static_cast<uint64_t>((p.sram_peak + 1023) / 1024)) +
                    " KiB\n";
  out += "simulated per run: " + grouped(s.total_cycles) + " cycles = " + ms(s.total_cycles) +
         " ms at " + grouped(p.cfg.clock_mhz) + " MHz (MAC busy " + ms(s.mac_busy) +
         " ms, DMA busy " + ms(s.dma_busy) + " ms, MAC utilisation " + fmt("%.0f", util) + "%)\n";
  std::string by;
  for (size_t t = 0; t < kCmdTypeCount; ++t) {
    if (!s.count[t]) continue;
    by += std::string(by.empty() ? "" : ", ") + cmd_type_name(static_cast<CmdType>(t)) + " " +
          ms(s.cycles[t]) + " ms";
  }
  if (!by.empty()) out += "  by command: " + by + "\n";
  if (runs) {
    out += "host: " + grouped(runs) + (runs == 1 ? " run" : " runs") + ", simulation took " +
           fmt("%.1f", static_cast<double>(host_ns) / 1e6 / static_cast<double>(runs)) +
           " ms per run\n";
  } else {
    out += "host: not run yet\n";
  }
  return out;
}

}  // namespace infer::npu_sim
