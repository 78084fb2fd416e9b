#include "kernels/rotary_embedding.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class SwiGluKernel final : public Kernel {
 public:
  explicit SwiGluKernel(float alpha) : alpha_(alpha) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    // No broadcasting: A and B must match exactly.
    if (a.dtype != b.dtype ||
        !std::equal(a.shape.begin(), a.shape.end(), b.shape.begin(), b.shape.end())) {
      fail_input(str_cat("A ", shape_str(a.shape), " and B ", shape_str(b.shape),
                         " must have the same shape and type"));
    }
    visit_compute_type(a.dtype, [&]<typename T>(T) {
      const std::vector<T> av = to_vector<T>(a), bv = to_vector<T>(b);
      std::vector<T> y(av.size());
      swiglu(av.data(), bv.data(), static_cast<int64_t>(av.size()), alpha_, y.data(),
             precision_of(a.dtype));
      write_output(ctx, 0, a.dtype, a.shape, y);
    });
  }

 private:
  float alpha_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<SwiGluKernel>(attr_float(ctx, "alpha", 1.0f));
}

}  // namespace

constinit const OpDesc kOpSwiGLU = {.op_type = "SwiGLU",
                                    .min_inputs = 2,
                                    .max_inputs = 2,
                                    .input_dtypes = {kFloats, kFloats},
                                    .create = &create};

}  // namespace infer::cpu
