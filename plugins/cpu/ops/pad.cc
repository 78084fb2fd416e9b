#include "kernels/pad.h"

#include <array>
#include <cstring>

#include "ops/int_inputs.h"

namespace infer::cpu {
namespace {

class PadKernel final : public Kernel {
 public:
  // legacy: opset < 11, where pads and the fill value are attributes.
  PadKernel(PadMode mode, std::optional<Shape> legacy_pads, double legacy_value)
      : mode_(mode), legacy_pads_(std::move(legacy_pads)), legacy_value_(legacy_value) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const size_t rank = x.shape.size();
    const size_t es = plugin::dtype_size(x.dtype);
    std::array<std::byte, 16> fill{};  // zero bytes are 0 for every dtype
    Shape pads;
    if (legacy_pads_) {
      pads = *legacy_pads_;
      visit_dtype<kAnyFixed>(x.dtype, [&]<typename T>(T) {
        const T v = store<T>(static_cast<compute_t<T>>(legacy_value_));
        std::memcpy(fill.data(), &v, sizeof(T));
      });
    } else {
      pads = full_pads(ints_of(ctx.input(1), "pads"), optional_ints(ctx, 3, "axes"), rank);
      if (const Tensor& v = ctx.input(2); v.present() && numel(v.shape) > 0) {
        if (v.dtype != x.dtype || numel(v.shape) != 1) {
          fail_input(str_cat("constant_value must be one ", plugin::dtype_name(x.dtype),
                             " element, got ", plugin::dtype_name(v.dtype), " ",
                             shape_str(v.shape)));
        }
        std::memcpy(fill.data(), v.data, es);
      }
    }
    void* out = ctx.allocate_output(0, x.dtype, pad_shape(x.shape, pads));
    pad(x.data, x.shape, pads, mode_, fill.data(), out, es);
  }

 private:
  // Pads for every axis from pads given for `axes` (opset 18; all axes when absent).
  static Shape full_pads(const Shape& pads, const std::optional<Shape>& axes, size_t rank) {
    if (!axes) return pads;
    if (pads.size() != 2 * axes->size()) {
      fail_input(
          str_cat("pads ", shape_str(pads), " must have 2 entries per axis of ", shape_str(*axes)));
    }
    Shape full(2 * rank, 0);
    std::vector<bool> seen(rank, false);
    for (size_t i = 0; i < axes->size(); ++i) {
      const size_t a = normalize_axis((*axes)[i], rank);
      if (seen[a]) fail_input(str_cat("axes ", shape_str(*axes), " repeat axis ", a));
      seen[a] = true;
      full[a] = pads[i];
      full[rank + a] = pads[axes->size() + i];
    }
    return full;
  }

  PadMode mode_;
  std::optional<Shape> legacy_pads_;
  double legacy_value_;
};

std::unique_ptr<Kernel> create(const OpContext& ctx) {
  const std::string mode_name = attr_string(ctx, "mode", "constant");
  const std::optional<PadMode> mode = parse_pad_mode(mode_name);
  // wrap arrived in opset 19.
  if (!mode || (*mode == PadMode::kWrap && ctx.opset < 19)) {
    fail_attr(str_cat("attribute 'mode' '", mode_name, "' is not valid in opset ", ctx.opset));
  }
  if (ctx.opset >= 11) {
    if (!ctx.node.has_input(1)) fail_attr("the pads input is missing");
    return std::make_unique<PadKernel>(*mode, std::nullopt, 0.0);
  }
  if (ctx.opset < 2) fail(INFER_UNIMPLEMENTED, "Pad before opset 2 is not supported");
  if (!has_attr(ctx, "pads")) fail_attr("attribute 'pads' is required");
  Shape pads = attr_ints(ctx, "pads");
  if (std::optional<size_t> rank = ctx.input_rank(0); rank && pads.size() != 2 * *rank) {
    fail_attr(str_cat("attribute 'pads' has ", pads.size(), " entries for rank ", *rank));
  }
  return std::make_unique<PadKernel>(*mode, std::move(pads), attr_float(ctx, "value", 0.0f));
}

}  // namespace

constinit const OpDesc kOpPad = {.op_type = "Pad",
                                 .min_inputs = 1,
                                 .max_inputs = 4,
                                 .input_dtypes = {kAnyFixed, kI64, kAnyFixed, kI32 | kI64},
                                 .create = &create};

}  // namespace infer::cpu
