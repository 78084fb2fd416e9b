#include <cstring>

#include "kernels/sorting.h"
#include "ops/op.h"

namespace infer::cpu {
namespace {

class UniqueKernel final : public Kernel {
 public:
  UniqueKernel(std::optional<int64_t> axis, bool sorted) : axis_(axis), sorted_(sorted) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const UniqueResult r = unique(x.dtype, x.data, x.shape, axis_, sorted_);
    void* y = ctx.allocate_output(0, x.dtype, r.y_shape);
    unique_gather(x.data, x.shape, axis_, r, y, plugin::dtype_size(x.dtype));
    const std::vector<int64_t>* extra[] = {&r.first, &r.inverse, &r.counts};
    for (size_t i = 0; i < 3; ++i) {
      const std::vector<int64_t>& v = *extra[i];
      int64_t* out = ctx.output<int64_t>(i + 1, Shape{static_cast<int64_t>(v.size())});
      if (!v.empty()) std::memcpy(out, v.data(), v.size() * sizeof(int64_t));
    }
  }

 private:
  std::optional<int64_t> axis_;  // nullopt: flatten
  bool sorted_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  std::optional<int64_t> axis;
  if (has_attr(ctx, "axis")) {
    axis = attr_int(ctx, "axis", 0);
    if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
      normalize_axis(*axis, *rank);
    }
  }
  return std::make_unique<UniqueKernel>(axis, attr_bool(ctx, "sorted", true));
}

}  // namespace

constinit const OpDesc kOpUnique = {
    .op_type = "Unique", .input_dtypes = {kAnyFixed}, .max_outputs = 4, .create = &create};

}  // namespace infer::cpu
