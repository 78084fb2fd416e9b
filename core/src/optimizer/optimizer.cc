#include "optimizer/optimizer.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "api/status.h"
#include "runtime/execution_plan.h"
#include "runtime/placement.h"
#include "spdlog/spdlog.h"

namespace infer::core {
namespace {

// Level-1 passes repeat while they change the graph, at most this many times:
// folding can expose dead code, whose removal exposes duplicates, and so on.
constexpr int kMaxBasicRounds = 4;

const char* LevelName(int level) {
  switch (level) {
    case INFER_OPT_NONE:
      return "none";
    case INFER_OPT_BASIC:
      return "basic";
    case INFER_OPT_EXTENDED:
      return "extended";
    default:
      return "layout";
  }
}

// Evaluates constant nodes for graph_fold_node: the node alone, with its
// inputs as initializers, placed and run on the session's backends, exactly
// as it would run in the model.
class ConstantEvaluator final : public OptimizationHooks {
 public:
  explicit ConstantEvaluator(const OptimizerContext& ctx) : ctx_(ctx) {}

  absl::StatusOr<std::vector<TensorPtr>> EvaluateNode(const Graph& graph, size_t id) override {
    const Node& node = graph.node(id);
    Graph single;
    single.set_custom_ops(graph.custom_ops());  // custom ops fold on their kernels too
    for (const auto& [domain, version] : graph.opsets()) single.SetOpset(domain, version);
    Node copy;
    copy.op_type = node.op_type;
    copy.domain = node.domain;
    copy.name = node.name;
    for (size_t v : node.inputs) {
      if (v == kNoValue) {
        copy.inputs.push_back(kNoValue);
        continue;
      }
      const Value& value = graph.value(v);
      std::optional<size_t> existing = single.FindValue(value.name);
      if (!existing) {
        INFER_ASSIGN_OR_RETURN(existing, single.AddInitializer(value.name, value.constant));
      }
      copy.inputs.push_back(*existing);
    }
    for (size_t v : node.outputs) {
      if (v == kNoValue) {
        copy.outputs.push_back(kNoValue);
        continue;
      }
      const Value& value = graph.value(v);
      INFER_ASSIGN_OR_RETURN(size_t out,
                             single.AddValue(value.name, value.dtype, Shape::Unknown()));
      INFER_RETURN_IF_ERROR(single.AddOutput(out));
      copy.outputs.push_back(out);
    }
    for (const auto& [name, attr] : node.attributes) {
      if (attr.type == INFER_ATTR_GRAPH) {
        return absl::UnimplementedError(absl::StrCat(node.Describe(), " has a graph attribute"));
      }
      copy.SetAttribute(name) = attr.CopyWithoutGraph();
    }
    const std::vector<size_t> outputs = copy.outputs;
    INFER_RETURN_IF_ERROR(single.AddNode(std::move(copy)).status());
    INFER_RETURN_IF_ERROR(InferGraphShapes(single, *ctx_.schemas));
    PlanContext plan_ctx;
    plan_ctx.backends = ctx_.fold_backends.empty() ? ctx_.backends : ctx_.fold_backends;
    plan_ctx.placement.fallback = FallbackPolicy::kAllow;
    plan_ctx.placement.min_partition_size = 1;
    plan_ctx.config = ctx_.config;
    INFER_ASSIGN_OR_RETURN(std::unique_ptr<ExecutionPlan> plan,
                           ExecutionPlan::Build(single, plan_ctx));
    std::vector<TensorPtr> values(single.value_count());
    INFER_RETURN_IF_ERROR(plan->Execute(values));
    std::vector<TensorPtr> result;
    for (size_t v : outputs) result.push_back(v == kNoValue ? nullptr : values[v]);
    return result;
  }

  const std::string& current_backend() const override { return backend_; }
  void set_backend(std::string backend) { backend_ = std::move(backend); }

 private:
  const OptimizerContext& ctx_;
  std::string backend_;
};

// The checks every pass must leave true: every value defined, no cycles,
// shapes consistent with the operator schemas.
absl::Status CheckGraph(Graph& graph, const SchemaRegistry& schemas) {
  INFER_RETURN_IF_ERROR(graph.Validate());
  if (graph.outputs().empty()) return absl::InvalidArgumentError("the graph lost its outputs");
  return InferGraphShapes(graph, schemas);
}

std::set<std::string, std::less<>> DisabledPasses(const infer_config* cfg) {
  std::set<std::string, std::less<>> out;
  if (cfg == nullptr) return out;
  auto it = cfg->values.find(std::string_view("optimizer.disable"));
  if (it == cfg->values.end()) return out;
  for (absl::string_view name : absl::StrSplit(it->second, ',', absl::SkipWhitespace())) {
    out.emplace(name.data(), name.size());
  }
  return out;
}

class Runner {
 public:
  Runner(std::unique_ptr<Graph>& graph, const OptimizerContext& ctx, ConstantEvaluator& evaluator,
         OptimizationReport& report)
      : graph_(graph), ctx_(ctx), evaluator_(evaluator), report_(report) {}

  // Runs one pass; on failure restores the graph from before it. Returns the
  // number of nodes it changed (0 after a rollback).
  size_t Run(const PassEntry& pass, int round) {
    PassRun run;
    run.name = pass.name;
    run.backend = pass.backend;
    run.level = pass.level;
    run.round = round;
    run.nodes_before = graph_->live_node_count();
    evaluator_.set_backend(pass.backend);
    std::unique_ptr<Graph> before = graph_->Clone();
    const auto start = std::chrono::steady_clock::now();
    size_t changed = 0;
    absl::Status st = FromC(pass.plugin->pass->pass_run(pass.plugin->state, pass.index,
                                                        AsC(*graph_), ctx_.config, &changed));
    if (st.ok()) st = CheckGraph(*graph_, *ctx_.schemas);
    run.ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!st.ok()) {
      run.failure = std::string(st.message());
      spdlog::warn(
          "optimizer: pass '{}' (plugin '{}') failed: {}; continuing with the graph from before "
          "it",
          pass.name, pass.plugin->name, run.failure);
      graph_ = std::move(before);
      changed = 0;
    }
    run.changed = changed;
    run.nodes_after = graph_->live_node_count();
    report_.runs.push_back(std::move(run));
    return changed;
  }

 private:
  std::unique_ptr<Graph>& graph_;
  const OptimizerContext& ctx_;
  ConstantEvaluator& evaluator_;
  OptimizationReport& report_;
};

// Tentative placement for the backend-specific levels: records each node's
// backend and returns the backends that hold nodes.
absl::StatusOr<std::set<std::string>> PlaceTentatively(Graph& graph, const OptimizerContext& ctx) {
  INFER_ASSIGN_OR_RETURN(Placement placement,
                         PlaceGraph(graph, ctx.backends, ctx.placement, ctx.config));
  std::set<std::string> used;
  for (const Partition& p : placement.partitions) {
    for (size_t n : p.nodes) graph.mutable_node(n).backend = p.backend->name;
    used.insert(p.backend->name);
  }
  return used;
}

}  // namespace

std::string OptimizationReport::Describe() const {
  std::string out;
  if (from_optimized_file) {
    return absl::StrCat("optimization: the model file is already optimized (level ", level, ", ",
                        LevelName(level), "); no pass ran, ", nodes_after, " nodes\n");
  }
  absl::StrAppend(&out, "optimization level ", level, " (", LevelName(level), "): ", nodes_before,
                  " -> ", nodes_after, " nodes, ", initializers_before, " -> ", initializers_after,
                  " initializers\n");
  for (const std::string& d : disabled) absl::StrAppend(&out, "  disabled: ", d, "\n");
  if (runs.empty()) return out;
  absl::StrAppend(&out, absl::StrFormat("  %-5s %-5s %-36s %-8s %8s %14s %8s\n", "level", "round",
                                        "pass", "backend", "changed", "nodes", "ms"));
  size_t quiet_reruns = 0;
  for (const PassRun& r : runs) {
    // Later rounds only matter where they still changed something.
    if (r.round > 1 && r.changed == 0 && r.failure.empty()) {
      ++quiet_reruns;
      continue;
    }
    absl::StrAppend(
        &out, absl::StrFormat("  %-5d %-5d %-36s %-8s %8d %14s %8.2f\n", r.level, r.round, r.name,
                              r.backend.empty() ? "-" : r.backend, r.changed,
                              absl::StrCat(r.nodes_before, " -> ", r.nodes_after), r.ms));
    if (!r.failure.empty()) {
      absl::StrAppend(&out, "        FAILED and rolled back: ", r.failure, "\n");
    }
  }
  if (quiet_reruns > 0) {
    absl::StrAppend(&out, "  (", quiet_reruns, " later-round runs changed nothing)\n");
  }
  return out;
}

absl::StatusOr<std::vector<PassEntry>> CollectPasses(const PluginRegistry& plugins) {
  std::vector<PassEntry> passes;
  absl::flat_hash_map<std::string, std::string> owner;  // pass name -> plugin
  for (const PluginRecord* r : plugins.OfKind(INFER_PLUGIN_PASS)) {
    const size_t count = r->pass->pass_count(r->state);
    for (size_t i = 0; i < count; ++i) {
      infer_pass_info info{};
      info.struct_size = sizeof(info);
      r->pass->pass_info(r->state, i, &info);
      if (info.name == nullptr || *info.name == '\0') {
        return absl::InvalidArgumentError(
            absl::StrCat("pass plugin '", r->name, "' registers pass ", i, " without a name"));
      }
      if (info.level < INFER_OPT_BASIC || info.level > kMaxOptimizationLevel) {
        return absl::InvalidArgumentError(
            absl::StrCat("pass '", info.name, "' of plugin '", r->name, "' has level ", info.level,
                         "; levels are 1 to ", kMaxOptimizationLevel));
      }
      const bool has_backend = info.backend != nullptr && *info.backend != '\0';
      if ((info.level == INFER_OPT_BASIC) == has_backend) {
        return absl::InvalidArgumentError(
            absl::StrCat("pass '", info.name, "' of plugin '", r->name,
                         "': level-1 passes serve every backend and levels 2-3 must name one"));
      }
      auto [it, inserted] = owner.emplace(info.name, r->name);
      if (!inserted) {
        return absl::AlreadyExistsError(absl::StrCat("pass '", info.name,
                                                     "' is registered by plugins '", it->second,
                                                     "' and '", r->name, "'"));
      }
      passes.push_back(
          PassEntry{r, i, info.name, info.level, has_backend ? info.backend : "", info.order});
    }
  }
  std::sort(passes.begin(), passes.end(), [](const PassEntry& a, const PassEntry& b) {
    return std::tie(a.level, a.order, a.name) < std::tie(b.level, b.order, b.name);
  });
  return passes;
}

absl::StatusOr<OptimizationReport> OptimizeGraph(std::unique_ptr<Graph>& graph, int level,
                                                 const OptimizerContext& ctx) {
  if (level < 0 || level > kMaxOptimizationLevel) {
    return absl::InvalidArgumentError(absl::StrCat("optimization level ", level,
                                                   " does not exist; levels are 0 (none) to ",
                                                   kMaxOptimizationLevel, " (layout)"));
  }
  OptimizationReport report;
  report.level = level;
  report.nodes_before = graph->live_node_count();
  report.initializers_before = graph->initializer_count();
  if (level > 0) {
    INFER_ASSIGN_OR_RETURN(std::vector<PassEntry> passes, CollectPasses(*ctx.plugins));
    const auto disabled = DisabledPasses(ctx.config);
    std::erase_if(passes, [&](const PassEntry& p) {
      if (!disabled.contains(p.name)) return false;
      report.disabled.push_back(p.name);
      return true;
    });
    ConstantEvaluator evaluator(ctx);
    graph->set_hooks(&evaluator);
    Runner runner(graph, ctx, evaluator, report);

    for (int round = 1; round <= kMaxBasicRounds; ++round) {
      size_t changed = 0;
      for (const PassEntry& p : passes) {
        if (p.level == INFER_OPT_BASIC) changed += runner.Run(p, round);
      }
      if (changed == 0) break;
    }
    if (level >= INFER_OPT_EXTENDED) {
      absl::StatusOr<std::set<std::string>> used = PlaceTentatively(*graph, ctx);
      if (!used.ok()) {
        // Placement will fail the same way later, with its own message.
        graph->set_hooks(nullptr);
        return used.status();
      }
      for (const PassEntry& p : passes) {
        if (p.level > INFER_OPT_BASIC && p.level <= level && used->contains(p.backend)) {
          runner.Run(p, 1);
        }
      }
    }
    graph->set_hooks(nullptr);
  }
  report.nodes_after = graph->live_node_count();
  report.initializers_after = graph->initializer_count();
  return report;
}

}  // namespace infer::core
