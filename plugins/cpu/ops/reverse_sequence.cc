#include "kernels/select.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class ReverseSequenceKernel final : public Kernel {
 public:
  ReverseSequenceKernel(int64_t time_axis, int64_t batch_axis)
      : time_axis_(time_axis), batch_axis_(batch_axis) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& lens = ctx.input(1);
    void* out = ctx.allocate_output(0, x.dtype, x.shape);
    reverse_sequence(x.data, x.shape, lens.as<int64_t>(), lens.shape, time_axis_, batch_axis_, out,
                     plugin::dtype_size(x.dtype));
  }

 private:
  int64_t time_axis_, batch_axis_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t time_axis = attr_int(ctx, "time_axis", 0);
  const int64_t batch_axis = attr_int(ctx, "batch_axis", 1);
  if ((time_axis != 0 && time_axis != 1) || (batch_axis != 0 && batch_axis != 1) ||
      time_axis == batch_axis) {
    fail_attr(str_cat("time_axis (", time_axis, ") and batch_axis (", batch_axis,
                      ") must be 0 and 1 in some order"));
  }
  return std::make_unique<ReverseSequenceKernel>(time_axis, batch_axis);
}

}  // namespace

constinit const OpDesc kOpReverseSequence = {.op_type = "ReverseSequence",
                                             .min_inputs = 2,
                                             .max_inputs = 2,
                                             .input_dtypes = {kAnyFixed, kI64},
                                             .create = &create};

}  // namespace infer::cpu
