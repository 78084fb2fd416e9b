#include <algorithm>
#include <climits>
#include <cstdlib>
#include <iterator>
#include <string>

#include "cl_util.h"

namespace infer::opencl {
namespace {

using namespace kernels_detail;

const char kGemmSource[] =
#include "gemm.cl.inc"
    ;

// Output tile TSM x TSN, depth TSK, WPTM x WPTN outputs per work-item; vec: WPTN contiguous
// columns per work-item as one floatN.
struct Tile {
  int tsm, tsn, tsk, wptm, wptn;
  bool vec;
  size_t local_cols() const { return static_cast<size_t>(tsn / wptn); }
  size_t local_rows() const { return static_cast<size_t>(tsm / wptm); }
  size_t group_size() const { return local_cols() * local_rows(); }
};

// Largest first; later entries are fallbacks for small matrices and for devices with small
// work-groups. CPU tiles were measured on PoCL (AVX-512): float16 rows of 8 per work-item
// reach 4x the scalar layout there.
constexpr Tile kCpuTiles[] = {
    {64, 64, 32, 8, 16, true},  // 32 work-items
    {32, 32, 32, 8, 16, true},  // 8
    {16, 16, 16, 2, 2, false},  // 64
    {8, 8, 8, 2, 2, false},     // 16
    {1, 1, 1, 1, 1, false},     // 1
};
constexpr Tile kGpuTiles[] = {
    {64, 64, 16, 4, 4, false},  // 256 work-items
    {32, 32, 16, 4, 4, false},  // 64
    {16, 16, 16, 2, 2, false},  // 64
    {8, 8, 8, 2, 2, false},     // 16
    {4, 4, 4, 1, 1, false},     // 16
    {2, 2, 2, 1, 1, false},     // 4
    {1, 1, 1, 1, 1, false},     // 1
};

// First tile to try: big tiles only pay off when the matrix fills them.
size_t preferred_tile(const GemmDesc& d, bool cpu) {
  const int64_t small = std::min(d.M, d.N);
  if (small >= 64) return 0;
  if (cpu || small >= 32) return 1;
  return 2;
}

int bias_code(BiasKind kind) {
  switch (kind) {
    case BiasKind::kNone:
      return 0;
    case BiasKind::kScalar:
      return 1;
    case BiasKind::kPerN:
      return 2;
    case BiasKind::kPerM:
      return 3;
    case BiasKind::kFull:
      return 4;
  }
  return 0;
}

void validate(const GemmDesc& d) {
  if (d.M < 0 || d.N < 0 || d.K < 0 || d.batch[0] < 1 || d.batch[1] < 1)
    invalid("gemm: negative size or batch < 1");
  // Indices inside one matrix are 32-bit in the kernel.
  if (d.M * d.K > INT_MAX || d.K * d.N > INT_MAX || d.M * d.N > INT_MAX || d.batch[1] > INT_MAX)
    invalid("gemm: a matrix has more than 2^31 elements");
}

}  // namespace

std::unique_ptr<GemmKernel> GemmKernel::create(cl_context /*context*/, cl_device_id device,
                                               const ProgramBuilder& build, const GemmDesc& desc) {
  validate(desc);
  size_t max_group = 0;
  check(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(max_group), &max_group,
                        nullptr),
        "clGetDeviceInfo(CL_DEVICE_MAX_WORK_GROUP_SIZE)");
  size_t max_items[3] = {0, 0, 0};
  check(
      clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof(max_items), max_items, nullptr),
      "clGetDeviceInfo(CL_DEVICE_MAX_WORK_ITEM_SIZES)");

  cl_device_type type = 0;
  check(clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof(type), &type, nullptr),
        "clGetDeviceInfo(CL_DEVICE_TYPE)");
  bool cpu = (type & CL_DEVICE_TYPE_CPU) != 0;
  // Overrides the layout choice, for tuning and for testing both layouts on one device.
  if (const char* tiles_env = std::getenv("INFER_OPENCL_GEMM_TILES")) {
    const std::string forced = tiles_env;
    if (forced == "vector") cpu = true;
    if (forced == "scalar") cpu = false;
  }
  const Tile* tiles = cpu ? kCpuTiles : kGpuTiles;
  const size_t tile_count = cpu ? std::size(kCpuTiles) : std::size(kGpuTiles);

  const std::string source = program_source(kGemmSource);
  std::unique_ptr<GemmKernel> self(new GemmKernel());
  self->desc_ = desc;
  for (size_t t = preferred_tile(desc, cpu); t < tile_count; ++t) {
    const Tile& tile = tiles[t];
    if (tile.group_size() > max_group || tile.local_cols() > max_items[0] ||
        tile.local_rows() > max_items[1])
      continue;
    const std::string options =
        "-cl-std=CL1.2 -DTSM=" + std::to_string(tile.tsm) + " -DTSN=" + std::to_string(tile.tsn) +
        " -DTSK=" + std::to_string(tile.tsk) + " -DWPTM=" + std::to_string(tile.wptm) +
        " -DWPTN=" + std::to_string(tile.wptn) + " -DVEC=" + std::to_string(tile.vec ? 1 : 0) +
        " -DTRANS_A=" + std::to_string(desc.trans_a ? 1 : 0) +
        " -DTRANS_B=" + std::to_string(desc.trans_b ? 1 : 0) +
        " -DBIAS=" + std::to_string(bias_code(desc.bias)) + activation_options(desc.act);
    cl_kernel kernel = create_kernel(build(source, options), "gemm");
    // The compiled kernel may allow less than the device (registers, local memory).
    size_t kernel_max = 0;
    const cl_int err = clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE,
                                                sizeof(kernel_max), &kernel_max, nullptr);
    if (err != CL_SUCCESS) {
      clReleaseKernel(kernel);
      fail("clGetKernelWorkGroupInfo(CL_KERNEL_WORK_GROUP_SIZE)", err);
    }
    if (kernel_max < tile.group_size()) {
      clReleaseKernel(kernel);
      continue;
    }
    self->kernel_ = kernel;
    self->local_ = {tile.local_cols(), tile.local_rows()};
    self->tile_ = {static_cast<size_t>(tile.tsn), static_cast<size_t>(tile.tsm)};
    self->name_ = "gemm_" + std::to_string(tile.tsm) + "x" + std::to_string(tile.tsn) +
                  (tile.vec ? "v" : "") + "_" + (desc.trans_a ? "t" : "n") +
                  (desc.trans_b ? "t" : "n");
    return self;
  }
  invalid("gemm: no tile configuration fits the device's work-group limits");
}

GemmKernel::~GemmKernel() {
  if (kernel_) clReleaseKernel(kernel_);
}

cl_event GemmKernel::enqueue(cl_command_queue queue, cl_mem a, size_t a_off, cl_mem b, size_t b_off,
                             cl_mem bias, size_t bias_off, cl_mem c, size_t c_off,
                             const std::vector<cl_event>& wait) const {
  const GemmDesc& d = desc_;
  const int64_t batch = d.batch[0] * d.batch[1];
  if (d.M == 0 || d.N == 0) {
    // Nothing to compute, but callers still get an event to wait on or release.
    cl_event event = nullptr;
    check(clEnqueueMarkerWithWaitList(queue, static_cast<cl_uint>(wait.size()),
                                      wait.empty() ? nullptr : wait.data(), &event),
          "clEnqueueMarkerWithWaitList");
    return event;
  }
  const cl_mem no_bias = nullptr;
  const auto as_int = [](int64_t v) { return static_cast<cl_int>(v); };
  const auto as_long = [](int64_t v) { return static_cast<cl_long>(v); };
  std::lock_guard<std::mutex> lock(mutex_);
  cl_uint i = 0;
  set_arg(kernel_, i++, as_int(d.M));
  set_arg(kernel_, i++, as_int(d.N));
  set_arg(kernel_, i++, as_int(d.K));
  set_arg(kernel_, i++, as_int(d.batch[1]));
  set_arg(kernel_, i++, a);
  set_arg(kernel_, i++, as_long(float_offset(a_off, "gemm A")));
  set_arg(kernel_, i++, as_long(d.stride_a[0]));
  set_arg(kernel_, i++, as_long(d.stride_a[1]));
  set_arg(kernel_, i++, b);
  set_arg(kernel_, i++, as_long(float_offset(b_off, "gemm B")));
  set_arg(kernel_, i++, as_long(d.stride_b[0]));
  set_arg(kernel_, i++, as_long(d.stride_b[1]));
  set_arg(kernel_, i++, d.bias == BiasKind::kNone ? no_bias : bias);
  set_arg(kernel_, i++, as_long(float_offset(bias_off, "gemm bias")));
  set_arg(kernel_, i++, as_long(d.stride_bias[0]));
  set_arg(kernel_, i++, as_long(d.stride_bias[1]));
  set_arg(kernel_, i++, c);
  set_arg(kernel_, i++, as_long(float_offset(c_off, "gemm C")));
  set_arg(kernel_, i++, as_long(d.stride_c[0]));
  set_arg(kernel_, i++, as_long(d.stride_c[1]));
  set_arg(kernel_, i++, d.alpha);
  set_arg(kernel_, i++, d.beta);
  set_arg(kernel_, i++, d.clip_min);
  set_arg(kernel_, i++, d.clip_max);
  const auto groups = [](int64_t n, size_t tile) {
    return (static_cast<size_t>(n) + tile - 1) / tile;
  };
  const size_t global[3] = {groups(d.N, tile_[0]) * local_[0], groups(d.M, tile_[1]) * local_[1],
                            static_cast<size_t>(batch)};
  const size_t local[3] = {local_[0], local_[1], 1};
  return enqueue_kernel(queue, kernel_, global, local, wait);
}

}  // namespace infer::opencl
