// example_ops: a custom-operator plugin for infer, built against the installed SDK (see
// README.md beside this file). It adds two operators in the domain "com.example" that no
// standard ONNX opset has:
//
//   BiasGelu(X, bias) -> Y   Y = Gelu(X + bias), bias along the last axis (as ONNX Runtime's
//                            contrib op); attribute `approximate` = "none" (erf) or "tanh".
//   ChannelShuffle(X) -> Y   ShuffleNet's channel shuffle of an NCHW tensor in `groups` groups
//                            (standard ONNX needs Reshape + Transpose + Reshape for it).
//
// Each operator has a schema (formal inputs and outputs, typed attributes, type constraints)
// that the engine checks every node against, shape inference, and kernels for two backends:
// the bundled cpu backend and examples/minimal_backend, which run the node inside their own
// partitions.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "infer/plugin_api.h"

namespace {

const infer_host_api* g_host = nullptr;  // set by init(); valid until shutdown

infer_status* error(infer_status_code code, const std::string& message) {
  return g_host->status_create(code, message.c_str());
}

std::string attr_string(const infer_attr_view* a, bool present, const char* fallback) {
  return present && a->type == INFER_ATTR_STRING ? std::string(a->s, a->s_len) : fallback;
}

int64_t element_count(const infer_tensor_view& t) {
  int64_t n = 1;
  for (size_t d = 0; d < t.rank; ++d) n *= t.shape[d];
  return n;
}

// Runs fn(begin, end) over [0, n) on the backend's threads when it offers them.
template <typename Fn>
void parallel_for(infer_kernel_context* ctx, size_t n, size_t grain, Fn& fn) {
  auto trampoline = [](void* user, size_t begin, size_t end) {
    (*static_cast<Fn*>(user))(begin, end);
  };
  if (ctx->parallel_for != nullptr) {
    ctx->parallel_for(ctx, n, grain, trampoline, &fn);
  } else {
    fn(size_t{0}, n);
  }
}

// --- BiasGelu --------------------------------------------------------------------------------

bool is_tanh_mode(const std::string& mode) { return mode == "tanh"; }

infer_status* check_approximate(const std::string& mode) {
  if (mode == "none" || mode == "tanh") return nullptr;
  return error(INFER_INVALID_ARGUMENT,
               "attribute 'approximate' must be \"none\" or \"tanh\", got \"" + mode + "\"");
}

infer_status* bias_gelu_infer_shapes(void*, infer_shape_context* ctx) {
  infer_attr_view mode{};
  const bool has_mode = g_host->shape_attr(ctx, "approximate", &mode);
  if (infer_status* st = check_approximate(attr_string(&mode, has_mode, "none"))) return st;

  infer_value_info x{}, bias{};
  x.struct_size = bias.struct_size = sizeof(infer_value_info);
  if (infer_status* st = g_host->shape_input(ctx, 0, &x)) return st;
  if (infer_status* st = g_host->shape_input(ctx, 1, &bias)) return st;
  if (bias.rank != INFER_RANK_UNKNOWN && bias.rank != 1) {
    return error(INFER_INVALID_ARGUMENT, "bias must be 1-D, got rank " + std::to_string(bias.rank));
  }
  if (x.rank != INFER_RANK_UNKNOWN && x.rank == 0) {
    return error(INFER_INVALID_ARGUMENT, "X must have at least one dimension");
  }
  if (x.rank != INFER_RANK_UNKNOWN && bias.rank == 1) {
    const int64_t last = x.dims[x.rank - 1], n = bias.dims[0];
    if (last >= 0 && n >= 0 && last != n) {
      return error(INFER_INVALID_ARGUMENT, "bias has " + std::to_string(n) +
                                               " elements but the last dimension of X is " +
                                               std::to_string(last));
    }
  }
  // Y has X's shape; its type is bound by T already.
  return g_host->shape_set_output(ctx, 0, INFER_DTYPE_UNDEFINED, x.rank, x.dims);
}

// Per-node state: the mode, read once at compile time. Stored in the kernel pointer itself.
infer_status* bias_gelu_create(void*, const infer_graph* g, size_t node, void** out_kernel) {
  infer_attr_view mode{};
  const bool has_mode = g_host->node_attr(g, node, "approximate", &mode);
  const std::string value = attr_string(&mode, has_mode, "none");
  if (infer_status* st = check_approximate(value)) return st;
  *out_kernel = reinterpret_cast<void*>(static_cast<intptr_t>(is_tanh_mode(value)));
  return nullptr;
}

template <typename T>
void bias_gelu_rows(const T* x, const T* bias, T* y, size_t row_begin, size_t row_end, size_t width,
                    bool tanh_mode) {
  constexpr double kSqrtHalf = 0.70710678118654752440;
  constexpr double kSqrtTwoOverPi = 0.79788456080286535588;
  for (size_t r = row_begin; r < row_end; ++r) {
    for (size_t c = 0; c < width; ++c) {
      const double v = static_cast<double>(x[r * width + c]) + static_cast<double>(bias[c]);
      const double g =
          tanh_mode ? 0.5 * v * (1.0 + std::tanh(kSqrtTwoOverPi * (v + 0.044715 * v * v * v)))
                    : 0.5 * v * (1.0 + std::erf(v * kSqrtHalf));
      y[r * width + c] = static_cast<T>(g);
    }
  }
}

template <typename T>
infer_status* bias_gelu_typed(infer_kernel_context* ctx, bool tanh_mode) {
  const infer_tensor_view& x = ctx->inputs[0];
  const infer_tensor_view& bias = ctx->inputs[1];
  void* out = nullptr;
  if (infer_status* st = ctx->allocate_output(ctx, 0, x.dtype, x.rank, x.shape, &out)) return st;
  const size_t width = static_cast<size_t>(bias.shape[0]);
  const size_t rows = width == 0 ? 0 : static_cast<size_t>(element_count(x)) / width;
  auto body = [&](size_t begin, size_t end) {
    bias_gelu_rows(static_cast<const T*>(x.data), static_cast<const T*>(bias.data),
                   static_cast<T*>(out), begin, end, width, tanh_mode);
  };
  parallel_for(ctx, rows, 16, body);
  return nullptr;
}

infer_status* bias_gelu_compute(void*, void* kernel, infer_kernel_context* ctx) {
  const infer_tensor_view& x = ctx->inputs[0];
  const infer_tensor_view& bias = ctx->inputs[1];
  // Shapes may be dynamic until now, so check them again.
  if (x.rank == 0 || bias.rank != 1 || bias.shape[0] != x.shape[x.rank - 1] ||
      bias.dtype != x.dtype) {
    return error(INFER_INVALID_ARGUMENT,
                 "bias must be 1-D, of X's type, with as many elements as X's last dimension");
  }
  const bool tanh_mode = reinterpret_cast<intptr_t>(kernel) != 0;
  if (x.dtype == INFER_DTYPE_FLOAT64) return bias_gelu_typed<double>(ctx, tanh_mode);
  return bias_gelu_typed<float>(ctx, tanh_mode);
}

// --- ChannelShuffle --------------------------------------------------------------------------

infer_status* read_groups(infer_attr_view* groups, bool present, int64_t* out) {
  if (!present || groups->type != INFER_ATTR_INT || groups->i < 1) {
    return error(INFER_INVALID_ARGUMENT, "attribute 'groups' must be an integer >= 1");
  }
  *out = groups->i;
  return nullptr;
}

infer_status* channel_shuffle_infer_shapes(void*, infer_shape_context* ctx) {
  infer_attr_view attr{};
  int64_t groups = 0;
  if (infer_status* st = read_groups(&attr, g_host->shape_attr(ctx, "groups", &attr), &groups)) {
    return st;
  }
  infer_value_info x{};
  x.struct_size = sizeof(x);
  if (infer_status* st = g_host->shape_input(ctx, 0, &x)) return st;
  if (x.rank != INFER_RANK_UNKNOWN && x.rank != 4) {
    return error(INFER_INVALID_ARGUMENT,
                 "X must be NCHW (rank 4), got rank " + std::to_string(x.rank));
  }
  if (x.rank == 4 && x.dims[1] >= 0 && x.dims[1] % groups != 0) {
    return error(INFER_INVALID_ARGUMENT, std::to_string(x.dims[1]) +
                                             " channels do not split into " +
                                             std::to_string(groups) + " groups");
  }
  return g_host->shape_set_output(ctx, 0, INFER_DTYPE_UNDEFINED, x.rank, x.dims);
}

infer_status* channel_shuffle_create(void*, const infer_graph* g, size_t node, void** out_kernel) {
  infer_attr_view attr{};
  int64_t groups = 0;
  if (infer_status* st = read_groups(&attr, g_host->node_attr(g, node, "groups", &attr), &groups)) {
    return st;
  }
  *out_kernel = reinterpret_cast<void*>(static_cast<intptr_t>(groups));
  return nullptr;
}

infer_status* channel_shuffle_compute(void*, void* kernel, infer_kernel_context* ctx) {
  const infer_tensor_view& x = ctx->inputs[0];
  const int64_t groups = reinterpret_cast<intptr_t>(kernel);
  if (x.rank != 4 || x.shape[1] % groups != 0) {
    return error(INFER_INVALID_ARGUMENT, "X must be NCHW with channels divisible by groups");
  }
  void* out = nullptr;
  if (infer_status* st = ctx->allocate_output(ctx, 0, x.dtype, x.rank, x.shape, &out)) return st;
  const int64_t n = x.shape[0], channels = x.shape[1], per_group = channels / groups;
  const int64_t elements = element_count(x);
  if (elements == 0) return nullptr;
  // One channel plane is H*W elements of one size: copy planes, whatever the type.
  const size_t plane = static_cast<size_t>(x.nbytes / static_cast<size_t>(n * channels));
  const auto* src = static_cast<const unsigned char*>(x.data);
  auto* dst = static_cast<unsigned char*>(out);
  auto body = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {  // i = output plane (image, channel)
      const int64_t image = static_cast<int64_t>(i) / channels;
      const int64_t c = static_cast<int64_t>(i) % channels;
      // Output channel c = k * groups + g reads input channel g * per_group + k.
      const int64_t from = (c % groups) * per_group + c / groups;
      std::memcpy(dst + i * plane, src + static_cast<size_t>(image * channels + from) * plane,
                  plane);
    }
  };
  parallel_for(ctx, static_cast<size_t>(n * channels), 8, body);
  return nullptr;
}

// --- schemas ---------------------------------------------------------------------------------

constexpr infer_dtype kFloats[] = {INFER_DTYPE_FLOAT32, INFER_DTYPE_FLOAT64};
constexpr infer_dtype kShuffleTypes[] = {INFER_DTYPE_FLOAT32, INFER_DTYPE_FLOAT64,
                                         INFER_DTYPE_INT32,   INFER_DTYPE_INT64,
                                         INFER_DTYPE_UINT8,   INFER_DTYPE_INT8};

constexpr infer_op_param kBiasGeluInputs[] = {{"X", "T", INFER_PARAM_SINGLE},
                                              {"bias", "T", INFER_PARAM_SINGLE}};
constexpr infer_op_param kOneOutput[] = {{"Y", "T", INFER_PARAM_SINGLE}};
constexpr infer_op_param kOneInput[] = {{"X", "T", INFER_PARAM_SINGLE}};
constexpr infer_op_attr_spec kBiasGeluAttrs[] = {{"approximate", INFER_ATTR_STRING, 0}};
constexpr infer_op_attr_spec kShuffleAttrs[] = {{"groups", INFER_ATTR_INT, 1}};
constexpr infer_op_type_constraint kBiasGeluTypes[] = {{"T", kFloats, 2}};
constexpr infer_op_type_constraint kShuffleTypeList[] = {{"T", kShuffleTypes, 6}};

// The same host-memory kernels serve two backends: the bundled cpu backend and
// examples/minimal_backend ("minimal", float32 only). Each backend claims the node only if it
// finds a kernel under its own name.
constexpr infer_custom_kernel_def kBiasGeluKernels[] = {
    {sizeof(infer_custom_kernel_def), "cpu", bias_gelu_create, bias_gelu_compute, nullptr},
    {sizeof(infer_custom_kernel_def), "minimal", bias_gelu_create, bias_gelu_compute, nullptr}};
constexpr infer_custom_kernel_def kShuffleKernels[] = {
    {sizeof(infer_custom_kernel_def), "cpu", channel_shuffle_create, channel_shuffle_compute,
     nullptr},
    {sizeof(infer_custom_kernel_def), "minimal", channel_shuffle_create, channel_shuffle_compute,
     nullptr}};

constexpr infer_custom_op_schema kSchemas[] = {
    {
        .struct_size = sizeof(infer_custom_op_schema),
        .domain = "com.example",
        .op_type = "BiasGelu",
        .since_version = 1,
        .doc = "Y = Gelu(X + bias), bias along the last axis of X",
        .inputs = kBiasGeluInputs,
        .n_inputs = 2,
        .outputs = kOneOutput,
        .n_outputs = 1,
        .attributes = kBiasGeluAttrs,
        .n_attributes = 1,
        .type_constraints = kBiasGeluTypes,
        .n_type_constraints = 1,
        .infer_shapes = bias_gelu_infer_shapes,
        .kernels = kBiasGeluKernels,
        .n_kernels = 2,
    },
    {
        .struct_size = sizeof(infer_custom_op_schema),
        .domain = "com.example",
        .op_type = "ChannelShuffle",
        .since_version = 1,
        .doc = "ShuffleNet channel shuffle of an NCHW tensor in `groups` groups",
        .inputs = kOneInput,
        .n_inputs = 1,
        .outputs = kOneOutput,
        .n_outputs = 1,
        .attributes = kShuffleAttrs,
        .n_attributes = 1,
        .type_constraints = kShuffleTypeList,
        .n_type_constraints = 1,
        .infer_shapes = channel_shuffle_infer_shapes,
        .kernels = kShuffleKernels,
        .n_kernels = 2,
    },
};

size_t op_count(void*) { return sizeof(kSchemas) / sizeof(kSchemas[0]); }
const infer_custom_op_schema* op_schema(void*, size_t index) {
  return index < op_count(nullptr) ? &kSchemas[index] : nullptr;
}

// --- the plugin table ------------------------------------------------------------------------

void probe(infer_plugin_probe* out) {
  out->name = "example_ops";
  out->vendor = "infer examples";
  out->version = "1.0.0";
  out->description = "com.example BiasGelu and ChannelShuffle, kernels for cpu and minimal";
  out->kinds = INFER_PLUGIN_CUSTOM_OPS;
  out->score = 1;
  out->score_reason = nullptr;
}

infer_status* init(const infer_host_api* host, const infer_config*, void** out_state) {
  // The shape and kernel functions arrived in host ABI 1.5.
  if (host->abi_minor < 5) {
    return host->status_create(INFER_ABI_MISMATCH, "example_ops needs host ABI 1.5 or newer");
  }
  g_host = host;
  *out_state = nullptr;
  return nullptr;
}

void shutdown(void*) {}

constexpr infer_custom_op_api kCustomOps = {sizeof(infer_custom_op_api), op_count, op_schema};

constexpr infer_plugin_api kPlugin = {
    .struct_size = sizeof(infer_plugin_api),
    .abi_major = INFER_PLUGIN_ABI_MAJOR,
    .abi_minor = INFER_PLUGIN_ABI_MINOR,
    .probe = probe,
    .init = init,
    .shutdown = shutdown,
    .frontend = nullptr,
    .backend = nullptr,
    .pass = nullptr,
    .custom_ops = &kCustomOps,
};

}  // namespace

extern "C" INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_major,
                                                                          uint32_t) {
  return host_major == INFER_PLUGIN_ABI_MAJOR ? &kPlugin : nullptr;
}
