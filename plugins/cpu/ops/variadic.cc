// Max, Min, Sum, Mean: any number of inputs, broadcast together (since opset 8; before, all
// inputs have one shape), folded left to right into the output.
#include <algorithm>
#include <limits>

#include "ops/binary.h"

namespace infer::cpu {
namespace {

template <DtypeMask Mask, typename Op, bool kMean = false>
class VariadicKernel final : public Kernel {
 public:
  explicit VariadicKernel(bool broadcast) : broadcast_(broadcast) {}

  void run(KernelContext& ctx) const override {
    const size_t n = ctx.input_count();
    const Tensor& first = ctx.input(0);
    std::vector<ShapeSpan> shapes;
    for (size_t i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      check_same_dtype(first, 0, t, i);
      if (!broadcast_ && !std::ranges::equal(t.shape, first.shape)) {
        fail_input(str_cat("input ", i, " has shape ", shape_str(t.shape), ", input 0 has ",
                           shape_str(first.shape), "; before opset 8 they must be equal"));
      }
      shapes.push_back(t.shape);
    }
    const Shape out_shape = broadcast_all(shapes);
    dispatch<Mask>(first.dtype, [&](auto tag) {
      using T = decltype(tag);
      T* out = ctx.output<T>(0, out_shape);
      if (n == 1) {
        unary_map([](auto v) { return v; }, first.as<T>(), out, numel(out_shape));
      } else {
        binary_broadcast(Op{}, first.as<T>(), first.shape, ctx.input(1).as<T>(), ctx.input(1).shape,
                         out, out_shape);
        for (size_t i = 2; i < n; ++i) {
          binary_broadcast(Op{}, static_cast<const T*>(out), out_shape, ctx.input(i).as<T>(),
                           ctx.input(i).shape, out, out_shape);
        }
      }
      if constexpr (kMean) {
        const auto count = static_cast<compute_t<T>>(n);
        unary_map([count](auto v) { return v / count; }, static_cast<const T*>(out), out,
                  numel(out_shape));
      }
    });
  }

 private:
  bool broadcast_;
};

template <DtypeMask Mask, typename Op, bool kMean = false>
constexpr OpDesc variadic_desc(const char* op_type) {
  return {.op_type = op_type,
          .min_inputs = 1,
          .max_inputs = std::numeric_limits<size_t>::max(),
          .input_dtypes = {Mask},
          .create = [](const OpContext& ctx) -> std::unique_ptr<Kernel> {
            return std::make_unique<VariadicKernel<Mask, Op, kMean>>(ctx.opset >= 8);
          }};
}

}  // namespace

constinit const OpDesc kOpMax = variadic_desc<kNumeric, fn::Max>("Max");
constinit const OpDesc kOpMin = variadic_desc<kNumeric, fn::Min>("Min");
constinit const OpDesc kOpSum = variadic_desc<kFloats, fn::Add>("Sum");
constinit const OpDesc kOpMean = variadic_desc<kFloats, fn::Add, true>("Mean");

}  // namespace infer::cpu
