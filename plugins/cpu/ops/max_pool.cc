#include "kernels/pool.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

constexpr DtypeMask kMaxPoolDtypes = kFloats | kI8 | kU8;

class MaxPoolKernel final : public Kernel {
 public:
  MaxPoolKernel(WindowParams params, bool with_indices, bool column_major)
      : params_(std::move(params)), with_indices_(with_indices), column_major_(column_major) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const PoolPlan plan = plan_pool(params_, x.shape);
    visit_dtype<kMaxPoolDtypes>(x.dtype, [&]<typename T>(T) {
      T* y = ctx.output<T>(0, plan.y_shape);
      int64_t* indices = with_indices_ ? ctx.output<int64_t>(1, plan.y_shape) : nullptr;
      max_pool<T>(plan, x.as<T>(), y, indices, column_major_);
    });
  }

 private:
  WindowParams params_;
  bool with_indices_, column_major_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // storage_order only changes how Indices number the positions of a plane.
  const int64_t storage_order = attr_int(ctx, "storage_order", 0);
  if (storage_order != 0 && storage_order != 1) {
    fail_attr(str_cat("attribute 'storage_order' must be 0 or 1, got ", storage_order));
  }
  const bool with_indices = ctx.node.output_count() > 1 && ctx.node.output(1) != INFER_NO_VALUE;
  return std::make_unique<MaxPoolKernel>(read_window_attrs(ctx, /*kernel_shape_required=*/true),
                                         with_indices, storage_order == 1);
}

}  // namespace

constinit const OpDesc kOpMaxPool = {.op_type = "MaxPool",
                                     .input_dtypes = {kMaxPoolDtypes},
                                     .max_outputs = 2,
                                     .create = &create,
                                     .check = &check_window_rank};

}  // namespace infer::cpu
