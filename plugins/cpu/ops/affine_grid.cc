#include "kernels/grid_sample.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class AffineGridKernel final : public Kernel {
 public:
  explicit AffineGridKernel(bool align_corners) : align_corners_(align_corners) {}

  void run(KernelContext& ctx) const override {
    const Tensor& theta = ctx.input(0);
    const Shape size = ints_of(ctx.input(1), "size");
    for (int64_t d : size) {
      if (d < 0) fail_input(str_cat("size ", shape_str(size), " has a negative entry"));
    }
    void* out = ctx.allocate_output(0, theta.dtype, affine_grid_shape(theta.shape, size));
    affine_grid(theta.dtype, theta.data, theta.shape, size, align_corners_, out);
  }

 private:
  bool align_corners_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<AffineGridKernel>(attr_bool(ctx, "align_corners", false));
}

}  // namespace

constinit const OpDesc kOpAffineGrid = {.op_type = "AffineGrid",
                                        .min_inputs = 2,
                                        .max_inputs = 2,
                                        .input_dtypes = {kFloats, kI64},
                                        .create = &create};

}  // namespace infer::cpu
