// Where: out = cond ? X : Y with three-way numpy broadcasting, for any element type.
#include "ops/unary.h"

namespace infer::cpu {
namespace {

class WhereKernel final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& cond = ctx.input(0);
    const Tensor& x = ctx.input(1);
    const Tensor& y = ctx.input(2);
    check_same_dtype(x, 1, y, 2);
    const ShapeSpan shapes[] = {cond.shape, x.shape, y.shape};
    const Shape out_shape = broadcast_all(shapes);
    void* out = ctx.allocate_output(0, x.dtype, out_shape);
    // Only bytes move: one instantiation per element size serves every type.
    switch (plugin::dtype_size(x.dtype)) {
      case 1:
        return run_as<uint8_t>(cond, x, y, out, out_shape);
      case 2:
        return run_as<uint16_t>(cond, x, y, out, out_shape);
      case 4:
        return run_as<uint32_t>(cond, x, y, out, out_shape);
      case 8:
        return run_as<uint64_t>(cond, x, y, out, out_shape);
      default:
        fail_input(str_cat("type ", plugin::dtype_name(x.dtype), " is not supported"));
    }
  }

 private:
  template <typename U>
  static void run_as(const Tensor& cond, const Tensor& x, const Tensor& y, void* out,
                     ShapeSpan out_shape) {
    where_broadcast(cond.as<bool>(), cond.shape, x.as<U>(), x.shape, y.as<U>(), y.shape,
                    static_cast<U*>(out), out_shape);
  }
};

std::unique_ptr<Kernel> create(const OpContext&) { return std::make_unique<WhereKernel>(); }

}  // namespace

constinit const OpDesc kOpWhere = {.op_type = "Where",
                                   .min_inputs = 3,
                                   .max_inputs = 3,
                                   .input_dtypes = {kBool, kAnyFixed, kAnyFixed},
                                   .create = &create};

}  // namespace infer::cpu
