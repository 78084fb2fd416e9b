#include "kernels/movement.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class TransposeKernel final : public Kernel {
 public:
  explicit TransposeKernel(Shape perm) : perm_(std::move(perm)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Shape perm = transpose_perm(perm_, x.shape.size());
    void* out = ctx.allocate_output(0, x.dtype, transpose_shape(x.shape, perm));
    transpose(x.data, x.shape, perm, out, plugin::dtype_size(x.dtype));
  }

 private:
  Shape perm_;  // empty: reverse the axes
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  Shape perm = attr_ints(ctx, "perm");
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && !perm.empty()) {
    try {
      transpose_perm(perm, *rank);
    } catch (const plugin::PluginError& e) {
      fail_attr(e.message);
    }
  }
  return std::make_unique<TransposeKernel>(std::move(perm));
}

}  // namespace

constinit const OpDesc kOpTranspose = {
    .op_type = "Transpose", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
