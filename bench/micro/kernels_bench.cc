// Micro-benchmarks of the cpu kernels: SGEMM at the shapes of the model zoo's linear layers and
// attention, and the NCHWc convolution at ResNet-50 shapes. Each reports GFLOPS and the percent
// of the machine's peak. Threads: --threads=N (default 1) installs an IntraOpPool of N.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/nchwc.h"
#include "kernels/parallel.h"
#include "kernels/sgemm.h"

namespace infer::cpu {
namespace {

// Peak float32 GFLOPS of one core: clock * FMA units * lanes * 2 (an FMA is two FLOPs), i.e.
// 2.5 GHz * 2 AVX-512 FMA units * 16 lanes * 2 = 160 GFLOPS on the reference Xeon.
// INFER_PEAK_GFLOPS overrides it (the value for all threads used, for a multi-thread run).
double peak_gflops(int threads) {
  if (const char* env = std::getenv("INFER_PEAK_GFLOPS")) return std::atof(env);
  return 2.5 * 2 * 16 * 2 * threads;
}

int g_threads = 1;

void report(benchmark::State& state, double flops) {
  state.counters["GFLOPS"] =
      benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  // Percent of peak: the same rate scaled, so it is filled in by the same timing.
  state.counters["peak%"] = benchmark::Counter(flops / 1e9 * 100 / peak_gflops(g_threads),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

std::vector<float> random_floats(int64_t n) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

// The pool for --threads, installed on the benchmark thread for the run.
struct PoolScope {
  explicit PoolScope(int threads)
      : pool(threads > 1 ? std::make_unique<IntraOpPool>(threads) : nullptr), scope(pool.get()) {}
  std::unique_ptr<IntraOpPool> pool;
  ScopedIntraOpPool scope;
};

// Args: M, N, K, pre-packed B (0/1).
void BM_Sgemm(benchmark::State& state) {
  const int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  const bool packed = state.range(3) != 0;
  const std::vector<float> a = random_floats(m * k), b = random_floats(k * n);
  std::vector<float> c(static_cast<size_t>(m * n));
  const PackedB pb = packed ? sgemm_pack_b(false, k, n, b.data(), n) : PackedB{};
  PoolScope pool(g_threads);
  for (auto _ : state) {
    if (packed) {
      sgemm_packed(false, m, 1.0f, a.data(), k, pb, 0.0f, c.data(), n);
    } else {
      sgemm(false, false, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
    }
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  report(state, 2.0 * static_cast<double>(m * n * k));
  state.SetLabel(sgemm_isa_name(SgemmIsa::kBest));
}
// Args: input channels, output channels, kernel size, image size (stride 1, same padding),
// NCHWc block 16, batch 1.
void BM_NchwcConv(benchmark::State& state) {
  const int64_t c = state.range(0), mo = state.range(1), ks = state.range(2), hw = state.range(3);
  constexpr int64_t kBlock = 16;
  const Shape w_shape = {mo, c, ks, ks};
  const std::vector<float> w = random_floats(mo * c * ks * ks), bias = random_floats(mo);
  const NchwcConvWeights packed =
      pack_nchwc_conv_weights(w.data(), w_shape, bias.data(), 1, kBlock);
  ConvParams p;
  p.window.kernel_shape = {ks, ks};
  p.window.pads = {ks / 2, ks / 2, ks / 2, ks / 2};
  const Shape x_shape = nchwc_shape(Shape{1, c, hw, hw}, kBlock);
  const NchwcConvPlan plan = plan_nchwc_conv(p, x_shape, packed);
  const std::vector<float> x = random_floats(numel(x_shape));
  std::vector<float> y(static_cast<size_t>(numel(plan.y_shape)));
  PoolScope pool(g_threads);
  for (auto _ : state) {
    nchwc_conv(plan, packed, x.data(), nullptr, FusedActivation{}, y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  report(state, 2.0 * static_cast<double>(mo * c * ks * ks * hw * hw));
}
// Registered once --threads is known: with a pool the rate must come from wall time, since the
// CPU time of the benchmark thread misses the workers.
void register_benchmarks() {
  const auto time = [](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMicrosecond);
    if (g_threads > 1) b->UseRealTime();
  };
  time(benchmark::RegisterBenchmark("BM_Sgemm", BM_Sgemm)
           ->ArgNames({"M", "N", "K", "packed"})
           ->ArgsProduct({{128}, {768, 1024}, {256}, {0, 1}})
           ->Args({128, 256, 1024, 0})
           ->Args({128, 256, 1024, 1})
           ->Args({256, 256, 256, 0})
           ->Args({256, 256, 256, 1})
           ->Args({1024, 1024, 1024, 0})
           ->Args({1024, 1024, 1024, 1})
           ->Args({1, 1000, 2048, 1})
           ->Args({128, 128, 64, 0})    // attention scores, one head
           ->Args({128, 64, 128, 0}));  // attention context, one head
  time(benchmark::RegisterBenchmark("BM_NchwcConv", BM_NchwcConv)
           ->ArgNames({"C", "M", "k", "HW"})
           ->Args({64, 256, 1, 56})
           ->Args({64, 64, 3, 56})
           ->Args({256, 256, 3, 14})
           ->Args({1024, 256, 1, 14}));
}

}  // namespace
}  // namespace infer::cpu

int main(int argc, char** argv) {
  // --threads=N is ours; the rest goes to Google Benchmark.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0) {
      infer::cpu::g_threads = std::max(1, std::atoi(argv[i] + 10));
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  infer::cpu::register_benchmarks();
  benchmark::AddCustomContext("threads", std::to_string(infer::cpu::g_threads));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
