// The executor interprets a command stream on a simulated machine: DRAM buffers of fp16
// values and an SRAM byte array of the configured size. Compute commands touch only the
// SRAM, so a tiling mistake shows up as wrong numbers.
#ifndef INFER_PLUGINS_NPU_SIM_EXECUTOR_H_
#define INFER_PLUGINS_NPU_SIM_EXECUTOR_H_

#include <span>

#include "compiler.h"

namespace infer::npu_sim {

// Runs `prog` once. inputs[i] holds numel(prog.input_shapes[i]) floats (rounded to fp16 on
// upload), outputs[j] receives numel(prog.output_shapes[j]) floats. All state is local to
// the call, so several threads may run one program at once.
void execute(const Program& prog, std::span<const float* const> inputs,
             std::span<float* const> outputs);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_EXECUTOR_H_
