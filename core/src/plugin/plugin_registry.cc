#include "plugin/plugin_registry.h"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/status.h"
#include "spdlog/spdlog.h"

namespace infer::core {
namespace {

namespace fs = std::filesystem;

bool LooksLikeSharedLibrary(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.ends_with(".so") || name.find(".so.") != std::string::npos ||
         name.ends_with(".dylib") || name.ends_with(".dll");
}

// True if the file holds the engine's own C API (a copy of libinfer.so): loading it would run
// its static initialisers a second time, and protobuf aborts the process on the duplicate
// descriptors. Plugins never contain these names (they do not link libinfer).
bool IsCoreLibrary(const fs::path& p) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  std::string bytes(static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes.find(std::string_view("infer_env_create\0", 17)) != std::string::npos &&
         bytes.find(std::string_view("infer_session_run\0", 18)) != std::string::npos;
}

// Boost.DLL clears dlerror() on failure, so its message is only "Bad file
// descriptor". Ask the dynamic loader once more to tell the user why.
std::string DlopenReason(const std::string& path, const std::string& fallback) {
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle != nullptr) {
    dlclose(handle);
    return fallback;
  }
  const char* why = dlerror();
  return why != nullptr ? std::string(why) : fallback;
}

std::string Str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

// True if the plugin's table is large enough to contain `member`.
template <typename Table, typename Member>
bool HasField(const Table* t, Member Table::*member) {
  static const Table sample{};
  const auto offset = static_cast<size_t>(reinterpret_cast<const char*>(&(sample.*member)) -
                                          reinterpret_cast<const char*>(&sample));
  return t->struct_size >= offset + sizeof(Member);
}

}  // namespace

const char* PluginKindNames(uint32_t kinds, std::string* storage) {
  std::vector<std::string> names;
  if (kinds & INFER_PLUGIN_FRONTEND) names.push_back("frontend");
  if (kinds & INFER_PLUGIN_BACKEND) names.push_back("backend");
  if (kinds & INFER_PLUGIN_PASS) names.push_back("pass");
  if (kinds & INFER_PLUGIN_CUSTOM_OPS) names.push_back("custom-ops");
  *storage = names.empty() ? "none" : absl::StrJoin(names, "+");
  return storage->c_str();
}

absl::StatusOr<std::unique_ptr<PluginRegistry>> PluginRegistry::Load(
    const std::vector<std::string>& dirs, SchemaRegistry* schemas) {
  std::unique_ptr<PluginRegistry> registry(new PluginRegistry());
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return absl::NotFoundError(absl::StrCat("plugin folder '", dir, "' does not exist"));
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file(ec) && LooksLikeSharedLibrary(entry.path())) {
        files.push_back(entry.path());
      }
    }
    if (ec) {
      return absl::NotFoundError(
          absl::StrCat("cannot read plugin folder '", dir, "': ", ec.message()));
    }
    std::sort(files.begin(), files.end());  // deterministic load order
    for (const auto& f : files) registry->LoadFile(f.string());
  }
  if (schemas != nullptr) registry->RegisterCustomOps(*schemas);
  return registry;
}

void PluginRegistry::LoadFile(const std::string& path) {
  PluginRecord rec;
  rec.path = path;
  auto fail = [&](std::string why) {
    rec.error = std::move(why);
    spdlog::debug("plugin {} not loaded: {}", path, rec.error);
    records_.push_back(std::move(rec));
  };

  auto lib = std::make_shared<boost::dll::shared_library>();
  if (IsCoreLibrary(path)) {
    return fail("not a plugin: this is a copy of the engine's core library (libinfer)");
  }
  boost::system::error_code ec;
  // RTLD_NODELETE: a library stays mapped after its environment is released. Plugins that
  // register process-wide state (the ONNX frontend's protobuf descriptors) abort when they
  // are unloaded and loaded again; with it, a new environment reuses the mapped library.
  const auto mode = static_cast<boost::dll::load_mode::type>(
      static_cast<unsigned>(boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) |
      RTLD_NODELETE);
  lib->load(path, ec, mode);
  if (ec) return fail(absl::StrCat("cannot load: ", DlopenReason(path, ec.message())));
  if (!lib->has(INFER_PLUGIN_ENTRY_SYMBOL)) {
    return fail(absl::StrCat("not an infer plugin: missing entry symbol '",
                             INFER_PLUGIN_ENTRY_SYMBOL, "'"));
  }
  auto& entry = lib->get<const infer_plugin_api*(uint32_t, uint32_t)>(INFER_PLUGIN_ENTRY_SYMBOL);
  const infer_plugin_api* api = entry(INFER_PLUGIN_ABI_MAJOR, INFER_PLUGIN_ABI_MINOR);
  if (api == nullptr) {
    return fail(absl::StrCat("entry symbol returned NULL (plugin refuses host ABI ",
                             INFER_PLUGIN_ABI_MAJOR, ".", INFER_PLUGIN_ABI_MINOR, ")"));
  }
  rec.abi_major = api->abi_major;
  rec.abi_minor = api->abi_minor;
  if (api->abi_major != INFER_PLUGIN_ABI_MAJOR) {
    return fail(absl::StrCat("ABI major ", api->abi_major, " does not match host ABI major ",
                             INFER_PLUGIN_ABI_MAJOR, " (plugin ", api->abi_major, ".",
                             api->abi_minor, ", host ", INFER_PLUGIN_ABI_MAJOR, ".",
                             INFER_PLUGIN_ABI_MINOR, ")"));
  }
  if (!HasField(api, &infer_plugin_api::shutdown) || api->probe == nullptr ||
      api->init == nullptr) {
    return fail("plugin table lacks probe() or init()");
  }

  infer_plugin_probe probe{};
  probe.struct_size = sizeof(probe);
  api->probe(&probe);
  rec.name = Str(probe.name);
  rec.vendor = Str(probe.vendor);
  rec.version = Str(probe.version);
  rec.description = Str(probe.description);
  rec.kinds = probe.kinds;
  rec.score = probe.score;
  rec.score_reason = Str(probe.score_reason);
  if (rec.name.empty()) return fail("probe gave no plugin name");
  for (const PluginRecord& other : records_) {
    if (other.loaded && other.name == rec.name) {
      return fail(absl::StrCat("duplicate plugin name '", rec.name, "' (already loaded from ",
                               other.path, ")"));
    }
  }
  if (rec.score <= 0) {
    rec.unavailable = true;
    return fail(absl::StrCat("unavailable on this machine: ",
                             rec.score_reason.empty() ? "probe score is 0" : rec.score_reason));
  }

  // Kind tables: announced kinds need their table, present only if the
  // plugin's table is new enough to hold the field.
  auto table = [&](auto member) { return HasField(api, member) ? api->*member : nullptr; };
  rec.frontend = (rec.kinds & INFER_PLUGIN_FRONTEND) ? table(&infer_plugin_api::frontend) : nullptr;
  rec.backend = (rec.kinds & INFER_PLUGIN_BACKEND) ? table(&infer_plugin_api::backend) : nullptr;
  rec.pass = (rec.kinds & INFER_PLUGIN_PASS) ? table(&infer_plugin_api::pass) : nullptr;
  rec.custom_ops =
      (rec.kinds & INFER_PLUGIN_CUSTOM_OPS) ? table(&infer_plugin_api::custom_ops) : nullptr;
  if ((rec.kinds & INFER_PLUGIN_FRONTEND) &&
      (!rec.frontend || !HasField(rec.frontend, &infer_frontend_api::load) ||
       !rec.frontend->load)) {
    return fail("announces a frontend but its frontend table lacks load()");
  }
  if ((rec.kinds & INFER_PLUGIN_BACKEND) &&
      (!rec.backend || !HasField(rec.backend, &infer_backend_api::release_partition) ||
       !rec.backend->get_capability || !rec.backend->compile || !rec.backend->run ||
       !rec.backend->release_partition)) {
    return fail("announces a backend but its backend table lacks a required function");
  }
  if ((rec.kinds & INFER_PLUGIN_PASS) &&
      (!rec.pass || !HasField(rec.pass, &infer_pass_api::pass_run) || !rec.pass->pass_count ||
       !rec.pass->pass_info || !rec.pass->pass_run)) {
    return fail("announces passes but its pass table lacks a required function");
  }
  if ((rec.kinds & INFER_PLUGIN_CUSTOM_OPS) && rec.abi_minor < 5) {
    return fail(
        absl::StrCat("announces custom ops, which need plugin ABI 1.5 or newer (built "
                     "against 1.",
                     rec.abi_minor, "); rebuild it against this SDK"));
  }
  if ((rec.kinds & INFER_PLUGIN_CUSTOM_OPS) &&
      (!rec.custom_ops || !HasField(rec.custom_ops, &infer_custom_op_api::op_schema) ||
       !rec.custom_ops->op_count || !rec.custom_ops->op_schema)) {
    return fail("announces custom ops but its custom-op table lacks op_count() or op_schema()");
  }

  void* state = nullptr;
  if (absl::Status st = FromC(api->init(HostApi(), &init_config_, &state)); !st.ok()) {
    return fail(absl::StrCat("init failed: ", st.message()));
  }
  rec.api = api;
  rec.state = state;
  rec.library = std::move(lib);
  rec.loaded = true;
  spdlog::debug("loaded plugin '{}' {} from {}", rec.name, rec.version, path);
  records_.push_back(std::move(rec));
}

// After every file is loaded (records_ no longer moves): a custom-op plugin whose schemas do
// not register is shut down and recorded as failed, like a plugin whose init failed.
void PluginRegistry::RegisterCustomOps(SchemaRegistry& schemas) {
  for (PluginRecord& rec : records_) {
    if (!rec.loaded || rec.custom_ops == nullptr) continue;
    absl::Status st = custom_ops_.AddPlugin(rec, schemas);
    if (st.ok()) continue;
    if (rec.api->shutdown != nullptr) rec.api->shutdown(rec.state);
    rec.loaded = false;
    rec.state = nullptr;
    rec.error = absl::StrCat("custom ops rejected: ", st.message());
    spdlog::warn("plugin {} not loaded: {}", rec.path, rec.error);
  }
}

PluginRegistry::~PluginRegistry() {
  // Shut down in reverse order; libraries unload after every plugin object
  // is gone (the session releases its partitions before the env).
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    if (it->loaded && it->api->shutdown != nullptr) it->api->shutdown(it->state);
  }
}

std::vector<const PluginRecord*> PluginRegistry::OfKind(infer_plugin_kind kind) const {
  std::vector<const PluginRecord*> out;
  for (const auto& r : records_) {
    if (r.loaded && (r.kinds & kind)) out.push_back(&r);
  }
  return out;
}

const PluginRecord* PluginRegistry::FindLoaded(std::string_view name,
                                               infer_plugin_kind kind) const {
  for (const auto& r : records_) {
    if (r.loaded && (r.kinds & kind) && r.name == name) return &r;
  }
  return nullptr;
}

const PluginRecord* PluginRegistry::FindUnavailable(std::string_view name) const {
  for (const auto& r : records_) {
    if (r.unavailable && r.name == name) return &r;
  }
  return nullptr;
}

std::string PluginRegistry::FailureSummary() const {
  std::vector<std::string> parts;
  for (const auto& r : records_) {
    if (!r.loaded)
      parts.push_back(absl::StrCat(fs::path(r.path).filename().string(), ": ", r.error));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace infer::core
