#include "ops/custom_op.h"

#include <limits>
#include <vector>

#include "kernels/parallel.h"

namespace infer::cpu {
namespace {

constexpr const char* kBackendName = "cpu";

// A host ABI older than 1.5 (or a test's fake host) has no custom-kernel functions.
bool host_has_custom_kernels(const infer_host_api* host) {
  return host->struct_size >= offsetof(infer_host_api, custom_kernel_release) +
                                  sizeof(host->custom_kernel_release) &&
         host->custom_kernel_available && host->custom_kernel_create &&
         host->custom_kernel_compute && host->custom_kernel_release;
}

// Turns a status from the host into the PluginError the cpu backend throws.
void throw_if_error(const infer_host_api* host, infer_status* st) {
  if (st == nullptr) return;
  plugin::PluginError e(host->status_code(st), host->status_message(st));
  host->status_release(st);
  throw e;
}

// The infer_kernel_context a custom kernel sees, over the cpu backend's KernelContext.
struct CallContext {
  infer_kernel_context abi{};
  KernelContext* ctx = nullptr;
  const infer_host_api* host = nullptr;
  std::vector<infer_tensor_view> inputs;

  static infer_status* allocate_output(infer_kernel_context* self, size_t index, infer_dtype dtype,
                                       size_t rank, const int64_t* shape, void** out_data) {
    auto* call = static_cast<CallContext*>(self->backend_data);
    return plugin::guard(call->host, [&]() -> infer_status* {
      if (out_data == nullptr || (rank > 0 && shape == nullptr)) {
        fail(INFER_INVALID_ARGUMENT, "allocate_output: out_data or shape is NULL");
      }
      if (index >= self->n_outputs) {
        fail(INFER_OUT_OF_RANGE,
             str_cat("allocate_output: output ", index, " of ", self->n_outputs));
      }
      for (size_t d = 0; d < rank; ++d) {
        if (shape[d] < 0) fail(INFER_INVALID_ARGUMENT, "allocate_output: negative dimension");
      }
      *out_data = call->ctx->allocate_output(index, dtype, ShapeSpan(shape, rank));
      return nullptr;
    });
  }

  static void parallel(infer_kernel_context*, size_t n, size_t grain,
                       void (*fn)(void* user, size_t begin, size_t end), void* user) {
    parallel_for(static_cast<int64_t>(n), static_cast<int64_t>(grain == 0 ? 1 : grain),
                 [&](int64_t begin, int64_t end) {
                   fn(user, static_cast<size_t>(begin), static_cast<size_t>(end));
                 });
  }
};

class CustomOpKernel final : public Kernel {
 public:
  CustomOpKernel(const infer_host_api* host, infer_custom_kernel* kernel, size_t outputs)
      : host_(host), kernel_(kernel), outputs_(outputs) {}
  ~CustomOpKernel() override { host_->custom_kernel_release(kernel_); }
  CustomOpKernel(const CustomOpKernel&) = delete;
  CustomOpKernel& operator=(const CustomOpKernel&) = delete;

  void run(KernelContext& ctx) const override {
    CallContext call;
    call.ctx = &ctx;
    call.host = host_;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      const Tensor& t = ctx.input(i);
      call.inputs.push_back(t.present() ? infer_tensor_view{t.dtype, t.shape.size(), t.shape.data(),
                                                            const_cast<void*>(t.data),
                                                            static_cast<size_t>(numel(t.shape)) *
                                                                plugin::dtype_size(t.dtype)}
                                        : infer_tensor_view{});
    }
    call.abi.struct_size = sizeof(infer_kernel_context);
    call.abi.inputs = call.inputs.data();
    call.abi.n_inputs = call.inputs.size();
    call.abi.n_outputs = outputs_;
    call.abi.allocate_output = &CallContext::allocate_output;
    call.abi.parallel_for = &CallContext::parallel;
    call.abi.backend_data = &call;
    throw_if_error(host_, host_->custom_kernel_compute(kernel_, &call.abi));
  }

 private:
  const infer_host_api* host_;
  infer_custom_kernel* kernel_;
  size_t outputs_;
};

std::unique_ptr<Kernel> create_custom_op(const OpContext& ctx) {
  const infer_host_api* host = ctx.node.host();
  infer_custom_kernel* kernel = nullptr;
  throw_if_error(
      host, host->custom_kernel_create(ctx.node.graph(), ctx.node.id(), kBackendName, &kernel));
  return std::make_unique<CustomOpKernel>(host, kernel, ctx.node.output_count());
}

// The plugin's schema already checked arity, attributes and types (the core checks every node
// against it), so the generic checks here let everything through.
constexpr size_t kMany = std::numeric_limits<size_t>::max();
const OpDesc kCustomOpDesc{
    .op_type = "custom op",
    .min_inputs = 0,
    .max_inputs = kMany,
    .input_dtypes = {kAnyFixed},
    .max_outputs = kMany,
    .create = &create_custom_op,
};

}  // namespace

const OpDesc* find_custom_op(const OpContext& ctx) {
  const infer_host_api* host = ctx.node.host();
  if (!host_has_custom_kernels(host)) return nullptr;
  return host->custom_kernel_available(ctx.node.graph(), ctx.node.id(), kBackendName)
             ? &kCustomOpDesc
             : nullptr;
}

}  // namespace infer::cpu
