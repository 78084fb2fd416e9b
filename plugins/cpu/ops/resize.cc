#include "kernels/resize.h"

#include <algorithm>

#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

// A float16/float/double tensor as doubles.
std::vector<double> doubles_of(const Tensor& t, const char* what) {
  if (t.shape.size() > 1) fail_input(str_cat(what, " must be 1-D, got ", shape_str(t.shape)));
  std::vector<double> v(static_cast<size_t>(numel(t.shape)));
  const bool ok = visit_dtype<kFloats>(t.dtype, [&]<typename T>(T) {
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(load(t.as<T>()[i]));
  });
  if (!ok) fail_input(str_cat(what, " must be a float tensor"));
  return v;
}

class ResizeKernel final : public Kernel {
 public:
  // opset10: inputs are X and scales only.
  ResizeKernel(ResizeParams p, std::optional<Shape> axes, ResizeAspect aspect, bool opset10)
      : p_(p), axes_(std::move(axes)), aspect_(aspect), opset10_(opset10) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const size_t rank = x.shape.size();
    std::vector<size_t> axes;
    if (axes_) {
      for (int64_t a : *axes_) {
        const size_t n = normalize_axis(a, rank);
        if (std::find(axes.begin(), axes.end(), n) != axes.end()) {
          fail_input(str_cat("axes ", shape_str(*axes_), " repeat axis ", a));
        }
        axes.push_back(n);
      }
    } else {
      for (size_t d = 0; d < rank; ++d) axes.push_back(d);
    }
    std::optional<std::vector<double>> scales;
    std::optional<Shape> sizes;
    std::vector<double> roi;
    const size_t scales_input = opset10_ ? 1 : 2;
    // An empty scales or sizes tensor stands for an absent one (opset 11 needed that).
    if (const Tensor& s = ctx.input(scales_input); s.present() && numel(s.shape) > 0) {
      scales = doubles_of(s, "scales");
    }
    if (!opset10_) {
      if (const Tensor& s = ctx.input(3); s.present() && numel(s.shape) > 0) {
        sizes = ints_of(s, "sizes");
      }
      if (const Tensor& r = ctx.input(1); r.present()) roi = doubles_of(r, "roi");
      if (p_.coord == ResizeCoord::kTfCropAndResize && roi.empty()) {
        fail_input("tf_crop_and_resize needs the roi input");
      }
    }
    const std::vector<ResizeAxis> plan = resize_axes(x.shape, axes, scales, sizes, roi, aspect_);
    void* out = ctx.allocate_output(0, x.dtype, resize_shape(plan));
    resize(x.dtype, x.data, x.shape, plan, p_, out);
  }

 private:
  ResizeParams p_;
  std::optional<Shape> axes_;
  ResizeAspect aspect_;
  bool opset10_;
};

template <typename E>
E parse_attr(const OpContext& ctx, const char* name, const char* fallback,
             std::optional<E> (*parse)(std::string_view)) {
  const std::string s = attr_string(ctx, name, fallback);
  const std::optional<E> v = parse(s);
  if (!v) fail_attr(str_cat("attribute '", name, "' has the invalid value '", s, "'"));
  return *v;
}

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  ResizeParams p;
  p.mode = parse_attr(ctx, "mode", "nearest", &parse_resize_mode);
  if (ctx.opset < 11) {
    // Resize-10 behaves like Upsample.
    if (p.mode == ResizeMode::kCubic) fail_attr("mode 'cubic' needs opset 11");
    p.coord = ResizeCoord::kAsymmetric;
    p.nearest = ResizeNearest::kSimple;
    if (!ctx.node.has_input(1)) fail_attr("the scales input is missing");
    return std::make_unique<ResizeKernel>(p, std::nullopt, ResizeAspect::kStretch, true);
  }
  p.coord = parse_attr(ctx, "coordinate_transformation_mode", "half_pixel", &parse_resize_coord);
  p.nearest = parse_attr(ctx, "nearest_mode", "round_prefer_floor", &parse_resize_nearest);
  p.cubic_a = attr_float(ctx, "cubic_coeff_a", -0.75f);
  p.exclude_outside = attr_bool(ctx, "exclude_outside", false);
  p.extrapolation_value = attr_float(ctx, "extrapolation_value", 0.0f);
  std::optional<Shape> axes;
  ResizeAspect aspect = ResizeAspect::kStretch;
  if (ctx.opset >= 18) {
    p.antialias = attr_bool(ctx, "antialias", false);
    if (has_attr(ctx, "axes")) axes = attr_ints(ctx, "axes");
    aspect = parse_attr(ctx, "keep_aspect_ratio_policy", "stretch", &parse_resize_aspect);
  }
  if (p.antialias && p.mode == ResizeMode::kNearest) {
    fail_attr("antialias is not defined for mode 'nearest'");
  }
  if (!ctx.node.has_input(2) && !ctx.node.has_input(3)) {
    fail_attr("one of the scales and sizes inputs is required");
  }
  return std::make_unique<ResizeKernel>(p, std::move(axes), aspect, false);
}

}  // namespace

constinit const OpDesc kOpResize = {.op_type = "Resize",
                                    .min_inputs = 1,
                                    .max_inputs = 4,
                                    .input_dtypes = {kNumeric, kFloats, kF32, kI64},
                                    .create = &create};

}  // namespace infer::cpu
