#include "kernels/resize.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

// Upsample (deprecated in opset 10) is Resize with asymmetric coordinates, nearest rounding
// down, and one scale (>= 1) per dimension.
class UpsampleKernel final : public Kernel {
 public:
  UpsampleKernel(ResizeMode mode, std::optional<std::vector<double>> attr_scales)
      : mode_(mode), attr_scales_(std::move(attr_scales)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::vector<double> scales;
    if (attr_scales_) {
      scales = *attr_scales_;
    } else {
      const Tensor& s = ctx.input(1);
      if (s.shape.size() != 1) fail_input(str_cat("scales must be 1-D, got ", shape_str(s.shape)));
      for (int64_t i = 0; i < s.shape[0]; ++i) scales.push_back(s.as<float>()[i]);
    }
    for (double s : scales) {
      if (!(s >= 1)) fail_input(str_cat("Upsample scales must be >= 1, got ", s));
    }
    std::vector<size_t> axes(x.shape.size());
    for (size_t d = 0; d < axes.size(); ++d) axes[d] = d;
    const std::vector<ResizeAxis> plan =
        resize_axes(x.shape, axes, scales, std::nullopt, {}, ResizeAspect::kStretch);
    ResizeParams p;
    p.mode = mode_;
    p.coord = ResizeCoord::kAsymmetric;
    p.nearest = ResizeNearest::kSimple;
    void* out = ctx.allocate_output(0, x.dtype, resize_shape(plan));
    resize(x.dtype, x.data, x.shape, plan, p, out);
  }

 private:
  ResizeMode mode_;
  std::optional<std::vector<double>> attr_scales_;  // opset 7-8
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const std::string mode = attr_string(ctx, "mode", "nearest");
  if (mode != "nearest" && mode != "linear" && mode != "bilinear") {
    fail_attr(str_cat("attribute 'mode' must be nearest or linear, got '", mode, "'"));
  }
  std::optional<std::vector<double>> scales;
  if (ctx.opset < 9) {
    const std::optional<infer_attr_view> a = ctx.node.attr("scales");
    if (!a || a->type != INFER_ATTR_FLOATS) fail_attr("attribute 'scales' (floats) is required");
    scales = std::vector<double>(a->floats, a->floats + a->count);
  } else if (!ctx.node.has_input(1)) {
    fail_attr("the scales input is missing");
  }
  return std::make_unique<UpsampleKernel>(
      mode == "nearest" ? ResizeMode::kNearest : ResizeMode::kLinear, std::move(scales));
}

}  // namespace

constinit const OpDesc kOpUpsample = {.op_type = "Upsample",
                                      .min_inputs = 1,
                                      .max_inputs = 2,
                                      .input_dtypes = {kNumeric, kF32},
                                      .create = &create};

}  // namespace infer::cpu
