#include "kernels/normalization.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class MvnKernel final : public Kernel {
 public:
  explicit MvnKernel(Shape axes) : axes_(std::move(axes)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      mean_variance_normalize<T>(x.shape, axes_, x.as<T>(), ctx.output<T>(0, x.shape));
    });
  }

 private:
  Shape axes_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  Shape axes = has_attr(ctx, "axes") ? attr_ints(ctx, "axes") : Shape{0, 2, 3};
  if (std::optional<size_t> rank = ctx.input_rank(0)) {
    std::vector<bool> seen(*rank);
    for (int64_t a : axes) {
      if (a < -static_cast<int64_t>(*rank) || a >= static_cast<int64_t>(*rank) ||
          seen[normalize_axis(a, *rank)]) {
        fail_attr(str_cat("attribute 'axes' ", shape_str(axes), " is invalid for rank ", *rank));
      }
      seen[normalize_axis(a, *rank)] = true;
    }
  }
  return std::make_unique<MvnKernel>(std::move(axes));
}

}  // namespace

constinit const OpDesc kOpMeanVarianceNormalization = {
    .op_type = "MeanVarianceNormalization", .input_dtypes = {kFloats}, .create = &create};

}  // namespace infer::cpu
