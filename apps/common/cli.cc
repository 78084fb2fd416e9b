#include "cli.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace infer::app {

int RunApp(const char* app, int (*app_main)(int, char**), int argc, char** argv) {
  try {
    return app_main(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: error: %s (see %s --help)\n", app, e.what(), app);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", app, e.what());
    return 1;
  }
}

void Check(infer_status* s) {
  std::unique_ptr<infer_status, StatusDeleter> owned(s);
  if (owned) throw Failure(infer_status_get_message(owned.get()));
}

std::pair<std::string, std::string> SplitAssignment(const std::string& flag,
                                                    const std::string& arg) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw UsageError(flag + " expects NAME=VALUE, got '" + arg + "'");
  }
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

int64_t ParseInt(const std::string& what, const std::string& text, int64_t min_value) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < min_value) {
    throw UsageError(what + " must be an integer >= " + std::to_string(min_value) + ", got '" +
                     text + "'");
  }
  return v;
}

void ParseCommandLine(int argc, char** argv, const std::string& usage, SessionFlags& session,
                      std::string& model, const AppFlagParser& app_flag) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const FlagValue value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(a + " needs a value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::fputs(usage.c_str(), stdout);
      std::exit(0);
    } else if (session.Parse(argc, argv, i) || app_flag(a, value)) {
      continue;
    } else if (a.starts_with("-")) {
      throw UsageError("unknown option '" + a + "'");
    } else if (model.empty()) {
      model = a;
    } else {
      throw UsageError("more than one model given ('" + model + "' and '" + a + "')");
    }
  }
}

const char* SessionFlags::Help() {
  return "  --plugins DIR         plugin folder (repeatable; default: the plugins folder\n"
         "                        beside this program; INFER_PLUGIN_PATH is scanned too)\n"
         "  --dim NAME=VALUE      value of a symbolic dimension\n"
         "  --backends A,B        backend priority list (default: all loaded backends)\n"
         "  --config KEY=VALUE    option passed to plugins (repeatable), e.g.\n"
         "                        optimizer.disable=PASS,PASS\n"
         "  -O LEVEL              graph optimisation: 0 none, 1 basic, 2 extended,\n"
         "                        3 layout (default 3)\n"
         "  --fallback POLICY     a node the first backend refuses: allow, warn\n"
         "                        (default: one line naming nodes and reasons) or error\n"
         "  --min-partition N     an island (partition between other backends) with\n"
         "                        fewer nodes and < placement.min_partition_macs MACs\n"
         "                        goes to the next backend (default 3; 1 = keep all)\n"
         "  --pin NODE=BACKEND    run NODE there (repeatable; NODE may be op:TYPE)\n"
         "  --exclude NODE=BACKEND  never run NODE there (repeatable; op:TYPE too)\n"
         "  --inter-op N          run up to N independent partitions side by side\n"
         "  --profile-ops         time every cpu operator (cpu.profile_ops=1); the\n"
         "                        placement report lists the time per op type and node\n"
         "  --log-level LEVEL     engine and plugin messages on stderr: debug, info\n"
         "                        (default, or INFER_LOG_LEVEL), warn or error\n";
}

bool SessionFlags::Parse(int argc, char** argv, int& i) {
  const std::string a = argv[i];
  auto value = [&]() -> std::string {
    if (i + 1 >= argc) throw UsageError(a + " needs a value");
    return argv[++i];
  };
  if (a == "--plugins") {
    plugin_dirs.push_back(value());
  } else if (a == "--dim") {
    auto [name, v] = SplitAssignment(a, value());
    dims[name] = ParseInt("--dim " + name, v, 0);
  } else if (a == "--config") {
    config.push_back(SplitAssignment(a, value()));
  } else if (a == "--backends") {
    backends = value();
  } else if (a == "--fallback") {
    const std::string policy = value();
    if (policy != "allow" && policy != "warn" && policy != "error") {
      throw UsageError("--fallback must be allow, warn or error, got '" + policy + "'");
    }
    config.emplace_back("placement.fallback", policy);
  } else if (a == "--min-partition") {
    config.emplace_back("placement.min_partition_size", std::to_string(ParseInt(a, value(), 1)));
  } else if (a == "--inter-op") {
    config.emplace_back("session.inter_op_threads", std::to_string(ParseInt(a, value(), 1)));
  } else if (a == "--profile-ops") {
    config.emplace_back("cpu.profile_ops", "1");
  } else if (a == "--log-level") {
    const std::string level = value();
    const std::pair<const char*, infer_log_level> levels[] = {{"debug", INFER_LOG_DEBUG},
                                                              {"info", INFER_LOG_INFO},
                                                              {"warn", INFER_LOG_WARN},
                                                              {"error", INFER_LOG_ERROR}};
    log_level = -1;
    for (const auto& [name, l] : levels) {
      if (level == name) log_level = l;
    }
    if (log_level < 0) {
      throw UsageError("--log-level must be debug, info, warn or error, got '" + level + "'");
    }
  } else if (a == "--pin" || a == "--exclude") {
    const std::string assignment = value();
    SplitAssignment(a, assignment);  // checks the NODE=BACKEND form
    AppendListOption(a == "--pin" ? "placement.pin" : "placement.exclude", assignment);
  } else if (a == "-O" || (a.size() == 3 && a.starts_with("-O"))) {
    const std::string level = a == "-O" ? value() : a.substr(2);
    const int64_t v = ParseInt("-O", level, 0);
    if (v > 3) throw UsageError("-O must be 0 (none), 1 (basic), 2 (extended) or 3 (layout)");
    optimization_level = static_cast<int>(v);
  } else {
    return false;
  }
  return true;
}

void SessionFlags::AppendListOption(const std::string& key, const std::string& item) {
  for (auto& [k, v] : config) {
    if (k == key) {
      v += ";" + item;
      return;
    }
  }
  config.emplace_back(key, item);
}

std::string SessionFlags::PluginDirs(const char* app) const {
  std::string dirs;
  for (const auto& d : plugin_dirs) {
    if (!dirs.empty()) dirs += ':';
    dirs += d;
  }
  if (!dirs.empty()) return dirs;
  // The plugins built or installed with the libinfer this app runs with: build/plugins beside
  // build/lib, or <prefix>/<libdir>/infer/plugins.
  const std::string bundled = infer_env_default_plugin_dir();
  if (!bundled.empty()) return bundled;
  if (std::getenv("INFER_PLUGIN_PATH") == nullptr) {
    throw Failure(std::string("no plugin folder found beside ") + app + "; pass --plugins DIR");
  }
  return "";
}

EnvHandle SessionFlags::CreateEnv(const std::string& dirs) const {
  if (log_level >= 0) Check(infer_log_set_level(static_cast<infer_log_level>(log_level)));
  infer_env* env = nullptr;
  Check(infer_env_create(dirs.c_str(), &env));
  return EnvHandle(env);
}

OptionsHandle SessionFlags::CreateOptions() const {
  infer_session_options* raw = nullptr;
  Check(infer_session_options_create(&raw));
  OptionsHandle opts(raw);
  if (!backends.empty()) Check(infer_session_options_set_backends(opts.get(), backends.c_str()));
  for (const auto& [k, v] : config) {
    Check(infer_session_options_set_config(opts.get(), k.c_str(), v.c_str()));
  }
  for (const auto& [k, v] : dims) Check(infer_session_options_set_dim(opts.get(), k.c_str(), v));
  if (optimization_level >= 0) {
    Check(infer_session_options_set_optimization_level(opts.get(), optimization_level));
  }
  return opts;
}

}  // namespace infer::app
