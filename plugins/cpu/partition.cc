#include "partition.h"

#include <cstring>
#include <unordered_map>

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
  return find_op(ctx.node.domain(), ctx.node.op_type());
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
                                              std::span<const size_t> outputs) {
  check_node_ids(host, g, nodes);
  std::unique_ptr<Partition> p(new Partition(host));
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
  return p;
}

// ---------------------------------------------------------------------------------------------
// Run

// Per-run storage: one Value per slot, and the KernelContext of the step being executed.
class Partition::RunState final : public KernelContext {
 public:
  RunState(const Partition& p, infer_run_context* ctx)
      : p_(p), ctx_(ctx), values_(p.slots_.size()) {}

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

  void execute(const Step& step) {
    step_ = &step;
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
    } else {
      AlignedBytes buffer = allocate_aligned(nbytes);
      set(slot, dtype, shape, buffer.get(), nbytes);
      values_[slot].owned = std::move(buffer);
    }
    return values_[slot].data;
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
  const Step* step_ = nullptr;
  std::vector<Tensor> inputs_;
  std::vector<AlignedBytes> scratch_;
  const Tensor absent_{};
};

void Partition::run(std::span<const infer_tensor_view> inputs, infer_run_context* ctx) const {
  RunState state(*this, ctx);
  state.bind(inputs);
  for (const Step& step : steps_) {
    try {
      state.execute(step);
    } catch (const plugin::PluginError& e) {
      rethrow_with_label(e, step.label);
    }
  }
  state.copy_outputs();
}

}  // namespace infer::cpu
