#include "runtime/control_flow.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "api/status.h"

namespace infer::core {
namespace {

absl::Status NodeError(const Node& node, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(node.Describe(), ": ", std::string(message)));
}

const Graph* BodyAttribute(const Node& node, std::string_view name) {
  const Attribute* a = node.FindAttribute(name);
  return a != nullptr && a->type == INFER_ATTR_GRAPH ? a->graph.get() : nullptr;
}

// A compiled body and how to call it.
struct Body {
  std::unique_ptr<ExecutionPlan> plan;

  static absl::StatusOr<Body> Compile(const Node& node, std::string_view attr,
                                      const PlanContext& ctx) {
    const Graph* g = BodyAttribute(node, attr);
    if (g == nullptr) {
      return NodeError(node, absl::StrCat("missing graph attribute '", std::string(attr), "'"));
    }
    auto plan = ExecutionPlan::Build(*g, ctx);
    if (!plan.ok()) {
      return absl::Status(plan.status().code(),
                          absl::StrCat("in ", node.Describe(), " body '", std::string(attr),
                                       "': ", plan.status().message()));
    }
    return Body{std::move(*plan)};
  }

  const Graph& graph() const { return plan->graph(); }

  // Runs the body with its formal inputs; outer references come from `outer`.
  absl::StatusOr<std::vector<TensorPtr>> Run(const std::vector<TensorPtr>& outer,
                                             const std::vector<TensorPtr>& inputs) const {
    const Graph& g = graph();
    if (inputs.size() != g.inputs().size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("body takes ", g.inputs().size(), " inputs, given ", inputs.size()));
    }
    std::vector<TensorPtr> values(g.value_count());
    for (size_t i = 0; i < inputs.size(); ++i) values[g.inputs()[i]] = inputs[i];
    for (const auto& [inner, outer_id] : plan->outer_bindings()) values[inner] = outer[outer_id];
    INFER_RETURN_IF_ERROR(plan->Execute(values));
    std::vector<TensorPtr> outputs;
    for (size_t v : g.outputs()) {
      TensorPtr t = values[v] ? values[v] : g.value(v).constant;
      if (!t) {
        return absl::InternalError(
            absl::StrCat("body output '", g.value(v).name, "' was not computed"));
      }
      outputs.push_back(std::move(t));
    }
    return outputs;
  }
};

absl::StatusOr<bool> ScalarBool(const Node& node, const TensorPtr& t, std::string_view what) {
  if (!t || t->element_count() != 1 || t->dtype() != INFER_DTYPE_BOOL) {
    return NodeError(node,
                     absl::StrCat(std::string(what), " must be a bool tensor of one element"));
  }
  return *t->as<uint8_t>() != 0;
}

absl::StatusOr<TensorPtr> MakeScalar(infer_dtype dtype, int64_t v) {
  INFER_ASSIGN_OR_RETURN(TensorPtr t, Tensor::Allocate(dtype, {}));
  if (dtype == INFER_DTYPE_BOOL) {
    *static_cast<uint8_t*>(t->data()) = v != 0 ? 1 : 0;
  } else {
    *static_cast<int64_t*>(t->data()) = v;
  }
  return t;
}

void SetOutput(std::vector<TensorPtr>& values, const Node& node, size_t i, TensorPtr t) {
  if (i < node.outputs.size() && node.outputs[i] != kNoValue)
    values[node.outputs[i]] = std::move(t);
}

// Stacks per-iteration outputs; with no iteration, an empty tensor whose
// dtype comes from the body's declaration.
absl::StatusOr<TensorPtr> StackOrEmpty(const std::vector<TensorPtr>& parts, size_t axis,
                                       const Value& declared) {
  if (!parts.empty()) return StackAxis(parts, axis);
  const infer_dtype dtype =
      declared.dtype != INFER_DTYPE_UNDEFINED ? declared.dtype : INFER_DTYPE_FLOAT32;
  return Tensor::Allocate(dtype, {0});
}

class IfNode final : public ControlFlowNode {
 public:
  IfNode(const Node& node, Body then_body, Body else_body)
      : node_(node), then_(std::move(then_body)), else_(std::move(else_body)) {}

  absl::Status Run(std::vector<TensorPtr>& values) const override {
    INFER_ASSIGN_OR_RETURN(bool cond, ScalarBool(node_, values[node_.inputs.at(0)], "cond"));
    const Body& branch = cond ? then_ : else_;
    INFER_ASSIGN_OR_RETURN(auto outs, branch.Run(values, {}));
    if (outs.size() < node_.outputs.size()) {
      return NodeError(node_, absl::StrCat("branch gives ", outs.size(), " outputs, node has ",
                                           node_.outputs.size()));
    }
    for (size_t i = 0; i < node_.outputs.size(); ++i) SetOutput(values, node_, i, outs[i]);
    return absl::OkStatus();
  }

  std::string Describe(int indent) const override {
    return absl::StrCat(std::string(static_cast<size_t>(indent), ' '), node_.Describe(),
                        " then_branch:\n", then_.plan->Describe(indent + 2),
                        std::string(static_cast<size_t>(indent), ' '), node_.Describe(),
                        " else_branch:\n", else_.plan->Describe(indent + 2));
  }

 private:
  const Node& node_;
  Body then_, else_;
};

class LoopNode final : public ControlFlowNode {
 public:
  LoopNode(const Node& node, Body body) : node_(node), body_(std::move(body)) {}

  absl::Status Run(std::vector<TensorPtr>& values) const override {
    const size_t n_carried = node_.inputs.size() - 2;
    const size_t n_body_out = body_.graph().outputs().size();
    if (n_body_out < 1 + n_carried) {
      return NodeError(node_, "body must output the condition and every loop-carried value");
    }
    const size_t n_scan = n_body_out - 1 - n_carried;
    int64_t max_trips = std::numeric_limits<int64_t>::max();
    if (node_.inputs[0] != kNoValue) {
      const TensorPtr& m = values[node_.inputs[0]];
      if (!m || m->element_count() != 1 || m->dtype() != INFER_DTYPE_INT64) {
        return NodeError(node_, "M must be an int64 tensor of one element");
      }
      max_trips = *m->as<int64_t>();
    }
    bool cond = true;
    if (node_.inputs[1] != kNoValue) {
      INFER_ASSIGN_OR_RETURN(cond, ScalarBool(node_, values[node_.inputs[1]], "cond"));
    }
    std::vector<TensorPtr> carried;
    for (size_t i = 0; i < n_carried; ++i) carried.push_back(values[node_.inputs[2 + i]]);
    std::vector<std::vector<TensorPtr>> scans(n_scan);

    for (int64_t iter = 0; iter < max_trips && cond; ++iter) {
      std::vector<TensorPtr> in;
      INFER_ASSIGN_OR_RETURN(TensorPtr iter_t, MakeScalar(INFER_DTYPE_INT64, iter));
      INFER_ASSIGN_OR_RETURN(TensorPtr cond_t, MakeScalar(INFER_DTYPE_BOOL, 1));
      in.push_back(std::move(iter_t));
      in.push_back(std::move(cond_t));
      in.insert(in.end(), carried.begin(), carried.end());
      INFER_ASSIGN_OR_RETURN(auto outs, body_.Run(values, in));
      INFER_ASSIGN_OR_RETURN(cond, ScalarBool(node_, outs[0], "body condition output"));
      for (size_t i = 0; i < n_carried; ++i) carried[i] = outs[1 + i];
      for (size_t k = 0; k < n_scan; ++k) scans[k].push_back(outs[1 + n_carried + k]);
    }
    for (size_t i = 0; i < n_carried; ++i) SetOutput(values, node_, i, carried[i]);
    for (size_t k = 0; k < n_scan; ++k) {
      const Value& declared = body_.graph().value(body_.graph().outputs()[1 + n_carried + k]);
      INFER_ASSIGN_OR_RETURN(TensorPtr stacked, StackOrEmpty(scans[k], 0, declared));
      SetOutput(values, node_, n_carried + k, std::move(stacked));
    }
    return absl::OkStatus();
  }

  std::string Describe(int indent) const override {
    return absl::StrCat(std::string(static_cast<size_t>(indent), ' '), node_.Describe(), " body:\n",
                        body_.plan->Describe(indent + 2));
  }

 private:
  const Node& node_;
  Body body_;
};

// Axis attribute list of `count` entries (default 0), normalised by `rank_of(i)`.
absl::StatusOr<std::vector<size_t>> Axes(const Node& node, std::string_view attr, size_t count,
                                         const std::vector<size_t>& ranks) {
  const Attribute* a = node.FindAttribute(attr);
  std::vector<size_t> axes;
  for (size_t i = 0; i < count; ++i) {
    int64_t axis = a != nullptr && i < a->ints.size() ? a->ints[i] : 0;
    const auto rank = static_cast<int64_t>(ranks[i]);
    if (axis < -rank || axis >= rank) {
      return NodeError(node, absl::StrCat(std::string(attr), "[", i, "] = ", axis,
                                          " is out of range for rank ", rank));
    }
    axes.push_back(static_cast<size_t>(axis < 0 ? axis + rank : axis));
  }
  return axes;
}

bool Reversed(const Node& node, std::string_view attr, size_t i) {
  const Attribute* a = node.FindAttribute(attr);
  return a != nullptr && i < a->ints.size() && a->ints[i] == 1;
}

class ScanNode final : public ControlFlowNode {
 public:
  ScanNode(const Node& node, Body body, size_t n_scan_inputs)
      : node_(node), body_(std::move(body)), m_(n_scan_inputs) {}

  absl::Status Run(std::vector<TensorPtr>& values) const override {
    const size_t n_state = node_.inputs.size() - m_;
    const size_t n_body_out = body_.graph().outputs().size();
    if (n_body_out < n_state) return NodeError(node_, "body gives fewer outputs than states");
    const size_t n_scan_out = n_body_out - n_state;

    std::vector<TensorPtr> scan_in;
    std::vector<size_t> in_ranks;
    for (size_t j = 0; j < m_; ++j) {
      const TensorPtr& t = values[node_.inputs[n_state + j]];
      if (!t) return NodeError(node_, "a scan input is missing");
      scan_in.push_back(t);
      in_ranks.push_back(t->rank());
    }
    INFER_ASSIGN_OR_RETURN(auto in_axes, Axes(node_, "scan_input_axes", m_, in_ranks));
    int64_t length = -1;
    for (size_t j = 0; j < m_; ++j) {
      const int64_t len = scan_in[j]->shape()[in_axes[j]];
      if (length >= 0 && len != length) {
        return NodeError(
            node_, absl::StrCat("scan inputs have different lengths (", length, " and ", len, ")"));
      }
      length = len;
    }
    if (length < 0) length = 0;

    std::vector<TensorPtr> state;
    for (size_t i = 0; i < n_state; ++i) state.push_back(values[node_.inputs[i]]);
    std::vector<std::vector<TensorPtr>> scans(n_scan_out);
    for (int64_t t = 0; t < length; ++t) {
      std::vector<TensorPtr> in = state;
      for (size_t j = 0; j < m_; ++j) {
        const int64_t index = Reversed(node_, "scan_input_directions", j) ? length - 1 - t : t;
        INFER_ASSIGN_OR_RETURN(TensorPtr slice, SliceAxis(*scan_in[j], in_axes[j], index));
        in.push_back(std::move(slice));
      }
      INFER_ASSIGN_OR_RETURN(auto outs, body_.Run(values, in));
      for (size_t i = 0; i < n_state; ++i) state[i] = outs[i];
      for (size_t k = 0; k < n_scan_out; ++k) scans[k].push_back(outs[n_state + k]);
    }
    for (size_t i = 0; i < n_state; ++i) SetOutput(values, node_, i, state[i]);
    std::vector<size_t> out_ranks;
    for (size_t k = 0; k < n_scan_out; ++k) {
      out_ranks.push_back(scans[k].empty() ? 1 : scans[k][0]->rank() + 1);
    }
    INFER_ASSIGN_OR_RETURN(auto out_axes, Axes(node_, "scan_output_axes", n_scan_out, out_ranks));
    for (size_t k = 0; k < n_scan_out; ++k) {
      if (Reversed(node_, "scan_output_directions", k)) {
        std::reverse(scans[k].begin(), scans[k].end());
      }
      const Value& declared = body_.graph().value(body_.graph().outputs()[n_state + k]);
      INFER_ASSIGN_OR_RETURN(TensorPtr stacked, StackOrEmpty(scans[k], out_axes[k], declared));
      SetOutput(values, node_, n_state + k, std::move(stacked));
    }
    return absl::OkStatus();
  }

  std::string Describe(int indent) const override {
    return absl::StrCat(std::string(static_cast<size_t>(indent), ' '), node_.Describe(), " body:\n",
                        body_.plan->Describe(indent + 2));
  }

 private:
  const Node& node_;
  Body body_;
  size_t m_;
};

}  // namespace

bool IsControlFlowOp(const Node& node) {
  return node.domain.empty() &&
         (node.op_type == "If" || node.op_type == "Loop" || node.op_type == "Scan");
}

absl::StatusOr<std::unique_ptr<ControlFlowNode>> ControlFlowNode::Create(const Graph& graph,
                                                                         size_t node_id,
                                                                         const PlanContext& ctx) {
  const Node& node = graph.node(node_id);
  if (node.op_type == "If") {
    if (node.inputs.empty() || node.inputs[0] == kNoValue) return NodeError(node, "needs cond");
    INFER_ASSIGN_OR_RETURN(Body then_body, Body::Compile(node, "then_branch", ctx));
    INFER_ASSIGN_OR_RETURN(Body else_body, Body::Compile(node, "else_branch", ctx));
    return std::make_unique<IfNode>(node, std::move(then_body), std::move(else_body));
  }
  if (node.op_type == "Loop") {
    if (node.inputs.size() < 2) return NodeError(node, "needs inputs M and cond (may be empty)");
    INFER_ASSIGN_OR_RETURN(Body body, Body::Compile(node, "body", ctx));
    if (body.graph().inputs().size() != node.inputs.size()) {
      return NodeError(node, absl::StrCat("body takes ", body.graph().inputs().size(),
                                          " inputs, expected ", node.inputs.size()));
    }
    return std::make_unique<LoopNode>(node, std::move(body));
  }
  if (graph.Opset("") < 9) {
    return absl::UnimplementedError(
        absl::StrCat(node.Describe(), ": Scan before opset 9 (batched form) is not supported"));
  }
  const Attribute* m = node.FindAttribute("num_scan_inputs");
  if (m == nullptr || m->type != INFER_ATTR_INT || m->i < 1 ||
      static_cast<size_t>(m->i) > node.inputs.size()) {
    return NodeError(node, "num_scan_inputs must be between 1 and the number of inputs");
  }
  INFER_ASSIGN_OR_RETURN(Body body, Body::Compile(node, "body", ctx));
  if (body.graph().inputs().size() != node.inputs.size()) {
    return NodeError(node, absl::StrCat("body takes ", body.graph().inputs().size(),
                                        " inputs, expected ", node.inputs.size()));
  }
  return std::make_unique<ScanNode>(node, std::move(body), static_cast<size_t>(m->i));
}

absl::StatusOr<TensorPtr> SliceAxis(const Tensor& t, size_t axis, int64_t index) {
  if (axis >= t.rank() || index < 0 || index >= t.shape()[axis]) {
    return absl::OutOfRangeError(
        absl::StrCat("slice ", index, " of axis ", axis, " is out of range"));
  }
  std::vector<int64_t> shape = t.shape();
  const int64_t dim = shape[axis];
  shape.erase(shape.begin() + static_cast<ptrdiff_t>(axis));
  INFER_ASSIGN_OR_RETURN(TensorPtr out, Tensor::Allocate(t.dtype(), shape));
  size_t outer = 1;
  for (size_t i = 0; i < axis; ++i) outer *= static_cast<size_t>(t.shape()[i]);
  const size_t chunk = out->nbytes() / std::max<size_t>(outer, 1);
  const auto* src = static_cast<const std::byte*>(t.data());
  auto* dst = static_cast<std::byte*>(out->data());
  for (size_t o = 0; o < outer && chunk > 0; ++o) {
    std::memcpy(dst + o * chunk,
                src + (o * static_cast<size_t>(dim) + static_cast<size_t>(index)) * chunk, chunk);
  }
  return out;
}

absl::StatusOr<TensorPtr> StackAxis(const std::vector<TensorPtr>& parts, size_t axis) {
  if (parts.empty()) return absl::InvalidArgumentError("nothing to stack");
  const Tensor& first = *parts[0];
  for (const TensorPtr& p : parts) {
    if (p->dtype() != first.dtype() || p->shape() != first.shape()) {
      return absl::InvalidArgumentError(
          "per-iteration outputs differ in dtype or shape and cannot be stacked");
    }
  }
  if (axis > first.rank()) return absl::OutOfRangeError("stack axis out of range");
  std::vector<int64_t> shape = first.shape();
  shape.insert(shape.begin() + static_cast<ptrdiff_t>(axis), static_cast<int64_t>(parts.size()));
  INFER_ASSIGN_OR_RETURN(TensorPtr out, Tensor::Allocate(first.dtype(), shape));
  size_t outer = 1;
  for (size_t i = 0; i < axis; ++i) outer *= static_cast<size_t>(first.shape()[i]);
  const size_t chunk = first.nbytes() / std::max<size_t>(outer, 1);
  auto* dst = static_cast<std::byte*>(out->data());
  for (size_t o = 0; o < outer && chunk > 0; ++o) {
    for (size_t p = 0; p < parts.size(); ++p) {
      std::memcpy(dst + (o * parts.size() + p) * chunk,
                  static_cast<const std::byte*>(parts[p]->data()) + o * chunk, chunk);
    }
  }
  return out;
}

}  // namespace infer::core
