#include <climits>
#include <stdexcept>
#include <string>

#include "cl_util.h"

namespace infer::opencl {
namespace {

using namespace kernels_detail;

const char kConvSource[] =
#include "conv.cl.inc"
    ;

int64_t expected_extent(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                        int64_t pad_begin, int64_t pad_end) {
  return (in + pad_begin + pad_end - dilation * (kernel - 1) - 1) / stride + 1;
}

void validate(const ConvDesc& d) {
  if (d.N < 1 || d.C < 1 || d.H < 1 || d.W < 1 || d.M < 1 || d.group < 1)
    invalid("conv: sizes and group must be positive");
  if (d.C % d.group != 0 || d.M % d.group != 0) invalid("conv: C and M must be multiples of group");
  for (int i = 0; i < 2; ++i) {
    if (d.kernel[i] < 1 || d.stride[i] < 1 || d.dilation[i] < 1)
      invalid("conv: kernel, stride and dilation must be positive");
  }
  for (int64_t p : d.pads) {
    if (p < 0) invalid("conv: negative pad");
  }
  const int64_t oh =
      expected_extent(d.H, d.kernel[0], d.stride[0], d.dilation[0], d.pads[0], d.pads[2]);
  const int64_t ow =
      expected_extent(d.W, d.kernel[1], d.stride[1], d.dilation[1], d.pads[1], d.pads[3]);
  if (oh != d.OH || ow != d.OW || oh < 1 || ow < 1)
    invalid("conv: output " + std::to_string(d.OH) + "x" + std::to_string(d.OW) +
            " does not match the computed " + std::to_string(oh) + "x" + std::to_string(ow));
  if (d.N * d.C * d.H * d.W > INT_MAX || d.N * d.M * d.OH * d.OW > INT_MAX)
    invalid("conv: tensor has more than 2^31 elements");
}

cl_mem upload(cl_context context, const float* data, int64_t count, const char* what) {
  if (!data) invalid(std::string("conv: ") + what + " is null");
  cl_int err = CL_SUCCESS;
  // COPY_HOST_PTR copies during the call, so no queue is needed and data may be freed after.
  cl_mem mem =
      clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                     static_cast<size_t>(count) * sizeof(float), const_cast<float*>(data), &err);
  check(err, "clCreateBuffer");
  return mem;
}

std::string tile_suffix(const GemmKernel& gemm) {
  // "gemm_64x64_nn" -> "64x64"
  const std::string name = gemm.name();
  const size_t begin = name.find('_') + 1;
  return name.substr(begin, name.rfind('_') - begin);
}

}  // namespace

std::unique_ptr<ConvKernel> ConvKernel::create(cl_context context, cl_device_id device,
                                               const ProgramBuilder& build, const ConvDesc& desc,
                                               const float* weights, const float* bias) {
  validate(desc);
  const ConvDesc& d = desc;
  std::unique_ptr<ConvKernel> self(new ConvKernel());
  self->desc_ = d;
  const int64_t cg = d.C / d.group, mg = d.M / d.group;
  const int64_t taps = d.kernel[0] * d.kernel[1];
  self->weights_ = upload(context, weights, d.M * cg * taps, "weights");
  if (d.has_bias) self->bias_ = upload(context, bias, d.M, "bias");

  const bool pointwise = taps == 1 && d.stride[0] == 1 && d.stride[1] == 1 && d.pads[0] == 0 &&
                         d.pads[1] == 0 && d.pads[2] == 0 && d.pads[3] == 0;
  const std::string conv_options =
      "-cl-std=CL1.2 -DHAS_BIAS=" + std::to_string(d.has_bias ? 1 : 0) + activation_options(d.act);
  if (!pointwise && cg == 1) {
    cl_program program = build(program_source(kConvSource), conv_options);
    self->direct_ = create_kernel(program, "conv_depthwise");
    self->name_ = "conv_depthwise";
    return self;
  }

  // Per (image, group): out[mg, P] = W_g[mg, Kc] x cols[Kc, P] (+ bias per row).
  const int64_t spatial = d.OH * d.OW;
  const int64_t kc = cg * taps;
  GemmDesc g;
  g.M = mg;
  g.N = spatial;
  g.K = kc;
  g.batch = {d.N, d.group};
  g.stride_a = {0, mg * kc};
  g.stride_b = {d.C * taps * spatial, kc * spatial};  // x itself when pointwise
  g.stride_c = {d.M * spatial, mg * spatial};
  g.bias = d.has_bias ? BiasKind::kPerM : BiasKind::kNone;
  g.stride_bias = {0, mg};
  g.act = d.act;
  g.clip_min = d.clip_min;
  g.clip_max = d.clip_max;
  self->gemm_ = GemmKernel::create(context, device, build, g);
  if (pointwise) {
    self->name_ = "conv_1x1_gemm_" + tile_suffix(*self->gemm_);
    return self;
  }
  cl_program program = build(program_source(kConvSource), conv_options);
  self->im2col_ = create_kernel(program, "im2col");
  self->workspace_bytes_ = static_cast<size_t>(d.N * d.C * taps * spatial) * sizeof(float);
  self->name_ = "conv_im2col_gemm_" + tile_suffix(*self->gemm_);
  return self;
}

ConvKernel::~ConvKernel() {
  gemm_.reset();
  if (im2col_) clReleaseKernel(im2col_);
  if (direct_) clReleaseKernel(direct_);
  if (bias_) clReleaseMemObject(bias_);
  if (weights_) clReleaseMemObject(weights_);
}

cl_event ConvKernel::enqueue(cl_command_queue queue, cl_mem x, size_t x_off, cl_mem y, size_t y_off,
                             cl_mem workspace, size_t ws_off, const std::vector<cl_event>& wait,
                             std::vector<cl_event>* events) const {
  const ConvDesc& d = desc_;
  const auto as_int = [](int64_t v) { return static_cast<cl_int>(v); };
  const auto as_long = [](int64_t v) { return static_cast<cl_long>(v); };
  // Keeps a retained copy of a kernel's event for the caller's profiling.
  const auto report = [events](cl_event event) {
    if (!events) return;
    check(clRetainEvent(event), "clRetainEvent");
    events->push_back(event);
  };
  const cl_int geometry[8] = {as_int(d.kernel[0]), as_int(d.kernel[1]),   as_int(d.stride[0]),
                              as_int(d.stride[1]), as_int(d.dilation[0]), as_int(d.dilation[1]),
                              as_int(d.pads[0]),   as_int(d.pads[1])};

  if (direct_) {
    const cl_mem no_bias = nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    cl_uint i = 0;
    set_arg(direct_, i++, x);
    set_arg(direct_, i++, as_long(float_offset(x_off, "conv x")));
    set_arg(direct_, i++, weights_);
    set_arg(direct_, i++, bias_ ? bias_ : no_bias);
    set_arg(direct_, i++, y);
    set_arg(direct_, i++, as_long(float_offset(y_off, "conv y")));
    for (int64_t v : {d.C, d.H, d.W, d.M, d.OH, d.OW}) set_arg(direct_, i++, as_int(v));
    for (int k = 0; k < 8; ++k) set_arg(direct_, i++, geometry[k]);
    set_arg(direct_, i++, d.clip_min);
    set_arg(direct_, i++, d.clip_max);
    const size_t global[3] = {static_cast<size_t>(d.OW), static_cast<size_t>(d.OH),
                              static_cast<size_t>(d.N * d.M)};
    cl_event event = enqueue_kernel(queue, direct_, global, nullptr, wait);
    report(event);
    return event;
  }

  if (!im2col_) {
    cl_event event = gemm_->enqueue(queue, weights_, 0, x, x_off, bias_, 0, y, y_off, wait);
    report(event);
    return event;
  }

  if (!workspace)
    invalid("conv: im2col needs a workspace of " + std::to_string(workspace_bytes_) + " bytes");
  cl_event cols = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_uint i = 0;
    set_arg(im2col_, i++, x);
    set_arg(im2col_, i++, as_long(float_offset(x_off, "conv x")));
    set_arg(im2col_, i++, workspace);
    set_arg(im2col_, i++, as_long(float_offset(ws_off, "conv workspace")));
    for (int64_t v : {d.C, d.H, d.W, d.OH, d.OW}) set_arg(im2col_, i++, as_int(v));
    for (int k = 0; k < 8; ++k) set_arg(im2col_, i++, geometry[k]);
    const size_t global[3] = {static_cast<size_t>(d.OW), static_cast<size_t>(d.OH),
                              static_cast<size_t>(d.N * d.C * d.kernel[0] * d.kernel[1])};
    cols = enqueue_kernel(queue, im2col_, global, nullptr, wait);
  }
  cl_event event = nullptr;
  try {
    event = gemm_->enqueue(queue, weights_, 0, workspace, ws_off, bias_, 0, y, y_off, {cols});
  } catch (...) {
    clReleaseEvent(cols);
    throw;
  }
  if (events) {
    events->push_back(cols);  // hands our reference over
    report(event);
  } else {
    clReleaseEvent(cols);
  }
  return event;
}

}  // namespace infer::opencl
