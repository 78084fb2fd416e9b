// Finds, loads, checks and initialises plugin libraries.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "infer/plugin_api.h"
#include "plugin/abi_objects.h"
#include "plugin/custom_ops.h"
#include "schema/op_schema.h"

namespace boost::dll {
class shared_library;
}

namespace infer::core {

// One file we tried to load, successful or not.
struct PluginRecord {
  std::string path;
  bool loaded = false;  // probed, checked and initialised
  // Probed fine but scored 0: its device is absent here (score_reason says why).
  bool unavailable = false;
  std::string error;  // why not, when !loaded
  // From the probe (empty if the file failed before it).
  std::string name, vendor, version, description, score_reason;
  uint32_t kinds = 0;
  uint32_t abi_major = 0, abi_minor = 0;
  int32_t score = 0;

  const infer_plugin_api* api = nullptr;
  void* state = nullptr;
  std::shared_ptr<boost::dll::shared_library> library;

  // Tables, NULL unless the plugin is loaded and of that kind.
  const infer_frontend_api* frontend = nullptr;
  const infer_backend_api* backend = nullptr;
  const infer_pass_api* pass = nullptr;
  const infer_custom_op_api* custom_ops = nullptr;
};

class PluginRegistry {
 public:
  // Scans each folder for shared libraries and loads them. A folder that does
  // not exist is an error; a file that fails is recorded and skipped. The
  // schemas of custom-op plugins are added to `schemas` (a custom-op plugin
  // whose ops are invalid or already registered fails as a whole).
  static absl::StatusOr<std::unique_ptr<PluginRegistry>> Load(const std::vector<std::string>& dirs,
                                                              SchemaRegistry* schemas);
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  const std::vector<PluginRecord>& records() const { return records_; }
  // Loaded plugins of one kind, in load order.
  std::vector<const PluginRecord*> OfKind(infer_plugin_kind kind) const;
  const PluginRecord* FindLoaded(std::string_view name, infer_plugin_kind kind) const;
  // A plugin of that name whose probe said it cannot run here (no device), or null.
  const PluginRecord* FindUnavailable(std::string_view name) const;
  // A one-line summary of files that failed, for error messages.
  std::string FailureSummary() const;
  const CustomOpRegistry& custom_ops() const { return custom_ops_; }

 private:
  PluginRegistry() = default;
  void LoadFile(const std::string& path);
  void RegisterCustomOps(SchemaRegistry& schemas);

  std::vector<PluginRecord> records_;
  infer_config init_config_;
  CustomOpRegistry custom_ops_;
};

const char* PluginKindNames(uint32_t kinds, std::string* storage);

}  // namespace infer::core
