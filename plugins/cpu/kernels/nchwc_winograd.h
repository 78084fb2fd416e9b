// Winograd convolution F(m x m, 3 x 3) on the blocked NCHWc layout, for 3x3 convolutions with
// stride 1, dilation 1, group 1 and pads of at most 1: each (m + 2)^2 input tile is transformed
// (V = B^T d B), multiplied per transform position by the transformed weights
// (U = G g G^T, packed once) and transformed back (Y = A^T M A), which takes 9 m^2 / (m + 2)^2
// times fewer multiplications than the direct kernel in nchwc_conv.cc.
#ifndef INFER_PLUGINS_CPU_KERNELS_NCHWC_WINOGRAD_H_
#define INFER_PLUGINS_CPU_KERNELS_NCHWC_WINOGRAD_H_

#include <vector>

#include "kernels/nchwc.h"

namespace infer::cpu {

// Output tile sizes m the kernels are compiled for. Max |error| / max |y| against a double
// direct conv (C = M = 64 at 56x56, 256 at 14x14, 512 at 7x7; weights ~N(0, sqrt(2 / 9C)),
// inputs in [-1, 1)): F(4x4) 6.2e-6, 1.3e-5, 1.3e-5; F(2x2) 3.4e-7, 6.5e-7, 8.8e-7. F(4x4)
// stays below the 2e-5 the model tests allow for, so it is the default; NchwcConv takes
// F(2x2) for small images, where it is also faster.
inline constexpr int kNchwcWinogradTile = 4;
bool nchwc_winograd_tile_supported(int tile);

// Whether the Winograd kernel can run this convolution: weight [M, C, 3, 3], group 1, stride
// and dilation 1, pads (explicit or auto) of at most 1 on each side.
bool nchwc_winograd_applies(const ConvParams& p, ShapeSpan w_shape);

// Transformed weights U [positions][ceil(M / b)][C][b] ((m + 2)^2 positions), bias padded to
// ceil(M / b) * b; lanes past M are 0.
struct NchwcWinogradWeights {
  int64_t block = 0, out_channels = 0, in_channels = 0;
  int tile = kNchwcWinogradTile;
  std::vector<float> u, bias;
};
NchwcWinogradWeights pack_nchwc_winograd_weights(const float* w, ShapeSpan w_shape,
                                                 const float* bias, int64_t block,
                                                 int tile = kNchwcWinogradTile);

// X blocked [N, ceil(C / b), H, W, b]; checks it against the weights and the window.
NchwcConvPlan plan_nchwc_winograd(const ConvParams& p, ShapeSpan x, const NchwcWinogradWeights& w);
// y = act(conv(x) + bias + z); z (blocked like y) may be null. Padded input lanes may hold any
// finite value.
void nchwc_winograd_conv(const NchwcConvPlan& plan, const NchwcWinogradWeights& w, const float* x,
                         const float* z, const FusedActivation& act, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_NCHWC_WINOGRAD_H_
