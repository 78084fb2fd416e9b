// Softmax, LogSoftmax and Hardmax: one kernel that differs only by SoftmaxKind.
#include "kernels/softmax.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class SoftmaxKernel final : public Kernel {
 public:
  SoftmaxKernel(SoftmaxKind kind, int64_t axis, bool coerce_2d)
      : kind_(kind), axis_(axis), coerce_2d_(coerce_2d) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const SoftmaxDims dims = softmax_dims(x.shape, axis_, coerce_2d_);
    visit_dtype<kFloats>(x.dtype, [&]<typename T>(T) {
      softmax_kind<T>(kind_, x.as<T>(), ctx.output<T>(0, x.shape), dims);
    });
  }

 private:
  SoftmaxKind kind_;
  int64_t axis_;
  bool coerce_2d_;
};

template <SoftmaxKind Kind>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  // Opset 13 changed both the semantics (one axis instead of coercion to 2-D) and the default.
  const bool coerce_2d = ctx.opset < 13;
  const int64_t axis = attr_int(ctx, "axis", coerce_2d ? 1 : -1);
  if (std::optional<size_t> rank = ctx.input_rank(0)) normalize_axis(axis, *rank);
  return std::make_unique<SoftmaxKernel>(Kind, axis, coerce_2d);
}

}  // namespace

constinit const OpDesc kOpSoftmax = {
    .op_type = "Softmax", .input_dtypes = {kFloats}, .create = &create<SoftmaxKind::kSoftmax>};
constinit const OpDesc kOpLogSoftmax = {.op_type = "LogSoftmax",
                                        .input_dtypes = {kFloats},
                                        .create = &create<SoftmaxKind::kLogSoftmax>};
constinit const OpDesc kOpHardmax = {
    .op_type = "Hardmax", .input_dtypes = {kFloats}, .create = &create<SoftmaxKind::kHardmax>};

}  // namespace infer::cpu
