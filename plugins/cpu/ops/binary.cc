#include "ops/binary.h"

#include <algorithm>

namespace infer::cpu {
namespace {

// How B is broadcast onto A. Opset 7 introduced numpy broadcasting; before, B broadcast only
// with the `broadcast` attribute, as a contiguous block of A's dimensions starting at `axis`
// (default: aligned to the end).
struct Broadcasting {
  enum Kind { kNumpy, kNone, kLegacyAxis, kLegacySuffix } kind = kNumpy;
  int64_t axis = 0;
};

class BinaryKernel final : public Kernel {
 public:
  BinaryKernel(BinaryOp op, Broadcasting bc) : op_(op), bc_(bc) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (a.dtype != b.dtype) {
      fail_input(str_cat("inputs have different types ", plugin::dtype_name(a.dtype), " and ",
                         plugin::dtype_name(b.dtype)));
    }
    const Shape b_shape = effective_b_shape(a.shape, b.shape);
    const Shape out_shape = broadcast_shapes(a.shape, b_shape);
    if (a.dtype == INFER_DTYPE_INT64) {
      compute<int64_t>(ctx, a, b, b_shape, out_shape);
    } else {
      compute<float>(ctx, a, b, b_shape, out_shape);
    }
  }

 private:
  template <typename T>
  void compute(KernelContext& ctx, const Tensor& a, const Tensor& b, const Shape& b_shape,
               const Shape& out_shape) const {
    T* out = ctx.output<T>(0, out_shape);
    binary_broadcast<T>(op_, a.as<T>(), a.shape, b.as<T>(), b_shape, out, out_shape);
  }

  // B's shape rewritten so that numpy broadcasting gives the legacy semantics.
  Shape effective_b_shape(ShapeSpan a, ShapeSpan b) const {
    switch (bc_.kind) {
      case Broadcasting::kNumpy:
        return Shape(b.begin(), b.end());
      case Broadcasting::kNone:
        if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) {
          fail_input(str_cat("shapes ", shape_str(a), " and ", shape_str(b),
                             " differ and attribute 'broadcast' is not set"));
        }
        return Shape(b.begin(), b.end());
      case Broadcasting::kLegacyAxis:
      case Broadcasting::kLegacySuffix:
        break;
    }
    const auto ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
    const int64_t axis = bc_.kind == Broadcasting::kLegacySuffix ? ra - rb : bc_.axis;
    if (axis < 0 || axis + rb > ra) {
      fail_input(
          str_cat("cannot broadcast ", shape_str(b), " onto ", shape_str(a), " at axis ", axis));
    }
    Shape aligned(a.size(), 1);
    std::copy(b.begin(), b.end(), aligned.begin() + axis);
    broadcast_strides(aligned, a);  // throws unless B broadcasts onto A
    return aligned;
  }

  BinaryOp op_;
  Broadcasting bc_;
};

}  // namespace

std::unique_ptr<Kernel> create_binary_kernel(const OpContext& ctx, BinaryOp op) {
  Broadcasting bc;
  if (ctx.opset < 7) {
    if (attr_int(ctx, "broadcast", 0) == 0) {
      bc.kind = Broadcasting::kNone;
    } else if (has_attr(ctx, "axis")) {
      bc.kind = Broadcasting::kLegacyAxis;
      bc.axis = attr_int(ctx, "axis", 0);
      if (bc.axis < 0) {
        fail(INFER_UNIMPLEMENTED, "negative legacy broadcast axis is not supported");
      }
    } else {
      bc.kind = Broadcasting::kLegacySuffix;
    }
  }
  return std::make_unique<BinaryKernel>(op, bc);
}

}  // namespace infer::cpu
