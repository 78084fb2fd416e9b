// infer's optimised model file (core/proto/infer_model.proto): the graph after
// the passes, with weights, so that deployment loads it without optimising
// again. Only model_file.cc sees protobuf.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ir/graph.h"

namespace infer::core {

// Bumped whenever the file layout or the meaning of its graph changes.
inline constexpr uint32_t kModelFileFormatVersion = 1;

// True if the bytes start with the optimised-model magic.
bool IsOptimizedModel(const void* bytes, size_t len);

struct OptimizedModel {
  std::unique_ptr<Graph> graph;
  int level = 0;
  std::string producer_version;
};

// Parses and checks a file; truncated, corrupt or incompatible files are
// clear errors, never crashes.
absl::StatusOr<OptimizedModel> ReadOptimizedModel(const void* bytes, size_t len);

// Writes the graph (live nodes, used values) to `path`.
absl::Status WriteOptimizedModel(const Graph& graph, int level, const std::string& path);

}  // namespace infer::core
