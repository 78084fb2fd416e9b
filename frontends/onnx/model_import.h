// Private to the ONNX frontend: model bytes -> host graph.
#ifndef INFER_FRONTENDS_ONNX_MODEL_IMPORT_H_
#define INFER_FRONTENDS_ONNX_MODEL_IMPORT_H_

#include <cstddef>

#include "infer/plugin_api.h"

namespace infer::onnx_fe {

// Parses a serialized ModelProto and fills the empty graph `g`: opsets,
// metadata, then the main graph. Throws PluginError on any problem.
void LoadModel(const infer_host_api* host, const void* bytes, size_t len, const char* model_dir,
               infer_graph* g);

// Cheap sniff of the first bytes: does this look like a ModelProto?
bool LooksLikeModel(const void* head, size_t len);

}  // namespace infer::onnx_fe

#endif  // INFER_FRONTENDS_ONNX_MODEL_IMPORT_H_
