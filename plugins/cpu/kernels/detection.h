// Object-detection operators: RoiAlign and NonMaxSuppression, following ONNX's reference
// implementations (which mirror ONNX Runtime's).
#ifndef INFER_PLUGINS_CPU_KERNELS_DETECTION_H_
#define INFER_PLUGINS_CPU_KERNELS_DETECTION_H_

#include "kernels/common.h"

namespace infer::cpu {

struct RoiAlignParams {
  bool max_mode = false;   // "max" (of the weighted corners, as the reference) or "avg"
  bool half_pixel = true;  // coordinate_transformation_mode (opset 16+; opset 10 is false)
  int64_t output_height = 1, output_width = 1;
  int64_t sampling_ratio = 0;  // 0: adaptive, ceil(roi size / output size)
  float spatial_scale = 1.0f;
};
struct RoiAlignPlan {
  int64_t batch = 0, channels = 0, height = 0, width = 0, rois = 0;
  Shape y_shape;  // [rois, channels, output_height, output_width]
};
// X [N, C, H, W], rois [num_rois, 4] (x1, y1, x2, y2), batch_indices [num_rois].
RoiAlignPlan plan_roi_align(const RoiAlignParams& params, ShapeSpan x, ShapeSpan rois,
                            ShapeSpan batch_indices);
// Batch indices are checked against X here. T is float or double.
template <typename T>
void roi_align(const RoiAlignParams& params, const RoiAlignPlan& plan, const T* x, const T* rois,
               const int64_t* batch_indices, T* y);
extern template void roi_align<float>(const RoiAlignParams&, const RoiAlignPlan&, const float*,
                                      const float*, const int64_t*, float*);
extern template void roi_align<double>(const RoiAlignParams&, const RoiAlignPlan&, const double*,
                                       const double*, const int64_t*, double*);

struct NmsPlan {
  int64_t batch = 0, classes = 0, boxes = 0;
};
// boxes [batch, boxes, 4], scores [batch, classes, boxes].
NmsPlan plan_nms(ShapeSpan boxes, ShapeSpan scores);
struct NmsParams {
  bool center_point_box = false;  // boxes are [x_center, y_center, width, height]
  int64_t max_output_boxes_per_class = 0;
  float iou_threshold = 0;
  std::optional<float> score_threshold;
};
// The selected [batch, class, box] triples, per batch and class by descending score (ties by
// box index), suppressing boxes whose IoU with a selected one exceeds the threshold.
std::vector<int64_t> non_max_suppression(const NmsParams& params, const NmsPlan& plan,
                                         const float* boxes, const float* scores);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_DETECTION_H_
