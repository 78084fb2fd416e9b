#include <cstring>
#include <random>

#include "kernels/generate.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

// Inference: the output is the input and the optional mask is all ones. Training mode
// (opset 12+) drops elements with numpy's generator seeded by `seed`, so that results match
// the ONNX reference; without a seed it is seeded at random.
class DropoutKernel final : public Kernel {
 public:
  DropoutKernel(bool bool_mask, std::optional<uint32_t> seed)
      : bool_mask_(bool_mask), seed_(seed) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int64_t n = numel(x.shape);
    const Tensor& training = ctx.input(2);
    if (training.present()) {
      if (numel(training.shape) != 1) {
        fail_input(str_cat("training_mode must be a scalar, got ", shape_str(training.shape)));
      }
      const double r = ratio(ctx);
      if (*training.as<bool>() && r != 0) return train(ctx, x, n, r);
    }
    copy_to_output(ctx, x, x.shape);
    // Always produced (an unused mask goes to scratch). Opset 7-9 give the mask the data type
    // (ones); from opset 10 it is bool (true).
    const infer_dtype mask_type = bool_mask_ ? INFER_DTYPE_BOOL : x.dtype;
    void* mask = ctx.allocate_output(1, mask_type, x.shape);
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
  void train(KernelContext& ctx, const Tensor& x, int64_t n, double r) const {
    if (!(r > 0 && r < 1)) fail_input(str_cat("ratio ", r, " is not in [0, 1)"));
    bool* keep = static_cast<bool*>(ctx.allocate_output(1, INFER_DTYPE_BOOL, x.shape));
    const uint32_t seed = seed_ ? *seed_ : std::random_device{}();
    if (n) dropout_keep_mask(seed, r, n, keep);
    void* out = ctx.allocate_output(0, x.dtype, x.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      using C = compute_t<T>;
      const auto scale = static_cast<C>(1.0 / (1.0 - r));
      const T* in = x.as<T>();
      T* y = static_cast<T*>(out);
      for (int64_t i = 0; i < n; ++i) y[i] = store<T>(keep[i] ? load(in[i]) * scale : C(0));
    });
  }

  static double ratio(const KernelContext& ctx) {
    const Tensor& r = ctx.input(1);
    if (!r.present()) return 0.5;
    if (numel(r.shape) != 1) {
      fail_input(str_cat("ratio must be a scalar, got ", shape_str(r.shape)));
    }
    double v = 0;
    visit_dtype<kFloats>(r.dtype,
                         [&]<typename T>(T) { v = static_cast<double>(load(*r.as<T>())); });
    return v;
  }

  bool bool_mask_;
  std::optional<uint32_t> seed_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (ctx.opset < 12) {
    const float ratio = attr_float(ctx, "ratio", 0.5f);
    if (!(ratio >= 0.0f && ratio < 1.0f)) {
      fail_attr(str_cat("attribute 'ratio' ", ratio, " is not in [0, 1)"));
    }
  }
  std::optional<uint32_t> seed;
  if (ctx.opset >= 12 && has_attr(ctx, "seed")) {
    const int64_t s = attr_int(ctx, "seed", 0);
    // numpy's seeds are 32-bit unsigned.
    if (s < 0 || s > int64_t{UINT32_MAX}) {
      fail_attr(str_cat("attribute 'seed' ", s, " is outside [0, 2^32)"));
    }
    seed = static_cast<uint32_t>(s);
  }
  return std::make_unique<DropoutKernel>(ctx.opset >= 10, seed);
}

}  // namespace

constinit const OpDesc kOpDropout = {.op_type = "Dropout",
                                     .min_inputs = 1,
                                     .max_inputs = 3,
                                     .input_dtypes = {kFloats, kFloats, kBool},
                                     .max_outputs = 2,
                                     .create = &create};

}  // namespace infer::cpu
