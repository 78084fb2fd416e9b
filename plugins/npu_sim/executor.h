// The executor interprets a command stream on a simulated machine: DRAM buffers of fp16 (or
// int8, fp32) values and an SRAM byte array of the configured size. Compute commands touch only the
// SRAM, so a tiling mistake shows up as wrong numbers.
#ifndef INFER_PLUGINS_NPU_SIM_EXECUTOR_H_
#define INFER_PLUGINS_NPU_SIM_EXECUTOR_H_

#include <span>

#include "compiler.h"

namespace infer::npu_sim {

// Runs `prog` once. inputs[i] holds numel(prog.input_shapes[i]) values of the host type of
// prog.input_elems[i] (float32, rounded to fp16 on upload unless kept float32; int8; uint8),
// outputs[j] receives numel(prog.output_shapes[j]) values likewise. All state is local to the
// call, so several threads may run one program at once.
void execute(const Program& prog, std::span<const void* const> inputs,
             std::span<void* const> outputs);
// The same for programs whose inputs and outputs are all float.
void execute(const Program& prog, std::span<const float* const> inputs,
             std::span<float* const> outputs);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_EXECUTOR_H_
