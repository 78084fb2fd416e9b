#include "cl_api.h"

#include <vector>

namespace infer::opencl {

void check_cl(cl_int err, const char* call) {
  if (err == CL_SUCCESS) return;
  const infer_status_code code = err == CL_OUT_OF_RESOURCES || err == CL_OUT_OF_HOST_MEMORY ||
                                         err == CL_MEM_OBJECT_ALLOCATION_FAILURE
                                     ? INFER_RESOURCE_EXHAUSTED
                                     : INFER_INTERNAL;
  throw plugin::PluginError(code,
                            std::string("opencl: ") + call + " failed: " + cl_error_name(err));
}

namespace {
template <typename Fn>
std::string info_string(Fn&& query) {
  size_t n = 0;
  if (query(0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::vector<char> buf(n);
  if (query(n, buf.data(), nullptr) != CL_SUCCESS) return "";
  std::string s(buf.data(), n);
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}
}  // namespace

std::string device_info_string(cl_device_id dev, cl_device_info what) {
  return info_string(
      [&](size_t n, void* p, size_t* out) { return clGetDeviceInfo(dev, what, n, p, out); });
}

std::string platform_info_string(cl_platform_id plat, cl_platform_info what) {
  return info_string(
      [&](size_t n, void* p, size_t* out) { return clGetPlatformInfo(plat, what, n, p, out); });
}

}  // namespace infer::opencl
