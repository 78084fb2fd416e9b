// The intra-op pool (every task once, concurrent callers, nesting, quick teardown) and the
// static memory planner (no two buffers alive together share bytes; reuse happens).
#include "kernels/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernels/memory_plan.h"

namespace infer::cpu::test {
namespace {

TEST(IntraOpPool, RunsEveryTaskExactlyOnce) {
  IntraOpPool pool(3);
  const ScopedIntraOpPool use(&pool);
  EXPECT_EQ(intra_op_threads(), 3);
  for (int64_t tasks : {1, 2, 3, 7, 100, 1000}) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(tasks));
    parallel_tasks(tasks, [&](int64_t t) { hits[static_cast<size_t>(t)].fetch_add(1); });
    for (const auto& h : hits) EXPECT_EQ(h.load(), 1) << tasks << " tasks";
  }
}

TEST(IntraOpPool, ParallelForCoversTheRangeInGrainSizedPieces) {
  IntraOpPool pool(2);
  const ScopedIntraOpPool use(&pool);
  std::vector<std::atomic<int>> hits(1001);
  std::atomic<int> short_pieces{0};
  parallel_for(1001, 100, [&](int64_t b, int64_t e) {
    if (e - b < 100 && e != 1001) short_pieces.fetch_add(1);
    for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
  });
  for (const auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_EQ(short_pieces.load(), 0);
}

TEST(IntraOpPool, NestedCallsRunInlineOnTheTaskThread) {
  IntraOpPool pool(2);
  const ScopedIntraOpPool use(&pool);
  std::atomic<int> inner{0};
  parallel_tasks(4, [&](int64_t) {
    EXPECT_EQ(intra_op_threads(), 1);
    const std::thread::id me = std::this_thread::get_id();
    parallel_tasks(8, [&](int64_t) {
      EXPECT_EQ(std::this_thread::get_id(), me);
      inner.fetch_add(1);
    });
  });
  EXPECT_EQ(inner.load(), 32);
}

TEST(IntraOpPool, ConcurrentCallersShareOnePoolWithoutLosingWork) {
  IntraOpPool pool(2);
  std::atomic<int64_t> sum{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      const ScopedIntraOpPool use(&pool);  // a busy pool makes the others run inline
      for (int rep = 0; rep < 200; ++rep) {
        parallel_tasks(16, [&](int64_t t) { sum.fetch_add(t); });
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(sum.load(), 4 * 200 * (15 * 16 / 2));
}

TEST(IntraOpPool, DestroyedRightAfterCreationDoesNotHang) {
  // A worker that first reads the generation after the destructor bumped it once hung here.
  for (int i = 0; i < 200; ++i) IntraOpPool pool(2);
}

TEST(IntraOpPool, ATaskErrorReachesTheCallerAfterEveryThreadLeft) {
  IntraOpPool pool(2);
  const ScopedIntraOpPool use(&pool);
  for (int rep = 0; rep < 50; ++rep) {
    std::atomic<int> ran{0};
    EXPECT_THROW(parallel_tasks(64,
                                [&](int64_t t) {
                                  ran.fetch_add(1);
                                  if (t == 5) throw std::runtime_error("bad input");
                                }),
                 std::runtime_error);
    EXPECT_LE(ran.load(), 64);
    // The pool is usable again afterwards.
    std::atomic<int> after{0};
    parallel_tasks(8, [&](int64_t) { after.fetch_add(1); });
    EXPECT_EQ(after.load(), 8);
  }
}

TEST(IntraOpPool, WithoutAPoolEverythingRunsInline) {
  EXPECT_EQ(current_intra_op_pool(), nullptr);
  EXPECT_EQ(intra_op_threads(), 1);
  int count = 0;
  parallel_for(10, 1, [&](int64_t b, int64_t e) { count += static_cast<int>(e - b); });
  EXPECT_EQ(count, 10);
}

bool overlaps(size_t a0, size_t a1, size_t b0, size_t b1) { return a0 < b1 && b0 < a1; }

TEST(MemoryPlan, BuffersAliveTogetherNeverShareBytes) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<BufferLifetime> buffers;
    for (size_t i = 0; i < 40; ++i) {
      const size_t first = rng() % 30;
      buffers.push_back({rng() % 5000, first, first + rng() % 6});
    }
    const ArenaLayout layout = plan_arena(buffers);
    size_t total = 0;
    for (size_t i = 0; i < buffers.size(); ++i) {
      total += buffers[i].bytes;
      EXPECT_EQ(layout.offsets[i] % 64, 0u);
      EXPECT_LE(layout.offsets[i] + buffers[i].bytes, layout.arena_bytes);
      for (size_t j = 0; j < i; ++j) {
        const BufferLifetime &a = buffers[i], &b = buffers[j];
        if (a.bytes == 0 || b.bytes == 0 || a.last < b.first || b.last < a.first) continue;
        EXPECT_FALSE(overlaps(layout.offsets[i], layout.offsets[i] + a.bytes, layout.offsets[j],
                              layout.offsets[j] + b.bytes))
            << "buffers " << i << " and " << j;
      }
    }
    EXPECT_EQ(layout.total_bytes, total);
  }
}

TEST(MemoryPlan, AChainReusesTwoBuffers) {
  // x0 -> x1 -> ... : each buffer lives from its producer to its reader.
  std::vector<BufferLifetime> chain;
  for (size_t s = 0; s < 10; ++s) chain.push_back({1024, s, s + 1});
  const ArenaLayout layout = plan_arena(chain);
  EXPECT_EQ(layout.arena_bytes, 2048u);
  EXPECT_EQ(layout.total_bytes, 10240u);
}

}  // namespace
}  // namespace infer::cpu::test
