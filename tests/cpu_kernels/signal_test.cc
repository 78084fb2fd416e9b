#include "kernels/signal.h"

#include <complex>
#include <numbers>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

using cd = std::complex<double>;
constexpr double kPi = std::numbers::pi;

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want,
                     double tol = 1e-9) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

std::vector<double> random_doubles(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-1, 1);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

// Textbook DFT of one complex sequence, of the first `len` values (zero padded).
std::vector<cd> naive_dft(const std::vector<cd>& x, int64_t len, bool inverse) {
  std::vector<cd> y(static_cast<size_t>(len));
  for (int64_t k = 0; k < len; ++k) {
    for (int64_t n = 0; n < len && n < static_cast<int64_t>(x.size()); ++n) {
      const double a =
          (inverse ? 2 : -2) * kPi * static_cast<double>(k * n) / static_cast<double>(len);
      y[k] += x[n] * cd(std::cos(a), std::sin(a));
    }
    if (inverse) y[k] /= static_cast<double>(len);
  }
  return y;
}

TEST(Windows, MatchFormulas) {
  for (bool periodic : {true, false}) {
    const int64_t size = 10;
    const double n1 = periodic ? 10.0 : 9.0;
    std::vector<double> hann(size), hamming(size), blackman(size);
    window_function(WindowFunction::kHann, size, periodic, hann.data());
    window_function(WindowFunction::kHamming, size, periodic, hamming.data());
    window_function(WindowFunction::kBlackman, size, periodic, blackman.data());
    for (int64_t i = 0; i < size; ++i) {
      const double n = static_cast<double>(i);
      EXPECT_NEAR(hann[i], std::pow(std::sin(kPi * n / n1), 2), 1e-12);
      EXPECT_NEAR(hamming[i], 25.0 / 46.0 - 21.0 / 46.0 * std::cos(2 * kPi * n / n1), 1e-12);
      EXPECT_NEAR(blackman[i],
                  0.42 - 0.5 * std::cos(2 * kPi * n / n1) + 0.08 * std::cos(4 * kPi * n / n1),
                  1e-12);
    }
  }
  double one = 0;
  window_function(WindowFunction::kHann, 1, false, &one);
  EXPECT_EQ(one, 1.0);
}

// x [outer, n, inner, c] transformed along n, checked against the naive DFT line by line.
void check_dft(int64_t outer, int64_t n, int64_t inner, int64_t c, std::optional<int64_t> length,
               bool inverse, bool onesided) {
  SCOPED_TRACE(::testing::Message() << "n " << n << " c " << c << " length " << length.value_or(-1)
                                    << " inverse " << inverse << " onesided " << onesided);
  std::mt19937 rng(7);
  const Dims shape{outer, n, inner, c};
  const std::vector<double> x = random_doubles(static_cast<size_t>(count(shape)), rng);
  const DftPlan plan = plan_dft(shape, 1, length, inverse, onesided);
  std::vector<double> y(static_cast<size_t>(count(plan.y_shape)));
  dft(plan, x.data(), y.data());
  const int64_t len = length.value_or(inverse && onesided ? 2 * (n - 1) : n);
  const int64_t n_out = onesided && !inverse ? len / 2 + 1 : len;
  const int64_t c_out = inverse && onesided ? 1 : 2;
  ASSERT_EQ(plan.y_shape, (Dims{outer, n_out, inner, c_out}));
  std::vector<double> want(y.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      std::vector<cd> line;
      for (int64_t t = 0; t < n; ++t) {
        const double* v = &x[static_cast<size_t>(((o * n + t) * inner + i) * c)];
        line.emplace_back(v[0], c == 2 ? v[1] : 0.0);
      }
      std::vector<cd> out;
      if (inverse && onesided) {
        // Rebuild the full Hermitian spectrum from its first half, then invert.
        std::vector<cd> full(static_cast<size_t>(len));
        for (int64_t k = 0; k <= len / 2; ++k) {
          const cd v = k < n ? line[static_cast<size_t>(k)] : cd{};
          full[static_cast<size_t>(k)] = v;
          if (k > 0) full[static_cast<size_t>(len - k)] = std::conj(v);
        }
        full[0] = full[0].real();
        if (len % 2 == 0)
          full[static_cast<size_t>(len / 2)] = full[static_cast<size_t>(len / 2)].real();
        out = naive_dft(full, len, true);
      } else {
        line.resize(static_cast<size_t>(std::min(n, len)));
        out = naive_dft(line, len, inverse);
      }
      for (int64_t k = 0; k < n_out; ++k) {
        double* w = &want[static_cast<size_t>(((o * n_out + k) * inner + i) * c_out)];
        w[0] = out[static_cast<size_t>(k)].real();
        if (c_out == 2) w[1] = out[static_cast<size_t>(k)].imag();
      }
    }
  }
  expect_near_all(y, want);
}

TEST(Dft, MatchesNaive) {
  for (int64_t c : {1, 2}) {
    for (bool inverse : {false, true}) {
      check_dft(2, 7, 3, c, std::nullopt, inverse, false);
      check_dft(1, 8, 2, c, 5, inverse, false);   // truncated
      check_dft(1, 5, 2, c, 12, inverse, false);  // zero padded
    }
    check_dft(2, 9, 3, c, std::nullopt, false, true);
    check_dft(2, 8, 1, c, 11, false, true);
  }
  check_dft(2, 6, 3, 2, std::nullopt, true, true);  // irfft, even length 10
  check_dft(1, 6, 2, 2, 11, true, true);            // odd length
  check_dft(1, 6, 2, 2, 4, true, true);             // fewer values used than given
}

TEST(Dft, RealRoundTrip) {
  // irfft(rfft(x)) == x
  std::mt19937 rng(3);
  const Dims shape{1, 10, 1};
  const std::vector<double> x = random_doubles(10, rng);
  const DftPlan fwd = plan_dft(shape, 1, std::nullopt, false, true);
  std::vector<double> spec(static_cast<size_t>(count(fwd.y_shape)));
  dft(fwd, x.data(), spec.data());
  const DftPlan inv = plan_dft(fwd.y_shape, 1, 10, true, true);
  std::vector<double> back(10);
  dft(inv, spec.data(), back.data());
  expect_near_all(back, x);
}

TEST(Dft, RejectsBadInputs) {
  const Dims x{2, 8, 1}, bad_c{2, 8, 3}, rank1{8};
  expect_error([&] { plan_dft(x, -1, std::nullopt, false, false); }, INFER_INVALID_ARGUMENT,
               "axis");
  expect_error([&] { plan_dft(x, 2, std::nullopt, false, false); }, INFER_INVALID_ARGUMENT, "axis");
  expect_error([&] { plan_dft(x, -4, std::nullopt, false, false); }, INFER_INVALID_ARGUMENT,
               "axis");
  expect_error([&] { plan_dft(bad_c, 1, std::nullopt, false, false); }, INFER_INVALID_ARGUMENT,
               "1 (real) or 2");
  expect_error([&] { plan_dft(rank1, 0, std::nullopt, false, false); }, INFER_INVALID_ARGUMENT,
               "rank");
  expect_error([&] { plan_dft(x, 1, 0, false, false); }, INFER_INVALID_ARGUMENT, "positive");
  const Dims one{2, 1, 2};  // irfft default length 2 * (1 - 1) = 0
  expect_error([&] { plan_dft(one, 1, std::nullopt, true, true); }, INFER_INVALID_ARGUMENT,
               "positive");
}

TEST(Stft, MatchesFramedNaiveDft) {
  std::mt19937 rng(11);
  for (int64_t c : {1, 2}) {
    for (bool onesided : {true, false}) {
      for (bool with_window : {false, true}) {
        const Dims shape{2, 23, c};
        const int64_t step = 4, flen = 8;
        const std::vector<double> s = random_doubles(static_cast<size_t>(count(shape)), rng);
        const std::vector<double> w = random_doubles(flen, rng);
        const Dims wshape{flen};
        const StftPlan plan =
            plan_stft(shape, step, with_window ? std::optional<ShapeSpan>(wshape) : std::nullopt,
                      with_window ? std::nullopt : std::optional<int64_t>(flen), onesided);
        const int64_t frames = (23 - flen) / step + 1, bins = onesided ? flen / 2 + 1 : flen;
        ASSERT_EQ(plan.y_shape, (Dims{2, frames, bins, 2}));
        std::vector<double> y(static_cast<size_t>(count(plan.y_shape)));
        stft(plan, s.data(), with_window ? w.data() : nullptr, y.data());
        std::vector<double> want;
        for (int64_t b = 0; b < 2; ++b) {
          for (int64_t f = 0; f < frames; ++f) {
            std::vector<cd> frame;
            for (int64_t t = 0; t < flen; ++t) {
              const size_t at = static_cast<size_t>((b * 23 + f * step + t) * c);
              const double wt = with_window ? w[static_cast<size_t>(t)] : 1.0;
              frame.emplace_back(s[at] * wt, c == 2 ? s[at + 1] * wt : 0.0);
            }
            const std::vector<cd> out = naive_dft(frame, flen, false);
            for (int64_t k = 0; k < bins; ++k) {
              want.push_back(out[static_cast<size_t>(k)].real());
              want.push_back(out[static_cast<size_t>(k)].imag());
            }
          }
        }
        expect_near_all(y, want);
      }
    }
  }
}

TEST(Stft, RejectsBadInputs) {
  const Dims s{1, 16, 1}, w{8}, w2{2, 4}, s2{16, 1};
  expect_error([&] { plan_stft(s, 0, std::nullopt, 8, true); }, INFER_INVALID_ARGUMENT,
               "frame_step");
  expect_error([&] { plan_stft(s, 2, std::nullopt, 17, true); }, INFER_INVALID_ARGUMENT, "exceeds");
  expect_error([&] { plan_stft(s, 2, ShapeSpan(w), 6, true); }, INFER_INVALID_ARGUMENT,
               "frame_length");
  expect_error([&] { plan_stft(s, 2, ShapeSpan(w2), std::nullopt, true); }, INFER_INVALID_ARGUMENT,
               "1-D");
  expect_error([&] { plan_stft(s2, 2, std::nullopt, 4, true); }, INFER_INVALID_ARGUMENT,
               "[batch, length");
}

TEST(MelWeightMatrix, MatchesOnnxExample) {
  // The ONNX node test: 8 mel bins, dft_length 16, 8192 Hz, 0 to 4096 Hz.
  const MelPlan plan = plan_mel_weight_matrix(8, 16, 8192, 0.0, 4096.0, true);
  ASSERT_EQ(plan.y_shape, (Dims{9, 8}));
  std::vector<double> y(72);
  mel_weight_matrix(plan, y.data());
  const std::vector<double> want = {1, 1, 0, 0, 0, 0, 0, 0,  //
                                    0, 0, 1, 1, 0, 0, 0, 0,  //
                                    0, 0, 0, 0, 1, 0, 0, 0,  //
                                    0, 0, 0, 0, 0, 1, 0, 0,  //
                                    0, 0, 0, 0, 0, 0, 1, 0,  //
                                    0, 0, 0, 0, 0, 0, 0, 1,  //
                                    0, 0, 0, 0, 0, 0, 0, 0,  //
                                    0, 0, 0, 0, 0, 0, 0, 0,  //
                                    0, 0, 0, 0, 0, 0, 0, 0};
  expect_near_all(y, want);
}

TEST(MelWeightMatrix, TrianglesRiseAndFall) {
  // Wide bins: each filter is a triangle with peak 1 at its centre edge.
  const MelPlan plan = plan_mel_weight_matrix(3, 64, 16000, 100.0, 6000.0, false);
  std::vector<double> y(static_cast<size_t>(count(plan.y_shape)));
  mel_weight_matrix(plan, y.data());
  for (int64_t i = 0; i < 3; ++i) {
    const int64_t lo = plan.edges[i], mid = plan.edges[i + 1], hi = plan.edges[i + 2];
    ASSERT_LT(lo, mid);
    ASSERT_LT(mid, hi);
    EXPECT_EQ(y[static_cast<size_t>(mid * 3 + i)], 1.0);
    EXPECT_EQ(y[static_cast<size_t>(lo * 3 + i)], 0.0);
    for (int64_t j = 0; j < plan.y_shape[0]; ++j) {
      const double v = y[static_cast<size_t>(j * 3 + i)];
      if (j < lo || j >= hi) {
        EXPECT_EQ(v, 0.0);
      } else if (j <= mid) {
        EXPECT_NEAR(v, double(j - lo) / double(mid - lo), 1e-12);
      } else {
        EXPECT_NEAR(v, double(hi - j) / double(hi - mid), 1e-12);
      }
    }
  }
}

TEST(MelWeightMatrix, RejectsBadInputs) {
  expect_error([] { plan_mel_weight_matrix(0, 16, 8000, 0, 4000, true); }, INFER_INVALID_ARGUMENT,
               "num_mel_bins");
  expect_error([] { plan_mel_weight_matrix(8, 0, 8000, 0, 4000, true); }, INFER_INVALID_ARGUMENT,
               "dft_length");
  expect_error([] { plan_mel_weight_matrix(8, 16, 0, 0, 4000, true); }, INFER_INVALID_ARGUMENT,
               "sample_rate");
  expect_error([] { plan_mel_weight_matrix(8, 16, 8000, 100, 50, true); }, INFER_INVALID_ARGUMENT,
               "lower_edge_hertz");
  // Past Nyquist the filters would index bins that do not exist.
  expect_error([] { plan_mel_weight_matrix(8, 16, 8000, 0, 8000, true); }, INFER_INVALID_ARGUMENT,
               "spectrogram bin");
}

}  // namespace
}  // namespace infer::cpu::test
