// Conv (2-D NCHW, grouped/depthwise, 1x1 as GEMM) on the kernels of kernels/gemm_conv.h,
// which upload the constant weights once at compile.
#include "kernels/gemm_conv.h"
#include "ops/op.h"

namespace infer::opencl {
namespace {

class ConvLaunch : public ExternalLaunch {
 public:
  explicit ConvLaunch(std::unique_ptr<ConvKernel> k) : kernel_(std::move(k)) {}
  // buffers: X, Y[, workspace]
  void enqueue(cl_command_queue queue, const std::vector<cl_mem>& b,
               std::vector<cl_event>& events) const override {
    cl_mem ws = b.size() > 2 ? b[2] : nullptr;
    std::vector<cl_event> all;
    cl_event last = kernel_->enqueue(queue, b[0], 0, b[1], 0, ws, 0, {}, &all);
    clReleaseEvent(last);  // `all` holds its own reference to every kernel's event
    events.insert(events.end(), all.begin(), all.end());
  }

 private:
  std::unique_ptr<ConvKernel> kernel_;
};

std::string check(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  const auto& x = node.inputs[0].dims;
  if (x.size() != 4) return "only 2-D convolution (4-D NCHW input) is supported";
  if (!node.has_input(1) || node.inputs[1].dims.size() != 4) return "W must be a 4-D constant";
  if (node.inputs[1].dtype != INFER_DTYPE_FLOAT32) return "W must be float32";
  if (node.has_input(2) && node.inputs[2].dtype != INFER_DTYPE_FLOAT32) return "B must be float32";
  const std::string pad = node.attr_string("auto_pad", "NOTSET");
  if (pad != "NOTSET" && pad != "VALID") return "auto_pad " + pad + " is not supported";
  const int64_t group = node.attr_int("group", 1);
  if (group < 1 || x[1] % group != 0 || node.inputs[1].dims[0] % group != 0)
    return "group does not divide the channels";
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& x = n.inputs[0].dims;
  const auto& w = n.inputs[1].dims;
  const auto& y = n.outputs[0].dims;
  ConvDesc d;
  d.N = x[0];
  d.C = x[1];
  d.H = x[2];
  d.W = x[3];
  d.M = w[0];
  d.group = n.attr_int("group", 1);
  const auto ks = n.attr_ints("kernel_shape", {w[2], w[3]});
  const auto st = n.attr_ints("strides", {1, 1});
  const auto dl = n.attr_ints("dilations", {1, 1});
  const auto pads = n.attr_ints("pads", {0, 0, 0, 0});
  d.kernel = {ks[0], ks[1]};
  d.stride = {st[0], st[1]};
  d.dilation = {dl[0], dl[1]};
  d.pads = {pads[0], pads[1], pads[2], pads[3]};
  d.OH = y[2];
  d.OW = y[3];
  d.has_bias = n.has_input(2);
  const auto weights = n.inputs[1].floats();
  const auto bias = d.has_bias ? n.inputs[2].floats() : std::vector<float>{};
  auto kernel = ConvKernel::create(l.context, l.device, l.program_builder(), d, weights.data(),
                                   d.has_bias ? bias.data() : nullptr);
  Launch launch;
  launch.kernel = kernel->name();
  launch.args = {l.input(0), l.output(0)};
  if (kernel->workspace_bytes() > 0) launch.args.push_back(l.scratch(kernel->workspace_bytes()));
  launch.external = std::make_shared<ConvLaunch>(std::move(kernel));
  l.launch(std::move(launch));
}

constexpr OpDef kOps[] = {{"Conv", check, lower}};

}  // namespace

std::span<const OpDef> conv_ops() { return kOps; }

}  // namespace infer::opencl
