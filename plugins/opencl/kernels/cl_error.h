// The one OpenCL error-name table, shared by the kernels library and the opencl plugin
// (which links it).
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <string>

namespace infer::opencl {

// "CL_OUT_OF_RESOURCES" for -5; "CL error -1234" for codes it does not know.
std::string cl_error_name(cl_int err);

}  // namespace infer::opencl
