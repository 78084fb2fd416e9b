#include "kernels/einsum.h"

#include "ops/op.h"

namespace infer::cpu {
namespace {

class EinsumKernel final : public Kernel {
 public:
  explicit EinsumKernel(EinsumEquation eq) : eq_(std::move(eq)) {}

  void run(KernelContext& ctx) const override {
    const size_t n = ctx.input_count();
    std::vector<ShapeSpan> shapes;
    const infer_dtype dtype = ctx.input(0).dtype;
    for (size_t i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      if (t.dtype != dtype) fail_input("all operands must have the same type");
      shapes.push_back(t.shape);
    }
    const EinsumPlan plan = plan_einsum(eq_, shapes);
    visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
      std::vector<const T*> inputs;
      for (size_t i = 0; i < n; ++i) inputs.push_back(ctx.input(i).as<T>());
      einsum<T>(plan, inputs, ctx.output<T>(0, plan.y_shape));
    });
  }

 private:
  EinsumEquation eq_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  if (!has_attr(ctx, "equation")) fail_attr("attribute 'equation' is required");
  EinsumEquation eq = parse_einsum(attr_string(ctx, "equation", ""));
  if (eq.inputs.size() != ctx.node.input_count()) {
    fail_attr(str_cat("the equation has ", eq.inputs.size(), " operands but the node has ",
                      ctx.node.input_count(), " inputs"));
  }
  return std::make_unique<EinsumKernel>(std::move(eq));
}

}  // namespace

// Variadic: the dtype mask of input 0 applies to every operand.
constinit const OpDesc kOpEinsum = {.op_type = "Einsum",
                                    .min_inputs = 1,
                                    .max_inputs = 64,
                                    .input_dtypes = {kNumeric},
                                    .create = &create};

}  // namespace infer::cpu
