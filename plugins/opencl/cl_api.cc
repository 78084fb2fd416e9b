#include "cl_api.h"

#include <vector>

namespace infer::opencl {

std::string cl_error_name(cl_int err) {
  switch (err) {
#define INFER_CL_ERR(name) \
  case name:               \
    return #name;
    INFER_CL_ERR(CL_SUCCESS)
    INFER_CL_ERR(CL_DEVICE_NOT_FOUND)
    INFER_CL_ERR(CL_DEVICE_NOT_AVAILABLE)
    INFER_CL_ERR(CL_COMPILER_NOT_AVAILABLE)
    INFER_CL_ERR(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    INFER_CL_ERR(CL_OUT_OF_RESOURCES)
    INFER_CL_ERR(CL_OUT_OF_HOST_MEMORY)
    INFER_CL_ERR(CL_PROFILING_INFO_NOT_AVAILABLE)
    INFER_CL_ERR(CL_MEM_COPY_OVERLAP)
    INFER_CL_ERR(CL_BUILD_PROGRAM_FAILURE)
    INFER_CL_ERR(CL_MAP_FAILURE)
    INFER_CL_ERR(CL_INVALID_VALUE)
    INFER_CL_ERR(CL_INVALID_DEVICE_TYPE)
    INFER_CL_ERR(CL_INVALID_PLATFORM)
    INFER_CL_ERR(CL_INVALID_DEVICE)
    INFER_CL_ERR(CL_INVALID_CONTEXT)
    INFER_CL_ERR(CL_INVALID_QUEUE_PROPERTIES)
    INFER_CL_ERR(CL_INVALID_COMMAND_QUEUE)
    INFER_CL_ERR(CL_INVALID_HOST_PTR)
    INFER_CL_ERR(CL_INVALID_MEM_OBJECT)
    INFER_CL_ERR(CL_INVALID_BINARY)
    INFER_CL_ERR(CL_INVALID_BUILD_OPTIONS)
    INFER_CL_ERR(CL_INVALID_PROGRAM)
    INFER_CL_ERR(CL_INVALID_PROGRAM_EXECUTABLE)
    INFER_CL_ERR(CL_INVALID_KERNEL_NAME)
    INFER_CL_ERR(CL_INVALID_KERNEL_DEFINITION)
    INFER_CL_ERR(CL_INVALID_KERNEL)
    INFER_CL_ERR(CL_INVALID_ARG_INDEX)
    INFER_CL_ERR(CL_INVALID_ARG_VALUE)
    INFER_CL_ERR(CL_INVALID_ARG_SIZE)
    INFER_CL_ERR(CL_INVALID_KERNEL_ARGS)
    INFER_CL_ERR(CL_INVALID_WORK_DIMENSION)
    INFER_CL_ERR(CL_INVALID_WORK_GROUP_SIZE)
    INFER_CL_ERR(CL_INVALID_WORK_ITEM_SIZE)
    INFER_CL_ERR(CL_INVALID_GLOBAL_OFFSET)
    INFER_CL_ERR(CL_INVALID_EVENT_WAIT_LIST)
    INFER_CL_ERR(CL_INVALID_EVENT)
    INFER_CL_ERR(CL_INVALID_OPERATION)
    INFER_CL_ERR(CL_INVALID_BUFFER_SIZE)
    INFER_CL_ERR(CL_INVALID_GLOBAL_WORK_SIZE)
#undef INFER_CL_ERR
    case -1001:  // CL_PLATFORM_NOT_FOUND_KHR, from the ICD loader
      return "CL_PLATFORM_NOT_FOUND_KHR";
    default:
      return "CL error " + std::to_string(err);
  }
}

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
