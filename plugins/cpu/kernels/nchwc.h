// Blocked channel layout NCHWc (float32, 2-D images), the cpu backend's level-3 layout:
// a [N, C, H, W] tensor is stored as [N, ceil(C / b), H, W, b] so that the b channels of one
// pixel are contiguous and every inner loop runs over b lanes the compiler vectorises.
// b is 8 (AVX2) or 16 (AVX-512). ReorderInput zeroes the padded lanes of the last block;
// ops inside the blocked region may leave any finite value there (an activation of 0), which
// is why the convolution never reads padded input lanes and ReorderOutput drops them.
#ifndef INFER_PLUGINS_CPU_KERNELS_NCHWC_H_
#define INFER_PLUGINS_CPU_KERNELS_NCHWC_H_

#include <vector>

#include "kernels/conv.h"
#include "kernels/fused_activation.h"
#include "kernels/window.h"

namespace infer::cpu {

// Block sizes the kernels are compiled for.
bool nchwc_block_supported(int64_t block);
// Throws unless block is supported.
void check_nchwc_block(int64_t block);

// ceil(channels / block)
int64_t nchwc_blocks(int64_t channels, int64_t block);
// [N, C, H, W] -> [N, ceil(C / b), H, W, b]
Shape nchwc_shape(ShapeSpan nchw, int64_t block);

// x NCHW [N, C, H, W] -> y blocked; padded lanes become 0.
void nchwc_reorder_input(const float* x, ShapeSpan nchw, int64_t block, float* y);
// x blocked [N, Cb, H, W, b] -> y [N, channels, H, W]; channels must fit in Cb * b.
Shape nchwc_reorder_output_shape(ShapeSpan blocked, int64_t channels);
void nchwc_reorder_output(const float* x, ShapeSpan blocked, int64_t channels, float* y);

// Conv weights repacked once for the blocked kernels, one row of b output lanes per tap:
// groups == 1: [ceil(M / b)][C][KH][KW][b]; depthwise: [ceil(C / b)][KH][KW][b]. Lanes past M
// (and the bias past M) are 0.
struct NchwcConvWeights {
  int64_t block = 0, out_channels = 0, in_channels = 0, kernel_h = 0, kernel_w = 0;
  bool depthwise = false;
  std::vector<float> packed, bias;
};
// W [M, C / group, KH, KW], bias [M] or null; group must be 1 or M == C (depthwise).
NchwcConvWeights pack_nchwc_conv_weights(const float* w, ShapeSpan w_shape, const float* bias,
                                         int64_t group, int64_t block);

struct NchwcConvPlan {
  int64_t batch = 0, in_channels = 0;
  bool blocked_input = true;  // false: X is plain NCHW (a first conv with few channels)
  WindowGeometry geo;
  Shape y_shape;  // blocked
};
// X blocked [N, Cb, H, W, b] or (groups == 1 only) NCHW [N, C, H, W]; checks them against the
// packed weights. p.group is the node's group.
NchwcConvPlan plan_nchwc_conv(const ConvParams& p, ShapeSpan x, const NchwcConvWeights& w);
// y = act(conv(x) + bias + z); z (blocked like y) may be null.
void nchwc_conv(const NchwcConvPlan& plan, const NchwcConvWeights& w, const float* x,
                const float* z, const FusedActivation& act, float* y);

// Max and average pooling of a blocked [N, Cb, H, W, b] tensor with a 2-D window.
struct NchwcPoolPlan {
  WindowGeometry geo;
  Shape y_shape;  // blocked
};
NchwcPoolPlan plan_nchwc_pool(const WindowParams& p, ShapeSpan x);
void nchwc_max_pool(const NchwcPoolPlan& plan, ShapeSpan x_shape, const float* x, float* y);
void nchwc_average_pool(const NchwcPoolPlan& plan, ShapeSpan x_shape, bool count_include_pad,
                        const float* x, float* y);
// Global pooling: [N, Cb, H, W, b] -> [N, Cb, 1, 1, b].
void nchwc_global_pool(bool max, const float* x, ShapeSpan x_shape, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_NCHWC_H_
