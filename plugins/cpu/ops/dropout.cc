#include <cstring>

#include "ops/op.h"

namespace infer::cpu {
namespace {

// Inference only: the output is the input and the optional mask is all ones. Training mode
// with a non-zero ratio would need random numbers and is refused.
class DropoutKernel final : public Kernel {
 public:
  explicit DropoutKernel(bool bool_mask) : bool_mask_(bool_mask) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (const Tensor& training = ctx.input(2); training.present() && numel(training.shape) > 0 &&
                                               *training.as<bool>() && ratio(ctx) != 0) {
      fail(INFER_UNIMPLEMENTED, "Dropout in training mode with a non-zero ratio is not supported");
    }
    copy_to_output(ctx, x, x.shape);
    // Always produced (an unused mask goes to scratch). Opset 7-9 give the mask the data type
    // (ones); from opset 10 it is bool (true).
    const infer_dtype mask_type = bool_mask_ ? INFER_DTYPE_BOOL : x.dtype;
    void* mask = ctx.allocate_output(1, mask_type, x.shape);
    const int64_t n = numel(x.shape);
    if (bool_mask_) {
      if (n) std::memset(mask, 1, static_cast<size_t>(n));
      return;
    }
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      T* m = static_cast<T*>(mask);
      for (int64_t i = 0; i < n; ++i) m[i] = store<T>(1.0f);
    });
  }

 private:
  static double ratio(const KernelContext& ctx) {
    const Tensor& r = ctx.input(1);
    if (!r.present()) return 0.5;
    if (numel(r.shape) != 1)
      fail_input(str_cat("ratio must be a scalar, got ", shape_str(r.shape)));
    double v = 0;
    visit_dtype<kFloats>(r.dtype,
                         [&]<typename T>(T) { v = static_cast<double>(load(*r.as<T>())); });
    return v;
  }

  bool bool_mask_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (ctx.opset < 12) {
    const float ratio = attr_float(ctx, "ratio", 0.5f);
    if (!(ratio >= 0.0f && ratio < 1.0f))
      fail_attr(str_cat("attribute 'ratio' ", ratio, " is not in [0, 1)"));
  }
  return std::make_unique<DropoutKernel>(ctx.opset >= 10);
}

}  // namespace

constinit const OpDesc kOpDropout = {.op_type = "Dropout",
                                     .min_inputs = 1,
                                     .max_inputs = 3,
                                     .input_dtypes = {kFloats, kFloats, kBool},
                                     .max_outputs = 2,
                                     .create = &create};

}  // namespace infer::cpu
