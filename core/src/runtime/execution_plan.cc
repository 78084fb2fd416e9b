#include "runtime/execution_plan.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "runtime/control_flow.h"
#include "runtime/thread_pool.h"

namespace infer::core {

absl::StatusOr<std::unique_ptr<ExecutionPlan>> ExecutionPlan::Build(const Graph& graph,
                                                                    const PlanContext& ctx) {
  std::unique_ptr<ExecutionPlan> plan(new ExecutionPlan(graph));
  INFER_ASSIGN_OR_RETURN(plan->placement_,
                         PlaceGraph(graph, ctx.backends, ctx.placement, ctx.config));
  plan->control_flow_.resize(plan->placement_.partitions.size());
  for (size_t i = 0; i < plan->placement_.partitions.size(); ++i) {
    Partition& p = plan->placement_.partitions[i];
    if (p.backend == &CoreBackendRecord()) {
      INFER_ASSIGN_OR_RETURN(plan->control_flow_[i],
                             ControlFlowNode::Create(graph, p.nodes.front(), ctx));
      // The core reads its inputs from the value table, where constants are
      // not stored by the backends: bind the ones it reads at each run.
      const Node& node = graph.node(p.nodes.front());
      for (const auto* list : {&node.inputs, &node.implicit_inputs}) {
        for (size_t v : *list) {
          if (v != kNoValue && graph.value(v).constant) plan->constants_.push_back(v);
        }
      }
      continue;
    }
    void* compiled = nullptr;
    absl::Status st = FromC(p.backend->backend->compile(
        p.backend->state, AsC(graph), p.nodes.data(), p.nodes.size(), p.inputs.data(),
        p.inputs.size(), p.outputs.data(), p.outputs.size(), ctx.config, &compiled));
    if (!st.ok()) {
      return absl::Status(
          st.code(), absl::StrCat("backend '", p.backend->name, "' failed to compile partition ", i,
                                  " (", p.nodes.size(), " nodes): ", st.message()));
    }
    p.compiled = compiled;
  }
  if (graph.parent() != nullptr) {
    for (size_t v = 0; v < graph.value_count(); ++v) {
      if (!graph.IsOuterReference(v)) continue;
      if (auto outer = graph.parent()->FindValue(graph.value(v).name)) {
        plan->outer_.emplace_back(v, *outer);
      }
    }
  }

  // Dependencies between steps: a partition waits for the steps that fill
  // its input slots, a copy for its source partition.
  const Placement& pl = plan->placement_;
  const std::vector<size_t>& step_of_partition = pl.partition_step;
  const std::vector<size_t>& step_of_copy = pl.copy_step;
  std::vector<size_t> step_of_node(graph.node_count(), kNoNode);
  for (size_t p = 0; p < pl.partitions.size(); ++p) {
    for (size_t n : pl.partitions[p].nodes) step_of_node[n] = step_of_partition[p];
  }
  plan->step_waits_for_.assign(pl.steps.size(), 0);
  plan->step_unblocks_.resize(pl.steps.size());
  auto depend = [&](size_t before, size_t after) {
    plan->step_unblocks_[before].push_back(after);
    ++plan->step_waits_for_[after];
  };
  for (size_t p = 0; p < pl.partitions.size(); ++p) {
    std::vector<size_t> before;
    for (size_t slot : pl.partitions[p].input_slots) {
      if (slot >= graph.value_count()) {
        before.push_back(step_of_copy[slot - graph.value_count()]);
      } else if (graph.value(slot).producer != kNoNode) {
        before.push_back(step_of_node[graph.value(slot).producer]);
      }
    }
    std::sort(before.begin(), before.end());
    before.erase(std::unique(before.begin(), before.end()), before.end());
    for (size_t b : before) depend(b, step_of_partition[p]);
  }
  for (size_t c = 0; c < pl.copies.size(); ++c) {
    depend(step_of_partition[pl.copies[c].from_partition], step_of_copy[c]);
  }
  plan->times_ = std::make_unique<StepTime[]>(pl.steps.size());
  for (const Placement::Step& step : pl.steps) {
    if (step.kind == Placement::StepKind::kPartition) {
      plan->step_names_.push_back(absl::StrCat("partition ", step.index));
      plan->step_categories_.push_back("partition");
      plan->step_backends_.push_back(pl.partitions[step.index].backend->name);
    } else {
      const Copy& copy = pl.copies[step.index];
      plan->step_names_.push_back(
          absl::StrCat("copy ", step.index, ": ", graph.value(copy.value).name));
      plan->step_categories_.push_back("copy");
      plan->step_backends_.push_back(
          absl::StrCat(pl.partitions[copy.from_partition].backend->name, "->",
                       pl.partitions[copy.to_partitions.front()].backend->name));
    }
  }
  // Bodies of control flow run inside a step of the outer plan: sharing its
  // pool there could leave every worker waiting on the others.
  if (graph.parent() == nullptr && pl.partitions.size() > 1) plan->pool_ = ctx.inter_op_pool;
  return plan;
}

ExecutionPlan::ExecutionPlan(const Graph& graph) : graph_(graph) {}

ExecutionPlan::~ExecutionPlan() {
  for (Partition& p : placement_.partitions) {
    if (p.compiled != nullptr) p.backend->backend->release_partition(p.compiled);
  }
}

absl::Status ExecutionPlan::RunPartition(size_t index, std::vector<TensorPtr>& values,
                                         Profiler* profiler, uint64_t run,
                                         const std::string* backend) const {
  const Partition& p = placement_.partitions[index];
  if (control_flow_[index]) return control_flow_[index]->Run(values);
  std::vector<infer_tensor_view> views;
  views.reserve(p.input_slots.size());
  for (size_t slot : p.input_slots) {
    if (!values[slot]) {
      const size_t v =
          slot < graph_.value_count() ? slot : placement_.copies[slot - graph_.value_count()].value;
      return absl::InternalError(
          absl::StrCat("value '", graph_.value(v).name, "' was not computed before its use"));
    }
    views.push_back(values[slot]->view());
  }
  infer_run_context ctx;
  ctx.outputs.resize(p.outputs.size());
  ctx.profiler = profiler;
  ctx.backend = backend;
  ctx.run = run;
  absl::Status st = FromC(p.backend->backend->run(p.compiled, views.data(), views.size(), &ctx));
  if (!st.ok()) return absl::Status(st.code(), absl::StrCat(p.backend->name, ": ", st.message()));
  for (size_t k = 0; k < p.outputs.size(); ++k) {
    if (!ctx.outputs[k]) {
      return absl::InternalError(absl::StrCat("backend '", p.backend->name, "' did not produce '",
                                              graph_.value(p.outputs[k]).name, "'"));
    }
    values[p.outputs[k]] = std::move(ctx.outputs[k]);
  }
  return absl::OkStatus();
}

absl::Status ExecutionPlan::RunCopy(size_t index, std::vector<TensorPtr>& values) const {
  const Copy& copy = placement_.copies[index];
  const TensorPtr& source = values[copy.value];
  if (!source) {
    return absl::InternalError(
        absl::StrCat("copy of '", graph_.value(copy.value).name, "': the value was not computed"));
  }
  INFER_ASSIGN_OR_RETURN(values[copy.slot], Tensor::Copy(source->dtype(), source->shape(),
                                                         source->data(), source->nbytes()));
  return absl::OkStatus();
}

absl::Status ExecutionPlan::RunStep(size_t step, std::vector<TensorPtr>& values, Profiler* profiler,
                                    uint64_t run) const {
  const auto start = std::chrono::steady_clock::now();
  const Placement::Step& s = placement_.steps[step];
  absl::Status st = s.kind == Placement::StepKind::kPartition
                        ? RunPartition(s.index, values, profiler, run, &step_backends_[step])
                        : RunCopy(s.index, values);
  const auto end = std::chrono::steady_clock::now();
  if (profiler != nullptr) {
    profiler->Record(&step_names_[step], &step_categories_[step], &step_backends_[step], run, start,
                     end);
  }
  const auto elapsed = end - start;
  times_[step].nanos.fetch_add(
      std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count(),
      std::memory_order_relaxed);
  times_[step].runs.fetch_add(1, std::memory_order_relaxed);
  return st;
}

absl::Status ExecutionPlan::Execute(std::vector<TensorPtr>& values, Profiler* profiler,
                                    uint64_t run) const {
  values.resize(std::max(values.size(), placement_.slot_count));
  for (size_t v : constants_) {
    if (!values[v]) values[v] = graph_.value(v).constant;
  }
  if (pool_ != nullptr) return ExecuteInParallel(values, profiler, run);
  for (size_t s = 0; s < placement_.steps.size(); ++s) {
    INFER_RETURN_IF_ERROR(RunStep(s, values, profiler, run));
  }
  return absl::OkStatus();
}

// Each step is handed to the pool once the steps it waits for are done; the
// caller waits until nothing is in flight. Steps write distinct slots of
// `values`, and a step reads only slots of steps finished before it started.
absl::Status ExecutionPlan::ExecuteInParallel(std::vector<TensorPtr>& values, Profiler* profiler,
                                              uint64_t run) const {
  std::mutex mu;
  std::condition_variable idle;
  std::vector<size_t> waiting = step_waits_for_;
  size_t in_flight = 0;
  absl::Status error;
  std::function<void(size_t)> launch = [&](size_t step) {
    pool_->Submit([&, step] {
      absl::Status st = RunStep(step, values, profiler, run);
      std::vector<size_t> ready;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!st.ok() && error.ok()) error = st;
        if (error.ok()) {
          for (size_t next : step_unblocks_[step]) {
            if (--waiting[next] == 0) ready.push_back(next);
          }
        }
        in_flight += ready.size();
        if (--in_flight == 0) idle.notify_all();
      }
      for (size_t next : ready) launch(next);
    });
  };
  std::vector<size_t> roots;
  for (size_t s = 0; s < waiting.size(); ++s) {
    if (waiting[s] == 0) roots.push_back(s);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    in_flight = roots.size();
  }
  for (size_t s : roots) launch(s);
  std::unique_lock<std::mutex> lock(mu);
  idle.wait(lock, [&] { return in_flight == 0; });
  return error;
}

}  // namespace infer::core
