// GEMM and convolution kernels of the opencl backend on a real OpenCL device (PoCL in CI),
// against double-precision references. Without a device every test fails: CI installs PoCL,
// so a missing device is a broken setup, not a reason to test less.
#include "gemm_conv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace infer::opencl {
namespace {

#define CL_OK(call)                                                                             \
  do {                                                                                          \
    const cl_int err_ = (call);                                                                 \
    if (err_ != CL_SUCCESS) throw std::runtime_error(#call " failed: " + std::to_string(err_)); \
  } while (0)

// One context and queue for the whole binary, and a program cache so each (source, options)
// pair is compiled by PoCL's LLVM once.
struct Device {
  cl_device_id device = nullptr;
  cl_context context = nullptr;
  cl_command_queue queue = nullptr;
  std::string description;
  std::string error;
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, cl_program> programs;

  Device() {
    cl_uint platforms = 0;
    if (clGetPlatformIDs(0, nullptr, &platforms) != CL_SUCCESS || platforms == 0) {
      error = "no OpenCL platform (install pocl-opencl-icd; check OCL_ICD_VENDORS)";
      return;
    }
    std::vector<cl_platform_id> ids(platforms);
    clGetPlatformIDs(platforms, ids.data(), nullptr);
    for (cl_platform_id p : ids) {
      if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &device, nullptr) == CL_SUCCESS) break;
      device = nullptr;
    }
    if (!device) {
      error = "OpenCL platforms exist but none has a device";
      return;
    }
    char name[256] = {};
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof(name) - 1, name, nullptr);
    description = name;
    cl_int err = CL_SUCCESS;
    context = clCreateContext(nullptr, 1, &device, nullptr, nullptr, &err);
    if (err != CL_SUCCESS) {
      error = "clCreateContext failed: " + std::to_string(err);
      return;
    }
    queue = clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, &err);
    if (err != CL_SUCCESS) error = "clCreateCommandQueue failed: " + std::to_string(err);
  }

  cl_program build(const std::string& source, const std::string& options) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = programs.find({source, options});
    if (it != programs.end()) return it->second;
    const char* text = source.c_str();
    cl_int err = CL_SUCCESS;
    cl_program program = clCreateProgramWithSource(context, 1, &text, nullptr, &err);
    CL_OK(err);
    if (clBuildProgram(program, 1, &device, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
      size_t size = 0;
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size);
      std::string log(size, '\0');
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr);
      clReleaseProgram(program);
      throw std::runtime_error("build failed (" + options + "):\n" + log);
    }
    programs.emplace(std::make_pair(source, options), program);
    return program;
  }

  ProgramBuilder builder() {
    return [this](const std::string& s, const std::string& o) { return build(s, o); };
  }

  cl_mem upload(const std::vector<float>& data) {
    cl_int err = CL_SUCCESS;
    const size_t bytes = std::max<size_t>(data.size(), 1) * sizeof(float);
    cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, nullptr, &err);
    CL_OK(err);
    if (!data.empty())
      CL_OK(clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, data.size() * sizeof(float), data.data(),
                                 0, nullptr, nullptr));
    return mem;
  }

  std::vector<float> download(cl_mem mem, size_t count, size_t offset_floats = 0) {
    std::vector<float> out(count);
    if (count)
      CL_OK(clEnqueueReadBuffer(queue, mem, CL_TRUE, offset_floats * sizeof(float),
                                count * sizeof(float), out.data(), 0, nullptr, nullptr));
    return out;
  }

  // Kernel time from profiling, in milliseconds.
  static double elapsed_ms(cl_event event) {
    cl_ulong start = 0, end = 0;
    CL_OK(clWaitForEvents(1, &event));
    CL_OK(
        clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, sizeof(start), &start, nullptr));
    CL_OK(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, sizeof(end), &end, nullptr));
    return static_cast<double>(end - start) * 1e-6;
  }
};

Device& device() {
  static Device d;
  return d;
}

class OpenCLKernels : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(device().error.empty())
        << "OpenCL device required (CI installs PoCL): " << device().error;
  }
};

std::vector<float> random_vector(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

double activate(double v, Activation act, double lo, double hi) {
  switch (act) {
    case Activation::kRelu:
      return std::max(v, 0.0);
    case Activation::kClip:
      return std::min(std::max(v, lo), hi);
    case Activation::kSigmoid:
      return 1.0 / (1.0 + std::exp(-v));
    case Activation::kNone:
      break;
  }
  return v;
}

// Compares out with ref elementwise, the error scaled by the sum of absolute terms (the
// natural bound of fp32 accumulation); returns the largest scaled error.
double max_scaled_error(const std::vector<float>& out, const std::vector<double>& ref,
                        const std::vector<double>& scale) {
  EXPECT_EQ(out.size(), ref.size());
  double worst = 0;
  for (size_t i = 0; i < out.size() && i < ref.size(); ++i) {
    const double err = std::abs(static_cast<double>(out[i]) - ref[i]) / std::max(scale[i], 1e-3);
    if (!(err <= worst)) worst = err;  // NaN propagates
  }
  return worst;
}

// ---------------------------------------------------------------------------- GEMM

int64_t bias_count(const GemmDesc& d) {
  switch (d.bias) {
    case BiasKind::kNone:
      return 0;
    case BiasKind::kScalar:
      return 1;
    case BiasKind::kPerN:
      return d.N;
    case BiasKind::kPerM:
      return d.M;
    case BiasKind::kFull:
      return d.M * d.N;
  }
  return 0;
}

// Fills packed batch strides for any stride left at 0 where the operand is not broadcast.
GemmDesc packed(int64_t M, int64_t N, int64_t K, bool ta = false, bool tb = false) {
  GemmDesc d;
  d.M = M;
  d.N = N;
  d.K = K;
  d.trans_a = ta;
  d.trans_b = tb;
  return d;
}

// Runs d on the device (with byte offsets off floats into every buffer) and checks against a
// double reference; returns the largest scaled error.
double check_gemm(const GemmDesc& d, size_t off = 0, double* ms = nullptr) {
  Device& dev = device();
  const int64_t batch = d.batch[0] * d.batch[1];
  auto extent = [&](const std::array<int64_t, 2>& s, int64_t one) {
    return (d.batch[0] - 1) * s[0] + (d.batch[1] - 1) * s[1] + one;
  };
  const int64_t a_n = extent(d.stride_a, d.M * d.K), b_n = extent(d.stride_b, d.K * d.N);
  const int64_t c_n = extent(d.stride_c, d.M * d.N);
  const int64_t bias_n = d.bias == BiasKind::kNone ? 0 : extent(d.stride_bias, bias_count(d));
  std::vector<float> a = random_vector(off + static_cast<size_t>(a_n), 1);
  std::vector<float> b = random_vector(off + static_cast<size_t>(b_n), 2);
  std::vector<float> bias = random_vector(off + static_cast<size_t>(bias_n), 3);
  std::vector<float> c(off + static_cast<size_t>(c_n), -777.0f);

  auto kernel = GemmKernel::create(dev.context, dev.device, dev.builder(), d);
  cl_mem ma = dev.upload(a), mb = dev.upload(b), mbias = dev.upload(bias), mc = dev.upload(c);
  const size_t o = off * sizeof(float);
  cl_event ev = kernel->enqueue(dev.queue, ma, o, mb, o, mbias, o, mc, o, {});
  if (ms) *ms = Device::elapsed_ms(ev);
  CL_OK(clWaitForEvents(1, &ev));
  clReleaseEvent(ev);
  std::vector<float> out = dev.download(mc, static_cast<size_t>(c_n), off);
  for (cl_mem m : {ma, mb, mbias, mc}) clReleaseMemObject(m);

  std::vector<double> ref(static_cast<size_t>(c_n), -777.0), scale(ref.size(), 1.0);
  for (int64_t z = 0; z < batch; ++z) {
    const int64_t b0 = z / d.batch[1], b1 = z % d.batch[1];
    const float* A = a.data() + off + b0 * d.stride_a[0] + b1 * d.stride_a[1];
    const float* B = b.data() + off + b0 * d.stride_b[0] + b1 * d.stride_b[1];
    const float* bz = bias.data() + off + b0 * d.stride_bias[0] + b1 * d.stride_bias[1];
    const int64_t cz = b0 * d.stride_c[0] + b1 * d.stride_c[1];
    for (int64_t m = 0; m < d.M; ++m) {
      for (int64_t n = 0; n < d.N; ++n) {
        double sum = 0, mag = 0;
        for (int64_t k = 0; k < d.K; ++k) {
          const double av = d.trans_a ? A[k * d.M + m] : A[m * d.K + k];
          const double bv = d.trans_b ? B[n * d.K + k] : B[k * d.N + n];
          sum += av * bv;
          mag += std::abs(av * bv);
        }
        double v = d.alpha * sum;
        mag *= std::abs(d.alpha);
        double bv = 0;
        switch (d.bias) {
          case BiasKind::kNone:
            break;
          case BiasKind::kScalar:
            bv = bz[0];
            break;
          case BiasKind::kPerN:
            bv = bz[n];
            break;
          case BiasKind::kPerM:
            bv = bz[m];
            break;
          case BiasKind::kFull:
            bv = bz[m * d.N + n];
            break;
        }
        v += d.beta * bv;
        mag += std::abs(d.beta * bv);
        const size_t idx = static_cast<size_t>(cz + m * d.N + n);
        ref[idx] = activate(v, d.act, d.clip_min, d.clip_max);
        scale[idx] = std::max(mag, 1.0);
      }
    }
  }
  return max_scaled_error(out, ref, scale);
}

constexpr double kTol = 1e-5;

TEST_F(OpenCLKernels, GemmShapes) {
  const int64_t shapes[][3] = {{1, 1, 1},   {17, 33, 65},  {128, 256, 512}, {64, 64, 64},
                               {3, 100, 7}, {65, 31, 129}, {1, 300, 40},    {200, 1, 33}};
  for (const auto& s : shapes) {
    const GemmDesc d = packed(s[0], s[1], s[2]);
    const double err = check_gemm(d);
    std::printf("gemm %lldx%lldx%lld: max scaled error %.3g\n", static_cast<long long>(s[0]),
                static_cast<long long>(s[1]), static_cast<long long>(s[2]), err);
    EXPECT_LE(err, kTol) << s[0] << "x" << s[1] << "x" << s[2];
  }
}

TEST_F(OpenCLKernels, GemmTransposes) {
  for (const auto& s : {std::array<int64_t, 3>{17, 33, 65}, {70, 45, 33}, {1, 9, 130}}) {
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        const double err = check_gemm(packed(s[0], s[1], s[2], ta, tb));
        EXPECT_LE(err, kTol) << s[0] << "x" << s[1] << "x" << s[2] << " ta=" << ta << " tb=" << tb;
      }
    }
  }
}

TEST_F(OpenCLKernels, GemmBatchedBroadcast) {
  // [B=2, H=3, L=17, D=20] x [H=3, D=20, S=9]: B broadcasts over the outer batch.
  GemmDesc d = packed(17, 9, 20);
  d.batch = {2, 3};
  d.stride_a = {3 * 17 * 20, 17 * 20};
  d.stride_b = {0, 20 * 9};
  d.stride_c = {3 * 17 * 9, 17 * 9};
  EXPECT_LE(check_gemm(d), kTol);
  // [L, K] x [B, K, N] with a transposed B: A broadcasts.
  GemmDesc e = packed(33, 40, 24, false, true);
  e.batch = {4, 1};
  e.stride_b = {40 * 24, 0};
  e.stride_c = {33 * 40, 0};
  EXPECT_LE(check_gemm(e), kTol);
  // Attention-like Q x K^T, [B,H,L,D] x [B,H,S,D]^T, with byte offsets into every buffer.
  GemmDesc f = packed(50, 50, 16, false, true);
  f.batch = {2, 4};
  f.stride_a = {4 * 50 * 16, 50 * 16};
  f.stride_b = f.stride_a;
  f.stride_c = {4 * 50 * 50, 50 * 50};
  f.alpha = 0.25f;
  EXPECT_LE(check_gemm(f, 13), kTol);
}

TEST_F(OpenCLKernels, GemmEpilogue) {
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kClip,
                             Activation::kSigmoid};
  const BiasKind biases[] = {BiasKind::kNone, BiasKind::kScalar, BiasKind::kPerN, BiasKind::kPerM,
                             BiasKind::kFull};
  // Each bias kind once, the activations rotating over them (every program is an LLVM build).
  for (size_t i = 0; i < std::size(biases); ++i) {
    const BiasKind bias = biases[i];
    const Activation act = acts[i % std::size(acts)];
    GemmDesc d = packed(37, 70, 45, bias == BiasKind::kFull, false);
    d.alpha = 0.5f;
    d.beta = -1.5f;
    d.bias = bias;
    d.act = act;
    d.clip_min = -0.5f;
    d.clip_max = 0.75f;
    EXPECT_LE(check_gemm(d), kTol)
        << "bias " << static_cast<int>(bias) << " act " << static_cast<int>(act);
  }
  // Batched per-row bias with its own stride, as the grouped convolution uses it.
  GemmDesc g = packed(8, 30, 12);
  g.batch = {2, 3};
  g.stride_a = {0, 8 * 12};
  g.stride_b = {3 * 12 * 30, 12 * 30};
  g.stride_c = {3 * 8 * 30, 8 * 30};
  g.bias = BiasKind::kPerM;
  g.stride_bias = {0, 8};
  g.act = Activation::kRelu;
  EXPECT_LE(check_gemm(g), kTol);
  // K = 0: only the bias remains.
  GemmDesc k0 = packed(5, 6, 0);
  k0.bias = BiasKind::kPerN;
  EXPECT_LE(check_gemm(k0), kTol);
}

// The scalar layout (meant for GPUs) on this device, through the override.
TEST_F(OpenCLKernels, GemmScalarLayout) {
  ::setenv("INFER_OPENCL_GEMM_TILES", "scalar", 1);
  Device& dev = device();
  const std::string name =
      GemmKernel::create(dev.context, dev.device, dev.builder(), packed(130, 70, 33))->name();
  EXPECT_EQ(name.find('v'), std::string::npos) << name;  // "v": the floatN layout
  for (const auto& s : {std::array<int64_t, 3>{130, 70, 33}, {17, 33, 65}, {5, 9, 3}}) {
    for (bool ta : {false, true}) {
      GemmDesc d = packed(s[0], s[1], s[2], ta, !ta);
      d.bias = BiasKind::kPerN;
      d.act = Activation::kRelu;
      d.batch = {2, 1};
      d.stride_a = {s[0] * s[2], 0};
      d.stride_c = {s[0] * s[1], 0};
      EXPECT_LE(check_gemm(d), kTol) << s[0] << "x" << s[1] << "x" << s[2] << " ta=" << ta;
    }
  }
  ::unsetenv("INFER_OPENCL_GEMM_TILES");
}

TEST_F(OpenCLKernels, GemmEmptyReturnsEvent) {
  Device& dev = device();
  auto kernel = GemmKernel::create(dev.context, dev.device, dev.builder(), packed(0, 5, 3));
  cl_mem m = dev.upload({0.0f});
  cl_event ev = kernel->enqueue(dev.queue, m, 0, m, 0, nullptr, 0, m, 0, {});
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(clWaitForEvents(1, &ev), CL_SUCCESS);
  clReleaseEvent(ev);
  clReleaseMemObject(m);
}

TEST_F(OpenCLKernels, GemmRejectsBadInput) {
  Device& dev = device();
  GemmDesc d = packed(4, 4, 4);
  d.batch = {0, 1};
  EXPECT_THROW(GemmKernel::create(dev.context, dev.device, dev.builder(), d),
               std::invalid_argument);
  auto kernel = GemmKernel::create(dev.context, dev.device, dev.builder(), packed(4, 4, 4));
  cl_mem m = dev.upload(std::vector<float>(64));
  EXPECT_THROW(kernel->enqueue(dev.queue, m, 2, m, 0, nullptr, 0, m, 0, {}), std::invalid_argument);
  clReleaseMemObject(m);
}

// ---------------------------------------------------------------------------- Conv

ConvDesc conv_desc(int64_t N, int64_t C, int64_t H, int64_t W, int64_t M, int64_t group, int64_t k,
                   int64_t s, int64_t p, int64_t dil = 1) {
  ConvDesc d;
  d.N = N;
  d.C = C;
  d.H = H;
  d.W = W;
  d.M = M;
  d.group = group;
  d.kernel = {k, k};
  d.stride = {s, s};
  d.dilation = {dil, dil};
  d.pads = {p, p, p, p};
  d.OH = (H + 2 * p - dil * (k - 1) - 1) / s + 1;
  d.OW = (W + 2 * p - dil * (k - 1) - 1) / s + 1;
  return d;
}

struct ConvResult {
  double error = 0;
  std::string name;
  double ms = 0;
  std::vector<double> kernel_ms;  // per enqueued kernel
};

ConvResult check_conv(const ConvDesc& d, unsigned seed = 7) {
  Device& dev = device();
  const int64_t cg = d.C / d.group, mg = d.M / d.group;
  const int64_t KH = d.kernel[0], KW = d.kernel[1];
  std::vector<float> x = random_vector(static_cast<size_t>(d.N * d.C * d.H * d.W), seed);
  std::vector<float> w = random_vector(static_cast<size_t>(d.M * cg * KH * KW), seed + 1);
  std::vector<float> bias = random_vector(static_cast<size_t>(d.M), seed + 2);
  const size_t y_n = static_cast<size_t>(d.N * d.M * d.OH * d.OW);

  auto kernel = ConvKernel::create(dev.context, dev.device, dev.builder(), d, w.data(),
                                   d.has_bias ? bias.data() : nullptr);
  cl_mem mx = dev.upload(x), my = dev.upload(std::vector<float>(y_n, -777.0f));
  cl_mem ws = nullptr;
  if (kernel->workspace_bytes()) {
    cl_int err = CL_SUCCESS;
    ws = clCreateBuffer(dev.context, CL_MEM_READ_WRITE, kernel->workspace_bytes(), nullptr, &err);
    CL_OK(err);
  }
  std::vector<cl_event> events;
  cl_event ev = kernel->enqueue(dev.queue, mx, 0, my, 0, ws, 0, {}, &events);
  CL_OK(clWaitForEvents(1, &ev));
  ConvResult result;
  result.name = kernel->name();
  for (cl_event e : events) {
    result.kernel_ms.push_back(Device::elapsed_ms(e));
    result.ms += result.kernel_ms.back();
    clReleaseEvent(e);
  }
  clReleaseEvent(ev);
  std::vector<float> y = dev.download(my, y_n);
  for (cl_mem m : {mx, my, ws})
    if (m) clReleaseMemObject(m);

  std::vector<double> ref(y_n), scale(y_n);
  for (int64_t n = 0; n < d.N; ++n) {
    for (int64_t m = 0; m < d.M; ++m) {
      const int64_t g = m / mg;
      for (int64_t oh = 0; oh < d.OH; ++oh) {
        for (int64_t ow = 0; ow < d.OW; ++ow) {
          double sum = d.has_bias ? bias[static_cast<size_t>(m)] : 0.0;
          double mag = std::abs(sum);
          for (int64_t c = 0; c < cg; ++c) {
            for (int64_t kh = 0; kh < KH; ++kh) {
              const int64_t ih = oh * d.stride[0] - d.pads[0] + kh * d.dilation[0];
              if (ih < 0 || ih >= d.H) continue;
              for (int64_t kw = 0; kw < KW; ++kw) {
                const int64_t iw = ow * d.stride[1] - d.pads[1] + kw * d.dilation[1];
                if (iw < 0 || iw >= d.W) continue;
                const double t =
                    static_cast<double>(
                        x[static_cast<size_t>(((n * d.C + g * cg + c) * d.H + ih) * d.W + iw)]) *
                    w[static_cast<size_t>(((m * cg + c) * KH + kh) * KW + kw)];
                sum += t;
                mag += std::abs(t);
              }
            }
          }
          const size_t idx = static_cast<size_t>(((n * d.M + m) * d.OH + oh) * d.OW + ow);
          ref[idx] = activate(sum, d.act, d.clip_min, d.clip_max);
          scale[idx] = std::max(mag, 1.0);
        }
      }
    }
  }
  result.error = max_scaled_error(y, ref, scale);
  return result;
}

TEST_F(OpenCLKernels, ConvCases) {
  struct Case {
    const char* label;
    ConvDesc desc;
    const char* algorithm;  // prefix of the kernel's name
  };
  std::vector<Case> cases = {
      {"3x3 pad1 stride1", conv_desc(1, 16, 14, 14, 32, 1, 3, 1, 1), "conv_im2col_gemm"},
      {"3x3 pad1 stride2", conv_desc(2, 8, 15, 13, 12, 1, 3, 2, 1), "conv_im2col_gemm"},
      {"1x1", conv_desc(2, 24, 9, 11, 40, 1, 1, 1, 0), "conv_1x1_gemm"},
      {"1x1 grouped", conv_desc(1, 12, 7, 7, 18, 3, 1, 1, 0), "conv_1x1_gemm"},
      {"1x1 stride2", conv_desc(1, 8, 9, 9, 16, 1, 1, 2, 0), "conv_im2col_gemm"},
      {"depthwise 3x3 stride2", conv_desc(2, 32, 17, 17, 32, 32, 3, 2, 1), "conv_depthwise"},
      {"depthwise 3x3 stride1", conv_desc(1, 16, 10, 12, 16, 16, 3, 1, 1), "conv_depthwise"},
      {"depthwise multiplier 2", conv_desc(1, 4, 8, 8, 8, 4, 5, 1, 2), "conv_depthwise"},
      {"grouped 3x3", conv_desc(2, 16, 10, 10, 8, 4, 3, 1, 1), "conv_im2col_gemm"},
      {"7x7 stride2 pad3 (stem)", conv_desc(1, 3, 64, 64, 16, 1, 7, 2, 3), "conv_im2col_gemm"},
      {"dilation 2", conv_desc(1, 6, 20, 18, 10, 1, 3, 1, 2, 2), "conv_im2col_gemm"},
      {"odd 5x5 no pad", conv_desc(3, 5, 11, 7, 7, 1, 5, 1, 0), "conv_im2col_gemm"},
      {"11x11 stride4", conv_desc(1, 3, 47, 47, 8, 1, 11, 4, 2), "conv_im2col_gemm"},
  };
  // Asymmetric pads and rectangular kernel.
  ConvDesc asym = conv_desc(1, 4, 9, 10, 6, 1, 3, 1, 0);
  asym.kernel = {3, 2};
  asym.stride = {2, 1};
  asym.pads = {1, 0, 2, 1};
  asym.OH = (9 + 3 - 2 - 1) / 2 + 1;
  asym.OW = (10 + 1 - 1 - 1) / 1 + 1;
  cases.push_back({"asymmetric pads 3x2", asym, "conv_im2col_gemm"});
  ConvDesc dw_asym = asym;
  dw_asym.C = dw_asym.M = dw_asym.group = 4;
  cases.push_back({"depthwise asymmetric pads", dw_asym, "conv_depthwise"});

  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kClip};
  size_t variant = 0;
  for (Case& c : cases) {
    // Rotate bias/activation over the cases so each algorithm sees each epilogue.
    for (int k = 0; k < 2; ++k, ++variant) {
      ConvDesc d = c.desc;
      d.has_bias = variant % 2 == 0;
      d.act = acts[variant % 3];
      d.clip_min = 0.0f;
      d.clip_max = 6.0f;
      const ConvResult r = check_conv(d, static_cast<unsigned>(variant));
      std::printf("conv %-28s %-22s bias=%d act=%d max scaled error %.3g\n", c.label,
                  r.name.c_str(), d.has_bias, static_cast<int>(d.act), r.error);
      EXPECT_LE(r.error, kTol) << c.label;
      EXPECT_EQ(r.name.rfind(c.algorithm, 0), 0u) << c.label << ": " << r.name;
    }
  }
}

TEST_F(OpenCLKernels, ConvRejectsBadInput) {
  Device& dev = device();
  ConvDesc d = conv_desc(1, 4, 8, 8, 4, 1, 3, 1, 1);
  d.OH = 7;
  std::vector<float> w(4 * 4 * 9);
  EXPECT_THROW(ConvKernel::create(dev.context, dev.device, dev.builder(), d, w.data(), nullptr),
               std::invalid_argument);
  d = conv_desc(1, 6, 8, 8, 4, 4, 3, 1, 1);  // C not a multiple of group
  EXPECT_THROW(ConvKernel::create(dev.context, dev.device, dev.builder(), d, w.data(), nullptr),
               std::invalid_argument);
}

// Kernel times on this device, for the record (not asserted: CI machines vary).
TEST_F(OpenCLKernels, Timings) {
  std::printf("device: %s\n", device().description.c_str());
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    double ms = 0;
    EXPECT_LE(check_gemm(packed(256, 256, 256), 0, &ms), kTol);
    best = std::min(best, ms);
  }
  std::printf("gemm 256x256x256: %.3f ms (%.2f GFLOP/s)\n", best,
              2.0 * 256 * 256 * 256 / (best * 1e6));
  struct TimedConv {
    const char* label;
    ConvDesc desc;
  };
  const TimedConv convs[] = {
      {"conv 3x3 64->64 56x56", conv_desc(1, 64, 56, 56, 64, 1, 3, 1, 1)},
      {"conv depthwise 3x3 144ch 56x56", conv_desc(1, 144, 56, 56, 144, 144, 3, 1, 1)},
      {"conv 1x1 144->24 56x56", conv_desc(1, 144, 56, 56, 24, 1, 1, 1, 0)},
  };
  for (const TimedConv& tc : convs) {
    ConvDesc d = tc.desc;
    d.has_bias = true;
    d.act = Activation::kRelu;
    best = 1e30;
    ConvResult fastest;
    for (int i = 0; i < 3; ++i) {
      const ConvResult r = check_conv(d);
      EXPECT_LE(r.error, kTol);
      if (r.ms < best) {
        best = r.ms;
        fastest = r;
      }
    }
    std::string kernels;
    for (double ms : fastest.kernel_ms) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), " %.3f", ms);
      kernels += buf;
    }
    const double flops = 2.0 * static_cast<double>(d.N * d.M * d.OH * d.OW * (d.C / d.group) *
                                                   d.kernel[0] * d.kernel[1]);
    std::printf("%s (%s): %.3f ms (%.2f GFLOP/s; per kernel ms:%s)\n", tc.label,
                fastest.name.c_str(), best, flops / (best * 1e6), kernels.c_str());
  }
}

}  // namespace
}  // namespace infer::opencl
