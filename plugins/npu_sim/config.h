// The simulated hardware's parameters, read from the plugin configuration ("npu_sim.*").
#ifndef INFER_PLUGINS_NPU_SIM_CONFIG_H_
#define INFER_PLUGINS_NPU_SIM_CONFIG_H_

#include <cstdint>
#include <functional>

namespace infer::npu_sim {

struct NpuConfig {
  int64_t mac_rows = 32;
  int64_t mac_cols = 32;
  int64_t sram_bytes = 1024 * 1024;
  int64_t dma_bytes_per_cycle = 32;
  int64_t dma_latency_cycles = 64;
  int64_t clock_mhz = 1000;
  // int8 multiply-accumulates each MAC does per cycle, against one fp16 MAC.
  int64_t int8_macs_per_fp16_mac = 2;
};

// Looks a key up ("npu_sim.mac_rows"); returns null when unset.
using ConfigLookup = std::function<const char*(const char* key)>;

// Defaults overridden by what `lookup` finds. Throws PluginError(INFER_INVALID_ARGUMENT)
// naming the key for a value that is not a whole number in its range.
NpuConfig parse_config(const ConfigLookup& lookup);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_CONFIG_H_
