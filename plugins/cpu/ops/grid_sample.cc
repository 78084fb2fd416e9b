#include "kernels/grid_sample.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class GridSampleKernel final : public Kernel {
 public:
  explicit GridSampleKernel(GridSampleParams p) : p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& grid = ctx.input(1);
    void* out = ctx.allocate_output(0, x.dtype, grid_sample_shape(x.shape, grid.shape));
    grid_sample(x.dtype, x.data, x.shape, grid.dtype, grid.data, grid.shape, p_, out);
  }

 private:
  GridSampleParams p_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // Opset 20 renamed bilinear/bicubic to linear/cubic (and allowed N-D); both are accepted.
  GridSampleParams p;
  const std::string mode = attr_string(ctx, "mode", ctx.opset >= 20 ? "linear" : "bilinear");
  const std::string padding = attr_string(ctx, "padding_mode", "zeros");
  const std::optional<GridMode> m = parse_grid_mode(mode);
  const std::optional<GridPadding> pad = parse_grid_padding(padding);
  if (!m) fail_attr(str_cat("attribute 'mode' has the invalid value '", mode, "'"));
  if (!pad) fail_attr(str_cat("attribute 'padding_mode' has the invalid value '", padding, "'"));
  p.mode = *m;
  p.padding = *pad;
  p.align_corners = attr_bool(ctx, "align_corners", false);
  return std::make_unique<GridSampleKernel>(p);
}

}  // namespace

constinit const OpDesc kOpGridSample = {.op_type = "GridSample",
                                        .min_inputs = 2,
                                        .max_inputs = 2,
                                        .input_dtypes = {kNumeric, kFloats},
                                        .create = &create};

}  // namespace infer::cpu
