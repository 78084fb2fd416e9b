#include "profile.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli.h"

namespace infer::bench {
namespace {

// "...: 0.123 ms/run" or "host time: 0.123 ms/run" -> 0.123; -1 if absent.
double MsPerRun(const std::string& line) {
  const size_t unit = line.rfind(" ms/run");
  if (unit == std::string::npos) return -1;
  const size_t start = line.find_last_of(' ', unit - 1);
  if (start == std::string::npos) return -1;
  return std::strtod(line.c_str() + start + 1, nullptr);
}

std::string Us(double ms) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3f", ms * 1000.0);
  return buf;
}

}  // namespace

std::vector<Step> ParseStepTimes(const std::string& report) {
  // Top-level lines have a two-space indent ("  partition 0: cpu (CPU), ..."),
  // their host time four ("    host time: ..."); deeper ones are subgraphs.
  std::vector<Step> steps;
  std::istringstream in(report);
  std::string line;
  bool in_partition = false;
  while (std::getline(in, line)) {
    if (line.starts_with("  partition ")) {
      const size_t colon = line.find(": ");
      const size_t paren = line.find(" (", colon);
      const size_t ops = line.find("): ", paren);
      if (colon == std::string::npos || paren == std::string::npos) continue;
      steps.push_back(
          {line.substr(2, paren - 2), ops == std::string::npos ? "" : line.substr(ops + 3), -1});
      in_partition = true;
    } else if (in_partition && line.starts_with("    host time: ")) {
      steps.back().mean_ms = MsPerRun(line);
      in_partition = false;
    } else if (line.starts_with("  copy ")) {
      in_partition = false;
      const size_t colon = line.find(": ");
      const size_t name_end = line.find(' ', colon + 2);
      const size_t time = line.rfind(": ");
      if (colon == std::string::npos || name_end == std::string::npos) continue;
      steps.push_back({line.substr(2, name_end - 2),
                       line.substr(name_end + 1, time > name_end ? time - name_end - 1 : 0),
                       MsPerRun(line)});
    } else if (!line.starts_with("    ")) {
      in_partition = false;
    }
  }
  std::vector<Step> timed;
  for (auto& s : steps) {
    if (s.mean_ms >= 0) timed.push_back(std::move(s));
  }
  return timed;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void WriteChromeTrace(const std::string& path, const std::string& model,
                      const std::vector<Iteration>& iterations, const std::vector<Step>& steps) {
  std::ofstream f(path);
  if (!f) throw app::Failure("cannot write profile '" + path + "'");
  // Thread 1: measured runs; thread 2: partition/copy steps at their mean times.
  auto metadata = [&](const char* what, int tid, const std::string& name) {
    f << "{\"name\":\"" << what << "\",\"ph\":\"M\",\"pid\":1,\"tid\":" << tid
      << ",\"args\":{\"name\":" << JsonString(name) << "}}";
  };
  f << "{\"traceEvents\":[\n";
  metadata("process_name", 1, model);
  f << ",\n";
  metadata("thread_name", 1, "run (measured)");
  f << ",\n";
  metadata("thread_name", 2, "steps (mean times)");
  for (size_t i = 0; i < iterations.size(); ++i) {
    const Iteration& it = iterations[i];
    f << ",\n{\"name\":\"run\",\"cat\":\"run\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":"
      << Us(it.start_ms) << ",\"dur\":" << Us(it.dur_ms) << ",\"args\":{\"iteration\":" << i
      << "}}";
    double t = it.start_ms;
    for (const Step& s : steps) {
      f << ",\n{\"name\":" << JsonString(s.name)
        << ",\"cat\":\"step\",\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":" << Us(t)
        << ",\"dur\":" << Us(s.mean_ms) << ",\"args\":{\"iteration\":" << i
        << ",\"detail\":" << JsonString(s.detail) << ",\"mean_ms_over_all_runs\":" << s.mean_ms
        << ",\"estimated\":true}}";
      t += s.mean_ms;
    }
  }
  f << "\n]}\n";
  if (!f) throw app::Failure("cannot write profile '" + path + "'");
}

}  // namespace infer::bench
