// Private to the ONNX frontend: GraphProto -> host graph, recursing into
// GRAPH attributes (If/Loop/Scan bodies).
#ifndef INFER_FRONTENDS_ONNX_GRAPH_IMPORT_H_
#define INFER_FRONTENDS_ONNX_GRAPH_IMPORT_H_

#include <set>
#include <string>
#include <utility>

#include "infer/plugin_api.h"

namespace onnx {
class GraphProto;
}

namespace infer::onnx_fe {

struct ImportContext {
  const infer_host_api* host = nullptr;
  const char* model_dir = nullptr;  // NULL for in-memory models
  // (domain, name) of model-local functions, which the IR cannot express.
  std::set<std::pair<std::string, std::string>> local_functions;
};

// Imports inputs, initializers, outputs, value_info and nodes of `graph` into
// the empty host graph `g`. Throws PluginError naming what was wrong.
void ImportGraph(const ImportContext& ctx, const onnx::GraphProto& graph, infer_graph* g);

}  // namespace infer::onnx_fe

#endif  // INFER_FRONTENDS_ONNX_GRAPH_IMPORT_H_
