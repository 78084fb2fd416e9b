#include "kernels/sorting.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class TopKKernel final : public Kernel {
 public:
  // attr_k: the k attribute of opset < 10; from 10 on it is input 1.
  TopKKernel(int64_t axis, bool largest, std::optional<int64_t> attr_k)
      : axis_(axis), largest_(largest), attr_k_(attr_k) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int64_t k = attr_k_ ? *attr_k_ : int_scalar_of(ctx.input(1), "K");
    const Shape out_shape = top_k_shape(x.shape, axis_, k);
    void* values = ctx.allocate_output(0, x.dtype, out_shape);
    int64_t* indices = ctx.output<int64_t>(1, out_shape);
    top_k(x.dtype, x.data, x.shape, axis_, k, largest_, values, indices);
  }

 private:
  int64_t axis_;
  bool largest_;
  std::optional<int64_t> attr_k_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", -1);
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
    normalize_axis(axis, *rank);
  }
  // largest and sorted arrived in opset 11; results are always sorted, which is one of the
  // orders sorted=0 allows.
  const bool largest = ctx.opset >= 11 ? attr_bool(ctx, "largest", true) : true;
  if (ctx.opset >= 11) attr_bool(ctx, "sorted", true);
  std::optional<int64_t> k;
  if (ctx.opset < 10) {
    if (!has_attr(ctx, "k")) fail_attr("attribute 'k' is required");
    k = attr_int(ctx, "k", 0);
    if (*k < 0) fail_attr(str_cat("attribute 'k' must be >= 0, got ", *k));
  } else if (!ctx.node.has_input(1)) {
    fail_attr("the K input is missing");
  }
  return std::make_unique<TopKKernel>(axis, largest, k);
}

}  // namespace

constinit const OpDesc kOpTopK = {.op_type = "TopK",
                                  .min_inputs = 1,
                                  .max_inputs = 2,
                                  .input_dtypes = {kNumeric, kI64},
                                  .max_outputs = 2,
                                  .create = &create};

}  // namespace infer::cpu
