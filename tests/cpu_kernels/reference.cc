#include "reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace infer::cpu::test::ref {
namespace {

Dims unravel(int64_t flat, const Dims& shape) {
  Dims idx(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    idx[i] = flat % shape[i];
    flat /= shape[i];
  }
  return idx;
}

// Offset into a tensor of shape s read at output index out_idx with numpy broadcasting.
int64_t broadcast_offset(const Dims& s, const Dims& out_idx) {
  int64_t off = 0;
  const size_t lead = out_idx.size() - s.size();
  for (size_t i = 0; i < s.size(); ++i) off = off * s[i] + (s[i] == 1 ? 0 : out_idx[lead + i]);
  return off;
}

Dims broadcast_shape(const Dims& a, const Dims& b) {
  const size_t r = std::max(a.size(), b.size());
  Dims out(r);
  for (size_t i = 0; i < r; ++i) {
    const int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
    const int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
    if (da != db && da != 1 && db != 1) throw std::invalid_argument("reference: no broadcast");
    out[i] = std::max(da, db);
    if (da == 0 || db == 0) out[i] = 0;
  }
  return out;
}

// One spatial axis of a window, straight from the ONNX output-size formulas.
struct Axis {
  int64_t in, k, s, d, pb, pe, out;
};

Axis make_axis(int64_t in, int64_t k, size_t i, size_t rank, const WindowAttrs& a) {
  Axis ax{in,
          k,
          a.strides.empty() ? 1 : a.strides[i],
          a.dilations.empty() ? 1 : a.dilations[i],
          a.pads.empty() ? 0 : a.pads[i],
          a.pads.empty() ? 0 : a.pads[i + rank],
          0};
  const int64_t ext = ax.d * (k - 1) + 1;
  if (a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER") {
    ax.out = static_cast<int64_t>(std::ceil(static_cast<double>(in) / static_cast<double>(ax.s)));
    const int64_t total = std::max<int64_t>(0, (ax.out - 1) * ax.s + ext - in);
    ax.pb = a.auto_pad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
    ax.pe = total - ax.pb;
  } else if (a.auto_pad == "VALID") {
    ax.pb = ax.pe = 0;
    ax.out = static_cast<int64_t>(
        std::ceil(static_cast<double>(in - ext + 1) / static_cast<double>(ax.s)));
  } else {
    const double v = static_cast<double>(in + ax.pb + ax.pe - ext) / static_cast<double>(ax.s) + 1;
    ax.out = static_cast<int64_t>(a.ceil_mode ? std::ceil(v) : std::floor(v));
    if (a.ceil_mode && (ax.out - 1) * ax.s >= in + ax.pb) --ax.out;
  }
  return ax;
}

// Three axes (D, H, W); lower spatial ranks get trivial leading axes.
std::vector<Axis> window_axes(const Dims& x_shape, const Dims& kernel, const WindowAttrs& a) {
  const size_t rank = x_shape.size() - 2;
  std::vector<Axis> axes(3 - rank, Axis{1, 1, 1, 1, 0, 0, 1});
  for (size_t i = 0; i < rank; ++i) {
    axes.push_back(make_axis(x_shape[2 + i], kernel[i], i, rank, a));
  }
  return axes;
}

Dims window_out_shape(int64_t n, int64_t c, const std::vector<Axis>& ax, size_t rank) {
  Dims s{n, c};
  for (size_t i = 3 - rank; i < 3; ++i) s.push_back(ax[i].out);
  return s;
}

enum class PoolKind { kMax, kAvg };

TTensor pool(const TTensor& x, const WindowAttrs& a, PoolKind kind) {
  const auto ax = window_axes(x.shape, a.kernel_shape, a);
  const int64_t N = x.shape[0], C = x.shape[1];
  const int64_t D = ax[0].in, H = ax[1].in, W = ax[2].in;
  TTensor y{window_out_shape(N, C, ax, x.shape.size() - 2), {}};
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t od = 0; od < ax[0].out; ++od) {
        for (int64_t oh = 0; oh < ax[1].out; ++oh) {
          for (int64_t ow = 0; ow < ax[2].out; ++ow) {
            float best = -INFINITY, sum = 0;
            int64_t inside = 0, padded = 0;
            for (int64_t kd = 0; kd < ax[0].k; ++kd) {
              for (int64_t kh = 0; kh < ax[1].k; ++kh) {
                for (int64_t kw = 0; kw < ax[2].k; ++kw) {
                  const int64_t id = od * ax[0].s - ax[0].pb + kd * ax[0].d;
                  const int64_t ih = oh * ax[1].s - ax[1].pb + kh * ax[1].d;
                  const int64_t iw = ow * ax[2].s - ax[2].pb + kw * ax[2].d;
                  if (id < D + ax[0].pe && ih < H + ax[1].pe && iw < W + ax[2].pe) ++padded;
                  if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  const float v =
                      x.data[static_cast<size_t>((((n * C + c) * D + id) * H + ih) * W + iw)];
                  best = std::max(best, v);
                  sum += v;
                  ++inside;
                }
              }
            }
            if (kind == PoolKind::kMax) {
              y.data.push_back(best);
            } else {
              const int64_t div = a.count_include_pad ? padded : inside;
              y.data.push_back(sum / static_cast<float>(div));
            }
          }
        }
      }
    }
  }
  return y;
}

}  // namespace

TTensor conv(const TTensor& x, const TTensor& w, const TTensor* bias, const WindowAttrs& a) {
  const Dims kernel(w.shape.begin() + 2, w.shape.end());
  const auto ax = window_axes(x.shape, kernel, a);
  const int64_t N = x.shape[0], C = x.shape[1], M = w.shape[0];
  const int64_t cg = C / a.group, mg = M / a.group;
  const int64_t D = ax[0].in, H = ax[1].in, W = ax[2].in;
  const int64_t KD = ax[0].k, KH = ax[1].k, KW = ax[2].k;
  TTensor y{window_out_shape(N, M, ax, x.shape.size() - 2), {}};
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t m = 0; m < M; ++m) {
      const int64_t g = m / mg;
      for (int64_t od = 0; od < ax[0].out; ++od) {
        for (int64_t oh = 0; oh < ax[1].out; ++oh) {
          for (int64_t ow = 0; ow < ax[2].out; ++ow) {
            double sum = bias ? bias->data[static_cast<size_t>(m)] : 0.0;
            for (int64_t c = 0; c < cg; ++c) {
              for (int64_t kd = 0; kd < KD; ++kd) {
                for (int64_t kh = 0; kh < KH; ++kh) {
                  for (int64_t kw = 0; kw < KW; ++kw) {
                    const int64_t id = od * ax[0].s - ax[0].pb + kd * ax[0].d;
                    const int64_t ih = oh * ax[1].s - ax[1].pb + kh * ax[1].d;
                    const int64_t iw = ow * ax[2].s - ax[2].pb + kw * ax[2].d;
                    if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    const int64_t xi = (((n * C + g * cg + c) * D + id) * H + ih) * W + iw;
                    const int64_t wi = (((m * cg + c) * KD + kd) * KH + kh) * KW + kw;
                    sum += static_cast<double>(x.data[static_cast<size_t>(xi)]) *
                           w.data[static_cast<size_t>(wi)];
                  }
                }
              }
            }
            y.data.push_back(static_cast<float>(sum));
          }
        }
      }
    }
  }
  return y;
}

TTensor max_pool(const TTensor& x, const WindowAttrs& a) { return pool(x, a, PoolKind::kMax); }

TTensor average_pool(const TTensor& x, const WindowAttrs& a) { return pool(x, a, PoolKind::kAvg); }

TTensor global_average_pool(const TTensor& x) {
  Dims shape = x.shape;
  int64_t size = 1;
  for (size_t i = 2; i < shape.size(); ++i) {
    size *= shape[i];
    shape[i] = 1;
  }
  TTensor y{shape, {}};
  for (int64_t p = 0; p < x.shape[0] * x.shape[1]; ++p) {
    double sum = 0;
    for (int64_t i = 0; i < size; ++i) sum += x.data[static_cast<size_t>(p * size + i)];
    y.data.push_back(static_cast<float>(sum / static_cast<double>(size)));
  }
  return y;
}

TTensor gemm(const TTensor& a, const TTensor& b, const TTensor* c, float alpha, float beta,
             bool trans_a, bool trans_b) {
  const int64_t M = trans_a ? a.shape[1] : a.shape[0], K = trans_a ? a.shape[0] : a.shape[1];
  const int64_t N = trans_b ? b.shape[0] : b.shape[1];
  TTensor y{{M, N}, {}};
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double s = 0;
      for (int64_t k = 0; k < K; ++k) {
        const float av = trans_a ? a.data[static_cast<size_t>(k * M + i)]
                                 : a.data[static_cast<size_t>(i * K + k)];
        const float bv = trans_b ? b.data[static_cast<size_t>(j * K + k)]
                                 : b.data[static_cast<size_t>(k * N + j)];
        s += static_cast<double>(av) * bv;
      }
      double v = alpha * s;
      if (c) v += beta * c->data[static_cast<size_t>(broadcast_offset(c->shape, {i, j}))];
      y.data.push_back(static_cast<float>(v));
    }
  }
  return y;
}

TTensor matmul(const TTensor& a_in, const TTensor& b_in) {
  Dims as = a_in.shape, bs = b_in.shape;
  if (as.size() == 1) as.insert(as.begin(), 1);
  if (bs.size() == 1) bs.push_back(1);
  const int64_t M = as[as.size() - 2], K = as.back(), N = bs.back();
  const Dims a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  const Dims batch = broadcast_shape(a_batch, b_batch);
  Dims out_shape = batch;
  if (a_in.shape.size() > 1) out_shape.push_back(M);
  if (b_in.shape.size() > 1) out_shape.push_back(N);
  TTensor y{out_shape, {}};
  for (int64_t bi = 0; bi < count(batch); ++bi) {
    const Dims idx = unravel(bi, batch);
    const int64_t ao = broadcast_offset(a_batch, idx) * M * K;
    const int64_t bo = broadcast_offset(b_batch, idx) * K * N;
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t j = 0; j < N; ++j) {
        double s = 0;
        for (int64_t k = 0; k < K; ++k) {
          s += static_cast<double>(a_in.data[static_cast<size_t>(ao + i * K + k)]) *
               b_in.data[static_cast<size_t>(bo + k * N + j)];
        }
        y.data.push_back(static_cast<float>(s));
      }
    }
  }
  return y;
}

TTensor relu(const TTensor& x) {
  TTensor y = x;
  for (float& v : y.data) v = v > 0 ? v : (std::isnan(v) ? v : 0.0f);
  return y;
}

TTensor binary(const TTensor& a, const TTensor& b, char op) {
  TTensor y{broadcast_shape(a.shape, b.shape), {}};
  for (int64_t i = 0; i < count(y.shape); ++i) {
    const Dims idx = unravel(i, y.shape);
    const float va = a.data[static_cast<size_t>(broadcast_offset(a.shape, idx))];
    const float vb = b.data[static_cast<size_t>(broadcast_offset(b.shape, idx))];
    y.data.push_back(op == '+' ? va + vb : va * vb);
  }
  return y;
}

std::vector<int64_t> binary_i64(const std::vector<int64_t>& a, const Dims& as,
                                const std::vector<int64_t>& b, const Dims& bs, char op) {
  const Dims shape = broadcast_shape(as, bs);
  std::vector<int64_t> y;
  for (int64_t i = 0; i < count(shape); ++i) {
    const Dims idx = unravel(i, shape);
    const auto va = static_cast<uint64_t>(a[static_cast<size_t>(broadcast_offset(as, idx))]);
    const auto vb = static_cast<uint64_t>(b[static_cast<size_t>(broadcast_offset(bs, idx))]);
    y.push_back(static_cast<int64_t>(op == '+' ? va + vb : va * vb));
  }
  return y;
}

TTensor batch_norm(const TTensor& x, const TTensor& scale, const TTensor& bias, const TTensor& mean,
                   const TTensor& var, float eps) {
  TTensor y{x.shape, {}};
  for (int64_t i = 0; i < count(x.shape); ++i) {
    const auto c = static_cast<size_t>(unravel(i, x.shape)[1]);
    const double v = (x.data[static_cast<size_t>(i)] - mean.data[c]) /
                         std::sqrt(static_cast<double>(var.data[c]) + eps) * scale.data[c] +
                     bias.data[c];
    y.data.push_back(static_cast<float>(v));
  }
  return y;
}

TTensor softmax(const TTensor& x, int64_t axis, bool coerce_2d) {
  const auto rank = static_cast<int64_t>(x.shape.size());
  if (axis < 0) axis += rank;
  TTensor y{x.shape, std::vector<float>(x.data.size())};
  // Every output element gathers the elements it is normalised with.
  for (int64_t i = 0; i < count(x.shape); ++i) {
    std::vector<int64_t> group;
    if (coerce_2d) {
      int64_t cols = 1;
      for (int64_t d = axis; d < rank; ++d) cols *= x.shape[static_cast<size_t>(d)];
      for (int64_t j = 0; j < cols; ++j) group.push_back(i / cols * cols + j);
    } else {
      Dims idx = unravel(i, x.shape);
      for (int64_t j = 0; j < x.shape[static_cast<size_t>(axis)]; ++j) {
        idx[static_cast<size_t>(axis)] = j;
        int64_t flat = 0;
        for (size_t d = 0; d < idx.size(); ++d) flat = flat * x.shape[d] + idx[d];
        group.push_back(flat);
      }
    }
    double mx = -INFINITY, sum = 0;
    for (int64_t g : group) mx = std::max(mx, static_cast<double>(x.data[static_cast<size_t>(g)]));
    for (int64_t g : group) sum += std::exp(x.data[static_cast<size_t>(g)] - mx);
    y.data[static_cast<size_t>(i)] =
        static_cast<float>(std::exp(x.data[static_cast<size_t>(i)] - mx) / sum);
  }
  return y;
}

TTensor concat(const std::vector<TTensor>& inputs, int64_t axis) {
  const auto rank = static_cast<int64_t>(inputs[0].shape.size());
  const auto a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  TTensor y{inputs[0].shape, {}};
  y.shape[a] = 0;
  for (const TTensor& t : inputs) y.shape[a] += t.shape[a];
  for (int64_t i = 0; i < count(y.shape); ++i) {
    Dims idx = unravel(i, y.shape);
    size_t which = 0;
    while (idx[a] >= inputs[which].shape[a]) idx[a] -= inputs[which++].shape[a];
    const TTensor& t = inputs[which];
    int64_t flat = 0;
    for (size_t d = 0; d < idx.size(); ++d) flat = flat * t.shape[d] + idx[d];
    y.data.push_back(t.data[static_cast<size_t>(flat)]);
  }
  return y;
}

}  // namespace infer::cpu::test::ref
