#include "reference.h"

#include <algorithm>
#include <cmath>

#include "fp16.h"

namespace infer::npu_sim::test {

Vec round_all(Vec v) {
  for (float& x : v) x = round_fp16(x);
  return v;
}

Vec ref_conv(const Vec& x, const Shape& xs, const Vec& w, const Shape& ws, const Vec& bias,
             const Window2d& win, int64_t group, const Shape& out) {
  Vec y(static_cast<size_t>(numel(out)));
  const int64_t cin_g = xs[1] / group, cout_g = out[1] / group;
  for (int64_t n = 0; n < out[0]; ++n) {
    for (int64_t m = 0; m < out[1]; ++m) {
      const int64_t g = m / cout_g;
      for (int64_t oy = 0; oy < out[2]; ++oy) {
        for (int64_t ox = 0; ox < out[3]; ++ox) {
          double s = bias.empty() ? 0.0 : bias[m];
          for (int64_t ci = 0; ci < cin_g; ++ci) {
            for (int64_t ky = 0; ky < ws[2]; ++ky) {
              for (int64_t kx = 0; kx < ws[3]; ++kx) {
                const int64_t iy = oy * win.sh - win.pad_top + ky * win.dh;
                const int64_t ix = ox * win.sw - win.pad_left + kx * win.dw;
                if (iy < 0 || iy >= xs[2] || ix < 0 || ix >= xs[3]) continue;
                const int64_t c = g * cin_g + ci;
                s += static_cast<double>(x[((n * xs[1] + c) * xs[2] + iy) * xs[3] + ix]) *
                     w[((m * cin_g + ci) * ws[2] + ky) * ws[3] + kx];
              }
            }
          }
          y[((n * out[1] + m) * out[2] + oy) * out[3] + ox] = static_cast<float>(s);
        }
      }
    }
  }
  return y;
}

namespace {

// Offset of the element of `s` (right-aligned, broadcast) at output coordinates `idx`.
int64_t bcast_offset(const Shape& s, const Shape& out, const Shape& idx) {
  int64_t off = 0, stride = 1;
  for (size_t i = s.size(); i-- > 0;) {
    const size_t o = i + out.size() - s.size();
    if (s[i] != 1) off += idx[o] * stride;
    stride *= s[i];
  }
  return off;
}

bool next_index(Shape& idx, const Shape& shape) {
  for (size_t i = idx.size(); i-- > 0;) {
    if (++idx[i] < shape[i]) return true;
    idx[i] = 0;
  }
  return false;
}

}  // namespace

Vec ref_matmul(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Shape& out) {
  const size_t r = out.size();
  const int64_t m = out[r - 2], n = out[r - 1], k = as.back();
  const Shape batch(out.begin(), out.end() - 2);
  const Shape ab(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
  Vec y(static_cast<size_t>(numel(out)));
  Shape idx(batch.size(), 0);
  int64_t bi = 0;
  do {
    const int64_t ao = bcast_offset(ab, batch, idx) * m * k;
    const int64_t bo = bcast_offset(bb, batch, idx) * k * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t q = 0; q < k; ++q)
          s += static_cast<double>(a[ao + i * k + q]) * b[bo + q * n + j];
        y[(bi * m + i) * n + j] = static_cast<float>(s);
      }
    }
    ++bi;
  } while (!batch.empty() && next_index(idx, batch));
  return y;
}

Vec ref_gemm(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Vec& c,
             const Shape& cs, bool ta, bool tb, float alpha, float beta) {
  const int64_t m = ta ? as[1] : as[0], k = ta ? as[0] : as[1], n = tb ? bs[0] : bs[1];
  Vec y(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t q = 0; q < k; ++q) {
        s += static_cast<double>(ta ? a[q * m + i] : a[i * k + q]) *
             (tb ? b[j * k + q] : b[q * n + j]);
      }
      // fp32 epilogue as on the NPU: alpha * acc + beta * c.
      float v = alpha * static_cast<float>(s);
      if (!c.empty()) v += beta * c[bcast_offset(cs, {m, n}, {i, j})];
      y[i * n + j] = v;
    }
  }
  return y;
}

Vec ref_binary(const Vec& a, const Shape& as, const Vec& b, const Shape& bs, const Shape& out,
               bool add) {
  Vec y(static_cast<size_t>(numel(out)));
  Shape idx(out.size(), 0);
  size_t i = 0;
  do {
    const float x = a[bcast_offset(as, out, idx)], z = b[bcast_offset(bs, out, idx)];
    y[i++] = add ? x + z : x * z;
  } while (next_index(idx, out));
  return y;
}

Vec ref_pool(const Vec& x, const Shape& xs, const Window2d& win, bool max, bool count_include_pad,
             const Shape& out) {
  Vec y(static_cast<size_t>(numel(out)));
  for (int64_t nc = 0; nc < out[0] * out[1]; ++nc) {
    for (int64_t oy = 0; oy < out[2]; ++oy) {
      for (int64_t ox = 0; ox < out[3]; ++ox) {
        double s = max ? -INFINITY : 0.0;
        int64_t count = 0;
        for (int64_t ky = 0; ky < win.kh; ++ky) {
          for (int64_t kx = 0; kx < win.kw; ++kx) {
            const int64_t iy = oy * win.sh - win.pad_top + ky, ix = ox * win.sw - win.pad_left + kx;
            if (iy < 0 || iy >= xs[2] || ix < 0 || ix >= xs[3]) continue;
            const double v = x[(nc * xs[2] + iy) * xs[3] + ix];
            s = max ? std::max(s, v) : s + v;
            ++count;
          }
        }
        if (!max) s /= static_cast<double>(count_include_pad ? win.kh * win.kw : count);
        y[(nc * out[2] + oy) * out[3] + ox] = static_cast<float>(s);
      }
    }
  }
  return y;
}

Vec ref_softmax(const Vec& x, int64_t len) {
  Vec y(x.size());
  for (size_t r = 0; r < x.size() / static_cast<size_t>(len); ++r) {
    const float* row = x.data() + r * len;
    const double mx = *std::max_element(row, row + len);
    double sum = 0;
    for (int64_t i = 0; i < len; ++i) sum += std::exp(row[i] - mx);
    for (int64_t i = 0; i < len; ++i)
      y[r * len + i] = static_cast<float>(std::exp(row[i] - mx) / sum);
  }
  return y;
}

}  // namespace infer::npu_sim::test
