// infer-opt: imports a model, runs the optimisation passes up to a level and
// writes the optimised graph, with its weights, in infer's own model format.
// Sessions created from that file skip the passes. Uses only the C API.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli.h"
#include "infer/infer.h"

namespace {

using infer::app::Check;
using infer::app::Failure;
using infer::app::SessionFlags;
using infer::app::UsageError;

std::string Usage() {
  return std::string(
             "usage: infer-opt [--plugins DIR]... MODEL -o OUT [options]\n"
             "\n"
             "Optimises MODEL (ONNX, or an infer optimised model) for the backends that\n"
             "are loaded (or --backends) and writes OUT in infer's own format.\n"
             "\n"
             "options:\n"
             "  -o, --output OUT      file to write (required)\n") +
         SessionFlags::Help() +
         "  -v, --report          print each pass, nodes changed, node counts\n"
         "  -h, --help            this help\n";
}

struct Options {
  SessionFlags session;
  std::string model;
  std::string output;
  bool report = false;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  infer::app::ParseCommandLine(argc, argv, Usage(), o.session, o.model,
                               [&](const std::string& a, const infer::app::FlagValue& value) {
                                 if (a == "-o" || a == "--output") {
                                   o.output = value();
                                 } else if (a == "-v" || a == "--report") {
                                   o.report = true;
                                 } else {
                                   return false;
                                 }
                                 return true;
                               });
  if (o.model.empty()) throw UsageError("no model given");
  if (o.output.empty()) throw UsageError("no output file given (-o OUT)");
  return o;
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(o.model, o.output, ec)) {
    throw Failure("the output '" + o.output + "' would overwrite the model");
  }
  infer::app::EnvHandle env = o.session.CreateEnv(o.session.PluginDirs("infer-opt"));
  infer::app::OptionsHandle opts = o.session.CreateOptions();
  Check(infer_session_options_set_optimized_model_path(opts.get(), o.output.c_str()));
  const auto t0 = std::chrono::steady_clock::now();
  infer_session* raw = nullptr;
  Check(infer_session_create(env.get(), o.model.c_str(), opts.get(), &raw));
  infer::app::SessionHandle session(raw);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (o.report) std::fputs(infer_session_optimization_report(session.get()), stdout);
  std::error_code size_ec;
  const auto size = fs::file_size(o.output, size_ec);
  const double bytes = size_ec ? 0.0 : static_cast<double>(size);
  const bool mega = bytes >= 1e6;
  std::printf("wrote %s: %zu nodes, %.1f %s, in %.0f ms\n", o.output.c_str(),
              infer_session_node_count(session.get()), mega ? bytes / 1e6 : bytes / 1e3,
              mega ? "MB" : "kB", ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return infer::app::RunApp("infer-opt", Main, argc, argv); }
