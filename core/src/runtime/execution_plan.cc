#include "runtime/execution_plan.h"

#include "absl/strings/str_cat.h"
#include "api/status.h"
#include "runtime/control_flow.h"

namespace infer::core {

absl::StatusOr<std::unique_ptr<ExecutionPlan>> ExecutionPlan::Build(const Graph& graph,
                                                                    const PlanContext& ctx) {
  std::unique_ptr<ExecutionPlan> plan(new ExecutionPlan(graph));
  INFER_ASSIGN_OR_RETURN(plan->placement_, PlaceGraph(graph, ctx.backends));
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
      return absl::Status(st.code(), absl::StrCat("backend '", p.backend->name,
                                                  "' failed to compile: ", st.message()));
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
  return plan;
}

ExecutionPlan::ExecutionPlan(const Graph& graph) : graph_(graph) {}

ExecutionPlan::~ExecutionPlan() {
  for (Partition& p : placement_.partitions) {
    if (p.compiled != nullptr) p.backend->backend->release_partition(p.compiled);
  }
}

absl::Status ExecutionPlan::Execute(std::vector<TensorPtr>& values) const {
  for (size_t v : constants_) {
    if (!values[v]) values[v] = graph_.value(v).constant;
  }
  for (size_t i = 0; i < placement_.partitions.size(); ++i) {
    const Partition& p = placement_.partitions[i];
    if (control_flow_[i]) {
      INFER_RETURN_IF_ERROR(control_flow_[i]->Run(values));
      continue;
    }
    std::vector<infer_tensor_view> views;
    views.reserve(p.inputs.size());
    for (size_t v : p.inputs) {
      if (!values[v]) {
        return absl::InternalError(
            absl::StrCat("value '", graph_.value(v).name, "' was not computed before its use"));
      }
      views.push_back(values[v]->view());
    }
    infer_run_context ctx;
    ctx.outputs.resize(p.outputs.size());
    absl::Status st = FromC(p.backend->backend->run(p.compiled, views.data(), views.size(), &ctx));
    if (!st.ok()) {
      return absl::Status(st.code(), absl::StrCat(p.backend->name, ": ", st.message()));
    }
    for (size_t k = 0; k < p.outputs.size(); ++k) {
      if (!ctx.outputs[k]) {
        return absl::InternalError(absl::StrCat("backend '", p.backend->name, "' did not produce '",
                                                graph_.value(p.outputs[k]).name, "'"));
      }
      values[p.outputs[k]] = std::move(ctx.outputs[k]);
    }
  }
  return absl::OkStatus();
}

std::string ExecutionPlan::Describe(int indent) const {
  std::string out = DescribePlacement(graph_, placement_, indent);
  for (const auto& cf : control_flow_) {
    if (cf) out += cf->Describe(indent + 4);
  }
  return out;
}

}  // namespace infer::core
