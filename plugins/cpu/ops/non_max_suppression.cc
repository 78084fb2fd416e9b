#include "kernels/detection.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class NonMaxSuppressionKernel final : public Kernel {
 public:
  explicit NonMaxSuppressionKernel(bool center_point_box) : center_(center_point_box) {}

  void run(KernelContext& ctx) const override {
    const Tensor& boxes = ctx.input(0);
    const Tensor& scores = ctx.input(1);
    auto opt = [&](size_t i) -> const Tensor* {
      return i < ctx.input_count() && ctx.input(i).present() ? &ctx.input(i) : nullptr;
    };
    const NmsPlan plan = plan_nms(boxes.shape, scores.shape);
    NmsParams p;
    p.center_point_box = center_;
    // Absent or empty inputs take the defaults: no boxes, IoU threshold 0, no score threshold.
    auto present = [&](size_t i) { return opt(i) && numel(opt(i)->shape) != 0; };
    if (present(2)) {
      p.max_output_boxes_per_class =
          std::max<int64_t>(0, scalar_int(*opt(2), "max_output_boxes_per_class"));
    }
    if (present(3)) {
      p.iou_threshold = static_cast<float>(scalar_float(*opt(3), "iou_threshold"));
      if (!(p.iou_threshold >= 0 && p.iou_threshold <= 1)) {
        fail_input(str_cat("iou_threshold must be in [0, 1], got ", p.iou_threshold));
      }
    }
    if (present(4))
      p.score_threshold = static_cast<float>(scalar_float(*opt(4), "score_threshold"));
    const std::vector<int64_t> sel =
        non_max_suppression(p, plan, boxes.as<float>(), scores.as<float>());
    const Shape shape{static_cast<int64_t>(sel.size() / 3), 3};
    int64_t* out = ctx.output<int64_t>(0, shape);
    std::copy(sel.begin(), sel.end(), out);
  }

 private:
  bool center_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t c = attr_int(ctx, "center_point_box", 0);
  if (c != 0 && c != 1) fail_attr(str_cat("center_point_box must be 0 or 1, got ", c));
  return std::make_unique<NonMaxSuppressionKernel>(c == 1);
}

}  // namespace

constinit const OpDesc kOpNonMaxSuppression = {.op_type = "NonMaxSuppression",
                                               .min_inputs = 2,
                                               .max_inputs = 5,
                                               .input_dtypes = {kF32, kF32, kI64, kF32, kF32},
                                               .create = &create};

}  // namespace infer::cpu
