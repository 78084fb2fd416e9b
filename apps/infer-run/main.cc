// infer-run: load a model, run it once, print (and optionally save) outputs.
// Uses only the public C API; every plugin is found at run time.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli.h"
#include "infer/infer.h"
#include "npy.h"
#include "random_inputs.h"

namespace {

namespace fs = std::filesystem;
using infer::app::NpyArray;

using infer::app::Check;
using infer::app::Failure;
using infer::app::SessionFlags;
using infer::app::TensorHandle;
using infer::app::UsageError;

std::string Usage() {
  return std::string(
             "usage: infer-run [--plugins DIR]... MODEL [options]\n"
             "       infer-run [--plugins DIR]... --list-plugins\n"
             "\n"
             "options:\n") +
         SessionFlags::Help() +
         "  --input NAME=FILE     input tensor from a .npy file (repeatable); inputs not\n"
         "                        given are seeded random data (symbolic dims default to 1)\n"
         "  --seed N              seed for random inputs (default 0)\n"
         "  --output-dir DIR      write each output to DIR/NAME.npy\n"
         "  --report              print the optimisation passes, and after the run the\n"
         "                        placement: partitions, copies, refusals, times\n"
         "  --list-plugins        list plugins found (kinds, version, device or format,\n"
         "                        passes), and files that failed to load\n"
         "  -h, --help            this help\n";
}

struct Options {
  SessionFlags session;
  std::string model;
  std::vector<std::pair<std::string, std::string>> inputs;  // name, file
  uint64_t seed = 0;
  std::string output_dir;
  bool report = false;
  bool list_plugins = false;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  infer::app::ParseCommandLine(
      argc, argv, Usage(), o.session, o.model,
      [&](const std::string& a, const infer::app::FlagValue& value) {
        if (a == "--input") {
          o.inputs.push_back(infer::app::SplitAssignment(a, value()));
        } else if (a == "--seed") {
          o.seed = static_cast<uint64_t>(infer::app::ParseInt("--seed", value(), 0));
        } else if (a == "--output-dir") {
          o.output_dir = value();
        } else if (a == "--report") {
          o.report = true;
        } else if (a == "--list-plugins") {
          o.list_plugins = true;
        } else {
          return false;
        }
        return true;
      });
  if (o.model.empty() && !o.list_plugins) throw UsageError("no model given");
  return o;
}

std::string KindNames(uint32_t kinds) {
  std::string s;
  const std::pair<uint32_t, const char*> names[] = {{INFER_PLUGIN_FRONTEND, "frontend"},
                                                    {INFER_PLUGIN_BACKEND, "backend"},
                                                    {INFER_PLUGIN_PASS, "pass"},
                                                    {INFER_PLUGIN_CUSTOM_OPS, "custom-ops"}};
  for (const auto& [bit, name] : names) {
    if (!(kinds & bit)) continue;
    if (!s.empty()) s += '+';
    s += name;
  }
  return s.empty() ? "-" : s;
}

// The passes a pass plugin registers, as "name (level N[, backend])", comma-separated.
std::string PassesOf(const infer_env* env, const char* plugin) {
  std::string s;
  for (size_t i = 0; i < infer_env_pass_count(env); ++i) {
    infer_pass_record p{};
    p.struct_size = sizeof(p);
    Check(infer_env_pass_get(env, i, &p));
    if (p.plugin == nullptr || std::strcmp(p.plugin, plugin) != 0) continue;
    if (!s.empty()) s += ", ";
    s += std::string(p.name) + " (level " + std::to_string(p.level) +
         (p.backend ? std::string(", ") + p.backend : std::string()) + ")";
  }
  return s;
}

// The ops a custom-op plugin registers, one line each: "op com.example.BiasGelu-1  kernels: cpu".
void PrintCustomOps(const infer_env* env, const char* plugin) {
  for (size_t i = 0; i < infer_env_custom_op_count(env); ++i) {
    infer_custom_op_record op{};
    op.struct_size = sizeof(op);
    Check(infer_env_custom_op_get(env, i, &op));
    if (std::strcmp(op.plugin, plugin) != 0) continue;
    std::printf("             op %s.%s-%lld  kernels: %s\n", op.domain, op.op_type,
                static_cast<long long>(op.since_version), op.backends);
  }
}

void ListPlugins(const infer_env* env, const std::string& dirs) {
  const size_t n = infer_env_plugin_count(env);
  std::printf("plugin folders: %s\n", dirs.c_str());
  size_t failed = 0, unavailable = 0;
  for (size_t i = 0; i < n; ++i) {
    infer_plugin_record r{};
    r.struct_size = sizeof(r);
    Check(infer_env_plugin_get(env, i, &r));
    if (r.loaded) {
      std::string what;
      if (r.device) what += std::string("device ") + r.device + "  ";
      if (r.format) {
        what += std::string("format ") + r.format +
                (r.file_extensions ? std::string(" (") + r.file_extensions + ")" : "") + "  ";
      }
      std::printf("  %-10s %-10s v%-8s ABI %u.%u  vendor %-8s score %d  %s%s\n", r.name,
                  KindNames(r.kinds).c_str(), r.version ? r.version : "?", r.abi_major, r.abi_minor,
                  r.vendor ? r.vendor : "?", r.score, what.c_str(), r.path);
      if (r.description) std::printf("             %s\n", r.description);
      if (r.kinds & INFER_PLUGIN_PASS) {
        const std::string passes = PassesOf(env, r.name);
        if (!passes.empty()) std::printf("             passes: %s\n", passes.c_str());
      }
      if (r.kinds & INFER_PLUGIN_CUSTOM_OPS) PrintCustomOps(env, r.name);
    } else if (r.unavailable) {
      // Not broken: its device is absent here.
      ++unavailable;
      std::printf("  %-10s %-10s UNAVAILABLE: %s  %s\n", r.name, KindNames(r.kinds).c_str(),
                  r.score_reason ? r.score_reason : "probe score is 0", r.path);
    } else {
      ++failed;
      std::printf("  FAILED     %s: %s\n", r.path, r.error ? r.error : "unknown reason");
    }
  }
  std::printf("%zu plugin(s) loaded, %zu unavailable, %zu file(s) failed\n",
              n - failed - unavailable, unavailable, failed);
  if (n > 0 && infer_env_pass_count(env) == 0) {
    infer_pass_record p{};
    p.struct_size = sizeof(p);
    infer_status* st = infer_env_pass_get(env, 0, &p);
    if (st != nullptr && infer_status_get_code(st) == INFER_FAILED_PRECONDITION) {
      std::printf("passes: %s\n", infer_status_get_message(st));
    }
    infer_status_release(st);
  }
}

std::string DimsText(const int64_t* shape, size_t rank) {
  std::string s = "[";
  for (size_t i = 0; i < rank; ++i) {
    if (i > 0) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

// Makes the input tensor for one model input: from a file or random.
TensorHandle MakeInput(const infer_value_desc& desc, const std::string* file,
                       const std::map<std::string, int64_t>& dims, std::mt19937_64& rng) {
  infer_tensor* raw = nullptr;
  if (file != nullptr) {
    NpyArray arr;
    std::string err;
    if (!infer::app::ReadNpy(*file, &arr, &err))
      throw Failure("input '" + std::string(desc.name) + "': " + err);
    Check(infer_tensor_create(arr.dtype, arr.shape.data(), arr.shape.size(), &raw));
    TensorHandle t(raw);
    if (!arr.data.empty())
      std::memcpy(infer_tensor_data(t.get()), arr.data.data(), arr.data.size());
    return t;
  }
  if (desc.rank == INFER_RANK_UNKNOWN) {
    throw Failure("input '" + std::string(desc.name) +
                  "' has no declared shape; give it with --input NAME=FILE.npy");
  }
  // Symbolic dims without a --dim default to 1: infer-run checks a model, it does not time it.
  return infer::app::RandomInput(desc, infer::app::InputShape(desc, dims, 1), rng);
}

void PrintSummary(const char* name, const infer_tensor* t) {
  const infer_dtype dtype = infer_tensor_dtype(t);
  const size_t n = infer_tensor_element_count(t);
  std::printf("output '%s': %s %s", name, infer_dtype_name(dtype),
              DimsText(infer_tensor_shape(t), infer_tensor_rank(t)).c_str());
  if (dtype == INFER_DTYPE_FLOAT32 && n > 0) {
    const auto* p = static_cast<const float*>(infer_tensor_const_data(t));
    double lo = p[0], hi = p[0], sum = 0;
    for (size_t i = 0; i < n; ++i) {
      lo = std::min<double>(lo, p[i]);
      hi = std::max<double>(hi, p[i]);
      sum += p[i];
    }
    std::printf("  min %.6g  max %.6g  mean %.6g", lo, hi, sum / static_cast<double>(n));
    std::printf("  first [");
    for (size_t i = 0; i < std::min<size_t>(n, 5); ++i) std::printf("%s%.6g", i ? ", " : "", p[i]);
    std::printf("%s]", n > 5 ? ", ..." : "");
  }
  std::printf("\n");
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  const std::string dirs = o.session.PluginDirs("infer-run");
  infer::app::EnvHandle env = o.session.CreateEnv(dirs);
  if (o.list_plugins) {
    ListPlugins(env.get(), dirs);
    if (o.model.empty()) return 0;
  }
  infer::app::OptionsHandle opts = o.session.CreateOptions();

  const auto t0 = std::chrono::steady_clock::now();
  infer_session* session_raw = nullptr;
  Check(infer_session_create(env.get(), o.model.c_str(), opts.get(), &session_raw));
  infer::app::SessionHandle session(session_raw);
  const auto t1 = std::chrono::steady_clock::now();
  if (o.report) std::fputs(infer_session_optimization_report(session.get()), stdout);

  // Inputs: every --input must name a model input.
  const size_t n_in = infer_session_input_count(session.get());
  std::map<std::string, std::string> files(o.inputs.begin(), o.inputs.end());
  for (const auto& [name, file] : o.inputs) {
    bool known = false;
    for (size_t i = 0; i < n_in; ++i) known |= name == infer_session_input_name(session.get(), i);
    if (!known) throw Failure("--input names '" + name + "', which is not an input of the model");
  }
  std::mt19937_64 rng(o.seed);
  std::vector<TensorHandle> inputs;
  std::vector<const char*> input_names;
  for (size_t i = 0; i < n_in; ++i) {
    infer_value_desc desc{};
    desc.struct_size = sizeof(desc);
    Check(infer_session_input_desc(session.get(), i, &desc));
    auto f = files.find(desc.name);
    inputs.push_back(MakeInput(desc, f != files.end() ? &f->second : nullptr, o.session.dims, rng));
    input_names.push_back(desc.name);
    std::printf(
        "input  '%s': %s %s%s\n", desc.name,
        infer_dtype_name(infer_tensor_dtype(inputs.back().get())),
        DimsText(infer_tensor_shape(inputs.back().get()), infer_tensor_rank(inputs.back().get()))
            .c_str(),
        f != files.end() ? (" from " + f->second).c_str() : " (random)");
  }

  const size_t n_out = infer_session_output_count(session.get());
  std::vector<const infer_tensor*> input_ptrs;
  for (const auto& t : inputs) input_ptrs.push_back(t.get());
  std::vector<infer_tensor*> outputs_raw(n_out, nullptr);
  Check(infer_session_run(session.get(), input_names.data(), input_ptrs.data(), input_ptrs.size(),
                          nullptr, 0, outputs_raw.data()));
  const auto t2 = std::chrono::steady_clock::now();
  std::vector<TensorHandle> outputs;
  for (infer_tensor* t : outputs_raw) outputs.emplace_back(t);

  if (!o.output_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec) throw Failure("cannot create output folder '" + o.output_dir + "': " + ec.message());
  }
  for (size_t i = 0; i < n_out; ++i) {
    const char* name = infer_session_output_name(session.get(), i);
    PrintSummary(name, outputs[i].get());
    if (o.output_dir.empty()) continue;
    std::string file_name = name;
    std::replace_if(
        file_name.begin(), file_name.end(),
        [](char c) { return c == '/' || c == '\\' || c == ':'; }, '_');
    const std::string path = (fs::path(o.output_dir) / (file_name + ".npy")).string();
    std::string err;
    const infer_tensor* t = outputs[i].get();
    if (!infer::app::WriteNpy(path, infer_tensor_dtype(t), infer_tensor_shape(t),
                              infer_tensor_rank(t), infer_tensor_const_data(t),
                              infer_tensor_byte_size(t), &err)) {
      throw Failure(err);
    }
  }
  // After the run, so each partition and copy shows the time it took.
  if (o.report) std::fputs(infer_session_placement_report(session.get()), stdout);
  using ms = std::chrono::duration<double, std::milli>;
  std::printf("session created in %.2f ms, run took %.2f ms\n", ms(t1 - t0).count(),
              ms(t2 - t1).count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return infer::app::RunApp("infer-run", Main, argc, argv); }
