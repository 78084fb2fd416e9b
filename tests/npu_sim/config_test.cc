#include "config.h"

#include <map>
#include <string>

#include "infer/plugin_cxx.hpp"
#include "test_util.h"

namespace infer::npu_sim::test {
namespace {

NpuConfig parse(const std::map<std::string, std::string>& kv) {
  return parse_config([&](const char* key) -> const char* {
    auto it = kv.find(key);
    return it == kv.end() ? nullptr : it->second.c_str();
  });
}

std::string error_of(const std::string& key, const std::string& value) {
  try {
    parse({{key, value}});
  } catch (const plugin::PluginError& e) {
    EXPECT_EQ(e.code, INFER_INVALID_ARGUMENT);
    return e.message;
  }
  return "";
}

TEST(Config, DefaultsAndOverrides) {
  const NpuConfig d = parse({});
  EXPECT_EQ(d.mac_rows, 32);
  EXPECT_EQ(d.mac_cols, 32);
  EXPECT_EQ(d.sram_bytes, 1024 * 1024);
  EXPECT_EQ(d.dma_bytes_per_cycle, 32);
  EXPECT_EQ(d.dma_latency_cycles, 64);
  EXPECT_EQ(d.clock_mhz, 1000);
  const NpuConfig c = parse({{"npu_sim.mac_rows", "16"},
                             {"npu_sim.sram_kib", "64"},
                             {"npu_sim.dma_latency_cycles", "0"}});
  EXPECT_EQ(c.mac_rows, 16);
  EXPECT_EQ(c.sram_bytes, 64 * 1024);
  EXPECT_EQ(c.dma_latency_cycles, 0);
}

TEST(Config, BadValuesNameTheKey) {
  EXPECT_EQ(error_of("npu_sim.mac_rows", "0"),
            "config npu_sim.mac_rows='0' is invalid: expected a whole number from 1 to 1024");
  EXPECT_NE(error_of("npu_sim.mac_cols", "-4").find("npu_sim.mac_cols='-4'"), std::string::npos);
  EXPECT_NE(error_of("npu_sim.sram_kib", "lots").find("npu_sim.sram_kib='lots'"),
            std::string::npos);
  EXPECT_NE(error_of("npu_sim.sram_kib", "1e99").find("npu_sim.sram_kib"), std::string::npos);
  EXPECT_NE(error_of("npu_sim.sram_kib", "99999999999999999999999").find("npu_sim.sram_kib"),
            std::string::npos);
  EXPECT_NE(error_of("npu_sim.dma_bytes_per_cycle", "0").find("dma_bytes_per_cycle"),
            std::string::npos);
  EXPECT_NE(error_of("npu_sim.clock_mhz", "12.5").find("npu_sim.clock_mhz"), std::string::npos);
  EXPECT_NE(error_of("npu_sim.dma_latency_cycles", "").find("dma_latency_cycles"),
            std::string::npos);
}

}  // namespace
}  // namespace infer::npu_sim::test
