// The Reduce* family: one kernel, the ops differ only by their ReduceOp and by the opset in
// which `axes` moved from an attribute to input 1 (13 for ReduceSum, 18 for the others).
#include "kernels/reduce.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class ReduceKernel final : public Kernel {
 public:
  // attr_axes is set when axes is an attribute (older opsets).
  ReduceKernel(ReduceOp op, std::optional<Shape> attr_axes, bool keepdims, bool noop)
      : op_(op), attr_axes_(std::move(attr_axes)), keepdims_(keepdims), noop_(noop) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::span<const int64_t> axes;
    if (attr_axes_) {
      axes = *attr_axes_;
    } else if (const Tensor& a = ctx.input(1); a.present()) {
      if (a.shape.size() > 1) fail_input(str_cat("axes must be 1-D, got ", shape_str(a.shape)));
      axes = {a.as<int64_t>(), static_cast<size_t>(numel(a.shape))};
    }
    const ReducePlan plan = plan_reduce(x.shape, axes, keepdims_, noop_);
    visit_dtype<kNumeric | kBool>(x.dtype, [&]<typename T>(T) {
      reduce<T>(op_, plan, x.as<T>(), ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  ReduceOp op_;
  std::optional<Shape> attr_axes_;
  bool keepdims_, noop_;
};

template <ReduceOp Op, int64_t AxesInputSince>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const bool keepdims = attr_bool(ctx, "keepdims", true);
  std::optional<Shape> attr_axes;
  bool noop = false;
  if (ctx.opset < AxesInputSince) {
    if (ctx.node.has_input(1)) {
      fail_attr(str_cat("axes is an attribute before opset ", AxesInputSince, ", not an input"));
    }
    attr_axes = attr_ints(ctx, "axes");
    // Checks ranges and duplicates now when the rank is known.
    if (std::optional<size_t> rank = ctx.input_rank(0)) {
      try {
        plan_reduce(Shape(*rank, 1), *attr_axes, keepdims, false);
      } catch (const plugin::PluginError& e) {
        fail_attr(str_cat("attribute 'axes' ", shape_str(*attr_axes), ": ", e.message));
      }
    }
  } else {
    if (has_attr(ctx, "axes")) {
      fail_attr(str_cat("axes is input 1 from opset ", AxesInputSince, ", not an attribute"));
    }
    noop = attr_bool(ctx, "noop_with_empty_axes", false);
  }
  return std::make_unique<ReduceKernel>(Op, std::move(attr_axes), keepdims, noop);
}

template <ReduceOp Op, int64_t AxesInputSince, DtypeMask Dtypes = kNumeric>
constexpr OpDesc reduce_desc(const char* name) {
  return {.op_type = name,
          .min_inputs = 1,
          .max_inputs = 2,
          .input_dtypes = {Dtypes, kI64},
          .create = &create<Op, AxesInputSince>};
}

}  // namespace

constinit const OpDesc kOpReduceSum = reduce_desc<ReduceOp::kSum, 13>("ReduceSum");
constinit const OpDesc kOpReduceMean = reduce_desc<ReduceOp::kMean, 18>("ReduceMean");
constinit const OpDesc kOpReduceMax =
    reduce_desc<ReduceOp::kMax, 18, kNumeric | kBool>("ReduceMax");
constinit const OpDesc kOpReduceMin =
    reduce_desc<ReduceOp::kMin, 18, kNumeric | kBool>("ReduceMin");
constinit const OpDesc kOpReduceProd = reduce_desc<ReduceOp::kProd, 18>("ReduceProd");
constinit const OpDesc kOpReduceL1 = reduce_desc<ReduceOp::kL1, 18>("ReduceL1");
constinit const OpDesc kOpReduceL2 = reduce_desc<ReduceOp::kL2, 18>("ReduceL2");
constinit const OpDesc kOpReduceLogSum = reduce_desc<ReduceOp::kLogSum, 18>("ReduceLogSum");
constinit const OpDesc kOpReduceLogSumExp =
    reduce_desc<ReduceOp::kLogSumExp, 18>("ReduceLogSumExp");
constinit const OpDesc kOpReduceSumSquare =
    reduce_desc<ReduceOp::kSumSquare, 18>("ReduceSumSquare");

}  // namespace infer::cpu
