// infer_status: the error object that crosses the plugin ABI and the C API.
// Inside the core we use absl::Status and convert at the edges.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "infer/plugin_api.h"

struct infer_status {
  infer_status_code code;
  std::string message;
};

namespace infer::core {

// NULL for OK; otherwise a new status the receiver releases.
infer_status* ToC(const absl::Status& status);
// Takes ownership of `status` (may be NULL) and converts it.
absl::Status FromC(infer_status* status);
infer_status* MakeCStatus(infer_status_code code, std::string message);
const char* StatusCodeName(infer_status_code code);

}  // namespace infer::core

// Propagates a non-OK absl::Status from the current function.
#define INFER_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status _infer_status = (expr);         \
    if (!_infer_status.ok()) return _infer_status; \
  } while (false)

#define INFER_CONCAT_INNER(a, b) a##b
#define INFER_CONCAT(a, b) INFER_CONCAT_INNER(a, b)
// Assigns the value of an absl::StatusOr or returns its error.
#define INFER_ASSIGN_OR_RETURN(lhs, expr) \
  INFER_ASSIGN_OR_RETURN_IMPL(INFER_CONCAT(_infer_or_, __LINE__), lhs, expr)
#define INFER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)
