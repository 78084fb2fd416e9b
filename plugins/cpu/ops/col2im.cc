#include "kernels/col2im.h"

#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class Col2ImKernel final : public Kernel {
 public:
  Col2ImKernel(Shape dilations, Shape pads, Shape strides)
      : dilations_(std::move(dilations)), pads_(std::move(pads)), strides_(std::move(strides)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Col2ImParams p;
    p.image = ints_of(ctx.input(1), "image_shape");
    p.block = ints_of(ctx.input(2), "block_shape");
    const size_t r = p.image.size();
    // Attributes left out default to 1 (dilations, strides) and 0 (pads).
    p.dilations = dilations_.empty() ? Shape(r, 1) : dilations_;
    p.strides = strides_.empty() ? Shape(r, 1) : strides_;
    p.pads = pads_.empty() ? Shape(2 * r, 0) : pads_;
    void* out = ctx.allocate_output(0, x.dtype, col2im_shape(x.shape, p));
    col2im(x.dtype, x.data, x.shape, p, out);
  }

 private:
  Shape dilations_, pads_, strides_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  Shape dilations = attr_ints(ctx, "dilations"), pads = attr_ints(ctx, "pads"),
        strides = attr_ints(ctx, "strides");
  for (int64_t v : dilations) {
    if (v < 1) fail_attr(str_cat("dilations must be >= 1, got ", shape_str(dilations)));
  }
  for (int64_t v : strides) {
    if (v < 1) fail_attr(str_cat("strides must be >= 1, got ", shape_str(strides)));
  }
  for (int64_t v : pads) {
    if (v < 0) fail_attr(str_cat("pads must be >= 0, got ", shape_str(pads)));
  }
  return std::make_unique<Col2ImKernel>(std::move(dilations), std::move(pads), std::move(strides));
}

}  // namespace

constinit const OpDesc kOpCol2Im = {.op_type = "Col2Im",
                                    .min_inputs = 3,
                                    .max_inputs = 3,
                                    .input_dtypes = {kNumeric, kI64, kI64},
                                    .create = &create};

}  // namespace infer::cpu
