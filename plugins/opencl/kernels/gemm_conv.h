// Compute-heavy OpenCL kernels of the opencl backend: tiled GEMM (local memory) and 2-D
// convolution (1x1 as GEMM, depthwise/grouped direct, general im2col + GEMM).
//
// Self-contained: depends only on the OpenCL 1.2 API. Programs are built through a
// caller-provided ProgramBuilder so the backend's program cache (keyed by source and
// options) decides when LLVM runs. Every cl* failure throws std::runtime_error naming the
// call and the error code.
//
// Thread safety: create() may run concurrently; enqueue() is thread-safe (kernel arguments
// are set and the kernel enqueued under a per-object mutex; OpenCL captures arguments at
// enqueue time, so concurrent runs on different queues are fine).
//
// Offsets are in bytes and must be multiples of sizeof(float). All tensors are float32,
// row-major (NCHW for convolution).
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace infer::opencl {

// Builds (or returns from a cache) a program for this source and options on the device;
// throws on failure with the build log. The returned program stays owned by the builder
// (the kernels here retain what they need through clCreateKernel).
using ProgramBuilder =
    std::function<cl_program(const std::string& source, const std::string& options)>;

// Fused epilogue, applied after alpha/beta/bias.
enum class Activation { kNone, kRelu, kClip, kSigmoid };

// How the bias (ONNX Gemm's C) broadcasts to [M, N]; it is scaled by beta.
enum class BiasKind {
  kNone,
  kScalar,  // [] or [1] or [1, 1]
  kPerN,    // [N] or [1, N]: one value per column
  kPerM,    // [M] or [M, 1]: one value per row (conv's per-output-channel bias)
  kFull,    // [M, N]
};

// out[z] = act(alpha * op(A[z]) x op(B[z]) + beta * bias[z]), op = transpose when trans_*.
// A is [M, K] ([K, M] when trans_a), B is [K, N] ([N, K] when trans_b), out is [M, N], all
// packed. Batching has two levels (outer batch[0], inner batch[1]); batch index
// z = b0 * batch[1] + b1, and the element offset of a matrix for z is
// b0 * stride[0] + b1 * stride[1] (a stride of 0 broadcasts). For a plain batched MatMul use
// batch = {B, 1}; for [B,H,L,D] x [H,D,S] use batch = {B, H}, stride_b = {0, D*S}.
struct GemmDesc {
  int64_t M = 0, N = 0, K = 0;
  bool trans_a = false, trans_b = false;
  float alpha = 1.0f, beta = 1.0f;
  std::array<int64_t, 2> batch{1, 1};
  std::array<int64_t, 2> stride_a{0, 0}, stride_b{0, 0}, stride_c{0, 0}, stride_bias{0, 0};
  BiasKind bias = BiasKind::kNone;
  Activation act = Activation::kNone;
  float clip_min = 0.0f, clip_max = 0.0f;  // kClip only
};

class GemmKernel {
 public:
  // Builds the kernel for desc on the device, choosing a tile configuration whose work-group
  // fits CL_DEVICE_MAX_WORK_GROUP_SIZE and CL_KERNEL_WORK_GROUP_SIZE. Throws on invalid desc.
  // CPU devices get floatN register rows, others a scalar strided layout (coalesced on GPUs);
  // INFER_OPENCL_GEMM_TILES=vector|scalar overrides the choice.
  static std::unique_ptr<GemmKernel> create(cl_context context, cl_device_id device,
                                            const ProgramBuilder& build, const GemmDesc& desc);
  ~GemmKernel();
  GemmKernel(const GemmKernel&) = delete;
  GemmKernel& operator=(const GemmKernel&) = delete;

  // bias may be null when desc.bias is kNone. Returns the kernel's event (caller releases).
  cl_event enqueue(cl_command_queue queue, cl_mem a, size_t a_off, cl_mem b, size_t b_off,
                   cl_mem bias, size_t bias_off, cl_mem c, size_t c_off,
                   const std::vector<cl_event>& wait) const;
  const char* name() const { return name_.c_str(); }  // e.g. "gemm_64x64_nn"
  const GemmDesc& desc() const { return desc_; }

 private:
  GemmKernel() = default;
  GemmDesc desc_;
  cl_kernel kernel_ = nullptr;
  std::array<size_t, 2> local_{1, 1};  // work-group (cols, rows)
  std::array<size_t, 2> tile_{1, 1};   // output tile (cols, rows) per work-group
  std::string name_;
  mutable std::mutex mutex_;
};

// y = act(conv(x, w) + bias), NCHW float32. pads are {top, left, bottom, right}
// (ONNX order: begin H, begin W, end H, end W). OH/OW must match the usual formula.
struct ConvDesc {
  int64_t N = 1, C = 0, H = 0, W = 0, M = 0, group = 1;
  std::array<int64_t, 2> kernel{1, 1}, stride{1, 1}, dilation{1, 1};
  std::array<int64_t, 4> pads{0, 0, 0, 0};
  int64_t OH = 0, OW = 0;
  bool has_bias = false;
  Activation act = Activation::kNone;
  float clip_min = 0.0f, clip_max = 0.0f;
};

class ConvKernel {
 public:
  // Picks the algorithm: 1x1 stride 1 pad 0 -> GEMM straight on x; one input channel per
  // group (depthwise) -> direct kernel; otherwise im2col + batched GEMM over (N, group), with
  // bias and activation fused in the GEMM epilogue. Uploads weights [M, C/group, kh, kw] and
  // bias [M] (null when !has_bias) into device buffers owned by the object.
  static std::unique_ptr<ConvKernel> create(cl_context context, cl_device_id device,
                                            const ProgramBuilder& build, const ConvDesc& desc,
                                            const float* weights, const float* bias);
  ~ConvKernel();
  ConvKernel(const ConvKernel&) = delete;
  ConvKernel& operator=(const ConvKernel&) = delete;

  // Scratch (im2col of the whole batch) the caller provides per run; 0 when none is needed.
  size_t workspace_bytes() const { return workspace_bytes_; }

  // workspace may be null when workspace_bytes() is 0. Returns the event of the last kernel
  // (caller releases); when events is non-null, it also receives one retained event per
  // kernel enqueued (for per-kernel profiling; caller releases those too).
  cl_event enqueue(cl_command_queue queue, cl_mem x, size_t x_off, cl_mem y, size_t y_off,
                   cl_mem workspace, size_t ws_off, const std::vector<cl_event>& wait,
                   std::vector<cl_event>* events = nullptr) const;
  const char* name() const { return name_.c_str(); }  // e.g. "conv_im2col_gemm_64x64"
  const ConvDesc& desc() const { return desc_; }

 private:
  ConvKernel() = default;
  ConvDesc desc_;
  cl_mem weights_ = nullptr, bias_ = nullptr;
  std::unique_ptr<GemmKernel> gemm_;  // 1x1 and im2col paths
  cl_kernel im2col_ = nullptr;        // im2col path
  cl_kernel direct_ = nullptr;        // depthwise path
  size_t workspace_bytes_ = 0;
  std::string name_;
  mutable std::mutex mutex_;
};

}  // namespace infer::opencl
