#include "kernels/detection.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace infer::cpu {

RoiAlignPlan plan_roi_align(const RoiAlignParams& params, ShapeSpan x, ShapeSpan rois,
                            ShapeSpan batch_indices) {
  if (x.size() != 4) fail_input(str_cat("X must be [N, C, H, W], got ", shape_str(x)));
  if (rois.size() != 2 || rois[1] != 4) {
    fail_input(str_cat("rois must be [num_rois, 4], got ", shape_str(rois)));
  }
  if (batch_indices.size() != 1 || batch_indices[0] != rois[0]) {
    fail_input(str_cat("batch_indices must be [", rois[0], "], got ", shape_str(batch_indices)));
  }
  RoiAlignPlan p;
  p.batch = x[0];
  p.channels = x[1];
  p.height = x[2];
  p.width = x[3];
  p.rois = rois[0];
  p.y_shape = {p.rois, p.channels, params.output_height, params.output_width};
  numel(p.y_shape);
  return p;
}

namespace {

// One bilinear sample of a bin: four input offsets and their weights (all zero outside).
template <typename T>
struct Sample {
  int64_t pos[4] = {0, 0, 0, 0};
  T w[4] = {0, 0, 0, 0};
};

}  // namespace

template <typename T>
void roi_align(const RoiAlignParams& prm, const RoiAlignPlan& p, const T* x, const T* rois,
               const int64_t* batch_indices, T* y) {
  const int64_t H = p.height, W = p.width, PH = prm.output_height, PW = prm.output_width;
  for (int64_t n = 0; n < p.rois; ++n) {
    if (batch_indices[n] < 0 || batch_indices[n] >= p.batch) {
      fail_input(
          str_cat("batch_indices[", n, "] = ", batch_indices[n], " is outside [0, ", p.batch, ")"));
    }
  }
  const T scale = static_cast<T>(prm.spatial_scale);
  const T offset = prm.half_pixel ? T(0.5) : T(0);
  std::vector<Sample<T>> samples;
  for (int64_t n = 0; n < p.rois; ++n) {
    const T* roi = rois + n * 4;
    const T start_w = roi[0] * scale - offset, start_h = roi[1] * scale - offset;
    const T end_w = roi[2] * scale - offset, end_h = roi[3] * scale - offset;
    T roi_w = end_w - start_w, roi_h = end_h - start_h;
    if (!prm.half_pixel) {  // malformed ROIs become 1x1
      roi_w = std::max(roi_w, T(1));
      roi_h = std::max(roi_h, T(1));
    }
    const T bin_h = roi_h / static_cast<T>(PH), bin_w = roi_w / static_cast<T>(PW);
    // A NaN or huge ROI would ask for an unbounded grid: cap it rather than loop forever.
    auto grid = [&](T extent, int64_t out) {
      if (prm.sampling_ratio > 0) return prm.sampling_ratio;
      const T g = std::ceil(extent / static_cast<T>(out));
      if (!(g >= 0)) return int64_t{0};
      if (g > T(1 << 20)) fail_input(str_cat("ROI ", n, " is too large to sample"));
      return static_cast<int64_t>(g);
    };
    const int64_t grid_h = grid(roi_h, PH), grid_w = grid(roi_w, PW);
    const T count = static_cast<T>(std::max<int64_t>(grid_h * grid_w, 1));
    const int64_t n_samples = checked_mul(checked_mul(PH, PW), checked_mul(grid_h, grid_w));
    if (n_samples > (int64_t{1} << 28)) {
      fail_input(str_cat("ROI ", n, " needs ", n_samples, " samples, too many"));
    }
    samples.assign(static_cast<size_t>(n_samples), Sample<T>{});
    size_t si = 0;
    for (int64_t ph = 0; ph < PH; ++ph) {
      for (int64_t pw = 0; pw < PW; ++pw) {
        for (int64_t iy = 0; iy < grid_h; ++iy) {
          const T yy = start_h + static_cast<T>(ph) * bin_h +
                       (static_cast<T>(iy) + T(0.5)) * bin_h / static_cast<T>(grid_h);
          for (int64_t ix = 0; ix < grid_w; ++ix, ++si) {
            const T xx = start_w + static_cast<T>(pw) * bin_w +
                         (static_cast<T>(ix) + T(0.5)) * bin_w / static_cast<T>(grid_w);
            // Samples beyond one pixel outside the map contribute nothing (NaN included).
            if (!(yy >= T(-1) && yy <= static_cast<T>(H) && xx >= T(-1) &&
                  xx <= static_cast<T>(W))) {
              continue;
            }
            T yv = std::max(yy, T(0)), xv = std::max(xx, T(0));
            int64_t y_low = static_cast<int64_t>(yv), x_low = static_cast<int64_t>(xv);
            int64_t y_high, x_high;
            if (y_low >= H - 1) {
              y_high = y_low = H - 1;
              yv = static_cast<T>(y_low);
            } else {
              y_high = y_low + 1;
            }
            if (x_low >= W - 1) {
              x_high = x_low = W - 1;
              xv = static_cast<T>(x_low);
            } else {
              x_high = x_low + 1;
            }
            const T ly = yv - static_cast<T>(y_low), lx = xv - static_cast<T>(x_low);
            const T hy = T(1) - ly, hx = T(1) - lx;
            Sample<T>& s = samples[si];
            s.pos[0] = y_low * W + x_low;
            s.pos[1] = y_low * W + x_high;
            s.pos[2] = y_high * W + x_low;
            s.pos[3] = y_high * W + x_high;
            s.w[0] = hy * hx;
            s.w[1] = hy * lx;
            s.w[2] = ly * hx;
            s.w[3] = ly * lx;
          }
        }
      }
    }
    for (int64_t c = 0; c < p.channels; ++c) {
      const T* plane = x + (batch_indices[n] * p.channels + c) * H * W;
      T* out = y + (n * p.channels + c) * PH * PW;
      const Sample<T>* s = samples.data();
      for (int64_t b = 0; b < PH * PW; ++b) {
        T v = 0;
        for (int64_t k = 0; k < grid_h * grid_w; ++k, ++s) {
          if (prm.max_mode) {
            const T m = std::max({s->w[0] * plane[s->pos[0]], s->w[1] * plane[s->pos[1]],
                                  s->w[2] * plane[s->pos[2]], s->w[3] * plane[s->pos[3]]});
            v = k == 0 ? m : std::max(v, m);
          } else {
            v += s->w[0] * plane[s->pos[0]] + s->w[1] * plane[s->pos[1]] +
                 s->w[2] * plane[s->pos[2]] + s->w[3] * plane[s->pos[3]];
          }
        }
        out[b] = prm.max_mode ? v : v / count;
      }
    }
  }
}

template void roi_align<float>(const RoiAlignParams&, const RoiAlignPlan&, const float*,
                               const float*, const int64_t*, float*);
template void roi_align<double>(const RoiAlignParams&, const RoiAlignPlan&, const double*,
                                const double*, const int64_t*, double*);

NmsPlan plan_nms(ShapeSpan boxes, ShapeSpan scores) {
  if (boxes.size() != 3 || boxes[2] != 4) {
    fail_input(str_cat("boxes must be [batch, boxes, 4], got ", shape_str(boxes)));
  }
  if (scores.size() != 3 || scores[0] != boxes[0] || scores[2] != boxes[1]) {
    fail_input(str_cat("scores must be [batch, classes, boxes] = [", boxes[0], ", C, ", boxes[1],
                       "], got ", shape_str(scores)));
  }
  return {boxes[0], scores[1], boxes[1]};
}

namespace {

// Whether box b (a candidate) overlaps box a (selected) by more than the threshold; float32
// arithmetic as in the reference, so that a threshold equal to the IoU keeps the box.
bool suppress(const float* a, const float* b, bool center, float threshold) {
  float ax0, ax1, ay0, ay1, bx0, bx1, by0, by1;
  if (center) {
    ax0 = a[0] - a[2] / 2, ax1 = a[0] + a[2] / 2, ay0 = a[1] - a[3] / 2, ay1 = a[1] + a[3] / 2;
    bx0 = b[0] - b[2] / 2, bx1 = b[0] + b[2] / 2, by0 = b[1] - b[3] / 2, by1 = b[1] + b[3] / 2;
  } else {  // [y1, x1, y2, x2], corners in either order
    ax0 = std::min(a[1], a[3]), ax1 = std::max(a[1], a[3]);
    ay0 = std::min(a[0], a[2]), ay1 = std::max(a[0], a[2]);
    bx0 = std::min(b[1], b[3]), bx1 = std::max(b[1], b[3]);
    by0 = std::min(b[0], b[2]), by1 = std::max(b[0], b[2]);
  }
  const float ix0 = std::max(ax0, bx0), ix1 = std::min(ax1, bx1);
  if (!(ix1 > ix0)) return false;
  const float iy0 = std::max(ay0, by0), iy1 = std::min(ay1, by1);
  if (!(iy1 > iy0)) return false;
  const float inter = (ix1 - ix0) * (iy1 - iy0);
  if (!(inter > 0)) return false;
  const float area_a = (ax1 - ax0) * (ay1 - ay0), area_b = (bx1 - bx0) * (by1 - by0);
  const float uni = area_a + area_b - inter;
  if (!(area_a > 0) || !(area_b > 0) || !(uni > 0)) return false;
  return inter / uni > threshold;
}

}  // namespace

std::vector<int64_t> non_max_suppression(const NmsParams& prm, const NmsPlan& p, const float* boxes,
                                         const float* scores) {
  std::vector<int64_t> out;
  std::vector<int64_t> order, selected;
  for (int64_t b = 0; b < p.batch; ++b) {
    const float* bb = boxes + b * p.boxes * 4;
    for (int64_t c = 0; c < p.classes; ++c) {
      const float* sc = scores + (b * p.classes + c) * p.boxes;
      order.clear();
      for (int64_t i = 0; i < p.boxes; ++i) {
        if (!prm.score_threshold || sc[i] > *prm.score_threshold) order.push_back(i);
      }
      // Descending score, ties by ascending box index; NaN sorts last (a valid ordering).
      auto key = [&](int64_t i) { return std::isnan(sc[i]) ? -INFINITY : sc[i]; };
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t l, int64_t r) { return key(l) > key(r); });
      selected.clear();
      for (int64_t i : order) {
        if (static_cast<int64_t>(selected.size()) >= prm.max_output_boxes_per_class) break;
        bool keep = true;
        for (int64_t s : selected) {
          if (suppress(bb + s * 4, bb + i * 4, prm.center_point_box, prm.iou_threshold)) {
            keep = false;
            break;
          }
        }
        if (keep) {
          selected.push_back(i);
          out.insert(out.end(), {b, c, i});
        }
      }
    }
  }
  return out;
}

}  // namespace infer::cpu
