#include "cl_util.h"

#include <stdexcept>

#include "cl_error.h"

namespace infer::opencl::kernels_detail {
namespace {

const char kCommonSource[] =
#include "common.cl.inc"
    ;

}  // namespace

void fail(const char* call, cl_int err) {
  throw std::runtime_error(std::string("opencl kernels: ") + call +
                           " failed: " + cl_error_name(err) + " (" + std::to_string(err) + ")");
}

void invalid(const std::string& what) { throw std::invalid_argument("opencl kernels: " + what); }

std::string program_source(const char* body) { return std::string(kCommonSource) + body; }

std::string activation_options(Activation act) {
  int code = 0;
  switch (act) {
    case Activation::kNone:
      code = 0;
      break;
    case Activation::kRelu:
      code = 1;
      break;
    case Activation::kClip:
      code = 2;
      break;
    case Activation::kSigmoid:
      code = 3;
      break;
  }
  return " -DACT=" + std::to_string(code);
}

cl_kernel create_kernel(cl_program program, const char* name) {
  cl_int err = CL_SUCCESS;
  cl_kernel kernel = clCreateKernel(program, name, &err);
  check(err, "clCreateKernel");
  return kernel;
}

int64_t float_offset(size_t bytes, const char* what) {
  if (bytes % sizeof(float) != 0)
    invalid(std::string(what) + " byte offset " + std::to_string(bytes) +
            " is not a multiple of 4");
  return static_cast<int64_t>(bytes / sizeof(float));
}

cl_event enqueue_kernel(cl_command_queue queue, cl_kernel kernel, const size_t* global,
                        const size_t* local, const std::vector<cl_event>& wait) {
  cl_event event = nullptr;
  check(clEnqueueNDRangeKernel(queue, kernel, 3, nullptr, global, local,
                               static_cast<cl_uint>(wait.size()),
                               wait.empty() ? nullptr : wait.data(), &event),
        "clEnqueueNDRangeKernel");
  return event;
}

}  // namespace infer::opencl::kernels_detail

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
    INFER_CL_ERR(CL_MISALIGNED_SUB_BUFFER_OFFSET)
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

}  // namespace infer::opencl
