// Every op against a naive reference on fp16-rounded data, with the default SRAM and with a
// tiny one that forces many tiles (and split reductions).
#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "reference.h"
#include "test_util.h"

namespace infer::npu_sim::test {
namespace {

class OpsTest : public ::testing::TestWithParam<int64_t> {
 protected:
  NpuConfig cfg() const { return GetParam() ? tiny_sram(GetParam()) : NpuConfig{}; }
  std::mt19937 rng{42};
};

Window2d window(int64_t k, int64_t s, int64_t pad) {
  Window2d w;
  w.kh = w.kw = k;
  w.sh = w.sw = s;
  w.pad_top = w.pad_left = w.pad_bottom = w.pad_right = pad;
  return w;
}

int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t p) { return (in + 2 * p - k) / s + 1; }

// Conv (+ optional Relu that the compiler fuses) vs the reference.
void check_conv(const NpuConfig& cfg, std::mt19937& rng, Shape xs, int64_t m, int64_t k, int64_t s,
                int64_t pad, int64_t group, bool bias, bool relu) {
  GraphBuilder gb;
  const Shape ws{m, xs[1] / group, k, k};
  const Shape ys{xs[0], m, conv_out(xs[2], k, s, pad), conv_out(xs[3], k, s, pad)};
  const auto xd = random_values(static_cast<size_t>(numel(xs)), rng);
  const auto wd = random_values(static_cast<size_t>(numel(ws)), rng, -0.5f, 0.5f);
  const auto bd = random_values(static_cast<size_t>(m), rng);
  const ValueSnapshot x = gb.input("x", xs, xd);
  std::vector<ValueSnapshot> ins{x, gb.constant("w", ws, wd)};
  if (bias) ins.push_back(gb.constant("b", {m}, bd));
  const ValueSnapshot y = gb.value("y", ys);
  gb.node("Conv", ins, {y},
          {{"strides", attr_ints({s, s})},
           {"pads", attr_ints({pad, pad, pad, pad})},
           {"group", attr_i(group)}});
  ValueSnapshot out = y;
  if (relu) {
    out = gb.value("r", ys);
    gb.node("Relu", {y}, {out});
  }
  gb.outputs = {out};
  Vec want = ref_conv(rounded(xd), xs, rounded(wd), ws, bias ? rounded(bd) : Vec{},
                      window(k, s, pad), group, ys);
  if (relu) {
    for (float& v : want) v = std::max(v, 0.0f);
  }
  const Program* prog = nullptr;
  const auto got = gb.run(cfg, &prog);
  expect_fp16_close(got[0], round_all(want), "conv");
  if (relu) {
    EXPECT_EQ(prog->op_count, 2u);
  }
}

TEST_P(OpsTest, Conv3x3Pad1) { check_conv(cfg(), rng, {1, 8, 12, 12}, 16, 3, 1, 1, 1, true, true); }
TEST_P(OpsTest, Conv7x7Stride2) {
  check_conv(cfg(), rng, {2, 3, 19, 17}, 8, 7, 2, 3, 1, true, false);
}
TEST_P(OpsTest, Conv1x1Stride2NoBias) {
  check_conv(cfg(), rng, {1, 32, 9, 9}, 24, 1, 2, 0, 1, false, false);
}
TEST_P(OpsTest, ConvDeep) { check_conv(cfg(), rng, {1, 96, 7, 7}, 40, 3, 1, 1, 1, true, true); }
TEST_P(OpsTest, Depthwise3x3Stride2) {
  check_conv(cfg(), rng, {1, 48, 15, 15}, 48, 3, 2, 1, 48, true, false);
}
TEST_P(OpsTest, GroupedConv) {
  check_conv(cfg(), rng, {1, 8, 10, 10}, 12, 3, 1, 1, 2, true, false);
}

TEST_P(OpsTest, ConvClipAsymmetricPads) {
  GraphBuilder gb;
  const Shape xs{1, 4, 9, 11}, ws{6, 4, 3, 3}, ys{1, 6, 4, 6};
  const auto xd = random_values(static_cast<size_t>(numel(xs)), rng, -4, 4);
  const auto wd = random_values(static_cast<size_t>(numel(ws)), rng);
  const ValueSnapshot x = gb.input("x", xs, xd), y = gb.value("y", ys), z = gb.value("z", ys);
  gb.node("Conv", {x, gb.constant("w", ws, wd)}, {y},
          {{"strides", attr_ints({2, 2})}, {"pads", attr_ints({0, 1, 1, 1})}});
  gb.node("Clip", {y, gb.constant("lo", {}, {0.0f}), gb.constant("hi", {}, {6.0f})}, {z});
  gb.outputs = {z};
  Window2d w = window(3, 2, 0);
  w.pad_left = w.pad_bottom = w.pad_right = 1;
  Vec want = ref_conv(rounded(xd), xs, rounded(wd), ws, {}, w, 1, ys);
  for (float& v : want) v = std::clamp(v, 0.0f, 6.0f);
  expect_fp16_close(gb.run(cfg())[0], round_all(want), "conv+clip");
}

TEST_P(OpsTest, GemmTransBWithBias) {
  GraphBuilder gb;
  const int64_t m = 37, k = 300, n = 130;
  const auto ad = random_values(m * k, rng), bd = random_values(n * k, rng),
             cd = random_values(n, rng);
  const ValueSnapshot a = gb.input("a", {m, k}, ad), y = gb.value("y", {m, n});
  gb.node("Gemm", {a, gb.constant("b", {n, k}, bd), gb.constant("c", {n}, cd)}, {y},
          {{"transB", attr_i(1)}, {"alpha", attr_f(0.5f)}, {"beta", attr_f(2.0f)}});
  gb.outputs = {y};
  const Vec want =
      ref_gemm(rounded(ad), {m, k}, rounded(bd), {n, k}, rounded(cd), {n}, false, true, 0.5f, 2.0f);
  expect_fp16_close(gb.run(cfg())[0], round_all(want), "gemm");
}

TEST_P(OpsTest, GemmTransAActivationB) {
  GraphBuilder gb;
  const int64_t m = 20, k = 33, n = 17;
  const auto ad = random_values(k * m, rng), bd = random_values(k * n, rng);
  const ValueSnapshot a = gb.input("a", {k, m}, ad), b = gb.input("b", {k, n}, bd);
  const ValueSnapshot y = gb.value("y", {m, n}), z = gb.value("z", {m, n});
  gb.node("Gemm", {a, b}, {y}, {{"transA", attr_i(1)}});
  gb.node("Sigmoid", {y}, {z});
  gb.outputs = {z};
  Vec want = ref_gemm(rounded(ad), {k, m}, rounded(bd), {k, n}, {}, {}, true, false, 1, 1);
  for (float& v : want) v = 1.0f / (1.0f + std::exp(-v));
  expect_fp16_close(gb.run(cfg())[0], round_all(want), "gemm^T+sigmoid");
}

TEST_P(OpsTest, BigGemm) {
  GraphBuilder gb;
  const int64_t m = 64, k = 1024, n = 256;
  const auto ad = random_values(m * k, rng), bd = random_values(k * n, rng);
  const ValueSnapshot a = gb.input("a", {m, k}, ad), y = gb.value("y", {m, n});
  gb.node("MatMul", {a, gb.constant("b", {k, n}, bd)}, {y});
  gb.outputs = {y};
  const Vec want = ref_matmul(rounded(ad), {m, k}, rounded(bd), {k, n}, {m, n});
  const Program* prog = nullptr;
  expect_fp16_close(gb.run(cfg(), &prog)[0], round_all(want), "big gemm");
  if (GetParam()) {
    EXPECT_GT(prog->commands.size(), 100u);  // tiled hard
  }
}

TEST_P(OpsTest, BatchedMatMulBroadcast) {
  GraphBuilder gb;
  const Shape as{2, 1, 5, 24}, bs{3, 24, 7}, ys{2, 3, 5, 7};
  const auto ad = random_values(static_cast<size_t>(numel(as)), rng);
  const auto bd = random_values(static_cast<size_t>(numel(bs)), rng);
  const ValueSnapshot a = gb.input("a", as, ad), b = gb.input("b", bs, bd), y = gb.value("y", ys);
  gb.node("MatMul", {a, b}, {y});
  gb.outputs = {y};
  const Vec want = ref_matmul(rounded(ad), as, rounded(bd), bs, ys);
  expect_fp16_close(gb.run(cfg())[0], round_all(want), "batched matmul");
}

TEST_P(OpsTest, AddMulBroadcastAndFusedRelu) {
  GraphBuilder gb;
  const Shape as{2, 3, 40, 50}, bs{3, 1, 50}, cs{50};
  const auto ad = random_values(static_cast<size_t>(numel(as)), rng);
  const auto bd = random_values(static_cast<size_t>(numel(bs)), rng);
  const auto cd = random_values(static_cast<size_t>(numel(cs)), rng, 0.5f, 2.0f);
  const ValueSnapshot a = gb.input("a", as, ad), b = gb.input("b", bs, bd);
  const ValueSnapshot s = gb.value("s", as), r = gb.value("r", as), y = gb.value("y", as);
  gb.node("Add", {a, b}, {s});
  gb.node("Relu", {s}, {r});
  gb.node("Mul", {r, gb.constant("c", cs, cd)}, {y});
  gb.outputs = {y};
  Vec sum = round_all(ref_binary(rounded(ad), as, rounded(bd), bs, as, true));
  for (float& v : sum) v = std::max(v, 0.0f);
  const Vec want = round_all(ref_binary(sum, as, rounded(cd), cs, as, false));
  expect_fp16_close(gb.run(cfg())[0], want, "add+relu, mul");
}

TEST_P(OpsTest, StandaloneActivations) {
  GraphBuilder gb;
  const Shape s{3, 70, 33};
  const auto d = random_values(static_cast<size_t>(numel(s)), rng, -8, 8);
  const ValueSnapshot x = gb.input("x", s, d), a = gb.value("a", s), b = gb.value("b", s),
                      c = gb.value("c", s);
  gb.node("Relu", {x}, {a});
  gb.node("Sigmoid", {x}, {b});
  gb.node("Clip", {x}, {c}, {{"min", attr_f(-1.5f)}, {"max", attr_f(2.25f)}});
  gb.outputs = {a, b, c};
  const Program* prog = nullptr;
  std::vector<NodeSnapshot> nodes = gb.nodes;
  auto got = gb.run(cfg(), &prog);
  Vec r = rounded(d), sg = rounded(d), cl = rounded(d);
  for (float& v : r) v = std::max(v, 0.0f);
  for (float& v : sg) v = 1.0f / (1.0f + std::exp(-v));
  for (float& v : cl) v = std::clamp(v, -1.5f, 2.25f);
  expect_fp16_close(got[0], round_all(r), "relu");
  expect_fp16_close(got[1], round_all(sg), "sigmoid");
  // Opset 17 Clip reads min/max from inputs, so the attributes are ignored: identity.
  expect_fp16_close(got[2], rounded(d), "clip without inputs");
}

void check_pool(const NpuConfig& cfg, std::mt19937& rng, const std::string& op, int64_t k,
                int64_t s, int64_t pad, bool include_pad) {
  GraphBuilder gb;
  const Shape xs{2, 10, 23, 21};
  const Shape ys{2, 10, conv_out(23, k, s, pad), conv_out(21, k, s, pad)};
  const auto xd = random_values(static_cast<size_t>(numel(xs)), rng);
  const ValueSnapshot x = gb.input("x", xs, xd), y = gb.value("y", ys);
  gb.node(op, {x}, {y},
          {{"kernel_shape", attr_ints({k, k})},
           {"strides", attr_ints({s, s})},
           {"pads", attr_ints({pad, pad, pad, pad})},
           {"count_include_pad", attr_i(include_pad)}});
  gb.outputs = {y};
  const Vec want = ref_pool(rounded(xd), xs, window(k, s, pad), op == "MaxPool", include_pad, ys);
  expect_fp16_close(gb.run(cfg)[0], round_all(want), op);
}

TEST_P(OpsTest, MaxPool3x3Stride2) { check_pool(cfg(), rng, "MaxPool", 3, 2, 1, false); }
TEST_P(OpsTest, AvgPoolExcludePad) { check_pool(cfg(), rng, "AveragePool", 3, 2, 1, false); }
TEST_P(OpsTest, AvgPoolIncludePad) { check_pool(cfg(), rng, "AveragePool", 5, 1, 2, true); }

TEST_P(OpsTest, GlobalAveragePoolFlattenGemm) {
  GraphBuilder gb;
  const Shape xs{2, 24, 9, 9};
  const auto xd = random_values(static_cast<size_t>(numel(xs)), rng);
  const auto wd = random_values(24 * 10, rng);
  const ValueSnapshot x = gb.input("x", xs, xd), p = gb.value("p", {2, 24, 1, 1});
  const ValueSnapshot f = gb.value("f", {2, 24}), y = gb.value("y", {2, 10});
  gb.node("GlobalAveragePool", {x}, {p});
  gb.node("Flatten", {p}, {f}, {{"axis", attr_i(1)}});
  gb.node("Gemm", {f, gb.constant("w", {24, 10}, wd)}, {y});
  gb.outputs = {y, p};
  const Vec pooled =
      round_all(ref_pool(rounded(xd), xs, window(9, 1, 0), false, true, {2, 24, 1, 1}));
  const Vec want = ref_matmul(pooled, {2, 24}, rounded(wd), {24, 10}, {2, 10});
  const auto got = gb.run(cfg());
  expect_fp16_close(got[1], pooled, "global average pool");
  expect_fp16_close(got[0], round_all(want), "gemm after pool");
}

TEST_P(OpsTest, ConcatReshape) {
  GraphBuilder gb;
  const auto ad = random_values(2 * 3 * 50, rng), bd = random_values(2 * 5 * 50, rng);
  const auto cd = random_values(2 * 1 * 50, rng);
  const ValueSnapshot a = gb.input("a", {2, 3, 50}, ad), b = gb.input("b", {2, 5, 50}, bd);
  const ValueSnapshot y = gb.value("y", {2, 9, 50}), r = gb.value("r", {18, 50});
  ValueSnapshot shape = gb.value("shape", {2}, INFER_DTYPE_INT64);
  shape.is_const = true;
  shape.set_ints(std::vector<int64_t>{18, 50});
  gb.node("Concat", {a, gb.constant("c", {2, 1, 50}, cd), b}, {y}, {{"axis", attr_i(1)}});
  gb.node("Reshape", {y, shape}, {r});
  gb.outputs = {r};
  Vec want;
  for (int64_t n = 0; n < 2; ++n) {
    want.insert(want.end(), ad.begin() + n * 150, ad.begin() + (n + 1) * 150);
    want.insert(want.end(), cd.begin() + n * 50, cd.begin() + (n + 1) * 50);
    want.insert(want.end(), bd.begin() + n * 250, bd.begin() + (n + 1) * 250);
  }
  expect_fp16_close(gb.run(cfg())[0], rounded(want), "concat");
}

TEST_P(OpsTest, SoftmaxLastAxis) {
  GraphBuilder gb;
  const Shape s{4, 30, 257};
  const auto d = random_values(static_cast<size_t>(numel(s)), rng, -6, 6);
  const ValueSnapshot x = gb.input("x", s, d), y = gb.value("y", s);
  gb.node("Softmax", {x}, {y}, {{"axis", attr_i(-1)}});
  gb.outputs = {y};
  expect_fp16_close(gb.run(cfg())[0], round_all(ref_softmax(rounded(d), 257)), "softmax");
}

INSTANTIATE_TEST_SUITE_P(Sram, OpsTest, ::testing::Values(0, 16, 64),
                         [](const ::testing::TestParamInfo<int64_t>& p) {
                           return p.param ? "sram" + std::to_string(p.param) + "kib"
                                          : std::string("default");
                         });

TEST(Ops, ReusesThePartitionAcrossThreads) {
  std::mt19937 rng(3);
  GraphBuilder gb;
  const auto xd = random_values(2 * 64, rng), wd = random_values(64 * 32, rng);
  const ValueSnapshot x = gb.input("x", {2, 64}, xd), y = gb.value("y", {2, 32});
  gb.node("MatMul", {x, gb.constant("w", {64, 32}, wd)}, {y});
  gb.outputs = {y};
  const auto prog = gb.compile(tiny_sram());
  const Vec want = gb.run(tiny_sram())[0];
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        Vec out(want.size());
        const float* in = xd.data();
        float* o = out.data();
        execute(*prog, {&in, 1}, {&o, 1});
        if (out != want) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace infer::npu_sim::test
