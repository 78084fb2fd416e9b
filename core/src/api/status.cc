#include "api/status.h"

#include <new>

namespace infer::core {
namespace {

infer_status_code CodeFromAbsl(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return INFER_OK;
    case absl::StatusCode::kInvalidArgument:
      return INFER_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound:
      return INFER_NOT_FOUND;
    case absl::StatusCode::kUnimplemented:
      return INFER_UNIMPLEMENTED;
    case absl::StatusCode::kOutOfRange:
      return INFER_OUT_OF_RANGE;
    case absl::StatusCode::kResourceExhausted:
      return INFER_RESOURCE_EXHAUSTED;
    case absl::StatusCode::kUnavailable:
      return INFER_UNAVAILABLE;
    case absl::StatusCode::kFailedPrecondition:
      return INFER_FAILED_PRECONDITION;
    case absl::StatusCode::kDataLoss:
      return INFER_INVALID_MODEL;
    default:
      return INFER_INTERNAL;
  }
}

absl::StatusCode AbslFromCode(infer_status_code code) {
  switch (code) {
    case INFER_OK:
      return absl::StatusCode::kOk;
    case INFER_INVALID_ARGUMENT:
      return absl::StatusCode::kInvalidArgument;
    // absl has no "invalid model"; kDataLoss round-trips it.
    case INFER_INVALID_MODEL:
      return absl::StatusCode::kDataLoss;
    case INFER_NOT_FOUND:
      return absl::StatusCode::kNotFound;
    case INFER_UNIMPLEMENTED:
      return absl::StatusCode::kUnimplemented;
    case INFER_OUT_OF_RANGE:
      return absl::StatusCode::kOutOfRange;
    case INFER_RESOURCE_EXHAUSTED:
      return absl::StatusCode::kResourceExhausted;
    case INFER_ABI_MISMATCH:
      return absl::StatusCode::kFailedPrecondition;
    case INFER_UNAVAILABLE:
      return absl::StatusCode::kUnavailable;
    case INFER_FAILED_PRECONDITION:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

infer_status* MakeCStatus(infer_status_code code, std::string message) {
  if (code == INFER_OK) code = INFER_INTERNAL;  // an error object must carry an error
  return new (std::nothrow) infer_status{code, std::move(message)};
}

infer_status* ToC(const absl::Status& status) {
  if (status.ok()) return nullptr;
  return MakeCStatus(CodeFromAbsl(status.code()), std::string(status.message()));
}

absl::Status FromC(infer_status* status) {
  if (status == nullptr) return absl::OkStatus();
  absl::Status s(AbslFromCode(status->code), status->message);
  delete status;
  return s;
}

const char* StatusCodeName(infer_status_code code) {
  switch (code) {
    case INFER_OK:
      return "OK";
    case INFER_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case INFER_INVALID_MODEL:
      return "INVALID_MODEL";
    case INFER_NOT_FOUND:
      return "NOT_FOUND";
    case INFER_UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case INFER_OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case INFER_RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case INFER_ABI_MISMATCH:
      return "ABI_MISMATCH";
    case INFER_UNAVAILABLE:
      return "UNAVAILABLE";
    case INFER_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    default:
      return "INTERNAL";
  }
}

}  // namespace infer::core
