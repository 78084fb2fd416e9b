#include "kernels/shape_ops.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class TileKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape repeats = ints_of(ctx.input(1), "repeats");
    void* out = ctx.allocate_output(0, x.dtype, tile_shape(x.shape, repeats));
    tile(x.data, x.shape, repeats, out, plugin::dtype_size(x.dtype));
  }
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // Opset 1 took `tiles` and `axis` inputs instead of `repeats`.
  if (ctx.opset < 6) fail(INFER_UNIMPLEMENTED, "Tile before opset 6 is not supported");
  return std::make_unique<TileKernel>();
}

}  // namespace

constinit const OpDesc kOpTile = {.op_type = "Tile",
                                  .min_inputs = 2,
                                  .max_inputs = 2,
                                  .input_dtypes = {kAnyFixed, kI64},
                                  .create = &create};

}  // namespace infer::cpu
