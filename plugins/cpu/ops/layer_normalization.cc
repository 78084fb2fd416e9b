// LayerNormalization (opset 17) and RMSNormalization (opset 23): the same row kernel, RMS
// without mean subtraction, bias or statistics outputs.
#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class RowNormKernel final : public Kernel {
 public:
  RowNormKernel(bool rms, int64_t axis, float epsilon, infer_dtype stat_dtype)
      : rms_(rms), axis_(axis), epsilon_(epsilon), stat_dtype_(stat_dtype) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& scale = ctx.input(1);
    const Tensor& bias = ctx.input(2);
    for (const Tensor* t : {&scale, &bias}) {
      if (t->present() && t->dtype != x.dtype) {
        fail_input(str_cat("scale and bias must have the type of X (", plugin::dtype_name(x.dtype),
                           "), got ", plugin::dtype_name(t->dtype)));
      }
    }
    const RowNormPlan plan =
        plan_row_norm(x.shape, axis_, scale.shape, bias.present() ? &bias.shape : nullptr);
    // Statistics are computed as float, then written in the stash type.
    std::vector<float> mean, inv_std;
    if (!rms_) {
      mean.resize(static_cast<size_t>(plan.rows));
      inv_std.resize(static_cast<size_t>(plan.rows));
    }
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      row_norm<T>(plan, rms_, epsilon_, x.as<T>(), scale.as<T>(),
                  bias.present() ? bias.as<T>() : nullptr, ctx.output<T>(0, x.shape),
                  rms_ ? nullptr : mean.data(), rms_ ? nullptr : inv_std.data());
    });
    if (rms_) return;
    for (size_t i = 1; i <= 2; ++i) {
      const std::vector<float>& stat = i == 1 ? mean : inv_std;
      void* out = ctx.allocate_output(i, stat_dtype_, plan.stat_shape);
      for (size_t r = 0; r < stat.size(); ++r) {
        if (stat_dtype_ == INFER_DTYPE_BFLOAT16) {
          static_cast<BFloat16*>(out)[r] = store<BFloat16>(stat[r]);
        } else {
          static_cast<float*>(out)[r] = stat[r];
        }
      }
    }
  }

 private:
  bool rms_;
  int64_t axis_;
  float epsilon_;
  infer_dtype stat_dtype_;
};

template <bool Rms>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", -1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) {
    if (axis < -static_cast<int64_t>(*rank) || axis >= static_cast<int64_t>(*rank)) {
      fail_attr(str_cat("attribute 'axis' ", axis, " is out of range for rank ", *rank));
    }
  }
  const float epsilon = attr_float(ctx, "epsilon", 1e-5f);
  // stash_type only sets the precision of the statistics, which are computed in double here;
  // for LayerNormalization it is also the type of Mean and InvStdDev (float or bfloat16).
  const int64_t stash = attr_int(ctx, "stash_type", INFER_DTYPE_FLOAT32);
  const bool valid = stash == INFER_DTYPE_FLOAT32 || stash == INFER_DTYPE_BFLOAT16 ||
                     (Rms && (stash == INFER_DTYPE_FLOAT16 || stash == INFER_DTYPE_FLOAT64));
  if (!valid) fail_attr(str_cat("attribute 'stash_type' has unsupported value ", stash));
  return std::make_unique<RowNormKernel>(Rms, axis, epsilon, static_cast<infer_dtype>(stash));
}

}  // namespace

constinit const OpDesc kOpLayerNormalization = {.op_type = "LayerNormalization",
                                                .min_inputs = 2,
                                                .max_inputs = 3,
                                                .input_dtypes = {kFloats, kFloats, kFloats},
                                                .max_outputs = 3,
                                                .create = &create<false>};
constinit const OpDesc kOpRMSNormalization = {.op_type = "RMSNormalization",
                                              .min_inputs = 2,
                                              .max_inputs = 2,
                                              .input_dtypes = {kFloats, kFloats},
                                              .create = &create<true>};

}  // namespace infer::cpu
