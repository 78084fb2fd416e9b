// GlobalAveragePool, GlobalMaxPool and GlobalLpPool: one kernel, differing by GlobalPool.
#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class GlobalPoolKernel final : public Kernel {
 public:
  GlobalPoolKernel(GlobalPool kind, float p) : kind_(kind), p_(p) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape y_shape = global_pool_shape(x.shape);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      global_pool<T>(kind_, p_, x.as<T>(), x.shape, ctx.output<T>(0, y_shape));
    });
  }

 private:
  GlobalPool kind_;
  float p_;
};

template <GlobalPool Kind>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  int64_t p = 2;
  if (Kind == GlobalPool::kLp) {
    p = attr_int(ctx, "p", 2);
    if (p <= 0) fail_attr(str_cat("attribute 'p' must be > 0, got ", p));
  }
  return std::make_unique<GlobalPoolKernel>(Kind, static_cast<float>(p));
}

}  // namespace

constinit const OpDesc kOpGlobalAveragePool = {.op_type = "GlobalAveragePool",
                                               .input_dtypes = {kFloats},
                                               .create = &create<GlobalPool::kAverage>};
constinit const OpDesc kOpGlobalMaxPool = {
    .op_type = "GlobalMaxPool", .input_dtypes = {kFloats}, .create = &create<GlobalPool::kMax>};
constinit const OpDesc kOpGlobalLpPool = {
    .op_type = "GlobalLpPool", .input_dtypes = {kFloats}, .create = &create<GlobalPool::kLp>};

}  // namespace infer::cpu
