// The Chrome-trace profile infer-bench writes with --profile: each measured
// run, and under it every partition and copy step the session recorded
// (infer_session_profile_*), one track per thread that ran steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "infer/infer.h"

namespace infer::bench {

// One partition or copy step of one run, as the session recorded it.
struct StepEvent {
  std::string name;      // "partition 0", "copy 1: x"
  std::string category;  // "partition" or "copy"
  std::string backend;   // "cpu", "npu_sim->cpu"
  uint64_t run = 0;
  uint32_t thread = 0;
  double start_ms = 0;  // since profiling started
  double dur_ms = 0;
};

// Stops the session's profiling and takes its events; `dropped` counts what
// did not fit. Throws on errors.
std::vector<StepEvent> StopAndDrainSteps(infer_session* session, size_t* dropped);

// One measured run: start relative to when profiling started, and duration.
struct Iteration {
  double start_ms = 0;
  double dur_ms = 0;
};

// Writes {"traceEvents":[...]} to `path`; throws on I/O errors.
void WriteChromeTrace(const std::string& path, const std::string& model,
                      const std::vector<Iteration>& iterations,
                      const std::vector<StepEvent>& steps);

// `s` as a JSON string literal, quotes included.
std::string JsonString(const std::string& s);

}  // namespace infer::bench
