#include <cstring>

#include "kernels/select.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class NonZeroKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    int64_t count = 0;
    const std::vector<int64_t> coords = nonzero(x.dtype, x.data, x.shape, &count);
    const auto rank = static_cast<int64_t>(std::max<size_t>(x.shape.size(), 1));
    int64_t* out = ctx.output<int64_t>(0, Shape{rank, count});
    if (!coords.empty()) std::memcpy(out, coords.data(), coords.size() * sizeof(int64_t));
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<NonZeroKernel>(); }

}  // namespace

constinit const OpDesc kOpNonZero = {
    .op_type = "NonZero", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
