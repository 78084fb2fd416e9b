// Small helpers shared by gemm.cc and conv.cc (internal to infer_opencl_kernels).
#pragma once

#include <cstdint>
#include <string>

#include "gemm_conv.h"

namespace infer::opencl::kernels_detail {

// Throws std::runtime_error "opencl kernels: <call> failed: <name> (<code>)".
[[noreturn]] void fail(const char* call, cl_int err);
inline void check(cl_int err, const char* call) {
  if (err != CL_SUCCESS) fail(call, err);
}
[[noreturn]] void invalid(const std::string& what);

// The source of one program: the shared activation epilogue followed by body.
std::string program_source(const char* body);
// "-DACT=<n> -DCLIP..." part of the build options for an activation.
std::string activation_options(Activation act);

cl_kernel create_kernel(cl_program program, const char* name);

template <class T>
void set_arg(cl_kernel kernel, cl_uint index, const T& value) {
  check(clSetKernelArg(kernel, index, sizeof(T), &value), "clSetKernelArg");
}

// Element offset from a byte offset (must be float-aligned).
int64_t float_offset(size_t bytes, const char* what);

// Enqueues kernel over global (rounded up to local by the caller when local is non-null).
cl_event enqueue_kernel(cl_command_queue queue, cl_kernel kernel, const size_t* global,
                        const size_t* local, const std::vector<cl_event>& wait);

}  // namespace infer::opencl::kernels_detail
