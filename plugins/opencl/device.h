// Finding an OpenCL device through the ICD loader and holding its context.
#ifndef INFER_PLUGINS_OPENCL_DEVICE_H_
#define INFER_PLUGINS_OPENCL_DEVICE_H_

#include <memory>
#include <string>
#include <string_view>

#include "cl_api.h"

namespace infer::opencl {

struct DeviceChoice {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  std::string platform_name;
  std::string device_name;
  std::string driver_version;
  bool is_gpu = false;
  // "OpenCL:<platform>/<device>"
  std::string label() const { return "OpenCL:" + platform_name + "/" + device_name; }
};

struct DeviceSearch {
  bool found = false;
  DeviceChoice choice;
  std::string reason;  // why nothing was found
};

// spec "" picks the first GPU, else the first device of any type. Otherwise
// "<platform substring>[:<device index>]" (case-insensitive substring, index into that
// platform's devices, default 0); ":<index>" counts across all platforms. Never throws.
DeviceSearch find_device(std::string_view spec);

// A context on one device. Queues are made per run state (each with profiling on).
class Device {
 public:
  explicit Device(DeviceChoice choice);  // throws PluginError on failure
  cl_context context() const { return context_.get(); }
  cl_device_id id() const { return choice_.device; }
  const DeviceChoice& choice() const { return choice_; }
  Queue make_queue() const;

 private:
  DeviceChoice choice_;
  Context context_;
};

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_DEVICE_H_
