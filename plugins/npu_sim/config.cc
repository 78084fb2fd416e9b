#include "config.h"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "infer/plugin_cxx.hpp"

namespace infer::npu_sim {
namespace {

// Parses key's value into `out` when set; the range keeps the simulation meaningful and its
// buffers allocatable.
void read_int(const ConfigLookup& lookup, const char* key, int64_t lo, int64_t hi, int64_t& out) {
  const char* text = lookup(key);
  if (!text) return;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  const bool whole = end != text && *end == '\0' && errno == 0;
  if (!whole || v < lo || v > hi) {
    throw plugin::PluginError(INFER_INVALID_ARGUMENT,
                              std::string("config ") + key + "='" + text +
                                  "' is invalid: expected a whole number from " +
                                  std::to_string(lo) + " to " + std::to_string(hi));
  }
  out = v;
}

}  // namespace

NpuConfig parse_config(const ConfigLookup& lookup) {
  NpuConfig c;
  read_int(lookup, "npu_sim.mac_rows", 1, 1024, c.mac_rows);
  read_int(lookup, "npu_sim.mac_cols", 1, 1024, c.mac_cols);
  int64_t kib = c.sram_bytes / 1024;
  read_int(lookup, "npu_sim.sram_kib", 4, 256 * 1024, kib);
  c.sram_bytes = kib * 1024;
  read_int(lookup, "npu_sim.dma_bytes_per_cycle", 1, 4096, c.dma_bytes_per_cycle);
  read_int(lookup, "npu_sim.dma_latency_cycles", 0, 1000000, c.dma_latency_cycles);
  read_int(lookup, "npu_sim.clock_mhz", 1, 100000, c.clock_mhz);
  read_int(lookup, "npu_sim.int8_macs_per_fp16_mac", 1, 8, c.int8_macs_per_fp16_mac);
  return c;
}

}  // namespace infer::npu_sim
