// Clip: min and max are attributes before opset 11, optional scalar inputs since.
#include <limits>
#include <optional>

#include "ops/unary.h"

namespace infer::cpu {
namespace {

// min(max(x, lo), hi): with lo > hi every value becomes hi, as the spec says; NaN stays.
template <typename C>
struct ClipFn {
  C lo, hi;
  C operator()(C x) const {
    const C v = x < lo ? lo : x;
    return v > hi ? hi : v;
  }
};

template <typename T>
compute_t<T> no_bound(bool upper) {
  using C = compute_t<T>;
  if constexpr (std::numeric_limits<C>::has_infinity) {
    return upper ? std::numeric_limits<C>::infinity() : -std::numeric_limits<C>::infinity();
  } else {
    return upper ? std::numeric_limits<C>::max() : std::numeric_limits<C>::lowest();
  }
}

class ClipKernel final : public Kernel {
 public:
  // Attribute bounds (opset < 11), or nullopt to read inputs 1 and 2.
  ClipKernel(std::optional<float> attr_min, std::optional<float> attr_max, bool from_attrs)
      : attr_min_(attr_min), attr_max_(attr_max), from_attrs_(from_attrs) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    dispatch<kNumeric>(x.dtype, [&](auto tag) {
      using T = decltype(tag);
      const ClipFn<compute_t<T>> clip{bound<T>(ctx, x, 1), bound<T>(ctx, x, 2)};
      unary_map(clip, x.as<T>(), ctx.output<T>(0, x.shape), numel(x.shape));
    });
  }

 private:
  // Bound i (1: min, 2: max) as the compute type of T.
  template <typename T>
  compute_t<T> bound(KernelContext& ctx, const Tensor& x, size_t i) const {
    const bool upper = i == 2;
    if (from_attrs_) {
      const std::optional<float>& v = upper ? attr_max_ : attr_min_;
      return v ? load(convert_to<T>(*v)) : no_bound<T>(upper);
    }
    if (i >= ctx.input_count() || !ctx.input(i).present()) return no_bound<T>(upper);
    const Tensor& t = ctx.input(i);
    check_same_dtype(x, 0, t, i);
    if (numel(t.shape) != 1) {
      fail_input(
          str_cat(upper ? "max" : "min", " must be a scalar, got shape ", shape_str(t.shape)));
    }
    return load(t.as<T>()[0]);
  }

  std::optional<float> attr_min_, attr_max_;
  bool from_attrs_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (ctx.opset >= 11) return std::make_unique<ClipKernel>(std::nullopt, std::nullopt, false);
  if (ctx.node.has_input(1) || ctx.node.has_input(2)) {
    fail_attr("min and max are attributes before opset 11, not inputs");
  }
  auto read = [&](const char* name) -> std::optional<float> {
    if (!has_attr(ctx, name)) return std::nullopt;
    return attr_float(ctx, name, 0.0f);
  };
  return std::make_unique<ClipKernel>(read("min"), read("max"), true);
}

}  // namespace

constinit const OpDesc kOpClip = {.op_type = "Clip",
                                  .min_inputs = 1,
                                  .max_inputs = 3,
                                  .input_dtypes = {kNumeric, kNumeric, kNumeric},
                                  .create = &create};

}  // namespace infer::cpu
