#include "kernels/signal.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace infer::cpu {

namespace {

constexpr double kPi = std::numbers::pi;

// cos/sin of 2 pi j / n for j < n, so that angles are reduced exactly with (k * t) % n.
struct Twiddles {
  std::vector<double> cos, sin;
  explicit Twiddles(int64_t n) : cos(static_cast<size_t>(n)), sin(static_cast<size_t>(n)) {
    for (int64_t j = 0; j < n; ++j) {
      const double a = 2 * kPi * static_cast<double>(j) / static_cast<double>(n);
      cos[static_cast<size_t>(j)] = std::cos(a);
      sin[static_cast<size_t>(j)] = std::sin(a);
    }
  }
};

// One transform of `len` complex values (re, im) into n_out values: forward uses e^{-i...},
// inverse e^{+i...} and divides by len.
void dft_line(const Twiddles& tw, int64_t len, const double* re, const double* im, bool inverse,
              int64_t n_out, double* out_re, double* out_im) {
  const double sign = inverse ? 1.0 : -1.0;
  for (int64_t k = 0; k < n_out; ++k) {
    double sr = 0, si = 0;
    for (int64_t t = 0; t < len; ++t) {
      const auto j = static_cast<size_t>(k * t % len);
      const double c = tw.cos[j], s = sign * tw.sin[j];
      sr += re[t] * c - im[t] * s;
      si += re[t] * s + im[t] * c;
    }
    if (inverse) {
      sr /= static_cast<double>(len);
      si /= static_cast<double>(len);
    }
    out_re[k] = sr;
    out_im[k] = si;
  }
}

// numpy's irfft: the first len / 2 + 1 values are one half of a Hermitian spectrum; the
// imaginary parts of the DC and Nyquist terms are ignored.
void irfft_line(const Twiddles& tw, int64_t len, const double* re, const double* im, double* out) {
  const int64_t half = len / 2;
  for (int64_t t = 0; t < len; ++t) {
    double s = re[0];
    for (int64_t k = 1; 2 * k < len; ++k) {
      const auto j = static_cast<size_t>(k * t % len);
      s += 2 * (re[k] * tw.cos[j] - im[k] * tw.sin[j]);
    }
    if (len % 2 == 0 && half > 0) s += re[half] * ((t % 2) ? -1.0 : 1.0);
    out[t] = s / static_cast<double>(len);
  }
}

}  // namespace

void window_function(WindowFunction kind, int64_t size, bool periodic, double* out) {
  const int64_t denom = periodic ? size : size - 1;
  for (int64_t n = 0; n < size; ++n) {
    // A symmetric window of one sample would divide by zero; it is the single value 1, as in
    // torch and scipy.
    const double x = denom > 0 ? static_cast<double>(n) / static_cast<double>(denom) : 0.0;
    switch (kind) {
      case WindowFunction::kHann: {
        const double s = std::sin(kPi * x);
        out[n] = denom > 0 ? s * s : 1.0;
        break;
      }
      case WindowFunction::kHamming: {
        constexpr double alpha = 25.0 / 46.0;
        out[n] = denom > 0 ? alpha - (1 - alpha) * std::cos(2 * kPi * x) : 1.0;
        break;
      }
      case WindowFunction::kBlackman:
        out[n] =
            denom > 0 ? 0.42 - 0.5 * std::cos(2 * kPi * x) + 0.08 * std::cos(4 * kPi * x) : 1.0;
        break;
    }
  }
}

DftPlan plan_dft(ShapeSpan x, int64_t axis, std::optional<int64_t> dft_length, bool inverse,
                 bool onesided) {
  const auto r = static_cast<int64_t>(x.size());
  if (r < 2) fail_input(str_cat("DFT input must have rank >= 2, got ", shape_str(x)));
  const int64_t c_in = x.back();
  if (c_in != 1 && c_in != 2) {
    fail_input(str_cat("the last dimension of the DFT input must be 1 (real) or 2 (complex), got ",
                       shape_str(x)));
  }
  // The last dimension holds the real and imaginary parts and cannot be transformed.
  if (axis < -r || axis > r - 2 || axis == -1) {
    fail_input(str_cat("DFT axis ", axis, " is out of range for input ", shape_str(x),
                       " (the last dimension holds complex parts)"));
  }
  const auto a = static_cast<size_t>(axis < 0 ? axis + r : axis);
  DftPlan p;
  p.inverse = inverse;
  p.onesided = onesided;
  p.c_in = c_in;
  p.n_in = x[a];
  p.outer = dims_product(x, 0, a);
  p.inner = dims_product(x, a + 1, x.size() - 1);
  const bool irfft = inverse && onesided;
  p.length = dft_length ? *dft_length : (irfft ? 2 * (p.n_in - 1) : p.n_in);
  if (p.length <= 0) {
    fail_input(str_cat("DFT length must be positive, got ", p.length,
                       dft_length ? "" : " (from the input shape)"));
  }
  p.n_out = (onesided && !inverse) ? p.length / 2 + 1 : p.length;
  p.c_out = irfft ? 1 : 2;
  p.y_shape.assign(x.begin(), x.end());
  p.y_shape[a] = p.n_out;
  p.y_shape.back() = p.c_out;
  numel(p.y_shape);  // overflow check
  return p;
}

void dft(const DftPlan& p, const double* x, double* y) {
  const Twiddles tw(p.length);
  const bool irfft = p.inverse && p.onesided;
  // irfft reads the first length / 2 + 1 values; the others read `length` values.
  const int64_t used = irfft ? p.length / 2 + 1 : p.length;
  std::vector<double> re(static_cast<size_t>(used)), im(static_cast<size_t>(used));
  std::vector<double> out_re(static_cast<size_t>(p.n_out)), out_im(static_cast<size_t>(p.n_out));
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int64_t i = 0; i < p.inner; ++i) {
      // Gather the line, truncated or zero-padded to `used` values.
      for (int64_t t = 0; t < used; ++t) {
        if (t < p.n_in) {
          const double* v = x + ((o * p.n_in + t) * p.inner + i) * p.c_in;
          re[t] = v[0];
          im[t] = p.c_in == 2 ? v[1] : 0.0;
        } else {
          re[t] = im[t] = 0.0;
        }
      }
      if (irfft) {
        irfft_line(tw, p.length, re.data(), im.data(), out_re.data());
      } else {
        dft_line(tw, p.length, re.data(), im.data(), p.inverse, p.n_out, out_re.data(),
                 out_im.data());
      }
      for (int64_t k = 0; k < p.n_out; ++k) {
        double* v = y + ((o * p.n_out + k) * p.inner + i) * p.c_out;
        v[0] = out_re[k];
        if (p.c_out == 2) v[1] = out_im[k];
      }
    }
  }
}

StftPlan plan_stft(ShapeSpan signal, int64_t frame_step, std::optional<ShapeSpan> window,
                   std::optional<int64_t> frame_length, bool onesided) {
  if (signal.size() != 3 || (signal[2] != 1 && signal[2] != 2)) {
    fail_input(str_cat("STFT signal must be [batch, length, 1 or 2], got ", shape_str(signal)));
  }
  StftPlan p;
  p.batch = signal[0];
  p.length = signal[1];
  p.c_in = signal[2];
  if (frame_step <= 0) fail_input(str_cat("STFT frame_step must be positive, got ", frame_step));
  p.frame_step = frame_step;
  if (window && window->size() != 1) {
    fail_input(str_cat("STFT window must be 1-D, got ", shape_str(*window)));
  }
  if (frame_length) {
    p.frame_length = *frame_length;
    if (window && (*window)[0] != p.frame_length) {
      fail_input(str_cat("STFT window has ", (*window)[0], " values but frame_length is ",
                         p.frame_length));
    }
  } else {
    p.frame_length = window ? (*window)[0] : p.length;
  }
  if (p.frame_length <= 0) {
    fail_input(str_cat("STFT frame_length must be positive, got ", p.frame_length));
  }
  if (p.frame_length > p.length) {
    fail_input(
        str_cat("STFT frame_length ", p.frame_length, " exceeds the signal length ", p.length));
  }
  p.frames = (p.length - p.frame_length) / p.frame_step + 1;
  p.onesided = onesided;
  p.bins = onesided ? p.frame_length / 2 + 1 : p.frame_length;
  p.y_shape = {p.batch, p.frames, p.bins, 2};
  numel(p.y_shape);
  return p;
}

void stft(const StftPlan& p, const double* signal, const double* window, double* y) {
  const Twiddles tw(p.frame_length);
  const auto n = static_cast<size_t>(p.frame_length);
  std::vector<double> re(n), im(n), out_re(static_cast<size_t>(p.bins)),
      out_im(static_cast<size_t>(p.bins));
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t f = 0; f < p.frames; ++f) {
      const double* s = signal + (b * p.length + f * p.frame_step) * p.c_in;
      for (int64_t t = 0; t < p.frame_length; ++t) {
        const double w = window ? window[t] : 1.0;
        re[t] = s[t * p.c_in] * w;
        im[t] = p.c_in == 2 ? s[t * p.c_in + 1] * w : 0.0;
      }
      dft_line(tw, p.frame_length, re.data(), im.data(), false, p.bins, out_re.data(),
               out_im.data());
      double* out = y + (b * p.frames + f) * p.bins * 2;
      for (int64_t k = 0; k < p.bins; ++k) {
        out[2 * k] = out_re[k];
        out[2 * k + 1] = out_im[k];
      }
    }
  }
}

MelPlan plan_mel_weight_matrix(int64_t num_mel_bins, int64_t dft_length, int64_t sample_rate,
                               double lower_edge_hertz, double upper_edge_hertz,
                               bool single_precision) {
  if (num_mel_bins <= 0) fail_input(str_cat("num_mel_bins must be positive, got ", num_mel_bins));
  if (dft_length <= 0) fail_input(str_cat("dft_length must be positive, got ", dft_length));
  if (sample_rate <= 0) fail_input(str_cat("sample_rate must be positive, got ", sample_rate));
  if (!(lower_edge_hertz >= 0) || !(upper_edge_hertz >= lower_edge_hertz)) {
    fail_input(str_cat("need 0 <= lower_edge_hertz <= upper_edge_hertz, got ", lower_edge_hertz,
                       " and ", upper_edge_hertz));
  }
  auto to_mel = [&](double hz) {
    if (single_precision) {
      const float m = 2595.0f * std::log1p(static_cast<float>(hz) / 700.0f);
      return static_cast<double>(m) / std::log(10.0);
    }
    return 2595.0 * std::log1p(hz / 700.0) / std::log(10.0);
  };
  const double low = to_mel(lower_edge_hertz), high = to_mel(upper_edge_hertz);
  const int64_t points = checked_add(num_mel_bins, 2);
  // ONNX divides the mel range by the number of points, not the number of intervals.
  const double step = (high - low) / static_cast<double>(points);
  MelPlan p;
  p.num_mel_bins = num_mel_bins;
  const int64_t spectrogram_bins = dft_length / 2 + 1;
  p.edges.resize(static_cast<size_t>(points));
  for (int64_t i = 0; i < points; ++i) {
    const double mel = static_cast<double>(i) * step + low;
    const double hz = 700.0 * std::expm1(mel / 2595.0 * std::log(10.0));
    const double bin =
        std::floor(static_cast<double>(dft_length + 1) * hz / static_cast<double>(sample_rate));
    if (!(bin >= 0 && bin < static_cast<double>(spectrogram_bins))) {
      fail_input(str_cat("upper_edge_hertz ", upper_edge_hertz,
                         " maps past the last spectrogram bin (sample_rate ", sample_rate,
                         ", dft_length ", dft_length, ")"));
    }
    p.edges[static_cast<size_t>(i)] = static_cast<int64_t>(bin);
  }
  p.y_shape = {spectrogram_bins, num_mel_bins};
  numel(p.y_shape);
  return p;
}

void mel_weight_matrix(const MelPlan& p, double* y) {
  const int64_t m = p.num_mel_bins;
  std::fill(y, y + numel(p.y_shape), 0.0);
  for (int64_t i = 0; i < m; ++i) {
    const int64_t lo = p.edges[static_cast<size_t>(i)], mid = p.edges[static_cast<size_t>(i + 1)],
                  hi = p.edges[static_cast<size_t>(i + 2)];
    // Rising edge (including the peak), then the falling edge; a zero-width rise is a spike.
    if (mid == lo) {
      y[mid * m + i] = 1.0;
    } else {
      for (int64_t j = lo; j <= mid; ++j) {
        y[j * m + i] = static_cast<double>(j - lo) / static_cast<double>(mid - lo);
      }
    }
    for (int64_t j = mid; j < hi; ++j) {
      y[j * m + i] = static_cast<double>(hi - j) / static_cast<double>(hi - mid);
    }
  }
}

}  // namespace infer::cpu
