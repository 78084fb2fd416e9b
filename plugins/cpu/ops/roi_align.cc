#include "kernels/detection.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class RoiAlignKernel final : public Kernel {
 public:
  explicit RoiAlignKernel(RoiAlignParams params) : params_(params) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& rois = ctx.input(1);
    const Tensor& indices = ctx.input(2);
    if (rois.dtype != x.dtype) fail_input("rois must have X's type");
    const RoiAlignPlan plan = plan_roi_align(params_, x.shape, rois.shape, indices.shape);
    visit_compute_type(x.dtype, [&]<typename T>(T) {
      const std::vector<T> xv = to_vector<T>(x), rv = to_vector<T>(rois);
      std::vector<T> y(static_cast<size_t>(numel(plan.y_shape)));
      roi_align(params_, plan, xv.data(), rv.data(), indices.as<int64_t>(), y.data());
      write_output(ctx, 0, x.dtype, plan.y_shape, y);
    });
  }

 private:
  RoiAlignParams params_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  RoiAlignParams p;
  const std::string mode = attr_string(ctx, "mode", "avg");
  if (mode != "avg" && mode != "max") {
    fail_attr(str_cat("attribute 'mode' must be avg or max, got '", mode, "'"));
  }
  p.max_mode = mode == "max";
  // Opset 10 had no attribute and behaved as output_half_pixel.
  const std::string ctm = ctx.opset >= 16
                              ? attr_string(ctx, "coordinate_transformation_mode", "half_pixel")
                              : "output_half_pixel";
  if (ctm != "half_pixel" && ctm != "output_half_pixel") {
    fail_attr(
        str_cat("attribute 'coordinate_transformation_mode' must be half_pixel or "
                "output_half_pixel, got '",
                ctm, "'"));
  }
  p.half_pixel = ctm == "half_pixel";
  p.output_height = attr_int(ctx, "output_height", 1);
  p.output_width = attr_int(ctx, "output_width", 1);
  if (p.output_height <= 0 || p.output_width <= 0) {
    fail_attr(str_cat("output_height and output_width must be positive, got ", p.output_height,
                      " and ", p.output_width));
  }
  p.sampling_ratio = attr_int(ctx, "sampling_ratio", 0);
  if (p.sampling_ratio < 0) {
    fail_attr(str_cat("sampling_ratio must not be negative, got ", p.sampling_ratio));
  }
  p.spatial_scale = attr_float(ctx, "spatial_scale", 1.0f);
  return std::make_unique<RoiAlignKernel>(p);
}

}  // namespace

constinit const OpDesc kOpRoiAlign = {.op_type = "RoiAlign",
                                      .min_inputs = 3,
                                      .max_inputs = 3,
                                      .input_dtypes = {kFloats, kFloats, kI64},
                                      .create = &create};

}  // namespace infer::cpu
