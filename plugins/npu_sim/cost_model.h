// The cost model: cycles of each command on the MAC array, the vector unit or the DMA
// engine, and a two-engine scoreboard that overlaps DMA with compute.
#ifndef INFER_PLUGINS_NPU_SIM_COST_MODEL_H_
#define INFER_PLUGINS_NPU_SIM_COST_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compiler.h"

namespace infer::npu_sim {

// Fixed cycles to issue any compute command (descriptor fetch, pipeline fill).
constexpr uint64_t kComputeIssueCycles = 16;

uint64_t command_cycles(const Command& cmd, const NpuConfig& cfg);
// Cycles the array takes for a reduction of k: one step per cycle in fp16; in int8 each MAC
// does int8_macs_per_fp16_mac steps per cycle.
uint64_t reduction_steps(const NpuConfig& cfg, int64_t k, bool int8);
// Useful multiply-accumulates of a CONV or MATMUL command, 0 otherwise.
uint64_t command_macs(const Command& cmd);

// In-order DMA and compute queues; a command starts when its engine is free and the SRAM
// regions it reads (written by earlier commands) and writes (read or written by earlier
// commands) are done with.
Stats simulate(const std::vector<Command>& commands, const NpuConfig& cfg);

// The report text of describe_partition (lines end in '\n').
std::string describe_program(const Program& prog, uint64_t runs, uint64_t host_ns);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_COST_MODEL_H_
