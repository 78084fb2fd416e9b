#include "cost_model.h"

#include <random>

#include "test_util.h"

namespace infer::npu_sim::test {
namespace {

// A Conv of the given size, compiled with cfg.
std::unique_ptr<Program> conv_program(const NpuConfig& cfg, int64_t channels, int64_t size,
                                      int64_t out_channels) {
  std::mt19937 rng(1);
  GraphBuilder gb;
  const Shape xs{1, channels, size, size}, ws{out_channels, channels, 3, 3};
  const ValueSnapshot x = gb.input("x", xs, {}), y = gb.value("y", {1, out_channels, size, size});
  gb.node("Conv", {x, gb.constant("w", ws, random_values(static_cast<size_t>(numel(ws)), rng))},
          {y}, {{"pads", attr_ints({1, 1, 1, 1})}});
  gb.outputs = {y};
  return gb.compile(cfg);
}

TEST(CostModel, MoreMacsTakeMoreCycles) {
  const auto small = conv_program({}, 16, 16, 16);
  const auto big = conv_program({}, 64, 32, 64);
  EXPECT_GT(big->stats.macs, small->stats.macs);
  EXPECT_GT(big->stats.total_cycles, small->stats.total_cycles);
  EXPECT_GT(big->stats.mac_busy, small->stats.mac_busy);
}

TEST(CostModel, HalvingDmaBandwidthIncreasesDmaTime) {
  NpuConfig slow;
  slow.dma_bytes_per_cycle = NpuConfig{}.dma_bytes_per_cycle / 2;
  const auto fast_p = conv_program({}, 32, 32, 32);
  const auto slow_p = conv_program(slow, 32, 32, 32);
  EXPECT_GT(slow_p->stats.dma_busy, fast_p->stats.dma_busy);
  EXPECT_GE(slow_p->stats.total_cycles, fast_p->stats.total_cycles);
}

TEST(CostModel, ArrayShapeChangesUtilisation) {
  // 16 output channels fill a 16-row array but only half of a 32-row one.
  NpuConfig narrow;
  narrow.mac_rows = 16;
  const auto wide_p = conv_program({}, 16, 32, 16);
  const auto narrow_p = conv_program(narrow, 16, 32, 16);
  auto util = [](const Program& p) {
    const auto conv = static_cast<size_t>(CmdType::kConv);
    return static_cast<double>(p.stats.macs) /
           static_cast<double>(p.stats.cycles[conv] * p.cfg.mac_rows * p.cfg.mac_cols);
  };
  EXPECT_GT(util(*narrow_p), util(*wide_p) * 1.5);
  EXPECT_EQ(narrow_p->stats.macs, wide_p->stats.macs);
}

TEST(CostModel, DmaOverlapsCompute) {
  const auto p = conv_program(tiny_sram(32), 32, 32, 32);
  EXPECT_LT(p->stats.total_cycles, p->stats.mac_busy + p->stats.dma_busy);
  EXPECT_GE(p->stats.total_cycles, std::max(p->stats.mac_busy, p->stats.dma_busy));
}

TEST(CostModel, Deterministic) {
  const auto a = conv_program(tiny_sram(24), 24, 20, 40);
  const auto b = conv_program(tiny_sram(24), 24, 20, 40);
  EXPECT_EQ(a->stats.total_cycles, b->stats.total_cycles);
  EXPECT_EQ(a->commands.size(), b->commands.size());
  EXPECT_EQ(describe_program(*a, 0, 0), describe_program(*b, 0, 0));
}

TEST(CostModel, ReportNamesCommandsAndTimes) {
  const auto p = conv_program({}, 16, 16, 16);
  const std::string text = describe_program(*p, 3, 3'000'000);
  EXPECT_NE(text.find("npu_sim: 1 ops -> "), std::string::npos) << text;
  EXPECT_NE(text.find("CONV"), std::string::npos) << text;
  EXPECT_NE(text.find("DMA_IN"), std::string::npos) << text;
  EXPECT_NE(text.find("MHz"), std::string::npos) << text;
  EXPECT_NE(text.find("host: 3 runs, simulation took 1.0 ms per run"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace infer::npu_sim::test
