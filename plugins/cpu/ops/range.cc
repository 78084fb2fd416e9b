#include "kernels/generate.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class RangeKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& start = ctx.input(0);
    const Tensor& limit = ctx.input(1);
    const Tensor& delta = ctx.input(2);
    for (const Tensor* t : {&start, &limit, &delta}) {
      if (t->dtype != start.dtype) fail_input("start, limit and delta must have the same type");
      if (numel(t->shape) != 1) {
        fail_input(str_cat("start, limit and delta must be scalars, got ", shape_str(t->shape)));
      }
    }
    const int64_t n = range_count(start.dtype, start.data, limit.data, delta.data);
    void* out = ctx.allocate_output(0, start.dtype, Shape{n});
    range(start.dtype, start.data, delta.data, n, out);
  }
};

// stash_type (opset 27) only chooses the precision of 16-bit float ranges; they are always
// computed in double and rounded once.
std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<RangeKernel>(); }

constexpr DtypeMask kRangeTypes = kFloats | kI16 | kI32 | kI64;

}  // namespace

constinit const OpDesc kOpRange = {.op_type = "Range",
                                   .min_inputs = 3,
                                   .max_inputs = 3,
                                   .input_dtypes = {kRangeTypes, kRangeTypes, kRangeTypes},
                                   .create = &create};

}  // namespace infer::cpu
