#include "device.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace infer::opencl {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<cl_device_id> platform_devices(cl_platform_id plat) {
  cl_uint n = 0;
  if (clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, 0, nullptr, &n) != CL_SUCCESS || n == 0) return {};
  std::vector<cl_device_id> devs(n);
  if (clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, n, devs.data(), nullptr) != CL_SUCCESS) return {};
  return devs;
}

DeviceChoice describe(cl_platform_id plat, cl_device_id dev) {
  DeviceChoice c;
  c.platform = plat;
  c.device = dev;
  c.platform_name = platform_info_string(plat, CL_PLATFORM_NAME);
  c.device_name = device_info_string(dev, CL_DEVICE_NAME);
  c.driver_version = device_info_string(dev, CL_DRIVER_VERSION);
  cl_device_type type = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof(type), &type, nullptr) == CL_SUCCESS) {
    c.is_gpu = (type & CL_DEVICE_TYPE_GPU) != 0;
  }
  return c;
}

}  // namespace

DeviceSearch find_device(std::string_view spec) {
  DeviceSearch out;
  cl_uint n_plat = 0;
  const cl_int err = clGetPlatformIDs(0, nullptr, &n_plat);
  if (err != CL_SUCCESS || n_plat == 0) {
    out.reason = "no OpenCL platform (ICD loader found 0 platforms";
    if (err != CL_SUCCESS) out.reason += ", clGetPlatformIDs: " + cl_error_name(err);
    out.reason += "; check OCL_ICD_VENDORS / /etc/OpenCL/vendors)";
    return out;
  }
  std::vector<cl_platform_id> plats(n_plat);
  if (clGetPlatformIDs(n_plat, plats.data(), nullptr) != CL_SUCCESS) {
    out.reason = "clGetPlatformIDs failed listing platforms";
    return out;
  }
  // Parse "<platform substring>[:<index>]".
  std::string want_platform(spec);
  long want_index = -1;
  if (const size_t colon = want_platform.rfind(':'); colon != std::string::npos) {
    const std::string idx = want_platform.substr(colon + 1);
    const auto [p, ec] = std::from_chars(idx.data(), idx.data() + idx.size(), want_index);
    if (ec != std::errc() || p != idx.data() + idx.size() || want_index < 0) {
      out.reason = "opencl.device '" + std::string(spec) +
                   "': expected <platform substring>[:<device index>]";
      return out;
    }
    want_platform.resize(colon);
  }
  want_platform = lower(want_platform);

  std::vector<DeviceChoice> all;
  for (cl_platform_id plat : plats) {
    if (!want_platform.empty() &&
        lower(platform_info_string(plat, CL_PLATFORM_NAME)).find(want_platform) ==
            std::string::npos) {
      continue;
    }
    for (cl_device_id dev : platform_devices(plat)) all.push_back(describe(plat, dev));
  }
  if (all.empty()) {
    out.reason =
        spec.empty()
            ? "no OpenCL device (" + std::to_string(n_plat) + " platform(s), none with a device)"
            : "no OpenCL device matches opencl.device '" + std::string(spec) + "'";
    return out;
  }
  if (want_index >= 0) {
    if (static_cast<size_t>(want_index) >= all.size()) {
      out.reason = "opencl.device '" + std::string(spec) + "': only " + std::to_string(all.size()) +
                   " device(s) match";
      return out;
    }
    out.choice = all[static_cast<size_t>(want_index)];
  } else {
    auto gpu = std::find_if(all.begin(), all.end(), [](const DeviceChoice& c) { return c.is_gpu; });
    out.choice = gpu != all.end() ? *gpu : all.front();
  }
  out.found = true;
  return out;
}

Device::Device(DeviceChoice choice) : choice_(std::move(choice)) {
  const cl_context_properties props[] = {
      CL_CONTEXT_PLATFORM, reinterpret_cast<cl_context_properties>(choice_.platform), 0};
  cl_int err = CL_SUCCESS;
  context_.reset(clCreateContext(props, 1, &choice_.device, nullptr, nullptr, &err));
  check_cl(err, "clCreateContext");
}

Queue Device::make_queue() const {
  cl_int err = CL_SUCCESS;
  Queue q(clCreateCommandQueue(context_.get(), choice_.device, CL_QUEUE_PROFILING_ENABLE, &err));
  check_cl(err, "clCreateCommandQueue");
  return q;
}

}  // namespace infer::opencl
