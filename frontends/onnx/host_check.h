// Private to the ONNX frontend: error plumbing between PluginError and the
// host's infer_status.
#ifndef INFER_FRONTENDS_ONNX_HOST_CHECK_H_
#define INFER_FRONTENDS_ONNX_HOST_CHECK_H_

#include <string>
#include <utility>

#include "infer/plugin_api.h"
#include "infer/plugin_cxx.hpp"

namespace infer::onnx_fe {

using infer::plugin::PluginError;

[[noreturn]] inline void Fail(infer_status_code code, std::string message) {
  throw PluginError(code, std::move(message));
}

// Every host call that returns a status goes through here: the host's code
// is kept, and `what` says which part of the model was being imported.
inline void Check(const infer_host_api* host, infer_status* status, const std::string& what) {
  if (status == nullptr) return;
  infer_status_code code = host->status_code(status);
  const char* message = host->status_message(status);
  std::string text = what + ": " + (message != nullptr ? message : "(no message)");
  host->status_release(status);
  // A non-NULL status always means failure, even if the host forgot a code.
  Fail(code == INFER_OK ? INFER_INTERNAL : code, std::move(text));
}

// Routes a message to the host's logger, if it has one.
inline void Log(const infer_host_api* host, infer_log_level level, const std::string& message) {
  if (host->log != nullptr) host->log(level, "onnx", message.c_str());
}

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace infer::onnx_fe

#endif  // INFER_FRONTENDS_ONNX_HOST_CHECK_H_
