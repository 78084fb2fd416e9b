#include <algorithm>

#include "ops/op.h"

namespace infer::cpu {
namespace {

class ShapeKernel final : public Kernel {
 public:
  ShapeKernel(int64_t start, std::optional<int64_t> end) : start_(start), end_(end) {}

  void run(KernelContext& ctx) const override {
    const ShapeSpan in = ctx.input(0).shape;
    // start/end (opset 15) slice the dimension list; negative counts from the back, both clamp.
    const auto rank = static_cast<int64_t>(in.size());
    auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + rank : v, int64_t{0}, rank); };
    const int64_t b = clamp(start_), e = clamp(end_.value_or(rank));
    const int64_t n = std::max<int64_t>(e - b, 0);
    int64_t* out = ctx.output<int64_t>(0, Shape{n});
    for (int64_t i = 0; i < n; ++i) out[i] = in[b + i];
  }

 private:
  int64_t start_;
  std::optional<int64_t> end_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (ctx.opset < 15) return std::make_unique<ShapeKernel>(0, std::nullopt);
  std::optional<int64_t> end;
  if (has_attr(ctx, "end")) end = attr_int(ctx, "end", 0);
  return std::make_unique<ShapeKernel>(attr_int(ctx, "start", 0), end);
}

}  // namespace

constinit const OpDesc kOpShape = {
    .op_type = "Shape", .input_dtypes = {kAnyFixed}, .create = &create};

}  // namespace infer::cpu
