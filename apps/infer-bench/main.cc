// infer-bench: load a model, run it repeatedly on seeded random inputs and
// report load time, latency percentiles, throughput and peak RSS, as text or
// one JSON object. Uses only the public C API.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli.h"
#include "infer/infer.h"
#include "profile.h"
#include "random_inputs.h"

namespace {

using infer::app::Check;
using infer::app::Failure;
using infer::app::SessionFlags;
using infer::app::TensorHandle;
using infer::app::UsageError;
using infer::bench::JsonString;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;

constexpr int64_t kDefaultIterations = 100;

std::string Usage() {
  return std::string(
             "usage: infer-bench [--plugins DIR]... MODEL [options]\n"
             "\n"
             "Times runs of MODEL on seeded random inputs.\n"
             "\n"
             "options:\n") +
         SessionFlags::Help() +
         "  --threads N           intra-op threads (session option cpu.threads);\n"
         "                        1 to the number of hardware threads\n"
         "  --warmup W            untimed runs first (default 3)\n"
         "  --iterations K        timed runs (default 100)\n"
         "  --seconds S           time runs for S seconds instead of a count\n"
         "  --seed N              seed for the random inputs (default 0)\n"
         "  --json                print the results as one JSON object, nothing else\n"
         "  --profile FILE        write a Chrome trace (open in ui.perfetto.dev)\n"
         "  --report              print the placement report after the timings (with\n"
         "                        --profile-ops: where the time went per operator)\n"
         "  -h, --help            this help\n";
}

struct Options {
  SessionFlags session;
  std::string model;
  std::optional<int64_t> threads;
  int64_t warmup = 3;
  std::optional<int64_t> iterations;
  std::optional<double> seconds;
  uint64_t seed = 0;
  bool json = false;
  bool report = false;
  std::string profile;
};

double ParseSeconds(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0) {
    throw UsageError("--seconds must be a number > 0, got '" + text + "'");
  }
  return v;
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  infer::app::ParseCommandLine(argc, argv, Usage(), o.session, o.model,
                               [&](const std::string& a, const infer::app::FlagValue& value) {
                                 if (a == "--threads") {
                                   o.threads = infer::app::ParseInt(a, value(), 1);
                                 } else if (a == "--warmup") {
                                   o.warmup = infer::app::ParseInt(a, value(), 0);
                                 } else if (a == "--iterations") {
                                   o.iterations = infer::app::ParseInt(a, value(), 1);
                                 } else if (a == "--seconds") {
                                   o.seconds = ParseSeconds(value());
                                 } else if (a == "--seed") {
                                   o.seed =
                                       static_cast<uint64_t>(infer::app::ParseInt(a, value(), 0));
                                 } else if (a == "--json") {
                                   o.json = true;
                                 } else if (a == "--profile") {
                                   o.profile = value();
                                 } else if (a == "--report") {
                                   o.report = true;
                                 } else {
                                   return false;
                                 }
                                 return true;
                               });
  if (o.model.empty()) throw UsageError("no model given");
  if (o.iterations && o.seconds) throw UsageError("give --iterations or --seconds, not both");
  // More threads than the machine has only measures oversubscription.
  const unsigned hw = std::thread::hardware_concurrency();
  if (o.threads && hw > 0 && *o.threads > static_cast<int64_t>(hw)) {
    throw UsageError("--threads " + std::to_string(*o.threads) + " is more than the " +
                     std::to_string(hw) + " hardware threads of this machine");
  }
  if (o.threads) o.session.config.emplace_back("cpu.threads", std::to_string(*o.threads));
  return o;
}

// Reports progress on stderr: in place every second on a terminal, a line
// every 5 s otherwise (logs), and nothing for runs shorter than that.
class Progress {
 public:
  explicit Progress(const Options& o)
      : tty_(isatty(STDERR_FILENO) != 0), every_(tty_ ? 1.0 : 5.0), o_(o) {}
  void Update(size_t done, Clock::time_point start) {
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (elapsed < next_) return;
    next_ = elapsed + every_;
    std::string goal = o_.seconds ? std::to_string(static_cast<int64_t>(*o_.seconds)) + " s"
                                  : std::to_string(*o_.iterations) + " runs";
    std::fprintf(stderr, "%sinfer-bench: %zu runs, %.0f s of %s%s", tty_ ? "\r" : "", done, elapsed,
                 goal.c_str(), tty_ ? "" : "\n");
    printed_ = true;
  }
  ~Progress() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }

 private:
  bool tty_;
  double every_;
  double next_ = 1.0;
  bool printed_ = false;
  const Options& o_;
};

// Linear interpolation between closest ranks; `sorted` is not empty.
double Percentile(const std::vector<double>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

// Peak resident set of this process in MiB: VmHWM from /proc/self/status, which starts afresh
// at exec. (getrusage's ru_maxrss survives exec on Linux, so a benchmark started from a big
// Python process would report that process's peak.)
double PeakRssMb() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f) {
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, f)) {
      if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
    }
    std::fclose(f);
    if (kib >= 0) return static_cast<double>(kib) / 1024.0;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// The backends that got partitions, from the report's per-backend lines
// ("  cpu      1 partition(s), ...").
std::string PlacedBackends(const std::string& report) {
  std::string out;
  size_t pos = 0;
  while ((pos = report.find(" partition(s), ", pos)) != std::string::npos) {
    const size_t line = report.rfind('\n', pos) + 1;
    const size_t name = report.find_first_not_of(' ', line);
    const size_t name_end = report.find(' ', name);
    if (line > 0 && name < pos && report.compare(line, 2, "  ") == 0 && report[line + 2] != ' ') {
      if (!out.empty()) out += ',';
      out += report.substr(name, name_end - name);
    }
    pos += 1;
  }
  return out;
}

// Sum of the cpu partitions' planned arenas ("memory plan: arena 6.89 MiB" or "1.50 KiB"), in MiB;
// 0 when no partition reports one (before the first run, or other backends).
double ArenaMib(const std::string& report) {
  double total = 0;
  const std::string key = "memory plan: arena ";
  for (size_t pos = report.find(key); pos != std::string::npos; pos = report.find(key, pos + 1)) {
    char* unit = nullptr;
    const double value = std::strtod(report.c_str() + pos + key.size(), &unit);
    total += unit && std::strncmp(unit, " KiB", 4) == 0 ? value / 1024.0 : value;
  }
  return total;
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  infer::app::EnvHandle env = o.session.CreateEnv(o.session.PluginDirs("infer-bench"));
  infer::app::OptionsHandle opts = o.session.CreateOptions();

  const auto t0 = Clock::now();
  infer_session* session_raw = nullptr;
  Check(infer_session_create(env.get(), o.model.c_str(), opts.get(), &session_raw));
  infer::app::SessionHandle session(session_raw);
  const double load_ms = Ms(Clock::now() - t0).count();

  // Inputs, checked before any run: every symbolic dim needs its --dim.
  std::mt19937_64 rng(o.seed);
  std::vector<TensorHandle> inputs;
  std::vector<const char*> input_names;
  std::vector<const infer_tensor*> input_ptrs;
  for (size_t i = 0; i < infer_session_input_count(session.get()); ++i) {
    infer_value_desc desc{};
    desc.struct_size = sizeof(desc);
    Check(infer_session_input_desc(session.get(), i, &desc));
    if (desc.rank == INFER_RANK_UNKNOWN) {
      throw Failure("input '" + std::string(desc.name) + "' has no declared shape");
    }
    inputs.push_back(infer::app::RandomInput(
        desc, infer::app::InputShape(desc, o.session.dims, std::nullopt), rng));
    input_names.push_back(desc.name);
    input_ptrs.push_back(inputs.back().get());
  }
  std::vector<infer_tensor*> outputs(infer_session_output_count(session.get()), nullptr);
  auto run_once = [&] {
    Check(infer_session_run(session.get(), input_names.data(), input_ptrs.data(), input_ptrs.size(),
                            nullptr, 0, outputs.data()));
    for (infer_tensor*& t : outputs) {
      infer_tensor_release(t);
      t = nullptr;
    }
  };

  for (int64_t i = 0; i < o.warmup; ++i) run_once();
  const int64_t iterations = o.iterations.value_or(kDefaultIterations);
  std::vector<infer::bench::Iteration> runs;
  Progress progress(o);
  // Enough for long runs of large models; what does not fit is counted.
  constexpr size_t kMaxProfileEvents = size_t{1} << 18;
  if (!o.profile.empty()) Check(infer_session_profile_start(session.get(), kMaxProfileEvents));
  const auto start = Clock::now();
  while (o.seconds ? Ms(Clock::now() - start).count() < *o.seconds * 1000.0
                   : static_cast<int64_t>(runs.size()) < iterations) {
    const auto r0 = Clock::now();
    run_once();
    const auto r1 = Clock::now();
    runs.push_back({Ms(r0 - start).count(), Ms(r1 - r0).count()});
    progress.Update(runs.size(), start);
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> lat;
  for (const auto& r : runs) lat.push_back(r.dur_ms);
  std::sort(lat.begin(), lat.end());
  const double stats[] = {lat.front(), Percentile(lat, 0.5), Percentile(lat, 0.9),
                          Percentile(lat, 0.99), lat.back()};
  const char* stat_names[] = {"min", "median", "p90", "p99", "max"};
  const double throughput = static_cast<double>(runs.size()) / total_s;
  const double rss = PeakRssMb();
  const std::string report = infer_session_placement_report(session.get());
  const std::string backends = o.session.backends.empty() ? "all" : o.session.backends;
  const std::string placed = PlacedBackends(report);

  if (!o.profile.empty()) {
    size_t dropped = 0;
    const auto steps = infer::bench::StopAndDrainSteps(session.get(), &dropped);
    infer::bench::WriteChromeTrace(o.profile, o.model, runs, steps);
    if (dropped > 0) {
      std::fprintf(stderr, "infer-bench: warning: %zu profile events did not fit and are missing\n",
                   dropped);
    }
  }
  if (o.json) {
    std::printf("{\"model\":%s,\"backends\":%s,\"placed_on\":%s,\"threads\":%s,",
                JsonString(o.model).c_str(), JsonString(backends).c_str(),
                JsonString(placed).c_str(),
                o.threads ? std::to_string(*o.threads).c_str() : "null");
    std::printf("\"load_ms\":%.4f,\"warmup\":%lld,\"iterations\":%zu,\"latency_ms\":{", load_ms,
                static_cast<long long>(o.warmup), runs.size());
    for (size_t i = 0; i < 5; ++i)
      std::printf("%s\"%s\":%.4f", i ? "," : "", stat_names[i], stats[i]);
    std::printf("},\"throughput_ips\":%.4f,\"peak_rss_mb\":%.2f,\"arena_mb\":%.6f}\n", throughput,
                rss, ArenaMib(report));
    return 0;
  }
  std::printf("model:       %s\n", o.model.c_str());
  std::printf("backends:    %s (placed on %s)\n", backends.c_str(), placed.c_str());
  std::printf("threads:     %s\n",
              o.threads ? std::to_string(*o.threads).c_str() : "backend default");
  std::printf("load:        %.2f ms\n", load_ms);
  std::printf("iterations:  %zu in %.3f s (after %lld warm-up)\n", runs.size(), total_s,
              static_cast<long long>(o.warmup));
  std::printf("latency ms: ");
  for (size_t i = 0; i < 5; ++i) std::printf(" %s %.3f", stat_names[i], stats[i]);
  std::printf("\nthroughput:  %.2f inferences/s\n", throughput);
  std::printf("peak RSS:    %.1f MB (intermediates: %.2f MiB arena)\n", rss, ArenaMib(report));
  if (!o.profile.empty()) std::printf("profile:     %s\n", o.profile.c_str());
  if (o.report) std::printf("\n%s", report.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return infer::app::RunApp("infer-bench", Main, argc, argv); }
