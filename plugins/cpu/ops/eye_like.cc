#include "kernels/generate.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class EyeLikeKernel final : public Kernel {
 public:
  EyeLikeKernel(infer_dtype dtype, int64_t k) : dtype_(dtype), k_(k) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const infer_dtype dtype = dtype_ == INFER_DTYPE_UNDEFINED ? x.dtype : dtype_;
    if (x.shape.size() != 2) {
      fail_input(str_cat("EyeLike expects a 2-D input, got ", shape_str(x.shape)));
    }
    eye_like(dtype, x.shape, k_, ctx.allocate_output(0, dtype, x.shape));
  }

 private:
  infer_dtype dtype_;  // UNDEFINED: the input's
  int64_t k_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  if (has_attr(ctx, "dtype")) {
    const int64_t d = attr_int(ctx, "dtype", 0);
    if (d <= 0 || d >= 32 || !(kAnyFixed & dtype_bit(static_cast<infer_dtype>(d)))) {
      fail(INFER_UNIMPLEMENTED, str_cat("attribute 'dtype' ", d, " is not supported"));
    }
    dtype = static_cast<infer_dtype>(d);
  }
  return std::make_unique<EyeLikeKernel>(dtype, attr_int(ctx, "k", 0));
}

}  // namespace

constinit const OpDesc kOpEyeLike = {
    .op_type = "EyeLike", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
