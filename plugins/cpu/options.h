// Session options of the cpu backend, read from the session config at compile time.
#ifndef INFER_PLUGINS_CPU_OPTIONS_H_
#define INFER_PLUGINS_CPU_OPTIONS_H_

#include <memory>

#include "infer/plugin_api.h"
#include "kernels/parallel.h"

namespace infer::cpu {

struct CpuOptions {
  // cpu.threads: intra-op threads, the caller included (default: the hardware threads).
  int threads = 1;
  // cpu.profile_ops: time every operator of every run; describe_partition reports them.
  bool profile_ops = false;
  // cpu.memory_plan: place intermediates in one arena planned from the first run of each
  // input-shape signature (default on).
  bool memory_plan = true;
};

// Throws PluginError(INFER_INVALID_ARGUMENT) naming the key for a malformed value.
CpuOptions read_cpu_options(const infer_host_api* host, const infer_config* cfg);

// The process-wide pool for a thread count (null for 1 thread): partitions of one or many
// sessions with the same count share it, so a model with many partitions starts its threads
// once. Concurrent runs on one pool do not wait for each other: the second runs inline.
std::shared_ptr<IntraOpPool> shared_intra_op_pool(int threads);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPTIONS_H_
