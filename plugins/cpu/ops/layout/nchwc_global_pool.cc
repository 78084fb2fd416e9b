// com.infer NchwcGlobalAveragePool and NchwcGlobalMaxPool: [N, Cb, H, W, b] -> [N, Cb, 1, 1, b].
#include "ops/layout/nchwc_attrs.h"

namespace infer::cpu {
namespace {

class NchwcGlobalPoolKernel final : public Kernel {
 public:
  explicit NchwcGlobalPoolKernel(bool max) : max_(max) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.shape.size() != 5)
      fail_input(str_cat("expected a blocked input, got ", shape_str(x.shape)));
    const Shape y_shape = {x.shape[0], x.shape[1], 1, 1, x.shape[4]};
    nchwc_global_pool(max_, x.as<float>(), x.shape, ctx.output<float>(0, y_shape));
  }

 private:
  bool max_;
};

template <bool Max>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  nchwc_block_attr(ctx);
  return std::make_unique<NchwcGlobalPoolKernel>(Max);
}

}  // namespace

constinit const OpDesc kOpNchwcGlobalAveragePool = {.op_type = "NchwcGlobalAveragePool",
                                                    .domain = kInferDomain,
                                                    .input_dtypes = {kF32},
                                                    .create = &create<false>};
constinit const OpDesc kOpNchwcGlobalMaxPool = {.op_type = "NchwcGlobalMaxPool",
                                                .domain = kInferDomain,
                                                .input_dtypes = {kF32},
                                                .create = &create<true>};

}  // namespace infer::cpu
