// The public C API (infer.h) over the core's C++ objects. Every entry point
// catches everything: no exception leaves the library.
#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/status.h"
#include "infer/infer.h"
#include "optimizer/optimizer.h"
#include "runtime/session.h"
#include "spdlog/sinks/base_sink.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

using infer::core::Environment;
using infer::core::FromC;
using infer::core::ProfileEvent;
using infer::core::Session;
using infer::core::SessionOptions;
using infer::core::Tensor;
using infer::core::TensorPtr;
using infer::core::ToC;

struct infer_env {
  std::shared_ptr<Environment> env;
  // The passes of the loaded pass plugins, collected once at creation (or why they cannot be).
  absl::Status passes_status;
  std::vector<infer::core::PassEntry> passes;
  // The custom ops of the loaded plugins, listed once at creation (the registry is fixed then).
  std::vector<const infer::core::CustomOpRegistry::Op*> custom_ops;
};

struct infer_session_options {
  SessionOptions options;
};

struct infer_session {
  std::unique_ptr<Session> session;
  // Flattened declared shapes for infer_value_desc, built once.
  struct Desc {
    std::vector<int64_t> dims;
    std::vector<const char*> symbols;
  };
  std::vector<Desc> input_descs, output_descs;
  mutable std::once_flag optimization_once;
  mutable std::string optimization_text;
  // The placement report carries run times, so it is rebuilt at each call; one string per
  // calling thread, so a call never frees the string another thread is still reading.
  mutable std::mutex placement_mu;
  mutable std::map<std::thread::id, std::string> placement_text;
};

struct infer_tensor {
  TensorPtr tensor;
};

namespace {

template <typename Fn>
infer_status* Guard(Fn&& fn) noexcept {
  try {
    return ToC(fn());
  } catch (const std::bad_alloc&) {
    return infer::core::MakeCStatus(INFER_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return infer::core::MakeCStatus(INFER_INTERNAL, e.what());
  } catch (...) {
    return infer::core::MakeCStatus(INFER_INTERNAL, "unknown exception");
  }
}

absl::Status NullArg(const char* what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " must not be NULL"));
}

absl::StatusOr<std::vector<int64_t>> ShapeFromC(const int64_t* shape, size_t rank) {
  if (rank > 64) return absl::InvalidArgumentError("rank is larger than 64");
  if (rank > 0 && shape == nullptr) return NullArg("shape");
  return std::vector<int64_t>(shape, shape + rank);
}

void SplitInto(const char* list, std::vector<std::string>& out) {
  if (list == nullptr) return;
  for (absl::string_view part : absl::StrSplit(list, ':', absl::SkipEmpty())) {
    out.emplace_back(part);
  }
}

// A struct the caller fills in: struct_size must cover at least `min_size` (the fields of the
// API version that introduced the struct); later fields are written only when it covers them.
absl::Status CheckStructSize(size_t struct_size, size_t min_size, const char* what) {
  if (struct_size < min_size) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".struct_size is ", struct_size,
                                                   ", less than the ", min_size,
                                                   " bytes of its first version (not set?)"));
  }
  return absl::OkStatus();
}
// Whether the caller's struct (by its struct_size) has room for `field`.
#define INFER_COVERS(out, field) \
  ((out)->struct_size >=         \
   offsetof(std::remove_reference_t<decltype(*(out))>, field) + sizeof((out)->field))

infer_session::Desc MakeDesc(const infer::core::Value& v) {
  infer_session::Desc d;
  for (const auto& dim : v.shape.dims) {
    d.dims.push_back(dim.value);
    d.symbols.push_back(dim.symbol.empty() ? nullptr : dim.symbol.c_str());
  }
  return d;
}

absl::Status FillDesc(const infer_session* s, size_t value, const infer_session::Desc& d,
                      infer_value_desc* out) {
  if (out == nullptr) return NullArg("out");
  INFER_RETURN_IF_ERROR(
      CheckStructSize(out->struct_size, sizeof(infer_value_desc), "infer_value_desc"));
  const auto& v = s->session->graph().value(value);
  out->name = v.name.c_str();
  out->dtype = v.dtype;
  out->rank = v.shape.rank_known ? v.shape.rank() : INFER_RANK_UNKNOWN;
  out->dims = d.dims.data();
  out->dim_symbols = d.symbols.data();
  return absl::OkStatus();
}

absl::StatusOr<infer_session*> WrapSession(absl::StatusOr<std::unique_ptr<Session>> created) {
  if (!created.ok()) return created.status();
  auto s = std::make_unique<infer_session>();
  s->session = std::move(*created);
  for (size_t v : s->session->inputs())
    s->input_descs.push_back(MakeDesc(s->session->graph().value(v)));
  for (size_t v : s->session->outputs()) {
    s->output_descs.push_back(MakeDesc(s->session->graph().value(v)));
  }
  return s.release();
}

const SessionOptions& OptionsOrDefault(const infer_session_options* opts) {
  static const SessionOptions kDefault;
  return opts != nullptr ? opts->options : kDefault;
}

// ---- logging --------------------------------------------------------------------
// The logger every core and plugin message goes through (spdlog's default logger, named
// "infer"). Its one sink writes to stderr, or hands each message to the callback set with
// infer_log_set_callback. base_sink holds its mutex around sink_it_, and SetCallback takes the
// same mutex: the callback is never called concurrently, nor after it has been replaced.
class RoutingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void SetCallback(infer_log_fn fn, void* user) {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = fn;
    user_ = user;
  }

  static infer_log_level FromSpdlog(spdlog::level::level_enum level) {
    switch (level) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        return INFER_LOG_DEBUG;
      case spdlog::level::info:
        return INFER_LOG_INFO;
      case spdlog::level::warn:
        return INFER_LOG_WARN;
      default:
        return INFER_LOG_ERROR;
    }
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (fn_ == nullptr) {
      stderr_.log(msg);
      return;
    }
    const std::string text(msg.payload.data(), msg.payload.size());
    fn_(FromSpdlog(msg.level), text.c_str(), user_);
  }
  void flush_() override { stderr_.flush(); }

 private:
  spdlog::sinks::stderr_color_sink_st stderr_;  // used under base_sink's mutex
  infer_log_fn fn_ = nullptr;
  void* user_ = nullptr;
};

struct Logging {
  std::shared_ptr<RoutingSink> sink;
  std::shared_ptr<spdlog::logger> logger;
};

// Sets up the logger once, before the first env or logging call. Warnings and logs go to
// stderr, so a tool's stdout stays its results; INFER_LOG_LEVEL (debug, info, warn, error,
// off) sets how much (default info). Throws only if spdlog does.
Logging& ConfigureLogging() {
  static Logging* logging = [] {
    auto* l = new Logging;  // never freed: plugins may log until the process ends
    l->sink = std::make_shared<RoutingSink>();
    l->logger = std::make_shared<spdlog::logger>("infer", l->sink);
    l->logger->set_level(spdlog::level::info);
    if (const char* level = std::getenv("INFER_LOG_LEVEL")) {
      // from_str maps an unknown name to "off": keep the default for those instead.
      const auto parsed = spdlog::level::from_str(level);
      if (parsed != spdlog::level::off || std::string_view(level) == "off") {
        l->logger->set_level(parsed);
      }
    }
    spdlog::set_default_logger(l->logger);
    return l;
  }();
  return *logging;
}

absl::StatusOr<spdlog::level::level_enum> ToSpdlog(infer_log_level level) {
  switch (level) {
    case INFER_LOG_DEBUG:
      return spdlog::level::debug;
    case INFER_LOG_INFO:
      return spdlog::level::info;
    case INFER_LOG_WARN:
      return spdlog::level::warn;
    case INFER_LOG_ERROR:
      return spdlog::level::err;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("log level ", static_cast<int>(level),
                   " does not exist; levels are 0 (debug), 1 (info), 2 (warn) and 3 (error)"));
}

// Loading plugins (probe, init), creating sessions (frontend load, passes, get_capability,
// compile) and releasing them (release_partition, shutdown) call plugins in ways the plugin ABI
// does not require to be reentrant: concurrent calls of infer_env_create/release and
// infer_session_create/release take turns here. Runs do not. Process-wide, not per env: two
// envs that load the same folder share the loaded libraries (dlopen hands out one copy), so
// their plugins' globals too.
std::mutex& PluginCallMutex() {
  static std::mutex mu;
  return mu;
}

// Anchors dladdr on this library.
void LibraryAnchor() {}

}  // namespace

extern "C" {

// ---- status -----------------------------------------------------------------
infer_status_code infer_status_get_code(const infer_status* s) { return s ? s->code : INFER_OK; }
const char* infer_status_get_message(const infer_status* s) { return s ? s->message.c_str() : ""; }
void infer_status_release(infer_status* s) { delete s; }
const char* infer_status_code_name(infer_status_code code) {
  return infer::core::StatusCodeName(code);
}

// ---- misc -------------------------------------------------------------------
const char* infer_version_string(void) { return INFER_VERSION_STRING; }
void infer_api_version(uint32_t* out_api_major, uint32_t* out_api_minor,
                       uint32_t* out_plugin_abi_major, uint32_t* out_plugin_abi_minor) {
  if (out_api_major) *out_api_major = INFER_API_VERSION_MAJOR;
  if (out_api_minor) *out_api_minor = INFER_API_VERSION_MINOR;
  if (out_plugin_abi_major) *out_plugin_abi_major = INFER_PLUGIN_ABI_MAJOR;
  if (out_plugin_abi_minor) *out_plugin_abi_minor = INFER_PLUGIN_ABI_MINOR;
}
const char* infer_dtype_name(infer_dtype dtype) { return infer::core::DtypeName(dtype); }
size_t infer_dtype_size(infer_dtype dtype) { return infer::core::DtypeSize(dtype); }

// ---- logging ----------------------------------------------------------------
infer_status* infer_log_set_level(infer_log_level level) {
  return Guard([&]() -> absl::Status {
    INFER_ASSIGN_OR_RETURN(const spdlog::level::level_enum l, ToSpdlog(level));
    ConfigureLogging().logger->set_level(l);
    return absl::OkStatus();
  });
}

infer_log_level infer_log_get_level(void) {
  try {
    return RoutingSink::FromSpdlog(ConfigureLogging().logger->level());
  } catch (...) {
    return INFER_LOG_INFO;
  }
}

infer_status* infer_log_set_callback(infer_log_fn fn, void* user) {
  return Guard([&]() -> absl::Status {
    ConfigureLogging().sink->SetCallback(fn, user);
    return absl::OkStatus();
  });
}

// ---- environment ------------------------------------------------------------
infer_status* infer_env_create(const char* plugin_dirs, infer_env** out_env) {
  return Guard([&]() -> absl::Status {
    ConfigureLogging();
    if (out_env == nullptr) return NullArg("out_env");
    *out_env = nullptr;
    std::vector<std::string> dirs;
    SplitInto(plugin_dirs, dirs);
    SplitInto(std::getenv("INFER_PLUGIN_PATH"), dirs);
    if (dirs.empty()) {
      return absl::InvalidArgumentError(
          "no plugin folder given (pass one, or set INFER_PLUGIN_PATH)");
    }
    std::lock_guard<std::mutex> lock(PluginCallMutex());
    auto env = std::make_shared<Environment>();
    // Custom-op plugins add their schemas to the built-in ones while loading.
    env->schemas = infer::core::SchemaRegistry::WithBuiltins();
    INFER_ASSIGN_OR_RETURN(env->plugins, infer::core::PluginRegistry::Load(dirs, &env->schemas));
    auto out = std::make_unique<infer_env>();
    auto passes = infer::core::CollectPasses(*env->plugins);
    if (passes.ok()) {
      out->passes = std::move(*passes);
    } else {
      out->passes_status = passes.status();
    }
    out->custom_ops = env->plugins->custom_ops().All();
    out->env = std::move(env);
    *out_env = out.release();
    return absl::OkStatus();
  });
}

void infer_env_release(infer_env* env) {
  if (env == nullptr) return;
  std::lock_guard<std::mutex> lock(PluginCallMutex());
  delete env;  // the last holder of the plugins (env or session) shuts them down
}

const char* infer_env_default_plugin_dir(void) {
  static const std::string* dir = []() -> const std::string* {
    try {
      namespace fs = std::filesystem;
      Dl_info info{};
      if (dladdr(reinterpret_cast<void*>(&LibraryAnchor), &info) == 0 ||
          info.dli_fname == nullptr) {
        return new std::string();
      }
      std::error_code ec;
      const fs::path lib_dir =
          fs::weakly_canonical(fs::absolute(info.dli_fname, ec), ec).parent_path();
      // The build tree: build/lib/libinfer.so, build/plugins; installed:
      // <prefix>/<libdir>/libinfer.so, <prefix>/<libdir>/infer/plugins.
      for (const fs::path& candidate :
           {lib_dir.parent_path() / "plugins", lib_dir / "infer" / "plugins"}) {
        if (fs::is_directory(candidate, ec)) return new std::string(candidate.string());
      }
    } catch (...) {
    }
    return new std::string();
  }();
  return dir->c_str();
}

size_t infer_env_plugin_count(const infer_env* env) {
  return env ? env->env->plugins->records().size() : 0;
}

infer_status* infer_env_plugin_get(const infer_env* env, size_t index, infer_plugin_record* out) {
  return Guard([&]() -> absl::Status {
    if (env == nullptr || out == nullptr) return NullArg("env or out");
    // API 0.1 ended with `error`.
    INFER_RETURN_IF_ERROR(CheckStructSize(out->struct_size,
                                          offsetof(infer_plugin_record, error) + sizeof(out->error),
                                          "infer_plugin_record"));
    const auto& records = env->env->plugins->records();
    if (index >= records.size()) return absl::OutOfRangeError("plugin index out of range");
    const auto& r = records[index];
    auto str = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    out->path = r.path.c_str();
    out->name = str(r.name);
    out->vendor = str(r.vendor);
    out->version = str(r.version);
    out->kinds = r.kinds;
    out->abi_major = r.abi_major;
    out->abi_minor = r.abi_minor;
    out->score = r.score;
    out->score_reason = str(r.score_reason);
    out->loaded = r.loaded ? 1 : 0;
    out->error = str(r.error);
    // API 0.2.
    auto c_str = [](const char* p) { return p != nullptr && *p != '\0' ? p : nullptr; };
    if (INFER_COVERS(out, description)) out->description = str(r.description);
    if (INFER_COVERS(out, device)) out->device = r.backend ? c_str(r.backend->device) : nullptr;
    if (INFER_COVERS(out, format)) out->format = r.frontend ? c_str(r.frontend->format) : nullptr;
    if (INFER_COVERS(out, file_extensions)) {
      out->file_extensions = r.frontend ? c_str(r.frontend->file_extensions) : nullptr;
    }
    if (INFER_COVERS(out, unavailable)) out->unavailable = r.unavailable ? 1 : 0;
    return absl::OkStatus();
  });
}

size_t infer_env_pass_count(const infer_env* env) { return env ? env->passes.size() : 0; }

infer_status* infer_env_pass_get(const infer_env* env, size_t index, infer_pass_record* out) {
  return Guard([&]() -> absl::Status {
    if (env == nullptr || out == nullptr) return NullArg("env or out");
    INFER_RETURN_IF_ERROR(
        CheckStructSize(out->struct_size, sizeof(infer_pass_record), "infer_pass_record"));
    if (!env->passes_status.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the passes cannot be listed: ", env->passes_status.message()));
    }
    if (index >= env->passes.size()) {
      return absl::OutOfRangeError(
          absl::StrCat("pass index ", index, " is out of range (", env->passes.size(), " passes)"));
    }
    const infer::core::PassEntry& p = env->passes[index];
    out->name = p.name.c_str();
    out->level = p.level;
    out->order = p.order;
    out->backend = p.backend.empty() ? nullptr : p.backend.c_str();
    out->plugin = p.plugin != nullptr ? p.plugin->name.c_str() : nullptr;
    return absl::OkStatus();
  });
}

size_t infer_env_custom_op_count(const infer_env* env) { return env ? env->custom_ops.size() : 0; }

infer_status* infer_env_custom_op_get(const infer_env* env, size_t index,
                                      infer_custom_op_record* out) {
  return Guard([&]() -> absl::Status {
    if (env == nullptr || out == nullptr) return NullArg("env or out");
    INFER_RETURN_IF_ERROR(CheckStructSize(out->struct_size, sizeof(infer_custom_op_record),
                                          "infer_custom_op_record"));
    if (index >= env->custom_ops.size()) {
      return absl::OutOfRangeError(absl::StrCat("custom op index ", index, " is out of range (",
                                                env->custom_ops.size(), " ops)"));
    }
    const infer::core::CustomOpRegistry::Op& op = *env->custom_ops[index];
    out->plugin = op.plugin_name.c_str();
    out->domain = op.schema->domain;
    out->op_type = op.schema->op_type;
    out->since_version = op.schema->since_version;
    out->backends = op.backends.c_str();
    out->doc = op.schema->doc != nullptr ? op.schema->doc : "";
    return absl::OkStatus();
  });
}

// ---- session options ----------------------------------------------------------
infer_status* infer_session_options_create(infer_session_options** out) {
  return Guard([&]() -> absl::Status {
    if (out == nullptr) return NullArg("out");
    *out = new infer_session_options();
    return absl::OkStatus();
  });
}

void infer_session_options_release(infer_session_options* opts) { delete opts; }

infer_status* infer_session_options_set_backends(infer_session_options* opts,
                                                 const char* backends) {
  return Guard([&]() -> absl::Status {
    if (opts == nullptr || backends == nullptr) return NullArg("options or backends");
    opts->options.backends.clear();
    for (absl::string_view b : absl::StrSplit(backends, ',', absl::SkipWhitespace())) {
      opts->options.backends.emplace_back(absl::StripAsciiWhitespace(b));
    }
    return absl::OkStatus();
  });
}

infer_status* infer_session_options_set_config(infer_session_options* opts, const char* key,
                                               const char* value) {
  return Guard([&]() -> absl::Status {
    if (opts == nullptr) return NullArg("options");
    if (key == nullptr) return NullArg("key");
    if (value == nullptr) return NullArg(absl::StrCat("the value of '", key, "'").c_str());
    opts->options.config[key] = value;
    return absl::OkStatus();
  });
}

infer_status* infer_session_options_set_optimization_level(infer_session_options* opts, int level) {
  return Guard([&]() -> absl::Status {
    if (opts == nullptr) return NullArg("options");
    if (level < 0 || level > infer::core::kMaxOptimizationLevel) {
      return absl::InvalidArgumentError(absl::StrCat("optimization level ", level,
                                                     " does not exist; levels are 0 (none), 1 "
                                                     "(basic), 2 (extended) and 3 (layout)"));
    }
    opts->options.optimization_level = level;
    return absl::OkStatus();
  });
}

infer_status* infer_session_options_set_optimized_model_path(infer_session_options* opts,
                                                             const char* path) {
  return Guard([&]() -> absl::Status {
    if (opts == nullptr) return NullArg("options");
    opts->options.optimized_model_path = path ? path : "";
    return absl::OkStatus();
  });
}

infer_status* infer_session_options_set_dim(infer_session_options* opts, const char* symbol,
                                            int64_t value) {
  return Guard([&]() -> absl::Status {
    if (opts == nullptr || symbol == nullptr) return NullArg("options or symbol");
    if (value < 0) return absl::InvalidArgumentError("a dimension cannot be negative");
    opts->options.dims[symbol] = value;
    return absl::OkStatus();
  });
}

// ---- session ------------------------------------------------------------------
infer_status* infer_session_create(infer_env* env, const char* model_path,
                                   const infer_session_options* opts, infer_session** out) {
  return Guard([&]() -> absl::Status {
    if (env == nullptr) return NullArg("env");
    if (model_path == nullptr) return NullArg("model_path");
    if (out == nullptr) return NullArg("out");
    *out = nullptr;
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path path(model_path);
    if (!fs::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat("model file '", model_path, "' does not exist"));
    }
    if (!fs::is_regular_file(path, ec)) {
      return absl::InvalidArgumentError(absl::StrCat("'", model_path, "' is not a file"));
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return absl::NotFoundError(absl::StrCat("cannot read model file '", model_path, "'"));
    }
    if (bytes.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("model file '", model_path, "' is empty"));
    }
    const std::string dir = fs::absolute(path, ec).parent_path().string();
    std::lock_guard<std::mutex> lock(PluginCallMutex());
    INFER_ASSIGN_OR_RETURN(
        *out, WrapSession(Session::Create(env->env, bytes.data(), bytes.size(),
                                          path.extension().string(), dir, OptionsOrDefault(opts))));
    return absl::OkStatus();
  });
}

infer_status* infer_session_create_from_bytes(infer_env* env, const void* bytes, size_t len,
                                              const char* format, const infer_session_options* opts,
                                              infer_session** out) {
  return Guard([&]() -> absl::Status {
    if (env == nullptr || out == nullptr) return NullArg("env or out");
    *out = nullptr;
    if (bytes == nullptr || len == 0) return absl::InvalidArgumentError("the model is empty");
    std::lock_guard<std::mutex> lock(PluginCallMutex());
    INFER_ASSIGN_OR_RETURN(
        *out, WrapSession(Session::Create(env->env, bytes, len, format ? format : "", "",
                                          OptionsOrDefault(opts))));
    return absl::OkStatus();
  });
}

void infer_session_release(infer_session* session) {
  if (session == nullptr) return;
  std::lock_guard<std::mutex> lock(PluginCallMutex());
  delete session;
}

size_t infer_session_input_count(const infer_session* s) {
  return s ? s->session->inputs().size() : 0;
}
size_t infer_session_output_count(const infer_session* s) {
  return s ? s->session->outputs().size() : 0;
}
const char* infer_session_input_name(const infer_session* s, size_t i) {
  if (s == nullptr || i >= s->session->inputs().size()) return nullptr;
  return s->session->graph().value(s->session->inputs()[i]).name.c_str();
}
const char* infer_session_output_name(const infer_session* s, size_t i) {
  if (s == nullptr || i >= s->session->outputs().size()) return nullptr;
  return s->session->graph().value(s->session->outputs()[i]).name.c_str();
}

infer_status* infer_session_input_desc(const infer_session* s, size_t i, infer_value_desc* out) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr) return NullArg("session");
    if (i >= s->input_descs.size()) return absl::OutOfRangeError("input index out of range");
    return FillDesc(s, s->session->inputs()[i], s->input_descs[i], out);
  });
}

infer_status* infer_session_output_desc(const infer_session* s, size_t i, infer_value_desc* out) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr) return NullArg("session");
    if (i >= s->output_descs.size()) return absl::OutOfRangeError("output index out of range");
    return FillDesc(s, s->session->outputs()[i], s->output_descs[i], out);
  });
}

const char* infer_session_placement_report(const infer_session* s) {
  if (s == nullptr) return "";
  try {
    std::string report = s->session->placement_report();  // outside the lock: runs go on
    std::lock_guard<std::mutex> lock(s->placement_mu);
    std::string& mine = s->placement_text[std::this_thread::get_id()];
    mine = std::move(report);
    return mine.c_str();
  } catch (...) {
    return "";
  }
}

const char* infer_session_optimization_report(const infer_session* s) {
  if (s == nullptr) return "";
  // Built once: the returned pointer lives as long as the session.
  try {
    std::call_once(s->optimization_once,
                   [s] { s->optimization_text = s->session->optimization_report().Describe(); });
  } catch (...) {
    return "";  // call_once stays unset on a throw: the next call tries again
  }
  return s->optimization_text.c_str();
}

size_t infer_session_node_count(const infer_session* s) {
  return s ? s->session->graph().live_node_count() : 0;
}

size_t infer_session_metadata_count(const infer_session* s) {
  return s ? s->session->graph().metadata().size() : 0;
}

infer_status* infer_session_metadata_get(const infer_session* s, size_t index, const char** out_key,
                                         const char** out_value) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr || out_key == nullptr || out_value == nullptr) {
      return NullArg("session, out_key or out_value");
    }
    const auto& metadata = s->session->graph().metadata();
    if (index >= metadata.size()) {
      return absl::OutOfRangeError(absl::StrCat("metadata index ", index, " is out of range (",
                                                metadata.size(), " entries)"));
    }
    auto it = std::next(metadata.begin(), static_cast<std::ptrdiff_t>(index));
    *out_key = it->first.c_str();
    *out_value = it->second.c_str();
    return absl::OkStatus();
  });
}

infer_status* infer_session_profile_start(infer_session* s, size_t max_events) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr) return NullArg("session");
    return s->session->StartProfiling(max_events);
  });
}

infer_status* infer_session_profile_stop(infer_session* s) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr) return NullArg("session");
    return s->session->StopProfiling();
  });
}

infer_status* infer_session_profile_drain(infer_session* s, infer_profile_event_fn fn, void* user,
                                          size_t* out_dropped) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr || fn == nullptr) return NullArg("session or fn");
    size_t dropped = 0;
    INFER_ASSIGN_OR_RETURN(std::vector<ProfileEvent> events, s->session->DrainProfile(&dropped));
    for (const ProfileEvent& e : events) {
      infer_profile_event out{};
      out.struct_size = sizeof(out);
      out.name = e.name->c_str();
      out.category = e.category->c_str();
      out.backend = e.backend->c_str();
      out.run = e.run;
      out.thread = e.thread;
      out.start_ns = e.start_ns;
      out.duration_ns = e.duration_ns;
      fn(&out, user);
    }
    if (out_dropped != nullptr) *out_dropped = dropped;
    return absl::OkStatus();
  });
}

infer_status* infer_session_run(infer_session* s, const char* const* input_names,
                                const infer_tensor* const* inputs, size_t n_inputs,
                                const char* const* output_names, size_t n_outputs,
                                infer_tensor** out_tensors) {
  return Guard([&]() -> absl::Status {
    if (s == nullptr || out_tensors == nullptr) return NullArg("session or out_tensors");
    // Nothing is returned on error: clear the slots first.
    const size_t n_out = n_outputs > 0 ? n_outputs : s->session->outputs().size();
    std::fill(out_tensors, out_tensors + n_out, nullptr);
    if (n_inputs > 0 && (input_names == nullptr || inputs == nullptr)) {
      return NullArg("input_names or inputs");
    }
    if (n_outputs > 0 && output_names == nullptr) return NullArg("output_names");
    std::vector<std::string> names;
    std::vector<TensorPtr> tensors;
    for (size_t i = 0; i < n_inputs; ++i) {
      if (input_names[i] == nullptr) return NullArg(absl::StrCat("input_names[", i, "]").c_str());
      if (inputs[i] == nullptr) return NullArg(absl::StrCat("inputs[", i, "]").c_str());
      names.emplace_back(input_names[i]);
      tensors.push_back(inputs[i]->tensor);
    }
    std::vector<std::string> wanted;
    for (size_t i = 0; i < n_outputs; ++i) {
      if (output_names[i] == nullptr) {
        return NullArg(absl::StrCat("output_names[", i, "]").c_str());
      }
      wanted.emplace_back(output_names[i]);
    }
    INFER_ASSIGN_OR_RETURN(auto results, s->session->Run(names, tensors, wanted));
    // An output may be a constant of the model (folded, or an initializer) or one of the
    // inputs passed through: then the session or the caller holds it too, and writing into the
    // returned tensor would change the model for every later run, or the input. Such outputs
    // are copied; a tensor the run computed is held by nothing else and is returned as is.
    for (TensorPtr& t : results) {
      if (t.use_count() > 1) {
        INFER_ASSIGN_OR_RETURN(t, Tensor::Copy(t->dtype(), t->shape(), t->data(), t->nbytes()));
      }
    }
    std::vector<std::unique_ptr<infer_tensor>> owned;
    for (TensorPtr& t : results) owned.push_back(std::make_unique<infer_tensor>(std::move(t)));
    for (size_t i = 0; i < owned.size() && i < n_out; ++i) out_tensors[i] = owned[i].release();
    return absl::OkStatus();
  });
}

// ---- tensors ------------------------------------------------------------------
infer_status* infer_tensor_create(infer_dtype dtype, const int64_t* shape, size_t rank,
                                  infer_tensor** out) {
  return Guard([&]() -> absl::Status {
    if (out == nullptr) return NullArg("out");
    *out = nullptr;
    INFER_ASSIGN_OR_RETURN(auto dims, ShapeFromC(shape, rank));
    INFER_ASSIGN_OR_RETURN(auto t, Tensor::Allocate(dtype, std::move(dims)));
    *out = new infer_tensor{std::move(t)};
    return absl::OkStatus();
  });
}

infer_status* infer_tensor_wrap(infer_dtype dtype, const int64_t* shape, size_t rank, void* data,
                                size_t nbytes, infer_tensor** out) {
  return Guard([&]() -> absl::Status {
    if (out == nullptr) return NullArg("out");
    *out = nullptr;
    INFER_ASSIGN_OR_RETURN(auto dims, ShapeFromC(shape, rank));
    INFER_ASSIGN_OR_RETURN(auto t, Tensor::Wrap(dtype, std::move(dims), data, nbytes));
    *out = new infer_tensor{std::move(t)};
    return absl::OkStatus();
  });
}

void infer_tensor_release(infer_tensor* t) { delete t; }
infer_dtype infer_tensor_dtype(const infer_tensor* t) {
  return t ? t->tensor->dtype() : INFER_DTYPE_UNDEFINED;
}
size_t infer_tensor_rank(const infer_tensor* t) { return t ? t->tensor->rank() : 0; }
const int64_t* infer_tensor_shape(const infer_tensor* t) {
  return t ? t->tensor->shape().data() : nullptr;
}
size_t infer_tensor_element_count(const infer_tensor* t) {
  return t ? t->tensor->element_count() : 0;
}
size_t infer_tensor_byte_size(const infer_tensor* t) { return t ? t->tensor->nbytes() : 0; }
void* infer_tensor_data(infer_tensor* t) { return t ? t->tensor->data() : nullptr; }
const void* infer_tensor_const_data(const infer_tensor* t) {
  return t ? t->tensor->data() : nullptr;
}

}  // extern "C"
