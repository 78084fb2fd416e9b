// Private to the ONNX frontend: reads tensor bytes stored outside the model
// file, refusing any location that could escape the model's folder.
#ifndef INFER_FRONTENDS_ONNX_EXTERNAL_DATA_H_
#define INFER_FRONTENDS_ONNX_EXTERNAL_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

namespace infer::onnx_fe {

// Reads `length` bytes at `offset` of `location`, a path relative to
// `model_dir`. `what` names the tensor for error messages. Throws PluginError:
// FAILED_PRECONDITION without a model_dir, INVALID_MODEL for unsafe or
// out-of-range locations, NOT_FOUND for missing files.
std::vector<uint8_t> ReadExternalData(const char* model_dir, const std::string& location,
                                      uint64_t offset, uint64_t length, const std::string& what);

}  // namespace infer::onnx_fe

#endif  // INFER_FRONTENDS_ONNX_EXTERNAL_DATA_H_
