// nchwc_layout (level 3, cpu): moves convolution-heavy parts of the graph into the blocked
// channel layout NCHWc ([N, ceil(C/b), H, W, b], see plugins/cpu/kernels/nchwc.h), like ONNX
// Runtime's NchwcTransformer.
//
// Seeds are float32 Conv / com.infer.FusedConv nodes on cpu with static 4-D shapes, groups 1
// or depthwise, and at least b output channels. In topological order the blocked region then
// grows through pools, global pools, elementwise ops whose operands are all blocked with the
// same shape, and channel Concats of whole blocks. Every region node is replaced by its
// blocked form writing a new 5-D value; NCHW values the region reads get one shared
// ReorderInput, and region values that NCHW consumers or graph outputs read get one
// ReorderOutput writing the original value, so the rest of the graph is untouched.
#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string>

#include "pattern.h"

namespace infer::cpu_passes {
namespace {

using Dims = std::vector<int64_t>;

constexpr const char* kBlockKey = "cpu.nchwc_block";

// b: 16 where AVX-512 gives 16-float vectors, else 8, unless the config names one.
int64_t block_size(const GraphEditor& g, const infer_config* cfg) {
  if (const char* s = cfg ? g.host()->config_get(cfg, kBlockKey) : nullptr) {
    const std::string_view text(s);
    int64_t b = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), b);
    if (ec != std::errc() || end != text.data() + text.size() || (b != 8 && b != 16)) {
      throw plugin::PluginError(INFER_INVALID_ARGUMENT, std::string("config '") + kBlockKey +
                                                            "' must be 8 or 16, got '" + s + "'");
    }
    return b;
  }
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx512f")) return 16;
#endif
  return 8;
}

Dims blocked_shape(const Dims& nchw, int64_t block) {
  return {nchw[0], (nchw[1] + block - 1) / block, nchw[2], nchw[3], block};
}

// Static 4-D float32 shape of v, or nullopt.
std::optional<Dims> float_4d(const GraphEditor& g, size_t v) {
  if (!is_float32(g, v)) return std::nullopt;
  std::optional<Dims> s = g.static_shape(v);
  if (!s || s->size() != 4) return std::nullopt;
  return s;
}

enum class Kind { kConv, kMaxPool, kAveragePool, kGlobalAverage, kGlobalMax, kSameOp, kConcat };

// A node chosen for the blocked region.
struct Planned {
  size_t node;
  Kind kind;
  bool nchw_input = false;  // a conv reading its few-channel NCHW input directly
};

// Live node ids, producers before consumers (Kahn over explicit inputs; fusion passes append
// nodes, so ids alone are not an order).
std::vector<size_t> topological_order(const GraphEditor& g) {
  const size_t count = g.node_count();
  std::vector<size_t> pending(count, 0), order, ready;
  for (size_t n = 0; n < count; ++n) {
    if (!g.alive(n)) continue;
    const plugin::NodeView node = g.node(n);
    for (size_t i = 0; i < node.input_count(); ++i) {
      const size_t v = node.input(i);
      if (v != INFER_NO_VALUE && g.producer(v) != INFER_NO_NODE) ++pending[n];
    }
    if (pending[n] == 0) ready.push_back(n);
  }
  while (!ready.empty()) {
    const size_t n = ready.back();
    ready.pop_back();
    order.push_back(n);
    const plugin::NodeView node = g.node(n);
    for (size_t o = 0; o < node.output_count(); ++o) {
      if (node.output(o) == INFER_NO_VALUE) continue;
      for (size_t c : g.consumers(node.output(o))) {
        // A consumer reading the value twice was counted twice.
        if (--pending[c] == 0) ready.push_back(c);
      }
    }
  }
  return order;
}

class Planner {
 public:
  Planner(const GraphEditor& g, int64_t block) : g_(g), block_(block) {}

  std::vector<Planned> plan() {
    std::vector<Planned> out;
    for (size_t n : topological_order(g_)) {
      if (std::optional<Planned> p = consider(n)) {
        out.push_back(*p);
        blocked_.insert(g_.node(n).output(0));
      }
    }
    return out;
  }

 private:
  bool blocked(size_t v) const { return blocked_.contains(v); }

  // Operand shape s broadcasts onto y in the blocked layout too: same N and C, and each
  // spatial size equal or 1 (a squeeze-excitation scale [N, C, 1, 1] times [N, C, H, W]).
  static bool spatial_broadcast(const std::optional<Dims>& s, const Dims& y) {
    return s && (*s)[0] == y[0] && (*s)[1] == y[1] && ((*s)[2] == y[2] || (*s)[2] == 1) &&
           ((*s)[3] == y[3] || (*s)[3] == 1);
  }

  std::optional<Planned> consider(size_t n) const {
    if (g_.backend(n) != "cpu" || g_.node(n).output_count() < 1) return std::nullopt;
    const plugin::NodeView node = g_.node(n);
    const std::string_view op = node.op_type();
    const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
    if ((op == "Conv" && default_domain) || g_.is_op(n, "FusedConv", kInferDomain)) {
      return conv(node);
    }
    if (!default_domain || node.output_count() != 1 || node.input_count() < 1) return std::nullopt;
    const size_t x = node.input(0), y = node.output(0);
    const std::optional<Dims> ys = float_4d(g_, y);
    if (!ys || x == INFER_NO_VALUE || !blocked(x)) return std::nullopt;
    if (op == "MaxPool" || op == "AveragePool") {
      if (node.attr_ints("kernel_shape").size() != 2) return std::nullopt;
      return Planned{n, op == "MaxPool" ? Kind::kMaxPool : Kind::kAveragePool};
    }
    if (op == "GlobalAveragePool") return Planned{n, Kind::kGlobalAverage};
    if (op == "GlobalMaxPool") return Planned{n, Kind::kGlobalMax};
    // Elementwise ops run unchanged on blocked tensors of one shape. Clip's bounds are scalars.
    static constexpr std::string_view kUnary[] = {"Relu",      "Sigmoid",     "Tanh",     "Clip",
                                                  "LeakyRelu", "HardSigmoid", "HardSwish"};
    if (std::ranges::find(kUnary, op) != std::end(kUnary)) {
      return float_4d(g_, x) == ys ? std::optional(Planned{n, Kind::kSameOp}) : std::nullopt;
    }
    static constexpr std::string_view kNary[] = {"Add", "Mul", "Sub", "Sum"};
    if (std::ranges::find(kNary, op) != std::end(kNary)) {
      for (size_t i = 0; i < node.input_count(); ++i) {
        const size_t v = node.input(i);
        if (v == INFER_NO_VALUE || !blocked(v) || !spatial_broadcast(float_4d(g_, v), *ys)) {
          return std::nullopt;
        }
      }
      return Planned{n, Kind::kSameOp};
    }
    if (op == "Concat") {
      // Whole blocks concatenate along the block axis only when no input has padded lanes.
      const int64_t axis = node.attr_int("axis", 0);
      if (axis != 1 && axis != -3) return std::nullopt;
      for (size_t i = 0; i < node.input_count(); ++i) {
        const size_t v = node.input(i);
        const std::optional<Dims> s = v == INFER_NO_VALUE ? std::nullopt : float_4d(g_, v);
        if (!s || !blocked(v) || (*s)[1] % block_ != 0) return std::nullopt;
      }
      return Planned{n, Kind::kConcat};
    }
    return std::nullopt;
  }

  std::optional<Planned> conv(const plugin::NodeView& node) const {
    if (node.output_count() != 1 || node.input_count() < 2) return std::nullopt;
    const std::optional<Dims> xs = float_4d(g_, node.input(0)), ys = float_4d(g_, node.output(0));
    const std::optional<plugin::ConstantView> w = g_.constant(node.input(1));
    if (!xs || !ys || !w || w->dtype != INFER_DTYPE_FLOAT32 || w->shape.size() != 4) {
      return std::nullopt;
    }
    const int64_t c = (*xs)[1], m = w->shape[0], group = node.attr_int("group", 1);
    const bool depthwise = group > 1 && group == c && group == m && w->shape[1] == 1;
    // Too few output channels fill a block poorly, so like ONNX Runtime such convs stay in
    // NCHW, except the 1x1-pixel squeeze of squeeze-excitation blocks whose input is blocked
    // anyway: there a partly filled block is cheaper than a pair of reorders.
    const bool squeeze = blocked(node.input(0)) && (*ys)[2] * (*ys)[3] == 1;
    if ((group != 1 && !depthwise) || (m < block_ && !squeeze) || (*ys)[1] != m) {
      return std::nullopt;
    }
    const Dims ks = node.attr_ints("kernel_shape");
    if (!ks.empty() && ks != Dims{w->shape[2], w->shape[3]}) return std::nullopt;
    if (node.has_input(2)) {
      const std::optional<plugin::ConstantView> b = g_.constant(node.input(2));
      if (!b || b->dtype != INFER_DTYPE_FLOAT32 || b->element_count() != static_cast<size_t>(m)) {
        return std::nullopt;
      }
    }
    if (node.has_input(3) && float_4d(g_, node.input(3)) != ys) return std::nullopt;
    for (size_t i = 4; i < node.input_count(); ++i) {
      if (node.has_input(i)) return std::nullopt;
    }
    // Like ONNX Runtime, a first conv with fewer channels than a block reads NCHW directly
    // rather than through a mostly padded reorder.
    const bool nchw_input = !blocked(node.input(0)) && group == 1 && c < block_;
    return Planned{node.id(), Kind::kConv, nchw_input};
  }

  const GraphEditor& g_;
  int64_t block_;
  std::set<size_t> blocked_;  // outputs of planned nodes
};

class Rewriter {
 public:
  Rewriter(GraphEditor& g, int64_t block) : g_(g), block_(block) {}

  size_t run(const std::vector<Planned>& plan) {
    for (const Planned& p : plan) convert(p);
    // Region values that NCHW nodes (or the graph's caller) still read get their NCHW form back.
    for (const auto& [v, vb] : blocked_of_) {
      if (reordered_inputs_.contains(v)) continue;
      if (g_.is_graph_output(v) || !g_.consumers(v).empty()) {
        const size_t r = g_.add_node("ReorderOutput", kInferDomain,
                                     "ReorderOutput_" + g_.value_name(v), {vb}, {v});
        g_.set_attr(r, "channels", (*g_.static_shape(v))[1]);
        g_.set_attr(r, "block", block_);
        ++changed_;
      }
    }
    if (changed_) g_.set_opset(kInferDomain, 1);
    return changed_;
  }

 private:
  // The blocked form of v: a region output, or v through a (shared) ReorderInput.
  size_t blocked(size_t v) {
    if (auto it = blocked_of_.find(v); it != blocked_of_.end()) return it->second;
    const Dims s = *g_.static_shape(v);
    const size_t vb = new_value(v, s);
    const size_t r =
        g_.add_node("ReorderInput", kInferDomain, "ReorderInput_" + g_.value_name(v), {v}, {vb});
    g_.set_attr(r, "channels", s[1]);
    g_.set_attr(r, "block", block_);
    blocked_of_.emplace(v, vb);
    reordered_inputs_.insert(v);
    ++changed_;
    return vb;
  }

  size_t new_value(size_t v, const Dims& nchw) {
    return g_.add_value(g_.unique_name(g_.value_name(v) + "_nchwc"), INFER_DTYPE_FLOAT32,
                        blocked_shape(nchw, block_));
  }

  void convert(const Planned& p) {
    const plugin::NodeView node = g_.node(p.node);
    const size_t y = node.output(0);
    std::vector<size_t> inputs;
    for (size_t i = 0; i < node.input_count(); ++i) inputs.push_back(node.input(i));
    const char* op_type = nullptr;
    switch (p.kind) {
      case Kind::kConv:
        op_type = "NchwcConv";
        if (!p.nchw_input) inputs[0] = blocked(inputs[0]);
        if (inputs.size() > 3 && inputs[3] != INFER_NO_VALUE) inputs[3] = blocked(inputs[3]);
        break;
      case Kind::kMaxPool:
        op_type = "NchwcMaxPool";
        break;
      case Kind::kAveragePool:
        op_type = "NchwcAveragePool";
        break;
      case Kind::kGlobalAverage:
        op_type = "NchwcGlobalAveragePool";
        break;
      case Kind::kGlobalMax:
        op_type = "NchwcGlobalMaxPool";
        break;
      case Kind::kSameOp:
      case Kind::kConcat:
        break;
    }
    if (p.kind != Kind::kConv) {
      // Clip's scalar bounds stay as they are; every other input is a region tensor.
      const bool clip = node.op_type() == "Clip";
      for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i] != INFER_NO_VALUE && (!clip || i == 0)) inputs[i] = blocked(inputs[i]);
      }
    }
    const bool layout_op = op_type != nullptr;
    const std::string type = layout_op ? op_type : std::string(node.op_type());
    const size_t yb = new_value(y, *g_.static_shape(y));
    const size_t n =
        g_.add_node(type, layout_op ? kInferDomain : "", std::string(node.name()), inputs, {yb});
    g_.copy_attributes(p.node, n);
    if (layout_op) g_.set_attr(n, "block", block_);
    if (p.kind == Kind::kConv) {
      const std::vector<int64_t> w = g_.constant(inputs[1])->shape;
      g_.set_attr(n, "kernel_shape", std::vector<int64_t>{w[2], w[3]});
    }
    if (p.kind == Kind::kConcat) g_.set_attr(n, "axis", int64_t{1});
    g_.remove_node(p.node);
    blocked_of_.emplace(y, yb);
    changed_ += 2;  // the node replaced and its replacement
  }

  GraphEditor& g_;
  int64_t block_;
  std::map<size_t, size_t> blocked_of_;  // NCHW value -> its blocked form
  std::set<size_t> reordered_inputs_;    // NCHW values entering through ReorderInput
  size_t changed_ = 0;
};

}  // namespace

size_t nchwc_layout(GraphEditor& g, const infer_config* cfg) {
  const int64_t block = block_size(g, cfg);
  const std::vector<Planned> plan = Planner(g, block).plan();
  if (plan.empty()) return 0;
  return Rewriter(g, block).run(plan);
}

}  // namespace infer::cpu_passes
