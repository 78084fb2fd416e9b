// The Chrome-trace profile infer-bench writes with --profile. The C API gives
// no per-step timestamps yet, only mean times per partition and copy in the
// placement report, so each iteration gets its measured wall time plus those
// means laid out one after another (marked as estimates in the event args).
#pragma once

#include <string>
#include <vector>

namespace infer::bench {

// A partition or copy with its mean host time, from the placement report.
struct Step {
  std::string name;    // "partition 0: cpu", "copy 1: x"
  std::string detail;  // the op list of a partition, the route of a copy
  double mean_ms = 0;
};

// The top-level partitions and copies of an infer_session_placement_report
// text, in report order; empty if the report has no times.
std::vector<Step> ParseStepTimes(const std::string& report);

// One measured run: start relative to the first timed run, and duration.
struct Iteration {
  double start_ms = 0;
  double dur_ms = 0;
};

// Writes {"traceEvents":[...]} to `path`; throws on I/O errors.
void WriteChromeTrace(const std::string& path, const std::string& model,
                      const std::vector<Iteration>& iterations, const std::vector<Step>& steps);

// `s` as a JSON string literal, quotes included.
std::string JsonString(const std::string& s);

}  // namespace infer::bench
