// What the command-line apps share: error types, C-object handles, and the
// session flags every app takes (--plugins, --dim, --backends, --config, -O,
// and the placement flags).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "infer/infer.h"

namespace infer::app {

// Bad command line: the app prints it with a pointer to --help, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Anything else that stops the app: one line, exit code 1.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Deleters so every C object is released on every path.
struct StatusDeleter {
  void operator()(infer_status* s) const { infer_status_release(s); }
};
struct EnvDeleter {
  void operator()(infer_env* e) const { infer_env_release(e); }
};
struct OptionsDeleter {
  void operator()(infer_session_options* o) const { infer_session_options_release(o); }
};
struct SessionDeleter {
  void operator()(infer_session* s) const { infer_session_release(s); }
};
struct TensorDeleter {
  void operator()(infer_tensor* t) const { infer_tensor_release(t); }
};
using EnvHandle = std::unique_ptr<infer_env, EnvDeleter>;
using OptionsHandle = std::unique_ptr<infer_session_options, OptionsDeleter>;
using SessionHandle = std::unique_ptr<infer_session, SessionDeleter>;
using TensorHandle = std::unique_ptr<infer_tensor, TensorDeleter>;

// Throws Failure with the status message if `s` is an error.
void Check(infer_status* s);

std::pair<std::string, std::string> SplitAssignment(const std::string& flag,
                                                    const std::string& arg);
int64_t ParseInt(const std::string& what, const std::string& text, int64_t min_value);

struct SessionFlags;

// Consumes the value of the flag being parsed (a usage error if there is none).
using FlagValue = std::function<std::string()>;
// Takes one of the app's own flags: false if `flag` is not one of them.
using AppFlagParser = std::function<bool(const std::string& flag, const FlagValue& value)>;

// The argument loop every app shares: -h/--help prints `usage` and exits 0, the
// session flags go to `session`, the app's own to `app_flag`, any other "-..."
// is a usage error, and the one positional argument is the model (left empty
// when none is given: the app decides whether that is an error).
void ParseCommandLine(int argc, char** argv, const std::string& usage, SessionFlags& session,
                      std::string& model, const AppFlagParser& app_flag);

// Runs app_main and turns its exceptions into one "APP: error: ..." line on
// stderr: exit code 2 for usage errors, 1 for the rest.
int RunApp(const char* app, int (*app_main)(int, char**), int argc, char** argv);

// The flags that shape a session, shared by infer-run and infer-opt.
struct SessionFlags {
  std::vector<std::string> plugin_dirs;
  std::map<std::string, int64_t> dims;
  std::vector<std::pair<std::string, std::string>> config;
  std::string backends;
  int optimization_level = -1;  // -1: the engine's default (the highest)
  int log_level = -1;           // infer_log_level; -1: INFER_LOG_LEVEL or info

  // Help text lines for these flags.
  static const char* Help();
  // Consumes argv[i] (and its value) if it is one of these flags.
  bool Parse(int argc, char** argv, int& i);
  // Adds `item` to a ';'-separated list option such as placement.pin.
  void AppendListOption(const std::string& key, const std::string& item);
  // ':'-joined plugin folders: the given ones, else the bundled plugins of the libinfer the
  // app runs with (infer_env_default_plugin_dir).
  std::string PluginDirs(const char* app) const;
  // Sets the log level first (if given), so plugin loading follows it too.
  EnvHandle CreateEnv(const std::string& dirs) const;
  OptionsHandle CreateOptions() const;
};

}  // namespace infer::app
