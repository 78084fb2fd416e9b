// Thin, checked helpers over the OpenCL 1.2 C API: error names, a throwing check, and RAII
// owners for the handles the backend keeps.
#ifndef INFER_PLUGINS_OPENCL_CL_API_H_
#define INFER_PLUGINS_OPENCL_CL_API_H_

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <memory>
#include <string>
#include <type_traits>

#include "infer/plugin_cxx.hpp"
#include "kernels/cl_error.h"  // cl_error_name

namespace infer::opencl {

// Throws PluginError naming the call and the error when err is not CL_SUCCESS.
void check_cl(cl_int err, const char* call);

template <typename T>
struct ClDeleter;
template <>
struct ClDeleter<cl_mem> {
  void operator()(cl_mem m) const { clReleaseMemObject(m); }
};
template <>
struct ClDeleter<cl_kernel> {
  void operator()(cl_kernel k) const { clReleaseKernel(k); }
};
template <>
struct ClDeleter<cl_program> {
  void operator()(cl_program p) const { clReleaseProgram(p); }
};
template <>
struct ClDeleter<cl_command_queue> {
  void operator()(cl_command_queue q) const { clReleaseCommandQueue(q); }
};
template <>
struct ClDeleter<cl_context> {
  void operator()(cl_context c) const { clReleaseContext(c); }
};
template <>
struct ClDeleter<cl_event> {
  void operator()(cl_event e) const { clReleaseEvent(e); }
};

// Owner of one OpenCL handle (all of them are pointers to opaque structs).
template <typename T>
using ClHandle = std::unique_ptr<std::remove_pointer_t<T>, ClDeleter<T>>;

using Mem = ClHandle<cl_mem>;
using Kernel = ClHandle<cl_kernel>;
using Program = ClHandle<cl_program>;
using Queue = ClHandle<cl_command_queue>;
using Context = ClHandle<cl_context>;
using Event = ClHandle<cl_event>;

// String-valued clGetDeviceInfo / clGetPlatformInfo; "" when the query fails.
std::string device_info_string(cl_device_id dev, cl_device_info what);
std::string platform_info_string(cl_platform_id plat, cl_platform_info what);

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_CL_API_H_
