// The int8 path against naive references (int32 accumulation, float32 multiplier
// x_scale * w_scale / y_scale, round half to even, saturation), bit-exact, with the default
// SRAM and tiny ones that force tiles and split reductions; the int8 cost model and the
// refusal reasons of the quantized ops.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "capability.h"
#include "config.h"
#include "cost_model.h"
#include "infer/plugin_cxx.hpp"
#include "test_util.h"

namespace infer::npu_sim::test {
namespace {

using IVec = std::vector<int64_t>;

ValueSnapshot quant_const(GraphBuilder& gb, const std::string& name, Shape dims, infer_dtype t,
                          IVec data) {
  ValueSnapshot v = gb.value(name, std::move(dims), t);
  v.is_const = true;
  v.set_ints(data);
  return v;
}
ValueSnapshot scalar_f(GraphBuilder& gb, const std::string& name, float v) {
  return gb.constant(name, {}, {v});
}
ValueSnapshot scalar_q(GraphBuilder& gb, const std::string& name, infer_dtype t, int64_t v) {
  return quant_const(gb, name, {}, t, {v});
}

int64_t lo_of(infer_dtype t) { return t == INFER_DTYPE_INT8 ? -128 : 0; }
int64_t hi_of(infer_dtype t) { return t == INFER_DTYPE_INT8 ? 127 : 255; }

IVec random_q(size_t n, infer_dtype t, std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> d(lo_of(t), hi_of(t));
  IVec v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// The reference requantization: float32 multiplier, exact product, half to even, saturate.
int64_t requant(int64_t acc, float xs, float ws, float ys, int64_t zp, infer_dtype t) {
  const float mult = xs * ws / ys;
  const double r = std::nearbyint(static_cast<double>(acc) * static_cast<double>(mult)) +
                   static_cast<double>(zp);
  return static_cast<int64_t>(
      std::clamp(r, static_cast<double>(lo_of(t)), static_cast<double>(hi_of(t))));
}

// Runs a compiled program on raw byte inputs; outputs as widened integers or floats.
struct RunResult {
  std::vector<IVec> ints;
  std::vector<std::vector<float>> floats;
};
RunResult run_raw(const Program& p, const std::vector<std::vector<uint8_t>>& inputs) {
  std::vector<const void*> in;
  for (const auto& b : inputs) in.push_back(b.data());
  std::vector<std::vector<uint8_t>> out(p.output_shapes.size());
  std::vector<void*> out_ptrs;
  for (size_t j = 0; j < out.size(); ++j) {
    out[j].resize(static_cast<size_t>(numel(p.output_shapes[j]) * 4));
    out_ptrs.push_back(out[j].data());
  }
  execute(p, in, out_ptrs);
  RunResult r;
  for (size_t j = 0; j < out.size(); ++j) {
    const auto n = static_cast<size_t>(numel(p.output_shapes[j]));
    IVec iv;
    std::vector<float> fv(n);
    const Elem e = p.output_elems[j];
    if (is_quant(e)) {
      for (size_t i = 0; i < n; ++i)
        iv.push_back(e == Elem::kI8 ? static_cast<int8_t>(out[j][i]) : out[j][i]);
    } else {
      std::memcpy(fv.data(), out[j].data(), n * 4);
    }
    r.ints.push_back(iv);
    r.floats.push_back(fv);
  }
  return r;
}

std::vector<uint8_t> bytes_of(const IVec& v) {
  std::vector<uint8_t> b;
  for (int64_t x : v) b.push_back(static_cast<uint8_t>(x));
  return b;
}
std::vector<uint8_t> bytes_of(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

int64_t count_of(const IVec& v, int64_t x) { return std::count(v.begin(), v.end(), x); }

struct QConvCase {
  Shape xs;
  int64_t m, k, stride, pad, group;
  infer_dtype xt, wt;
  bool per_channel, bias;
  float y_scale;  // small: saturates at both ends
};

class QLinearConvTest : public ::testing::TestWithParam<int64_t> {};

void check_qconv(const QConvCase& c, const NpuConfig& cfg, uint64_t* cycles = nullptr) {
  std::mt19937 rng(7);
  GraphBuilder gb;
  const Shape ws{c.m, c.xs[1] / c.group, c.k, c.k};
  const auto out = [&](int64_t in) { return (in + 2 * c.pad - c.k) / c.stride + 1; };
  const Shape ys{c.xs[0], c.m, out(c.xs[2]), out(c.xs[3])};
  const IVec xd = random_q(static_cast<size_t>(numel(c.xs)), c.xt, rng);
  const IVec wd = random_q(static_cast<size_t>(numel(ws)), c.wt, rng);
  const float x_scale = 0.02f, y_scale = c.y_scale;
  const int64_t x_zp = c.xt == INFER_DTYPE_UINT8 ? 131 : -3;
  const int64_t y_zp = c.xt == INFER_DTYPE_UINT8 ? 120 : 5;
  std::vector<float> w_scale{0.003f};
  IVec w_zp{c.wt == INFER_DTYPE_UINT8 ? 128 : 0};
  if (c.per_channel) {
    w_scale.clear();
    w_zp.clear();
    for (int64_t i = 0; i < c.m; ++i) {
      w_scale.push_back(0.001f + 0.0005f * static_cast<float>(i % 7));
      w_zp.push_back((c.wt == INFER_DTYPE_UINT8 ? 128 : 0) + i % 5 - 2);
    }
  }
  IVec bias;
  for (int64_t i = 0; i < c.m; ++i) bias.push_back((i * 997) % 4001 - 2000);
  const Shape pshape = c.per_channel ? Shape{c.m} : Shape{};

  ValueSnapshot x = gb.value("x", c.xs, c.xt);
  gb.inputs.push_back(x);
  std::vector<ValueSnapshot> ins{x,
                                 scalar_f(gb, "xs", x_scale),
                                 scalar_q(gb, "xzp", c.xt, x_zp),
                                 quant_const(gb, "w", ws, c.wt, wd),
                                 gb.constant("ws", pshape, w_scale),
                                 quant_const(gb, "wzp", pshape, c.wt, w_zp),
                                 scalar_f(gb, "ys", y_scale),
                                 scalar_q(gb, "yzp", c.xt, y_zp)};
  if (c.bias) ins.push_back(quant_const(gb, "b", {c.m}, INFER_DTYPE_INT32, bias));
  const ValueSnapshot y = gb.value("y", ys, c.xt);
  gb.node("QLinearConv", ins, {y},
          {{"strides", attr_ints({c.stride, c.stride})},
           {"pads", attr_ints({c.pad, c.pad, c.pad, c.pad})},
           {"group", attr_i(c.group)}});
  gb.outputs = {y};

  // Naive reference: (x - x_zp) (w - w_zp[m]) summed in int32 (padding is a real zero).
  IVec want;
  const int64_t cg = c.xs[1] / c.group, mg = c.m / c.group;
  for (int64_t n = 0; n < ys[0]; ++n) {
    for (int64_t m = 0; m < c.m; ++m) {
      const int64_t g = m / mg;
      const int64_t wzp = w_zp[c.per_channel ? static_cast<size_t>(m) : 0];
      for (int64_t oy = 0; oy < ys[2]; ++oy) {
        for (int64_t ox = 0; ox < ys[3]; ++ox) {
          int64_t acc = c.bias ? bias[static_cast<size_t>(m)] : 0;
          for (int64_t ci = 0; ci < cg; ++ci) {
            for (int64_t ky = 0; ky < c.k; ++ky) {
              for (int64_t kx = 0; kx < c.k; ++kx) {
                const int64_t iy = oy * c.stride - c.pad + ky, ix = ox * c.stride - c.pad + kx;
                if (iy < 0 || ix < 0 || iy >= c.xs[2] || ix >= c.xs[3]) continue;
                const int64_t xv = xd[static_cast<size_t>(
                    ((n * c.xs[1] + g * cg + ci) * c.xs[2] + iy) * c.xs[3] + ix)];
                const int64_t wv = wd[static_cast<size_t>(((m * cg + ci) * c.k + ky) * c.k + kx)];
                acc += (xv - x_zp) * (wv - wzp);
              }
            }
          }
          want.push_back(requant(acc, x_scale, w_scale[c.per_channel ? static_cast<size_t>(m) : 0],
                                 y_scale, y_zp, c.xt));
        }
      }
    }
  }
  const auto prog = gb.compile(cfg);
  const RunResult got = run_raw(*prog, {bytes_of(xd)});
  EXPECT_EQ(got.ints[0], want);
  if (cycles) *cycles = prog->stats.total_cycles;
  if (c.y_scale < 0.01f) {
    // Saturation at both ends of the range.
    EXPECT_GT(count_of(want, lo_of(c.xt)), 0);
    EXPECT_GT(count_of(want, hi_of(c.xt)), 0);
  }
}

NpuConfig cfg_of(int64_t kib) { return kib ? tiny_sram(kib) : NpuConfig{}; }

TEST_P(QLinearConvTest, Uint8PerTensorWithBias) {
  check_qconv(
      {{1, 16, 12, 12}, 24, 3, 1, 1, 1, INFER_DTYPE_UINT8, INFER_DTYPE_INT8, false, true, 0.5f},
      cfg_of(GetParam()));
}
TEST_P(QLinearConvTest, Int8PerChannelStride2) {
  check_qconv(
      {{2, 24, 13, 11}, 40, 3, 2, 1, 1, INFER_DTYPE_INT8, INFER_DTYPE_INT8, true, true, 0.3f},
      cfg_of(GetParam()));
}
TEST_P(QLinearConvTest, Uint8WeightsSaturating) {
  check_qconv(
      {{1, 8, 9, 9}, 8, 5, 1, 2, 1, INFER_DTYPE_UINT8, INFER_DTYPE_UINT8, true, false, 0.005f},
      cfg_of(GetParam()));
}
TEST_P(QLinearConvTest, DepthwiseAndGrouped) {
  check_qconv(
      {{1, 16, 10, 10}, 16, 3, 1, 1, 16, INFER_DTYPE_INT8, INFER_DTYPE_INT8, true, true, 0.2f},
      cfg_of(GetParam()));
  check_qconv(
      {{1, 16, 10, 10}, 32, 3, 2, 1, 4, INFER_DTYPE_UINT8, INFER_DTYPE_INT8, false, true, 0.2f},
      cfg_of(GetParam()));
}

// 0: default SRAM; 4 and 8 KiB force many tiles and split reductions (int32 partial sums).
INSTANTIATE_TEST_SUITE_P(Sram, QLinearConvTest, ::testing::Values(0, 4, 8));

class QLinearMatMulTest : public ::testing::TestWithParam<int64_t> {};

void check_qmatmul(Shape as, Shape bs, infer_dtype at, infer_dtype bt, bool per_column,
                   bool b_const, const NpuConfig& cfg) {
  std::mt19937 rng(11);
  GraphBuilder gb;
  const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  Shape ys = as.size() >= bs.size() ? as : bs;
  ys[ys.size() - 2] = m;
  ys.back() = n;
  const IVec ad = random_q(static_cast<size_t>(numel(as)), at, rng);
  const IVec bd = random_q(static_cast<size_t>(numel(bs)), bt, rng);
  const float a_scale = 0.05f, y_scale = 0.7f;
  const int64_t a_zp = at == INFER_DTYPE_UINT8 ? 100 : 7, y_zp = at == INFER_DTYPE_UINT8 ? 128 : 0;
  std::vector<float> b_scale{0.01f};
  IVec b_zp{bt == INFER_DTYPE_UINT8 ? 127 : -1};
  if (per_column) {
    b_scale.clear();
    b_zp.clear();
    for (int64_t j = 0; j < n; ++j) {
      b_scale.push_back(0.004f + 0.001f * static_cast<float>(j % 5));
      b_zp.push_back((bt == INFER_DTYPE_UINT8 ? 128 : 0) + j % 3 - 1);
    }
  }
  ValueSnapshot a = gb.value("a", as, at);
  gb.inputs.push_back(a);
  ValueSnapshot b = b_const ? quant_const(gb, "b", bs, bt, bd) : gb.value("b", bs, bt);
  if (!b_const) gb.inputs.push_back(b);
  const Shape pshape = per_column ? Shape{n} : Shape{};
  const ValueSnapshot y = gb.value("y", ys, at);
  gb.node("QLinearMatMul",
          {a, scalar_f(gb, "as", a_scale), scalar_q(gb, "azp", at, a_zp), b,
           gb.constant("bs", pshape, b_scale), quant_const(gb, "bzp", pshape, bt, b_zp),
           scalar_f(gb, "ys", y_scale), scalar_q(gb, "yzp", at, y_zp)},
          {y});
  gb.outputs = {y};
  // Reference with broadcast batch dims (a's batch, b 2-D or of the same batch).
  const int64_t batch = numel(ys) / (m * n);
  const bool b_batched = bs.size() > 2;
  IVec want;
  for (int64_t bi = 0; bi < batch; ++bi) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        const size_t col = per_column ? static_cast<size_t>(j) : 0;
        int64_t acc = 0;
        for (int64_t kk = 0; kk < k; ++kk) {
          const int64_t av = ad[static_cast<size_t>((bi * m + i) * k + kk)];
          const int64_t bv = bd[static_cast<size_t>(((b_batched ? bi : 0) * k + kk) * n + j)];
          acc += (av - a_zp) * (bv - b_zp[col]);
        }
        want.push_back(requant(acc, a_scale, b_scale[col], y_scale, y_zp, at));
      }
    }
  }
  const auto prog = gb.compile(cfg);
  std::vector<std::vector<uint8_t>> in{bytes_of(ad)};
  if (!b_const) in.push_back(bytes_of(bd));
  EXPECT_EQ(run_raw(*prog, in).ints[0], want);
}

TEST_P(QLinearMatMulTest, TwoD) {
  check_qmatmul({20, 300}, {300, 70}, INFER_DTYPE_UINT8, INFER_DTYPE_INT8, false, true,
                cfg_of(GetParam()));
  check_qmatmul({33, 64}, {64, 48}, INFER_DTYPE_INT8, INFER_DTYPE_INT8, true, true,
                cfg_of(GetParam()));
}
TEST_P(QLinearMatMulTest, BatchedBothActivations) {
  check_qmatmul({3, 17, 40}, {3, 40, 24}, INFER_DTYPE_INT8, INFER_DTYPE_UINT8, false, false,
                cfg_of(GetParam()));
  check_qmatmul({2, 2, 9, 130}, {130, 36}, INFER_DTYPE_UINT8, INFER_DTYPE_UINT8, true, true,
                cfg_of(GetParam()));
}
INSTANTIATE_TEST_SUITE_P(Sram, QLinearMatMulTest, ::testing::Values(0, 4, 8));

// QuantizeLinear of float32 input (kept float32 in DRAM): ties round to even, both ends
// saturate, NaN gives the zero point; then DequantizeLinear back into fp16.
TEST(Int8, QuantizeDequantizeRoundTrip) {
  for (const infer_dtype t : {INFER_DTYPE_UINT8, INFER_DTYPE_INT8}) {
    for (const int64_t kib : {0, 4}) {
      const float scale = 0.25f;
      const int64_t zp = t == INFER_DTYPE_UINT8 ? 10 : -3;
      std::vector<float> xd;
      for (int i = -600; i <= 600; ++i) xd.push_back(static_cast<float>(i) * 0.125f);  // ties
      xd.push_back(std::numeric_limits<float>::quiet_NaN());
      xd.push_back(1e30f);
      xd.push_back(-1e30f);
      xd.resize(2000, 0.3f);
      GraphBuilder gb;
      const Shape s{4, 500};
      const ValueSnapshot x = gb.input("x", s, xd);
      const ValueSnapshot q = gb.value("q", s, t), y = gb.value("y", s);
      gb.node("QuantizeLinear", {x, scalar_f(gb, "s", scale), scalar_q(gb, "zp", t, zp)}, {q});
      gb.node("DequantizeLinear", {q, scalar_f(gb, "s2", scale), scalar_q(gb, "zp2", t, zp)}, {y});
      gb.outputs = {q, y};
      const auto prog = gb.compile(cfg_of(kib));
      EXPECT_EQ(prog->input_elems[0], Elem::kF32);  // read only by QuantizeLinear
      const RunResult got = run_raw(*prog, {bytes_of(xd)});
      for (size_t i = 0; i < xd.size(); ++i) {
        const float v = xd[i] / scale;
        const double r = std::isnan(v)
                             ? static_cast<double>(zp)
                             : std::nearbyint(static_cast<double>(v)) + static_cast<double>(zp);
        const auto want = static_cast<int64_t>(
            std::clamp(r, static_cast<double>(lo_of(t)), static_cast<double>(hi_of(t))));
        ASSERT_EQ(got.ints[0][i], want) << "x=" << xd[i];
        const float deq = round_fp16((static_cast<float>(want) - static_cast<float>(zp)) * scale);
        ASSERT_EQ(got.floats[1][i], deq);
      }
      // 0.125 / 0.25 = 0.5 rounds to 0 and 0.375 / 0.25 = 1.5 to 2.
      EXPECT_EQ(got.ints[0][601], zp);
      EXPECT_EQ(got.ints[0][603], zp + 2);
      EXPECT_EQ(got.ints[0][1202], hi_of(t));
      EXPECT_EQ(got.ints[0][1203], lo_of(t));
    }
  }
}

// MaxPool, Flatten and Reshape on int8 are exact; padding never wins a max.
TEST(Int8, MaxPoolAndReshape) {
  std::mt19937 rng(3);
  for (const infer_dtype t : {INFER_DTYPE_UINT8, INFER_DTYPE_INT8}) {
    GraphBuilder gb;
    const Shape xs{1, 6, 9, 9}, ps{1, 6, 5, 5};
    const IVec xd = random_q(static_cast<size_t>(numel(xs)), t, rng);
    ValueSnapshot x = gb.value("x", xs, t);
    gb.inputs.push_back(x);
    const ValueSnapshot p = gb.value("p", ps, t), f = gb.value("f", {1, 150}, t);
    gb.node("MaxPool", {x}, {p},
            {{"kernel_shape", attr_ints({3, 3})},
             {"strides", attr_ints({2, 2})},
             {"pads", attr_ints({1, 1, 1, 1})}});
    gb.node("Flatten", {p}, {f});
    gb.outputs = {f};
    const auto prog = gb.compile(tiny_sram(4));
    IVec want;
    for (int64_t c = 0; c < 6; ++c) {
      for (int64_t oy = 0; oy < 5; ++oy) {
        for (int64_t ox = 0; ox < 5; ++ox) {
          int64_t v = std::numeric_limits<int64_t>::min();
          for (int64_t ky = 0; ky < 3; ++ky) {
            for (int64_t kx = 0; kx < 3; ++kx) {
              const int64_t y = oy * 2 - 1 + ky, xx = ox * 2 - 1 + kx;
              if (y >= 0 && xx >= 0 && y < 9 && xx < 9)
                v = std::max(v, xd[static_cast<size_t>((c * 9 + y) * 9 + xx)]);
            }
          }
          want.push_back(v);
        }
      }
    }
    EXPECT_EQ(run_raw(*prog, {bytes_of(xd)}).ints[0], want);
    EXPECT_GT(prog->stats.int8_count[static_cast<size_t>(CmdType::kPool)], 0u);
  }
}

// The same convolution costs fewer cycles in int8 (half the DMA bytes, 2x MACs per cycle by
// default) than in fp16, and fewer still with more int8 MACs per fp16 MAC.
TEST(Int8, CostModelChargesLessThanFp16) {
  const QConvCase c{{1, 64, 28, 28},  64,   3,    1,   1, 1, INFER_DTYPE_UINT8,
                    INFER_DTYPE_INT8, true, true, 0.5f};
  uint64_t int8_cycles = 0, int8_x4 = 0;
  check_qconv(c, NpuConfig{}, &int8_cycles);
  NpuConfig x4;
  x4.int8_macs_per_fp16_mac = 4;
  check_qconv(c, x4, &int8_x4);

  std::mt19937 rng(1);
  GraphBuilder gb;
  const Shape xs{1, 64, 28, 28}, ws{64, 64, 3, 3};
  const ValueSnapshot x = gb.input("x", xs, {}), y = gb.value("y", {1, 64, 28, 28});
  gb.node("Conv",
          {x, gb.constant("w", ws, random_values(static_cast<size_t>(numel(ws)), rng)),
           gb.constant("b", {64}, random_values(64, rng))},
          {y}, {{"pads", attr_ints({1, 1, 1, 1})}});
  gb.outputs = {y};
  const auto fp16 = gb.compile(NpuConfig{});
  EXPECT_LT(int8_cycles, fp16->stats.total_cycles);
  EXPECT_LT(int8_x4, int8_cycles);
  std::printf("conv 64x28x28 -> 64, 3x3: fp16 %llu cycles, int8 %llu cycles (x2), %llu (x4)\n",
              static_cast<unsigned long long>(fp16->stats.total_cycles),
              static_cast<unsigned long long>(int8_cycles),
              static_cast<unsigned long long>(int8_x4));
}

TEST(Int8, ReportCountsInt8Commands) {
  GraphBuilder gb;
  const Shape s{2, 64};
  const ValueSnapshot x = gb.input("x", s, {}), q = gb.value("q", s, INFER_DTYPE_INT8);
  gb.node("QuantizeLinear", {x, scalar_f(gb, "s", 0.1f), scalar_q(gb, "z", INFER_DTYPE_INT8, 0)},
          {q});
  gb.outputs = {q};
  const auto prog = gb.compile(NpuConfig{});
  const std::string text = describe_program(*prog, 0, 0);
  EXPECT_NE(text.find("ELEMENTWISE(int8) 1"), std::string::npos) << text;
}

// --- refusals ------------------------------------------------------------------------------

std::string reason_of(const NodeSnapshot& n) { return refusal_reason(n, 13, NpuConfig{}); }

NodeSnapshot quantize_node(GraphBuilder& gb, ValueSnapshot scale, ValueSnapshot zp,
                           infer_dtype out) {
  gb.node("QuantizeLinear", {gb.value("x", {1, 4, 8, 8}), scale, zp},
          {gb.value("q", {1, 4, 8, 8}, out)});
  return gb.nodes.back();
}

TEST(Int8Capability, QuantizeLinearRefusals) {
  GraphBuilder gb;
  EXPECT_EQ(reason_of(quantize_node(gb, scalar_f(gb, "s", 0.1f),
                                    scalar_q(gb, "z", INFER_DTYPE_UINT8, 3), INFER_DTYPE_UINT8)),
            "");
  EXPECT_EQ(reason_of(quantize_node(gb, gb.constant("s", {4}, {0.1f, 0.2f, 0.3f, 0.4f}),
                                    quant_const(gb, "z", {4}, INFER_DTYPE_UINT8, {0, 0, 0, 0}),
                                    INFER_DTYPE_UINT8)),
            "QuantizeLinear node 'QuantizeLinear1': per-axis QuantizeLinear (scale 's' of shape "
            "[4]) is not supported by npu_sim");
  EXPECT_EQ(reason_of(quantize_node(gb, gb.value("s", {}), scalar_q(gb, "z", INFER_DTYPE_INT8, 0),
                                    INFER_DTYPE_INT8)),
            "QuantizeLinear node 'QuantizeLinear2': scale 's' is not a constant; npu_sim needs "
            "constant quantization parameters");
  ValueSnapshot z16 = scalar_q(gb, "z", INFER_DTYPE_INT16, 0);
  EXPECT_EQ(reason_of(quantize_node(gb, scalar_f(gb, "s", 0.1f), z16, INFER_DTYPE_INT16)),
            "QuantizeLinear node 'QuantizeLinear3': QuantizeLinear to int16 is not supported by "
            "npu_sim; only int8 and uint8");
}

TEST(Int8Capability, ZeroPointDtypeMismatch) {
  GraphBuilder gb;
  gb.node("DequantizeLinear",
          {gb.value("q", {8}, INFER_DTYPE_INT8), scalar_f(gb, "s", 0.1f),
           scalar_q(gb, "z", INFER_DTYPE_UINT8, 0)},
          {gb.value("y", {8})});
  EXPECT_EQ(reason_of(gb.nodes.back()),
            "DequantizeLinear node 'DequantizeLinear0': zero point 'z' has dtype uint8 but its "
            "operand is int8; they must match");
}

TEST(Int8Capability, Int32DequantizeAndInt8Add) {
  GraphBuilder gb;
  gb.node("DequantizeLinear", {gb.value("q", {8}, INFER_DTYPE_INT32), scalar_f(gb, "s", 0.1f)},
          {gb.value("y", {8})});
  EXPECT_EQ(reason_of(gb.nodes.back()),
            "DequantizeLinear node 'DequantizeLinear0': tensor 'q' has dtype int32; npu_sim runs "
            "float32 (computed as fp16), int8 and uint8 tensors only");
  gb.node("Add", {gb.value("a", {8}, INFER_DTYPE_INT8), gb.value("b", {8}, INFER_DTYPE_INT8)},
          {gb.value("c", {8}, INFER_DTYPE_INT8)});
  EXPECT_EQ(reason_of(gb.nodes.back()),
            "Add node 'Add1': Add on int8 tensors needs requantization (QLinearAdd) which npu_sim "
            "does not run; only Reshape, Flatten and MaxPool run on int8/uint8 tensors as they "
            "are");
}

TEST(Int8Capability, QLinearConvPerAxisInputAndFloatBias) {
  GraphBuilder gb;
  const auto t = INFER_DTYPE_UINT8;
  auto node = [&](ValueSnapshot x_scale, ValueSnapshot bias) {
    gb.node("QLinearConv",
            {gb.value("x", {1, 4, 8, 8}, t), x_scale, scalar_q(gb, "xz", t, 0),
             quant_const(gb, "w", {4, 4, 1, 1}, INFER_DTYPE_INT8, IVec(16, 1)),
             scalar_f(gb, "ws", 0.1f), scalar_q(gb, "wz", INFER_DTYPE_INT8, 0),
             scalar_f(gb, "ys", 0.1f), scalar_q(gb, "yz", t, 0), bias},
            {gb.value("y", {1, 4, 8, 8}, t)});
    return reason_of(gb.nodes.back());
  };
  EXPECT_EQ(node(scalar_f(gb, "xs", 0.1f), quant_const(gb, "b", {4}, INFER_DTYPE_INT32, IVec(4))),
            "");
  EXPECT_EQ(node(gb.constant("xs", {4}, {1, 1, 1, 1}), ValueSnapshot{}),
            "QLinearConv node 'QLinearConv1': per-axis input quantization (scale 'xs' of shape "
            "[4]) is not supported by npu_sim");
  EXPECT_EQ(node(scalar_f(gb, "xs", 0.1f), gb.constant("b", {4}, {1, 1, 1, 1})),
            "QLinearConv node 'QLinearConv2': bias 'b' has dtype float32; QLinearConv's bias "
            "must be int32");
}

TEST(Int8Config, MacsPerFp16MacRange) {
  auto parse = [](const char* v) {
    return parse_config([&](const char* key) -> const char* {
      return std::string(key) == "npu_sim.int8_macs_per_fp16_mac" ? v : nullptr;
    });
  };
  EXPECT_EQ(parse("4").int8_macs_per_fp16_mac, 4);
  EXPECT_EQ(NpuConfig{}.int8_macs_per_fp16_mac, 2);
  try {
    parse("9");
    ADD_FAILURE() << "accepted 9";
  } catch (const plugin::PluginError& e) {
    EXPECT_EQ(e.message,
              "config npu_sim.int8_macs_per_fp16_mac='9' is invalid: expected a whole number "
              "from 1 to 8");
  }
}

}  // namespace
}  // namespace infer::npu_sim::test
