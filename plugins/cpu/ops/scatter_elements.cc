#include "ops/scatter_common.h"

namespace infer::cpu {
namespace {

class ScatterElementsKernel final : public Kernel {
 public:
  ScatterElementsKernel(int64_t axis, ScatterReduction reduction)
      : axis_(axis), reduction_(reduction) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& idx = ctx.input(1);
    const Tensor& upd = ctx.input(2);
    if (upd.dtype != x.dtype) {
      fail_input(str_cat("updates have type ", plugin::dtype_name(upd.dtype), ", data ",
                         plugin::dtype_name(x.dtype)));
    }
    void* out = ctx.allocate_output(0, x.dtype, x.shape);
    scatter_elements(x.dtype, x.data, x.shape, idx.data, idx.dtype, idx.shape, upd.data, upd.shape,
                     axis_, reduction_, out);
  }

 private:
  int64_t axis_;
  ScatterReduction reduction_;
};

}  // namespace

std::unique_ptr<Kernel> create_scatter_elements(const OpContext& ctx, bool has_reduction) {
  const int64_t axis = attr_int(ctx, "axis", 0);
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
    normalize_axis(axis, *rank);
  }
  const ScatterReduction reduction =
      has_reduction ? read_scatter_reduction(ctx) : ScatterReduction::kNone;
  return std::make_unique<ScatterElementsKernel>(axis, reduction);
}

ScatterReduction read_scatter_reduction(const OpContext& ctx) {
  if (ctx.opset < 16) return ScatterReduction::kNone;
  const std::string s = attr_string(ctx, "reduction", "none");
  const std::optional<ScatterReduction> r = parse_scatter_reduction(s);
  const bool min_max = r == ScatterReduction::kMax || r == ScatterReduction::kMin;
  if (!r || (min_max && ctx.opset < 18)) {
    fail_attr(str_cat("attribute 'reduction' '", s, "' is not valid in opset ", ctx.opset));
  }
  return *r;
}

namespace {

std::unique_ptr<Kernel> create(const OpContext& ctx) { return create_scatter_elements(ctx, true); }

}  // namespace

constinit const OpDesc kOpScatterElements = {
    .op_type = "ScatterElements",
    .min_inputs = 3,
    .max_inputs = 3,
    .input_dtypes = {kAnyFixed, kScatterIndexDtypes, kAnyFixed},
    .create = &create};

}  // namespace infer::cpu
