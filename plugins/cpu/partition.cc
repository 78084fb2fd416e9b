#include "partition.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <map>
#include <unordered_map>

#include "kernels/memory_plan.h"
#include "ops/custom_op.h"

namespace infer::cpu {

AlignedBytes allocate_aligned(size_t nbytes) {
  if (nbytes == 0) return nullptr;
  constexpr size_t kAlign = 64;
  if (nbytes > SIZE_MAX - kAlign) throw std::bad_alloc();
  // aligned_alloc wants a multiple of the alignment.
  void* p = std::aligned_alloc(kAlign, (nbytes + kAlign - 1) / kAlign * kAlign);
  if (!p) throw std::bad_alloc();
  return AlignedBytes(static_cast<std::byte*>(p));
}

namespace {

bool is_default_domain(std::string_view d) { return d.empty() || d == "ai.onnx"; }

// Bytes of a dense tensor; also rejects types without a fixed element size.
size_t dense_nbytes(infer_dtype dtype, ShapeSpan shape) {
  const size_t es = plugin::dtype_size(dtype);
  if (es == 0) {
    fail(INFER_UNIMPLEMENTED, str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
  }
  return static_cast<size_t>(checked_mul(numel(shape), static_cast<int64_t>(es)));
}

// Shape of a tensor view, checking the pointers and the byte count against the shape.
ShapeSpan checked_view_shape(const infer_tensor_view& t) {
  if (t.rank && !t.shape) fail_input("tensor has a rank but no shape");
  const ShapeSpan shape(t.shape, t.rank);
  const size_t nbytes = dense_nbytes(t.dtype, shape);
  if (nbytes != t.nbytes) {
    fail_input(str_cat("tensor of type ", plugin::dtype_name(t.dtype), " and shape ",
                       shape_str(shape), " needs ", nbytes, " bytes, got ", t.nbytes));
  }
  if (nbytes && !t.data) fail_input("tensor data is null");
  return shape;
}

[[noreturn]] void rethrow_with_label(const plugin::PluginError& e, const std::string& label) {
  throw plugin::PluginError(e.code, label + ": " + e.message);
}

}  // namespace

int64_t node_opset(const infer_host_api* host, const infer_graph* g, const plugin::NodeView& node) {
  const std::string domain(node.domain());
  if (!is_default_domain(domain)) return host->graph_opset(g, domain.c_str());
  // A graph that imports no default opset (built by hand rather than loaded) gets current
  // semantics rather than those of opset 1.
  constexpr int64_t kCurrentOpset = 21;
  const int64_t opset = host->graph_opset(g, "");
  return opset > 0 ? opset : kCurrentOpset;
}

const OpDesc* find_node_op(const OpContext& ctx) {
  const OpDesc* desc = find_op(ctx.node.domain(), ctx.node.op_type());
  return desc != nullptr ? desc : find_custom_op(ctx);
}

std::string unimplemented_op_message(const OpContext& ctx) {
  return str_cat("op '", ctx.node.op_type(), "' (domain '",
                 is_default_domain(ctx.node.domain()) ? "ai.onnx" : ctx.node.domain(), "', opset ",
                 ctx.opset, ") is not implemented by the cpu backend");
}

void check_node_ids(const infer_host_api* host, const infer_graph* g,
                    std::span<const size_t> nodes) {
  const size_t count = host->graph_node_count(g);
  for (size_t node : nodes) {
    if (node >= count) {
      fail(INFER_INVALID_ARGUMENT, str_cat("node id ", node, " is out of range (", count, ")"));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Compile

std::unique_ptr<Partition> Partition::compile(const infer_host_api* host, const infer_graph* g,
                                              std::span<const size_t> nodes,
                                              std::span<const size_t> inputs,
                                              std::span<const size_t> outputs,
                                              const CpuOptions& options) {
  check_node_ids(host, g, nodes);
  std::unique_ptr<Partition> p(new Partition(host));
  p->options_ = options;
  std::unordered_map<size_t, size_t> slot_of;  // value id -> slot
  const size_t value_count = host->graph_value_count(g);
  auto value_info = [&](size_t value) {
    if (value >= value_count) fail(INFER_INVALID_ARGUMENT, str_cat("unknown value id ", value));
    infer_value_info info{};
    info.struct_size = sizeof(info);
    if (infer_status* st = host->value_info(g, value, &info)) {
      plugin::PluginError e(host->status_code(st), host->status_message(st));
      host->status_release(st);
      throw e;
    }
    return info;
  };
  auto add_slot = [&](size_t value, const infer_value_info& info, Source source, size_t index) {
    p->slots_.push_back({info.name ? info.name : "", source, index, kNone, info.dtype});
    slot_of[value] = p->slots_.size() - 1;
    return p->slots_.size() - 1;
  };

  for (size_t i = 0; i < inputs.size(); ++i) {
    if (slot_of.contains(inputs[i])) {
      fail(INFER_INVALID_ARGUMENT, str_cat("value ", inputs[i], " is listed twice as an input"));
    }
    p->input_slots_.push_back(add_slot(inputs[i], value_info(inputs[i]), Source::kInput, i));
  }

  // A value the nodes can read: a partition input, an earlier node's output or a constant
  // (copied on first use); kNone for anything else.
  auto resolve = [&](size_t value) {
    if (auto it = slot_of.find(value); it != slot_of.end()) return it->second;
    const infer_value_info info = value_info(value);
    if (!info.is_constant) return kNone;
    // Copied so that the partition does not depend on how long the graph keeps its data.
    const ShapeSpan shape = checked_view_shape(info.constant);
    Constant c{info.constant.dtype, Shape(shape.begin(), shape.end()),
               allocate_aligned(info.constant.nbytes)};
    if (info.constant.nbytes) std::memcpy(c.data.get(), info.constant.data, info.constant.nbytes);
    p->constants_.push_back(std::move(c));
    infer_value_info typed = info;
    typed.dtype = info.constant.dtype;
    return add_slot(value, typed, Source::kConstant, p->constants_.size() - 1);
  };

  for (size_t node : nodes) {
    const plugin::NodeView view(host, g, node);
    Step step;
    step.label = view.describe();
    step.op_type = view.op_type();
    try {
      const OpContext ctx{view, node_opset(host, g, view)};
      step.desc = find_node_op(ctx);
      if (!step.desc) fail(INFER_UNIMPLEMENTED, unimplemented_op_message(ctx));
      check_node(*step.desc, ctx);
      step.kernel = step.desc->create(ctx);
      for (size_t i = 0; i < view.input_count(); ++i) {
        if (!view.has_input(i)) {
          step.in.push_back(kNone);
          continue;
        }
        const size_t slot = resolve(view.input(i));
        if (slot == kNone) {
          const char* name = value_info(view.input(i)).name;
          fail(INFER_INVALID_ARGUMENT,
               str_cat("input '", name ? name : "", "' is neither a partition input, a ",
                       "constant, nor produced by an earlier node"));
        }
        step.in.push_back(slot);
      }
      for (size_t i = 0; i < view.output_count(); ++i) {
        const size_t value = view.output(i);
        if (value == INFER_NO_VALUE) {
          step.out.push_back(kNone);
          continue;
        }
        if (slot_of.contains(value)) {
          fail(INFER_INVALID_MODEL,
               str_cat("output ", i, " is already defined (listed twice or an input)"));
        }
        step.out.push_back(add_slot(value, value_info(value), Source::kComputed, kNone));
      }
    } catch (const plugin::PluginError& e) {
      rethrow_with_label(e, step.label);
    }
    p->steps_.push_back(std::move(step));
  }

  for (size_t j = 0; j < outputs.size(); ++j) {
    const size_t slot_index = resolve(outputs[j]);
    if (slot_index == kNone) {
      fail(INFER_INVALID_ARGUMENT, str_cat("partition output ", j, " (value ", outputs[j],
                                           ") is not produced by its nodes"));
    }
    Slot& slot = p->slots_[slot_index];
    // The first output listing of a computed value gets the host buffer directly; inputs,
    // constants and repeated outputs are copied at the end of the run.
    if (slot.source == Source::kComputed && slot.output_index == kNone) slot.output_index = j;
    p->output_slots_.push_back(slot_index);
  }

  // Free each intermediate after its last reader (or right after its producer if unused).
  std::vector<size_t> last(p->slots_.size(), kNone);
  for (size_t s = 0; s < p->steps_.size(); ++s) {
    for (size_t slot : p->steps_[s].in) {
      if (slot != kNone) last[slot] = s;
    }
    for (size_t slot : p->steps_[s].out) {
      if (slot != kNone && last[slot] == kNone) last[slot] = s;
    }
  }
  for (size_t slot = 0; slot < p->slots_.size(); ++slot) {
    const Slot& sl = p->slots_[slot];
    if (sl.source == Source::kComputed && sl.output_index == kNone) {
      p->steps_[last[slot]].last_use.push_back(slot);
    }
  }
  p->last_step_ = std::move(last);
  if (options.profile_ops) p->stats_ = std::make_unique<StepStats[]>(p->steps_.size());
  // Threads start here, never on the Run path.
  p->pool_ = shared_intra_op_pool(options.threads);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Memory plan

// Offsets of the intermediates for one input-shape signature, and the arenas of that size
// that runs are not using right now.
struct Partition::MemoryPlan {
  std::vector<int64_t> signature;
  std::vector<size_t> offset;  // per slot, kNone when not planned
  std::vector<size_t> bytes;   // per slot, the planned size
  ArenaLayout layout;
  std::vector<AlignedBytes> idle_arenas;  // guarded by the partition's plans_mu_
};

namespace {
// dtype, rank and dims of every input: runs with equal signatures allocate alike (unless a
// kernel's output size depends on data, which falls back to a heap buffer when it grows).
std::vector<int64_t> shape_signature(std::span<const infer_tensor_view> inputs) {
  std::vector<int64_t> sig;
  for (const infer_tensor_view& t : inputs) {
    sig.push_back(t.dtype);
    sig.push_back(static_cast<int64_t>(t.rank));
    if (t.shape) sig.insert(sig.end(), t.shape, t.shape + t.rank);
  }
  return sig;
}
}  // namespace

std::shared_ptr<Partition::MemoryPlan> Partition::find_plan(
    const std::vector<int64_t>& signature) const {
  std::lock_guard lock(plans_mu_);
  for (const auto& plan : plans_) {
    if (plan->signature == signature) return plan;
  }
  return nullptr;
}

void Partition::add_plan(std::shared_ptr<MemoryPlan> plan) const {
  std::lock_guard lock(plans_mu_);
  for (const auto& p : plans_) {
    if (p->signature == plan->signature) return;  // a concurrent first run got there first
  }
  if (plans_.size() == kMaxPlans) plans_.erase(plans_.begin());
  plans_.push_back(std::move(plan));
}

// ---------------------------------------------------------------------------------------------
// Run

// Per-run storage: one Value per slot, and the KernelContext of the step being executed.
class Partition::RunState final : public KernelContext {
 public:
  RunState(const Partition& p, infer_run_context* ctx, std::shared_ptr<MemoryPlan> plan,
           std::byte* arena)
      : p_(p), ctx_(ctx), values_(p.slots_.size()), plan_(std::move(plan)), arena_(arena) {
    if (!plan_ && p.options_.memory_plan) {
      made_bytes_.assign(p.slots_.size(), kNone);
      made_step_.assign(p.slots_.size(), kNone);
    }
  }

  void bind(std::span<const infer_tensor_view> inputs) {
    if (inputs.size() != p_.input_slots_.size()) {
      fail_input(
          str_cat("partition expects ", p_.input_slots_.size(), " inputs, got ", inputs.size()));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Slot& slot = p_.slots_[p_.input_slots_[i]];
      const infer_tensor_view& t = inputs[i];
      try {
        if (slot.dtype != INFER_DTYPE_UNDEFINED && t.dtype != slot.dtype) {
          fail_input(str_cat("has type ", plugin::dtype_name(t.dtype), ", expected ",
                             plugin::dtype_name(slot.dtype)));
        }
        set(p_.input_slots_[i], t.dtype, checked_view_shape(t), t.data, t.nbytes);
      } catch (const plugin::PluginError& e) {
        rethrow_with_label(e, str_cat("input ", i, " ('", slot.name, "')"));
      }
    }
    for (size_t s = 0; s < p_.slots_.size(); ++s) {
      if (p_.slots_[s].source != Source::kConstant) continue;
      const Constant& c = p_.constants_[p_.slots_[s].index];
      set(s, c.dtype, c.shape, c.data.get(), dense_nbytes(c.dtype, c.shape));
    }
  }

  void execute(const Step& step, size_t index) {
    step_ = &step;
    step_index_ = index;
    inputs_.assign(step.in.size(), Tensor{});
    for (size_t i = 0; i < step.in.size(); ++i) {
      if (step.in[i] == kNone) continue;
      const Value& v = values_[step.in[i]];
      const DtypeMask allowed = allowed_dtypes(*step.desc, i);
      if (!(allowed & dtype_bit(v.dtype))) {
        fail_input(str_cat("input ", i, " has type ", plugin::dtype_name(v.dtype), ", expected ",
                           dtype_mask_str(allowed)));
      }
      inputs_[i] = Tensor{v.dtype, v.shape, v.data};
    }
    step.kernel->run(*this);
    for (size_t i = 0; i < step.out.size(); ++i) {
      if (step.out[i] != kNone && !values_[step.out[i]].ready) {
        fail(INFER_INTERNAL, str_cat("kernel did not produce output ", i));
      }
    }
    for (size_t slot : step.last_use) values_[slot].owned.reset();
    scratch_.clear();
  }

  // Partition outputs that are inputs, constants or repeated get a copy in their host buffer.
  void copy_outputs() {
    for (size_t j = 0; j < p_.output_slots_.size(); ++j) {
      const size_t slot = p_.output_slots_[j];
      if (p_.slots_[slot].output_index == j) continue;
      const Value& v = values_[slot];
      void* dst = host_output(j, v.dtype, v.shape);
      if (v.nbytes) std::memcpy(dst, v.data, v.nbytes);
    }
  }

  // KernelContext
  size_t input_count() const override { return inputs_.size(); }
  const Tensor& input(size_t i) const override { return i < inputs_.size() ? inputs_[i] : absent_; }
  void* allocate_output(size_t i, infer_dtype dtype, ShapeSpan shape) override {
    const size_t nbytes = dense_nbytes(dtype, shape);
    const size_t slot = i < step_->out.size() ? step_->out[i] : kNone;
    if (slot == kNone) {  // an output nobody reads
      scratch_.push_back(allocate_aligned(nbytes));
      return scratch_.back().get();
    }
    if (values_[slot].ready) fail(INFER_INTERNAL, str_cat("output ", i, " allocated twice"));
    const size_t out_index = p_.slots_[slot].output_index;
    if (out_index != kNone) {
      set(slot, dtype, shape, host_output(out_index, dtype, shape), nbytes);
    } else if (plan_ && plan_->offset[slot] != kNone && nbytes <= plan_->bytes[slot]) {
      set(slot, dtype, shape, arena_ + plan_->offset[slot], nbytes);
    } else {
      AlignedBytes buffer = allocate_aligned(nbytes);
      set(slot, dtype, shape, buffer.get(), nbytes);
      values_[slot].owned = std::move(buffer);
      if (!made_bytes_.empty()) {
        made_bytes_[slot] = nbytes;
        made_step_[slot] = step_index_;
      }
    }
    return values_[slot].data;
  }

  // After a run without a plan: the plan of what it allocated, for the next runs with the
  // same signature. Null when memory planning is off or the run had a plan.
  std::shared_ptr<MemoryPlan> make_plan(std::vector<int64_t> signature) const {
    if (made_bytes_.empty()) return nullptr;
    std::vector<BufferLifetime> buffers;
    std::vector<size_t> slot_of;
    for (size_t slot = 0; slot < made_bytes_.size(); ++slot) {
      if (made_bytes_[slot] == kNone) continue;
      buffers.push_back({made_bytes_[slot], made_step_[slot], p_.last_step_[slot]});
      slot_of.push_back(slot);
    }
    auto plan = std::make_shared<MemoryPlan>();
    plan->signature = std::move(signature);
    plan->layout = plan_arena(buffers);
    plan->offset.assign(made_bytes_.size(), kNone);
    plan->bytes.assign(made_bytes_.size(), 0);
    for (size_t i = 0; i < slot_of.size(); ++i) {
      plan->offset[slot_of[i]] = plan->layout.offsets[i];
      plan->bytes[slot_of[i]] = buffers[i].bytes;
    }
    return plan;
  }

 private:
  struct Value {
    infer_dtype dtype = INFER_DTYPE_UNDEFINED;
    Shape shape;
    void* data = nullptr;
    size_t nbytes = 0;
    AlignedBytes owned;  // set for intermediates
    bool ready = false;
  };

  void set(size_t slot, infer_dtype dtype, ShapeSpan shape, const void* data, size_t nbytes) {
    Value& v = values_[slot];
    v.dtype = dtype;
    v.shape.assign(shape.begin(), shape.end());
    v.data = const_cast<void*>(data);  // inputs and constants are only ever read
    v.nbytes = nbytes;
    v.ready = true;
  }

  void* host_output(size_t index, infer_dtype dtype, ShapeSpan shape) {
    const infer_host_api* host = p_.host_;
    void* data = nullptr;
    if (infer_status* st =
            host->run_allocate_output(ctx_, index, dtype, shape.size(), shape.data(), &data)) {
      plugin::PluginError e(host->status_code(st), host->status_message(st));
      host->status_release(st);
      throw e;
    }
    if (!data && dense_nbytes(dtype, shape)) {
      fail(INFER_INTERNAL, str_cat("host returned no buffer for output ", index));
    }
    return data;
  }

  const Partition& p_;
  infer_run_context* ctx_;
  std::vector<Value> values_;
  std::shared_ptr<MemoryPlan> plan_;  // null: heap buffers, recorded for a plan
  std::byte* arena_;
  std::vector<size_t> made_bytes_, made_step_;  // per slot, kNone until allocated
  const Step* step_ = nullptr;
  size_t step_index_ = 0;
  std::vector<Tensor> inputs_;
  std::vector<AlignedBytes> scratch_;
  const Tensor absent_{};
};

void Partition::run(std::span<const infer_tensor_view> inputs, infer_run_context* ctx) const {
  std::vector<int64_t> signature;
  std::shared_ptr<MemoryPlan> plan;
  AlignedBytes arena;
  if (options_.memory_plan) {
    signature = shape_signature(inputs);
    plan = find_plan(signature);
    if (plan) {
      {
        std::lock_guard lock(plans_mu_);
        if (!plan->idle_arenas.empty()) {
          arena = std::move(plan->idle_arenas.back());
          plan->idle_arenas.pop_back();
        }
      }
      if (!arena) arena = allocate_aligned(plan->layout.arena_bytes);
    }
  }
  RunState state(*this, ctx, plan, arena.get());
  ScopedIntraOpPool use_pool(pool_.get());
  state.bind(inputs);
  using Clock = std::chrono::steady_clock;
  // A host from before ABI 1.4 has no profile to report operators into.
  const bool traced =
      host_->struct_size >= offsetof(infer_host_api, run_profile_event) + sizeof(void*) &&
      host_->run_profiling && host_->run_profile_event && host_->run_profiling(ctx) != 0;
  const bool timed = stats_ || traced;
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    const Clock::time_point start = timed ? Clock::now() : Clock::time_point{};
    try {
      state.execute(step, i);
    } catch (const plugin::PluginError& e) {
      rethrow_with_label(e, step.label);
    }
    if (!timed) continue;
    const int64_t ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    if (stats_) {
      stats_[i].ns.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
      stats_[i].runs.fetch_add(1, std::memory_order_relaxed);
    }
    if (traced) {
      const int64_t start_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
      host_->run_profile_event(ctx, step.label.c_str(), start_ns, ns);
    }
  }
  state.copy_outputs();
  runs_.fetch_add(1, std::memory_order_relaxed);
  if (plan) {
    if (arena) {
      std::lock_guard lock(plans_mu_);
      plan->idle_arenas.push_back(std::move(arena));
    }
  } else if (std::shared_ptr<MemoryPlan> made = state.make_plan(std::move(signature))) {
    add_plan(std::move(made));
  }
}

// ---------------------------------------------------------------------------------------------
// Report

namespace {
// "6.89 MiB", or "1.50 KiB" below a MiB so that small models do not read as 0.
std::string mib(size_t bytes) {
  char buf[32];
  const double b = static_cast<double>(bytes);
  if (b < 1024.0 * 1024.0) {
    std::snprintf(buf, sizeof buf, "%.2f KiB", b / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f MiB", b / (1024.0 * 1024.0));
  }
  return buf;
}
std::string ms(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", value);
  return buf;
}
std::string percent(double part, double whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}
}  // namespace

std::string Partition::describe() const {
  std::string out = str_cat("intra-op threads ", pool_ ? pool_->threads() : 1);
  {
    std::lock_guard lock(plans_mu_);
    if (!options_.memory_plan) {
      out += "; memory plan off (cpu.memory_plan=0): intermediates on the heap";
    } else if (plans_.empty()) {
      out += "; memory plan: made after the first run";
    } else {
      const ArenaLayout& l = plans_.back()->layout;
      out += str_cat("; memory plan: arena ", mib(l.arena_bytes), " for the intermediates (",
                     mib(l.total_bytes), " without reuse), ", plans_.size(),
                     " input-shape signature(s)");
    }
  }
  out += "\n";
  if (!stats_) {
    out += "per-operator times: set cpu.profile_ops=1 (infer-run/infer-bench --profile-ops)\n";
    return out;
  }
  const uint64_t runs = runs_.load();
  if (runs == 0) return out + "per-operator times: no run yet\n";
  struct Row {
    std::string name;
    size_t nodes = 0;
    double ms = 0;
  };
  std::map<std::string, Row> by_type;
  std::vector<Row> by_node;
  double total = 0;
  for (size_t i = 0; i < steps_.size(); ++i) {
    const double per_run =
        static_cast<double>(stats_[i].ns.load()) / 1e6 / static_cast<double>(runs);
    Row& t = by_type[steps_[i].op_type];
    t.name = steps_[i].op_type;
    t.nodes += 1;
    t.ms += per_run;
    by_node.push_back({steps_[i].label, 1, per_run});
    total += per_run;
  }
  std::vector<Row> types;
  for (auto& [name, row] : by_type) types.push_back(row);
  auto slower = [](const Row& a, const Row& b) { return a.ms > b.ms; };
  std::sort(types.begin(), types.end(), slower);
  std::sort(by_node.begin(), by_node.end(), slower);
  out += str_cat("per-operator times over ", runs, " run(s), ", ms(total), "/run in kernels:\n");
  for (const Row& t : types) {
    out += str_cat("  ", t.name, ": ", t.nodes, " node(s), ", ms(t.ms), "/run, ",
                   percent(t.ms, total), "\n");
  }
  constexpr size_t kSlowest = 5;
  out += "slowest nodes:\n";
  for (size_t i = 0; i < std::min(kSlowest, by_node.size()); ++i) {
    out += str_cat("  ", by_node[i].name, ": ", ms(by_node[i].ms), "/run, ",
                   percent(by_node[i].ms, total), "\n");
  }
  return out;
}

}  // namespace infer::cpu
