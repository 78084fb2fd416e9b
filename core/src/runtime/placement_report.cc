// The placement report: what runs where, what crosses between backends, what
// a preferred backend refused and why, and where the time went.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/compute_cost.h"
#include "runtime/control_flow.h"
#include "runtime/execution_plan.h"

namespace infer::core {
namespace {

std::string Bytes(int64_t bytes) {
  if (bytes < 0) return "size unknown until run time";
  if (bytes < 10 * 1024) return absl::StrCat(bytes, " B");
  if (bytes < 10 * 1024 * 1024)
    return absl::StrFormat("%.1f KiB", static_cast<double>(bytes) / 1024.0);
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string Macs(int64_t macs) {
  if (macs >= 1000000000) return absl::StrFormat("%.2f GMAC", static_cast<double>(macs) / 1e9);
  if (macs >= 1000000) return absl::StrFormat("%.1f MMAC", static_cast<double>(macs) / 1e6);
  return absl::StrCat(macs, " MAC");
}

// "a [1,64] , b [2] and 3 more"
std::string ValueList(const Graph& graph, const std::vector<size_t>& values) {
  constexpr size_t kShown = 6;
  std::vector<std::string> names;
  for (size_t i = 0; i < values.size() && i < kShown; ++i) {
    const Value& v = graph.value(values[i]);
    names.push_back(absl::StrCat(v.name, " ", v.shape.ToString()));
  }
  std::string out = names.empty() ? "none" : absl::StrJoin(names, ", ");
  if (values.size() > kShown) absl::StrAppend(&out, " and ", values.size() - kShown, " more");
  return out;
}

// The backend's own account of a partition (ABI 1.3), indented, or "".
std::string DeviceReport(const Partition& p, const std::string& pad) {
  const infer_backend_api* api = p.backend->backend;
  if (api == nullptr || p.compiled == nullptr ||
      api->struct_size <
          offsetof(infer_backend_api, describe_partition) + sizeof(api->describe_partition) ||
      api->describe_partition == nullptr) {
    return "";
  }
  const size_t needed = api->describe_partition(p.compiled, nullptr, 0);
  constexpr size_t kMaxReport = 64 * 1024;  // a report, not a dump
  std::string text(std::min(needed, kMaxReport) + 1, '\0');
  api->describe_partition(p.compiled, text.data(), text.size());
  text.resize(std::min(needed, kMaxReport));
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&out, pad, "    | ", line, "\n");
  }
  return out;
}

}  // namespace

std::string ExecutionPlan::Describe(int indent) const {
  const std::string pad(static_cast<size_t>(indent), ' ');
  const Placement& pl = placement_;
  const std::vector<size_t>& step_of_partition = pl.partition_step;
  const std::vector<size_t>& step_of_copy = pl.copy_step;
  auto ms_per_run = [&](size_t step) -> double {
    const int64_t runs = times_[step].runs.load(std::memory_order_relaxed);
    const auto nanos = static_cast<double>(times_[step].nanos.load(std::memory_order_relaxed));
    return runs == 0 ? 0.0 : nanos / 1e6 / static_cast<double>(runs);
  };
  const int64_t runs = pl.steps.empty() ? 0 : times_[0].runs.load(std::memory_order_relaxed);

  // Per backend: partitions, nodes, MACs, time.
  struct Totals {
    size_t partitions = 0, nodes = 0;
    int64_t macs = 0;
    double ms = 0;
  };
  std::map<std::string, Totals> totals;
  int64_t all_macs = 0;
  for (size_t p = 0; p < pl.partitions.size(); ++p) {
    Totals& t = totals[pl.partitions[p].backend->name];
    ++t.partitions;
    t.nodes += pl.partitions[p].nodes.size();
    for (size_t n : pl.partitions[p].nodes) t.macs += EstimateMacs(graph_, n);
    t.ms += ms_per_run(step_of_partition[p]);
  }
  for (const auto& [name, t] : totals) all_macs += t.macs;

  std::string out =
      absl::StrCat(pad, "placement: ", pl.partitions.size(), " partition(s), ", pl.copies.size(),
                   " copies, ", graph_.live_node_count(), " node(s)");
  if (runs > 0) absl::StrAppend(&out, "; times are means over ", runs, " run(s)");
  absl::StrAppend(&out, "\n");
  for (const auto& [name, t] : totals) {
    absl::StrAppend(&out, pad, "  ", absl::StrFormat("%-8s", name), " ", t.partitions,
                    " partition(s), ", t.nodes, " node(s)");
    if (all_macs > 0) {
      absl::StrAppend(&out, ", ", Macs(t.macs),
                      absl::StrFormat(" (%.1f%% of compute)", 100.0 * static_cast<double>(t.macs) /
                                                                  static_cast<double>(all_macs)));
    }
    if (runs > 0) absl::StrAppend(&out, absl::StrFormat(", %.3f ms/run", t.ms));
    absl::StrAppend(&out, "\n");
  }

  for (size_t p = 0; p < pl.partitions.size(); ++p) {
    const Partition& part = pl.partitions[p];
    std::map<std::string, int> ops;
    for (size_t n : part.nodes) ++ops[graph_.node(n).op_type];
    const char* device = part.backend->backend == nullptr ? "control flow"
                         : part.backend->backend->device  ? part.backend->backend->device
                                                          : "?";
    absl::StrAppend(&out, pad, "  partition ", p, ": ", part.backend->name, " (", device, "), ",
                    part.nodes.size(), " node(s): ",
                    absl::StrJoin(ops, ", ",
                                  [](std::string* s, const auto& kv) {
                                    absl::StrAppend(s, kv.first, " x", kv.second);
                                  }),
                    "\n");
    absl::StrAppend(&out, pad, "    inputs: ", ValueList(graph_, part.inputs), "\n", pad,
                    "    outputs: ", ValueList(graph_, part.outputs), "\n");
    if (runs > 0) {
      absl::StrAppend(
          &out, pad,
          absl::StrFormat("    host time: %.3f ms/run\n", ms_per_run(step_of_partition[p])));
    }
    out += DeviceReport(part, pad);
  }
  int64_t copy_bytes = 0;
  double copy_ms = 0;
  for (size_t c = 0; c < pl.copies.size(); ++c) {
    const Copy& copy = pl.copies[c];
    const Value& v = graph_.value(copy.value);
    std::vector<std::string> to;
    for (size_t q : copy.to_partitions) to.push_back(absl::StrCat(q));
    absl::StrAppend(&out, pad, "  copy ", c, ": ", v.name, " ", v.shape.ToString(), " ",
                    DtypeName(v.dtype), ", ", Bytes(copy.bytes), ", ",
                    pl.partitions[copy.from_partition].backend->name, " (partition ",
                    copy.from_partition, ") -> ",
                    pl.partitions[copy.to_partitions.front()].backend->name, " (partition",
                    to.size() > 1 ? "s " : " ", absl::StrJoin(to, ", "), ")");
    if (runs > 0)
      absl::StrAppend(&out, absl::StrFormat(": %.3f ms/run", ms_per_run(step_of_copy[c])));
    absl::StrAppend(&out, "\n");
    copy_bytes += std::max<int64_t>(copy.bytes, 0);
    copy_ms += ms_per_run(step_of_copy[c]);
  }
  if (!pl.copies.empty()) {
    absl::StrAppend(&out, pad, "  copies in all: ", pl.copies.size(), ", ", Bytes(copy_bytes),
                    runs > 0 ? absl::StrFormat(", %.3f ms/run", copy_ms) : "", "\n");
  }
  for (const Refusal& r : pl.refusals) {
    absl::StrAppend(&out, pad, "  refused by ", r.backend, ": ", graph_.node(r.node).Describe(),
                    ": ", r.reason, "\n");
  }
  for (const auto& cf : control_flow_) {
    if (cf) out += cf->Describe(indent + 4);
  }
  return out;
}

}  // namespace infer::core
