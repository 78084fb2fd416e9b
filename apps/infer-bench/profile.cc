#include "profile.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cli.h"

namespace infer::bench {
namespace {

std::string Us(double ms) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3f", ms * 1000.0);
  return buf;
}

}  // namespace

std::vector<StepEvent> StopAndDrainSteps(infer_session* session, size_t* dropped) {
  app::Check(infer_session_profile_stop(session));
  std::vector<StepEvent> steps;
  app::Check(infer_session_profile_drain(
      session,
      [](const infer_profile_event* e, void* user) {
        static_cast<std::vector<StepEvent>*>(user)->push_back(
            {e->name, e->category, e->backend, e->run, e->thread,
             static_cast<double>(e->start_ns) / 1e6, static_cast<double>(e->duration_ns) / 1e6});
      },
      &steps, dropped));
  return steps;
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
                      const std::vector<Iteration>& iterations,
                      const std::vector<StepEvent>& steps) {
  std::ofstream f(path);
  if (!f) throw app::Failure("cannot write profile '" + path + "'");
  // Thread 1: measured runs; thread 2 + N: the steps worker N of the session ran.
  auto metadata = [&](const char* what, uint64_t tid, const std::string& name) {
    f << ",\n{\"name\":\"" << what << "\",\"ph\":\"M\",\"pid\":1,\"tid\":" << tid
      << ",\"args\":{\"name\":" << JsonString(name) << "}}";
  };
  f << "{\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":"
    << JsonString(model) << "}}";
  metadata("thread_name", 1, "run (measured by infer-bench)");
  std::vector<uint32_t> threads;
  for (const StepEvent& s : steps) {
    if (std::find(threads.begin(), threads.end(), s.thread) == threads.end()) {
      threads.push_back(s.thread);
      metadata("thread_name", 2 + uint64_t{s.thread}, "steps, thread " + std::to_string(s.thread));
    }
  }
  for (size_t i = 0; i < iterations.size(); ++i) {
    f << ",\n{\"name\":\"run\",\"cat\":\"run\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":"
      << Us(iterations[i].start_ms) << ",\"dur\":" << Us(iterations[i].dur_ms)
      << ",\"args\":{\"iteration\":" << i << "}}";
  }
  for (const StepEvent& s : steps) {
    f << ",\n{\"name\":" << JsonString(s.name) << ",\"cat\":" << JsonString(s.category)
      << ",\"ph\":\"X\",\"pid\":1,\"tid\":" << 2 + uint64_t{s.thread}
      << ",\"ts\":" << Us(s.start_ms) << ",\"dur\":" << Us(s.dur_ms)
      << ",\"args\":{\"run\":" << s.run << ",\"backend\":" << JsonString(s.backend) << "}}";
  }
  f << "\n]}\n";
  if (!f) throw app::Failure("cannot write profile '" + path + "'");
}

}  // namespace infer::bench
