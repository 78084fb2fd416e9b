#include "options.h"

#include <charconv>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "kernels/common.h"

namespace infer::cpu {
namespace {

int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// More threads than this per hardware thread only adds contention.
constexpr int kMaxThreadsPerHardwareThread = 4;

int parse_threads(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const int limit = kMaxThreadsPerHardwareThread * hardware_threads();
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > limit) {
    fail(INFER_INVALID_ARGUMENT,
         str_cat("cpu.threads must be an integer from 1 to ", limit, " (", hardware_threads(),
                 " hardware threads here), got '", text, "'"));
  }
  return value;
}

bool parse_flag(const char* key, std::string_view text) {
  if (text == "1" || text == "true" || text == "on") return true;
  if (text == "0" || text == "false" || text == "off") return false;
  fail(INFER_INVALID_ARGUMENT,
       str_cat(key, " must be 1/0, true/false or on/off, got '", text, "'"));
}

}  // namespace

CpuOptions read_cpu_options(const infer_host_api* host, const infer_config* cfg) {
  CpuOptions o;
  o.threads = hardware_threads();
  if (!cfg || !host->config_get) return o;
  if (const char* v = host->config_get(cfg, "cpu.threads")) o.threads = parse_threads(v);
  if (const char* v = host->config_get(cfg, "cpu.profile_ops")) {
    o.profile_ops = parse_flag("cpu.profile_ops", v);
  }
  if (const char* v = host->config_get(cfg, "cpu.memory_plan")) {
    o.memory_plan = parse_flag("cpu.memory_plan", v);
  }
  return o;
}

std::shared_ptr<IntraOpPool> shared_intra_op_pool(int threads) {
  if (threads <= 1) return nullptr;
  static std::mutex mu;
  static std::map<int, std::weak_ptr<IntraOpPool>> pools;
  std::lock_guard lock(mu);
  std::weak_ptr<IntraOpPool>& slot = pools[threads];
  std::shared_ptr<IntraOpPool> pool = slot.lock();
  if (!pool) {
    pool = std::make_shared<IntraOpPool>(threads);
    slot = pool;
  }
  return pool;
}

}  // namespace infer::cpu
