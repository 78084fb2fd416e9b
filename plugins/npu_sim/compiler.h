// The compiler: a Network becomes a command stream for the simulated NPU, each op tiled so
// that its working set fits the SRAM, with the simulated cycles fixed once.
#ifndef INFER_PLUGINS_NPU_SIM_COMPILER_H_
#define INFER_PLUGINS_NPU_SIM_COMPILER_H_

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "command.h"
#include "config.h"
#include "network.h"

namespace infer::npu_sim {

// A DRAM buffer of `elem` values: a constant (weights, filled at compile time and shared by
// all runs) or an activation (allocated per run).
struct Buffer {
  int64_t elements = 0;
  Elem elem = Elem::kF16;
  int constant = -1;  // index into Program::constants
  int64_t bytes() const { return elements * elem_bytes(elem); }
};

struct Stats {
  std::array<uint64_t, kCmdTypeCount> count{};
  std::array<uint64_t, kCmdTypeCount> cycles{};      // busy cycles per command type
  std::array<uint64_t, kCmdTypeCount> int8_count{};  // of count, those working on int8
  uint64_t total_cycles = 0;                         // two-engine schedule, end to end
  uint64_t mac_busy = 0, dma_busy = 0;
  uint64_t macs = 0;          // useful multiply-accumulates
  uint64_t mac_capacity = 0;  // multiply-accumulates the array could do in CONV/MATMUL cycles
};

struct Program {
  NpuConfig cfg;
  size_t op_count = 0;  // graph nodes compiled
  std::vector<Buffer> buffers;
  std::vector<std::vector<uint8_t>> constants;
  std::vector<uint32_t> input_buffers, output_buffers;
  std::vector<Elem> input_elems, output_elems;
  std::vector<Shape> input_shapes, output_shapes;
  std::vector<Command> commands;
  int64_t sram_peak = 0;  // bytes
  Stats stats;
};

// Compiles `net`. Throws PluginError (INFER_UNIMPLEMENTED naming the op when a tensor cannot
// be tiled into the SRAM of `cfg`).
std::unique_ptr<Program> compile_network(const Network& net, const NpuConfig& cfg);

// Plans the tiling of every op without emitting commands: what capability asks.
void check_tiling(const Network& net, const NpuConfig& cfg);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_COMPILER_H_
