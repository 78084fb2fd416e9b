#include "runtime/session.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "api/status.h"
#include "serialize/model_file.h"
#include "spdlog/spdlog.h"

namespace infer::core {
namespace {

bool FrontendMatches(const PluginRecord& r, std::string_view format) {
  if (r.frontend->format != nullptr && format == r.frontend->format) return true;
  if (r.frontend->file_extensions == nullptr) return false;
  for (absl::string_view ext : absl::StrSplit(r.frontend->file_extensions, ';')) {
    if (!ext.empty() && std::string_view(ext.data(), ext.size()) == format) return true;
  }
  return false;
}

absl::StatusOr<const PluginRecord*> ChooseFrontend(const PluginRegistry& plugins, const void* bytes,
                                                   size_t len, std::string_view format) {
  auto frontends = plugins.OfKind(INFER_PLUGIN_FRONTEND);
  if (frontends.empty()) {
    std::string failures = plugins.FailureSummary();
    return absl::NotFoundError(absl::StrCat(
        "no frontend plugin is loaded, so no model can be read",
        failures.empty() ? " (is the plugin folder right?)" : absl::StrCat(" (", failures, ")")));
  }
  if (!format.empty()) {
    for (const PluginRecord* r : frontends) {
      if (FrontendMatches(*r, format)) return r;
    }
  }
  for (const PluginRecord* r : frontends) {
    if (r->frontend->can_load != nullptr && r->frontend->can_load(r->state, bytes, len)) return r;
  }
  if (frontends.size() == 1) return frontends.front();
  return absl::InvalidArgumentError(
      absl::StrCat("no frontend recognises this model (format '", std::string(format), "')"));
}

std::string ShapeOf(const Tensor& t) {
  return absl::StrCat("[", absl::StrJoin(t.shape(), ","), "]");
}

}  // namespace

absl::StatusOr<std::unique_ptr<Session>> Session::Create(std::shared_ptr<const Environment> env,
                                                         const void* bytes, size_t len,
                                                         std::string_view format,
                                                         const std::string& model_dir,
                                                         const SessionOptions& options) {
  std::unique_ptr<Session> s(new Session());
  s->env_ = std::move(env);
  s->options_ = options;
  for (const auto& [k, v] : options.config) s->config_.values[k] = v;
  INFER_RETURN_IF_ERROR(s->Import(bytes, len, format, model_dir));
  INFER_RETURN_IF_ERROR(s->ApplyDimOverrides());
  INFER_RETURN_IF_ERROR(InferGraphShapes(*s->graph_, s->env_->schemas));
  // Resolved once: the optimiser's tentative placement and the real one use the same order.
  INFER_ASSIGN_OR_RETURN(s->plan_context_.backends, s->ResolveBackends());
  s->plan_context_.config = &s->config_;
  INFER_RETURN_IF_ERROR(s->ConfigurePlacement());
  INFER_RETURN_IF_ERROR(s->Optimize());
  INFER_RETURN_IF_ERROR(s->PlaceAndCompile());
  return s;
}

absl::Status Session::Import(const void* bytes, size_t len, std::string_view format,
                             const std::string& model_dir) {
  if (bytes == nullptr || len == 0) return absl::InvalidArgumentError("the model is empty");
  std::string source;
  if (IsOptimizedModel(bytes, len)) {
    INFER_ASSIGN_OR_RETURN(OptimizedModel model, ReadOptimizedModel(bytes, len));
    graph_ = std::move(model.graph);
    optimization_.level = model.level;
    from_optimized_file_ = true;
    source = absl::StrCat("an optimized model file (level ", model.level, ", written by infer ",
                          model.producer_version, ")");
  } else {
    INFER_ASSIGN_OR_RETURN(const PluginRecord* frontend,
                           ChooseFrontend(*env_->plugins, bytes, len, format));
    graph_ = std::make_unique<Graph>();
    INFER_RETURN_IF_ERROR(FromC(
        frontend->frontend->load(frontend->state, bytes, len,
                                 model_dir.empty() ? nullptr : model_dir.c_str(), AsC(*graph_))));
    source = absl::StrCat("frontend '", frontend->name, "'");
  }
  graph_->set_custom_ops(&env_->plugins->custom_ops());
  INFER_RETURN_IF_ERROR(graph_->ResolveImplicitInputs());
  INFER_RETURN_IF_ERROR(graph_->Validate());
  if (graph_->outputs().empty()) return absl::InvalidArgumentError("the model has no outputs");
  for (size_t v : graph_->inputs()) {
    if (!graph_->value(v).constant) inputs_.push_back(v);
  }
  spdlog::debug("imported model with {} nodes from {}", graph_->live_node_count(), source);
  return absl::OkStatus();
}

absl::Status Session::ApplyDimOverrides() {
  for (size_t v : inputs_) {
    for (Dim& d : graph_->mutable_value(v).shape.dims) {
      if (d.known() || d.symbol.empty()) continue;
      auto it = options_.dims.find(d.symbol);
      if (it == options_.dims.end()) continue;
      if (it->second < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("dimension '", d.symbol, "' set to negative value ", it->second));
      }
      d.value = it->second;
    }
  }
  return absl::OkStatus();
}

std::vector<const PluginRecord*> Session::BackendsByScore() const {
  std::vector<const PluginRecord*> backends = env_->plugins->OfKind(INFER_PLUGIN_BACKEND);
  std::stable_sort(
      backends.begin(), backends.end(),
      [](const PluginRecord* a, const PluginRecord* b) { return a->score > b->score; });
  return backends;
}

absl::StatusOr<std::vector<const PluginRecord*>> Session::ResolveBackends() const {
  const PluginRegistry& plugins = *env_->plugins;
  std::vector<const PluginRecord*> backends;
  if (options_.backends.empty()) return BackendsByScore();
  std::vector<std::string> unavailable;
  for (const std::string& name : options_.backends) {
    const PluginRecord* r = plugins.FindLoaded(name, INFER_PLUGIN_BACKEND);
    const PluginRecord* absent = r == nullptr ? plugins.FindUnavailable(name) : nullptr;
    if (absent != nullptr) {
      // A device that is absent here: the rest of the order takes its nodes.
      unavailable.push_back(absl::StrCat("backend '", name, "' is ", absent->error));
      continue;
    }
    if (r == nullptr) {
      std::vector<std::string> loaded;
      for (const PluginRecord* b : plugins.OfKind(INFER_PLUGIN_BACKEND)) loaded.push_back(b->name);
      return absl::NotFoundError(absl::StrCat(
          "backend '", name,
          "' is not loaded (loaded: ", loaded.empty() ? "none" : absl::StrJoin(loaded, ", "), ")"));
    }
    backends.push_back(r);
  }
  if (backends.empty() && !unavailable.empty()) {
    return absl::UnavailableError(
        absl::StrCat("no requested backend can run here: ", absl::StrJoin(unavailable, "; ")));
  }
  for (const std::string& line : unavailable) {
    spdlog::warn("{}; placing its nodes on the next backends of the order", line);
  }
  return backends;
}

absl::Status Session::ConfigurePlacement() {
  INFER_ASSIGN_OR_RETURN(plan_context_.placement, PlacementOptions::FromConfig(&config_));
  auto it = config_.values.find(std::string_view("session.inter_op_threads"));
  if (it == config_.values.end()) return absl::OkStatus();
  int threads = 0;
  constexpr int kMaxThreads = 256;
  if (!absl::SimpleAtoi(it->second, &threads) || threads < 1 || threads > kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("session.inter_op_threads: '", it->second,
                                                   "' is not a thread count from 1 to ",
                                                   kMaxThreads));
  }
  if (threads > 1) {
    inter_op_pool_ = std::make_unique<ThreadPool>(static_cast<size_t>(threads));
    plan_context_.inter_op_pool = inter_op_pool_.get();
  }
  return absl::OkStatus();
}

absl::Status Session::Optimize() {
  if (from_optimized_file_) {
    // The passes ran when the file was written; running them again could
    // only repeat or undo that work.
    optimization_.from_optimized_file = true;
    optimization_.nodes_before = optimization_.nodes_after = graph_->live_node_count();
  } else {
    OptimizerContext ctx;
    ctx.plugins = env_->plugins.get();
    ctx.schemas = &env_->schemas;
    ctx.backends = plan_context_.backends;
    ctx.placement = plan_context_.placement;
    // Folding must be exact: constants are computed on the backends in the
    // default order (cpu first), not on a preferred low-precision device.
    ctx.fold_backends = BackendsByScore();
    ctx.config = &config_;
    INFER_ASSIGN_OR_RETURN(optimization_, OptimizeGraph(graph_, options_.optimization_level, ctx));
  }
  if (!options_.optimized_model_path.empty()) {
    INFER_RETURN_IF_ERROR(
        WriteOptimizedModel(*graph_, optimization_.level, options_.optimized_model_path));
  }
  return absl::OkStatus();
}

absl::Status Session::PlaceAndCompile() {
  INFER_ASSIGN_OR_RETURN(plan_, ExecutionPlan::Build(*graph_, plan_context_));
  if (plan_context_.placement.fallback == FallbackPolicy::kWarn) {
    const std::string fallback = DescribeFallback(*graph_, plan_->placement());
    if (!fallback.empty()) spdlog::warn("{}", fallback);
  }
  return absl::OkStatus();
}

absl::Status Session::CheckInput(size_t value, const Tensor& t,
                                 std::map<std::string, int64_t, std::less<>>& symbols) const {
  const Value& v = graph_->value(value);
  if (v.dtype != INFER_DTYPE_UNDEFINED && t.dtype() != v.dtype) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input '", v.name, "': expected ", DtypeName(v.dtype), ", got ", DtypeName(t.dtype())));
  }
  if (!v.shape.rank_known) return absl::OkStatus();
  auto mismatch = [&](std::string why) {
    return absl::InvalidArgumentError(absl::StrCat("input '", v.name, "': shape ", ShapeOf(t),
                                                   " does not match ", v.shape.ToString(), ": ",
                                                   why));
  };
  if (t.rank() != v.shape.rank()) {
    return mismatch(absl::StrCat("rank ", t.rank(), " != ", v.shape.rank()));
  }
  for (size_t i = 0; i < t.rank(); ++i) {
    const Dim& d = v.shape.dims[i];
    const int64_t got = t.shape()[i];
    if (d.known() && d.value != got) {
      return mismatch(absl::StrCat("dim ", i, " is ", got, ", expected ", d.value));
    }
    if (!d.known() && !d.symbol.empty()) {
      auto [it, inserted] = symbols.emplace(d.symbol, got);
      if (!inserted && it->second != got) {
        return mismatch(absl::StrCat("dim ", i, " ('", d.symbol, "') is ", got,
                                     " but another input set it to ", it->second));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TensorPtr>> Session::Run(
    const std::vector<std::string>& input_names, const std::vector<TensorPtr>& inputs,
    const std::vector<std::string>& output_names) const {
  if (input_names.size() != inputs.size()) {
    return absl::InvalidArgumentError("input names and tensors differ in count");
  }
  std::vector<TensorPtr> values(graph_->value_count());
  std::map<std::string, int64_t, std::less<>> symbols;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto it = std::find_if(inputs_.begin(), inputs_.end(),
                           [&](size_t v) { return graph_->value(v).name == input_names[i]; });
    if (it == inputs_.end()) {
      std::vector<std::string> expected;
      for (size_t v : inputs_) expected.push_back(graph_->value(v).name);
      return absl::InvalidArgumentError(
          absl::StrCat("unknown input name '", input_names[i],
                       "' (the model's inputs are: ", absl::StrJoin(expected, ", "), ")"));
    }
    if (inputs[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("input '", input_names[i], "' is NULL"));
    }
    if (values[*it]) {
      return absl::InvalidArgumentError(absl::StrCat("input '", input_names[i], "' given twice"));
    }
    INFER_RETURN_IF_ERROR(CheckInput(*it, *inputs[i], symbols));
    values[*it] = inputs[i];
  }
  for (size_t v : inputs_) {
    if (!values[v]) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing input '", graph_->value(v).name, "'"));
    }
  }

  std::shared_ptr<Profiler> profiler;
  {
    std::lock_guard<std::mutex> lock(profile_mu_);
    profiler = profiling_;
  }
  INFER_RETURN_IF_ERROR(plan_->Execute(values, profiler.get(), profiler ? profiler->NextRun() : 0));

  std::vector<size_t> wanted;
  if (output_names.empty()) {
    wanted = graph_->outputs();
  } else {
    for (const std::string& name : output_names) {
      auto it = std::find_if(graph_->outputs().begin(), graph_->outputs().end(),
                             [&](size_t v) { return graph_->value(v).name == name; });
      if (it == graph_->outputs().end()) {
        return absl::InvalidArgumentError(absl::StrCat("unknown output name '", name, "'"));
      }
      wanted.push_back(*it);
    }
  }
  std::vector<TensorPtr> result;
  for (size_t v : wanted) {
    TensorPtr t = values[v] ? values[v] : graph_->value(v).constant;
    if (!t) {
      return absl::InternalError(
          absl::StrCat("output '", graph_->value(v).name, "' was not computed"));
    }
    result.push_back(std::move(t));
  }
  return result;
}

}  // namespace infer::core

namespace infer::core {

absl::Status Session::StartProfiling(size_t max_events) {
  constexpr size_t kMaxEvents = size_t{1} << 24;
  if (max_events == 0 || max_events > kMaxEvents) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_events must be from 1 to ", kMaxEvents, ", got ", max_events));
  }
  std::lock_guard<std::mutex> lock(profile_mu_);
  if (profiling_) return absl::FailedPreconditionError("profiling is already on");
  profiling_ = std::make_shared<Profiler>(max_events, profile_names_);
  last_profile_ = profiling_;
  return absl::OkStatus();
}

absl::Status Session::StopProfiling() {
  std::lock_guard<std::mutex> lock(profile_mu_);
  if (!profiling_) return absl::FailedPreconditionError("profiling is not on");
  profiling_.reset();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ProfileEvent>> Session::DrainProfile(size_t* dropped) {
  std::lock_guard<std::mutex> lock(profile_mu_);
  if (profiling_) return absl::FailedPreconditionError("stop profiling before draining");
  if (!last_profile_) return absl::FailedPreconditionError("profiling was never started");
  // Runs that started while profiling hold the profiler until they return.
  if (last_profile_.use_count() > 1) {
    return absl::FailedPreconditionError("runs started while profiling have not returned yet");
  }
  std::vector<ProfileEvent> events = last_profile_->Take(dropped);
  last_profile_.reset();
  return events;
}

}  // namespace infer::core
