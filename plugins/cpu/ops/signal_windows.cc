// HannWindow, HammingWindow and BlackmanWindow: one table-driven family (opset 17).
#include "kernels/signal.h"
#include "ops/tensor_values.h"

namespace infer::cpu {
namespace {

class WindowKernel final : public Kernel {
 public:
  WindowKernel(WindowFunction kind, bool periodic, infer_dtype dtype)
      : kind_(kind), periodic_(periodic), dtype_(dtype) {}

  void run(KernelContext& ctx) const override {
    const int64_t size = scalar_int(ctx.input(0), "size");
    if (size < 0) fail_input(str_cat("window size must not be negative, got ", size));
    std::vector<double> w(static_cast<size_t>(size));
    window_function(kind_, size, periodic_, w.data());
    const Shape shape{size};
    write_output(ctx, 0, dtype_, shape, w);
  }

 private:
  WindowFunction kind_;
  bool periodic_;
  infer_dtype dtype_;
};

template <WindowFunction kKind>
std::unique_ptr<Kernel> create(const OpContext& ctx) {
  return std::make_unique<WindowKernel>(
      kKind, attr_bool(ctx, "periodic", true),
      dtype_attr(ctx, "output_datatype", INFER_DTYPE_FLOAT32, kNumeric));
}

constexpr OpDesc window_desc(const char* op_type, std::unique_ptr<Kernel> (*fn)(const OpContext&)) {
  return {.op_type = op_type, .input_dtypes = {kI32 | kI64}, .create = fn};
}

}  // namespace

constinit const OpDesc kOpHannWindow = window_desc("HannWindow", &create<WindowFunction::kHann>);
constinit const OpDesc kOpHammingWindow =
    window_desc("HammingWindow", &create<WindowFunction::kHamming>);
constinit const OpDesc kOpBlackmanWindow =
    window_desc("BlackmanWindow", &create<WindowFunction::kBlackman>);

}  // namespace infer::cpu
