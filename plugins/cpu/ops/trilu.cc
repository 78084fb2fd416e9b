#include "kernels/select.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class TriluKernel final : public Kernel {
 public:
  explicit TriluKernel(bool upper) : upper_(upper) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int64_t k = ctx.input(1).present() ? int_scalar_of(ctx.input(1), "k") : 0;
    if (x.shape.size() < 2)
      fail_input(str_cat("Trilu expects rank >= 2, got ", shape_str(x.shape)));
    void* out = ctx.allocate_output(0, x.dtype, x.shape);
    trilu(x.data, x.shape, k, upper_, out, plugin::dtype_size(x.dtype));
  }

 private:
  bool upper_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<TriluKernel>(attr_bool(ctx, "upper", true));
}

}  // namespace

constinit const OpDesc kOpTrilu = {.op_type = "Trilu",
                                   .min_inputs = 1,
                                   .max_inputs = 2,
                                   .input_dtypes = {kAnyFixed, kI64},
                                   .create = &create};

}  // namespace infer::cpu
