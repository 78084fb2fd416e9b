#include "ops/block_rearrange.h"

#include "kernels/shape_ops.h"

namespace infer::cpu {
namespace {

class BlockRearrangeKernel final : public Kernel {
 public:
  BlockRearrangeKernel(bool to_space, int64_t blocksize, bool crd)
      : to_space_(to_space), blocksize_(blocksize), crd_(crd) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const size_t es = plugin::dtype_size(x.dtype);
    if (to_space_) {
      void* out = ctx.allocate_output(0, x.dtype, depth_to_space_shape(x.shape, blocksize_));
      depth_to_space(x.data, x.shape, blocksize_, crd_, out, es);
    } else {
      void* out = ctx.allocate_output(0, x.dtype, space_to_depth_shape(x.shape, blocksize_));
      space_to_depth(x.data, x.shape, blocksize_, crd_, out, es);
    }
  }

 private:
  bool to_space_;
  int64_t blocksize_;
  bool crd_;
};

}  // namespace

std::unique_ptr<Kernel> create_block_rearrange(const OpContext& ctx, bool to_space,
                                               int64_t mode_opset) {
  if (!has_attr(ctx, "blocksize")) fail_attr("attribute 'blocksize' is required");
  const int64_t blocksize = attr_int(ctx, "blocksize", 0);
  if (blocksize <= 0) fail_attr(str_cat("attribute 'blocksize' must be positive, got ", blocksize));
  const std::string mode = ctx.opset >= mode_opset ? attr_string(ctx, "mode", "DCR") : "DCR";
  if (mode != "DCR" && mode != "CRD") {
    fail_attr(str_cat("attribute 'mode' must be DCR or CRD, got '", mode, "'"));
  }
  return std::make_unique<BlockRearrangeKernel>(to_space, blocksize, mode == "CRD");
}

}  // namespace infer::cpu
