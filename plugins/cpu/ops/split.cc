#include "kernels/movement.h"
#include "kernels/shape_ops.h"
#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class SplitKernel final : public Kernel {
 public:
  // attr_split: the split attribute (opset < 13); num_outputs: output count of the node.
  SplitKernel(int64_t axis, std::optional<Shape> attr_split, size_t num_outputs)
      : axis_(axis), attr_split_(std::move(attr_split)), num_outputs_(num_outputs) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.shape.empty()) fail_input("cannot split a scalar");
    const size_t a = normalize_axis(axis_, x.shape.size());
    const std::optional<Shape> split = attr_split_ ? attr_split_ : optional_ints(ctx, 1, "split");
    const Shape sizes = split_sizes(x.shape[a], split, num_outputs_);
    const int64_t outer = dims_product(x.shape, 0, a);
    const int64_t inner = dims_product(x.shape, a + 1, x.shape.size());
    const size_t es = plugin::dtype_size(x.dtype);
    Shape out_shape(x.shape.begin(), x.shape.end());
    int64_t offset = 0;  // of the current chunk along the axis
    for (size_t i = 0; i < sizes.size(); ++i) {
      out_shape[a] = sizes[i];
      void* out = ctx.allocate_output(i, x.dtype, out_shape);
      // Each outer index contributes one contiguous block of sizes[i] * inner elements.
      const Shape dims{outer, sizes[i] * inner};
      const Shape src_strides{x.shape[a] * inner, 1}, dst_strides{sizes[i] * inner, 1};
      if (numel(dims) > 0) {
        strided_copy(static_cast<const std::byte*>(x.data) + offset * inner * es, src_strides, out,
                     dst_strides, dims, es);
      }
      offset += sizes[i];
    }
  }

 private:
  int64_t axis_;
  std::optional<Shape> attr_split_;
  size_t num_outputs_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const int64_t axis = attr_int(ctx, "axis", 0);
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && *rank > 0) {
    normalize_axis(axis, *rank);
  }
  const size_t outputs = ctx.node.output_count();
  std::optional<Shape> split;
  if (ctx.opset < 13 && has_attr(ctx, "split")) {
    if (ctx.node.has_input(1)) fail_attr("split is given both as attribute and input");
    split = attr_ints(ctx, "split");
    if (split->size() != outputs) {
      fail_attr(
          str_cat("attribute 'split' has ", split->size(), " entries for ", outputs, " outputs"));
    }
  }
  if (ctx.opset >= 18 && has_attr(ctx, "num_outputs")) {
    const int64_t n = attr_int(ctx, "num_outputs", 0);
    if (ctx.node.has_input(1)) fail_attr("both the split input and 'num_outputs' are given");
    if (n < 1 || static_cast<size_t>(n) != outputs) {
      fail_attr(
          str_cat("attribute 'num_outputs' is ", n, " but the node has ", outputs, " outputs"));
    }
  }
  return std::make_unique<SplitKernel>(axis, std::move(split), outputs);
}

}  // namespace

constinit const OpDesc kOpSplit = {.op_type = "Split",
                                   .min_inputs = 1,
                                   .max_inputs = 2,
                                   .input_dtypes = {kAnyFixed, kI64},
                                   .max_outputs = SIZE_MAX,
                                   .create = &create};

}  // namespace infer::cpu
