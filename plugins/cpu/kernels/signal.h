// Signal processing: window functions, the discrete Fourier transform, the short-time Fourier
// transform and mel filter banks. Everything computes in double (as ONNX's reference does
// through numpy's FFT) so that float32 outputs near zero stay accurate.
#ifndef INFER_PLUGINS_CPU_KERNELS_SIGNAL_H_
#define INFER_PLUGINS_CPU_KERNELS_SIGNAL_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

enum class WindowFunction { kHann, kHamming, kBlackman };
// ONNX HannWindow/HammingWindow/BlackmanWindow: periodic windows divide by size, symmetric ones
// by size - 1. out has `size` entries.
void window_function(WindowFunction kind, int64_t size, bool periodic, double* out);

// DFT over one axis of x [..., N, ..., C] where C (the last dimension) is 1 for real and 2 for
// complex values. The input is viewed as [outer, n_in, inner, C] and the output as
// [outer, n_out, inner, C_out].
struct DftPlan {
  int64_t outer = 0, inner = 0;
  int64_t n_in = 0, c_in = 0;    // input length along the axis, 1 or 2
  int64_t length = 0;            // dft_length: the transform size
  int64_t n_out = 0, c_out = 0;  // output length along the axis, 1 or 2
  bool inverse = false, onesided = false;
  Shape y_shape;
};
// axis in [-r, -2] or [0, r - 2]; dft_length defaults to the axis length (or 2 * (n - 1) for
// the one-sided inverse). Throws on bad shapes, axes and lengths.
DftPlan plan_dft(ShapeSpan x, int64_t axis, std::optional<int64_t> dft_length, bool inverse,
                 bool onesided);
void dft(const DftPlan& plan, const double* x, double* y);

// STFT of signal [batch, length, C] (C 1 or 2) in frames of frame_length samples, frame_step
// apart, each multiplied by the window (frame_length values, or all ones when absent).
struct StftPlan {
  int64_t batch = 0, length = 0, c_in = 0;
  int64_t frame_step = 0, frame_length = 0, frames = 0, bins = 0;
  bool onesided = false;
  Shape y_shape;  // [batch, frames, bins, 2]
};
// frame_length: from the input, else the window's length, else the signal length.
StftPlan plan_stft(ShapeSpan signal, int64_t frame_step, std::optional<ShapeSpan> window,
                   std::optional<int64_t> frame_length, bool onesided);
void stft(const StftPlan& plan, const double* signal, const double* window, double* y);

// ONNX MelWeightMatrix: [dft_length / 2 + 1, num_mel_bins] triangular filters on the mel scale.
struct MelPlan {
  int64_t num_mel_bins = 0;
  std::vector<int64_t> edges;  // num_mel_bins + 2 spectrogram bins: left, centre, right, ...
  Shape y_shape;
};
// single_precision: the edges come as float32 (or narrower), whose mel conversion ONNX's
// reference computes in float32 before switching to double; matching it keeps the bin edges,
// which are floored, identical.
MelPlan plan_mel_weight_matrix(int64_t num_mel_bins, int64_t dft_length, int64_t sample_rate,
                               double lower_edge_hertz, double upper_edge_hertz,
                               bool single_precision);
void mel_weight_matrix(const MelPlan& plan, double* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SIGNAL_H_
