#include "ops/recurrent.h"

#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

// X, W, R, B, sequence_lens, initial_h, initial_c, P
constexpr DtypeMask kT = kRecurrentFloats;
constexpr std::initializer_list<DtypeMask> kTypes = {kT, kT, kT, kT, kI32, kT, kT, kT};

class RecurrentKernel final : public Kernel {
 public:
  RecurrentKernel(RnnParams params, std::array<bool, 3> outputs)
      : params_(std::move(params)), outputs_(outputs) {}

  void run(KernelContext& ctx) const override {
    check_input_types(ctx, kTypes);
    const infer_dtype dt = ctx.input(0).dtype;
    auto opt = [&](size_t i) -> const Tensor* {
      return i < ctx.input_count() && ctx.input(i).present() ? &ctx.input(i) : nullptr;
    };
    for (size_t i : {1, 2, 3, 5, 6, 7}) {
      if (opt(i) && opt(i)->dtype != dt) {
        fail_input(str_cat("input ", i, " has type ", plugin::dtype_name(opt(i)->dtype), ", X has ",
                           plugin::dtype_name(dt)));
      }
    }
    // LSTM alone has initial_c and P (inputs 6 and 7).
    const bool lstm = params_.cell == RnnCell::kLstm;
    RnnShapes s{ctx.input(0).shape, ctx.input(1).shape, ctx.input(2).shape};
    auto shape = [&](size_t i) {
      return opt(i) ? std::optional<ShapeSpan>(opt(i)->shape) : std::nullopt;
    };
    s.b = shape(3);
    s.sequence_lens = shape(4);
    s.initial_h = shape(5);
    if (lstm) {
      s.initial_c = shape(6);
      s.p = shape(7);
    }
    const RnnPlan plan = plan_rnn(params_, s);
    visit_compute_type(dt, [&]<typename T>(T) {
      // Inputs in the compute type (copies for float16/bfloat16, which compute in float32).
      auto values = [&](size_t i) { return opt(i) ? to_vector<T>(*opt(i)) : std::vector<T>{}; };
      const std::vector<T> x = values(0), w = values(1), r = values(2), b = values(3),
                           h0 = values(5), c0 = lstm ? values(6) : std::vector<T>{},
                           p = lstm ? values(7) : std::vector<T>{};
      std::vector<T> y(outputs_[0] ? static_cast<size_t>(numel(plan.y_shape)) : 0);
      std::vector<T> yh(outputs_[1] ? static_cast<size_t>(numel(plan.state_shape)) : 0);
      std::vector<T> yc(outputs_[2] ? static_cast<size_t>(numel(plan.state_shape)) : 0);
      auto ptr = [](const std::vector<T>& v, bool present) { return present ? v.data() : nullptr; };
      RnnData<T> d;
      d.x = x.data();
      d.w = w.data();
      d.r = r.data();
      d.b = ptr(b, opt(3));
      d.sequence_lens = opt(4) ? opt(4)->as<int32_t>() : nullptr;
      d.initial_h = ptr(h0, opt(5));
      d.initial_c = ptr(c0, lstm && opt(6));
      d.p = ptr(p, lstm && opt(7));
      d.y = outputs_[0] ? y.data() : nullptr;
      d.y_h = outputs_[1] ? yh.data() : nullptr;
      d.y_c = outputs_[2] ? yc.data() : nullptr;
      rnn(params_, plan, d);
      if (outputs_[0]) write_output(ctx, 0, dt, plan.y_shape, y);
      if (outputs_[1]) write_output(ctx, 1, dt, plan.state_shape, yh);
      if (outputs_[2]) write_output(ctx, 2, dt, plan.state_shape, yc);
    });
  }

 private:
  RnnParams params_;
  std::array<bool, 3> outputs_;  // Y, Y_h, Y_c wanted
};

std::vector<std::string> attr_strings(const OpContext& ctx, const char* name) {
  std::optional<infer_attr_view> a = ctx.node.attr(name);
  if (!a) return {};
  if (a->type != INFER_ATTR_STRINGS) fail_attr(str_cat("attribute '", name, "' must be strings"));
  return std::vector<std::string>(a->strings, a->strings + a->count);
}

std::vector<float> attr_floats(const OpContext& ctx, const char* name) {
  std::optional<infer_attr_view> a = ctx.node.attr(name);
  if (!a) return {};
  if (a->type != INFER_ATTR_FLOATS) fail_attr(str_cat("attribute '", name, "' must be floats"));
  return std::vector<float>(a->floats, a->floats + a->count);
}

// The activations of every direction, with alpha and beta consumed in order by the functions
// that take them.
std::vector<Activation> read_activations(const OpContext& ctx, RnnCell cell, int64_t dirs) {
  const size_t per_dir = rnn_activation_count(cell);
  std::vector<std::string> names = attr_strings(ctx, "activations");
  if (names.empty()) {
    static const char* const kDefaults[][3] = {
        {"Tanh"}, {"Sigmoid", "Tanh"}, {"Sigmoid", "Tanh", "Tanh"}};
    for (size_t i = 0; i < per_dir; ++i) names.emplace_back(kDefaults[static_cast<int>(cell)][i]);
  }
  const auto want = per_dir * static_cast<size_t>(dirs);
  // One direction's list serves both directions; RNN's default [Tanh, Tanh] serves one.
  if (names.size() == per_dir && dirs == 2) {
    const std::vector<std::string> one = names;
    names.insert(names.end(), one.begin(), one.end());
  }
  if (names.size() == 2 * per_dir && dirs == 1 && !has_attr(ctx, "activations")) {
    names.resize(per_dir);
  }
  if (names.size() != want) {
    fail_attr(str_cat("attribute 'activations' has ", names.size(), " entries, expected ", want,
                      " (", per_dir, " per direction)"));
  }
  const std::vector<float> alphas = attr_floats(ctx, "activation_alpha");
  const std::vector<float> betas = attr_floats(ctx, "activation_beta");
  size_t ai = 0, bi = 0;
  std::vector<Activation> acts;
  for (const std::string& n : names) {
    const std::optional<ActivationKind> kind = parse_activation(n);
    if (!kind) fail_attr(str_cat("unknown activation function '", n, "'"));
    Activation a = default_activation(*kind);
    if (activation_takes_alpha(*kind) && ai < alphas.size()) a.alpha = alphas[ai++];
    if (activation_takes_beta(*kind) && bi < betas.size()) a.beta = betas[bi++];
    acts.push_back(a);
  }
  return acts;
}

}  // namespace

std::unique_ptr<Kernel> create_recurrent_kernel(const OpContext& ctx, RnnCell cell) {
  RnnParams p;
  p.cell = cell;
  p.hidden_size = attr_int(ctx, "hidden_size", 0);
  if (has_attr(ctx, "hidden_size") && p.hidden_size <= 0) {
    fail_attr(str_cat("attribute 'hidden_size' must be positive, got ", p.hidden_size));
  }
  const std::string direction = attr_string(ctx, "direction", "forward");
  if (direction == "bidirectional") {
    p.directions = 2;
  } else if (direction == "reverse") {
    p.reverse = true;
  } else if (direction != "forward") {
    fail_attr(str_cat("attribute 'direction' must be forward, reverse or bidirectional, got '",
                      direction, "'"));
  }
  p.activations = read_activations(ctx, cell, p.directions);
  if (has_attr(ctx, "clip")) {
    p.clip = attr_float(ctx, "clip", 0.0f);
    if (!(*p.clip > 0)) fail_attr(str_cat("attribute 'clip' must be positive, got ", *p.clip));
  }
  if (cell == RnnCell::kGru) p.linear_before_reset = attr_bool(ctx, "linear_before_reset", false);
  if (cell == RnnCell::kLstm) p.input_forget = attr_bool(ctx, "input_forget", false);
  if (ctx.opset >= 14) p.batch_major = attr_bool(ctx, "layout", false);
  std::array<bool, 3> outputs{};
  for (size_t i = 0; i < 3 && i < ctx.node.output_count(); ++i) {
    outputs[i] = ctx.node.output(i) != INFER_NO_VALUE;
  }
  return std::make_unique<RecurrentKernel>(std::move(p), outputs);
}

void check_recurrent_types(const OpContext& ctx) { check_input_types(ctx, kTypes); }

}  // namespace infer::cpu
