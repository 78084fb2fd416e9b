#include "ops/op.h"

namespace infer::cpu {
namespace {

class SizeKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    *ctx.output<int64_t>(0, Shape{}) = numel(ctx.input(0).shape);
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<SizeKernel>(); }

}  // namespace

constinit const OpDesc kOpSize = {
    .op_type = "Size", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
