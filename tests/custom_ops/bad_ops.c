/* Custom-op plugins that misbehave, one case per build (BAD_CASE_*), for tests/custom_ops:
 *   failing          valid ops whose shape inference, kernel creation or kernel fails
 *   duplicate        registers com.test.Twice-1 twice
 *   reserved_domain  registers an op in the default ONNX domain
 *   no_kernel        an op with no kernel for any backend
 *   old_abi          a custom-op table from before ABI 1.5
 *   clash            registers com.example.BiasGelu-1, which example_ops already has */
#include <stdint.h>

#include "infer/plugin_api.h"

static const infer_host_api* g_host;

static infer_status* fail_shapes(void* state, infer_shape_context* ctx) {
  (void)state;
  (void)ctx;
  return g_host->status_create(INFER_INVALID_ARGUMENT, "FailShape refuses every input shape");
}

/* Y = X, so that the op is otherwise a working one. */
static infer_status* copy_shapes(void* state, infer_shape_context* ctx) {
  (void)state;
  infer_value_info x = {0};
  x.struct_size = sizeof x;
  infer_status* st = g_host->shape_input(ctx, 0, &x);
  if (st) return st;
  return g_host->shape_set_output(ctx, 0, INFER_DTYPE_UNDEFINED, x.rank, x.dims);
}

static infer_status* fail_create(void* state, const infer_graph* g, size_t node, void** out) {
  (void)state;
  (void)g;
  (void)node;
  (void)out;
  return g_host->status_create(INFER_UNIMPLEMENTED, "FailCreate cannot be compiled");
}

static infer_status* fail_compute(void* state, void* kernel, infer_kernel_context* ctx) {
  (void)state;
  (void)kernel;
  (void)ctx;
  return g_host->status_create(INFER_INTERNAL, "FailKernel always fails at run time");
}

/* Allocates output 1 of a one-output op: the host must refuse, not crash. */
static infer_status* bad_output_compute(void* state, void* kernel, infer_kernel_context* ctx) {
  (void)state;
  (void)kernel;
  void* data = 0;
  const int64_t shape[1] = {1};
  return ctx->allocate_output(ctx, 1, INFER_DTYPE_FLOAT32, 1, shape, &data);
}

static const infer_dtype kFloat[] = {INFER_DTYPE_FLOAT32};
static const infer_op_param kIn[] = {{"X", "T", INFER_PARAM_SINGLE}};
static const infer_op_param kOut[] = {{"Y", "T", INFER_PARAM_SINGLE}};
static const infer_op_type_constraint kT[] = {{"T", kFloat, 1}};

#define KERNEL(create_fn, compute_fn) \
  { sizeof(infer_custom_kernel_def), "cpu", create_fn, compute_fn, 0 }
static const infer_custom_kernel_def kFailCompute[] = {KERNEL(0, fail_compute)};
static const infer_custom_kernel_def kFailCreate[] = {KERNEL(fail_create, fail_compute)};
static const infer_custom_kernel_def kBadOutput[] = {KERNEL(0, bad_output_compute)};

#define OP(domain, name, shapes, kernels, n_kernels)                                           \
  {                                                                                            \
    sizeof(infer_custom_op_schema), domain, name, 1, "", kIn, 1, kOut, 1, 0, 0, kT, 1, shapes, \
        kernels, n_kernels                                                                     \
  }

static const infer_custom_op_schema kOps[] = {
#if defined(BAD_CASE_FAILING)
    OP("com.test", "FailShape", fail_shapes, kFailCompute, 1),
    OP("com.test", "FailCreate", copy_shapes, kFailCreate, 1),
    OP("com.test", "FailKernel", copy_shapes, kFailCompute, 1),
    OP("com.test", "BadOutput", copy_shapes, kBadOutput, 1),
#elif defined(BAD_CASE_DUPLICATE)
    OP("com.test", "Twice", copy_shapes, kFailCompute, 1),
    OP("com.test", "Twice", copy_shapes, kFailCompute, 1),
#elif defined(BAD_CASE_RESERVED_DOMAIN)
    OP("", "Relu", copy_shapes, kFailCompute, 1),
#elif defined(BAD_CASE_NO_KERNEL)
    OP("com.test", "NoKernel", copy_shapes, 0, 0),
#elif defined(BAD_CASE_CLASH)
    OP("com.example", "BiasGelu", copy_shapes, kFailCompute, 1),
#else /* old_abi: well-formed, but announced with minor 4 */
    OP("com.test", "Old", copy_shapes, kFailCompute, 1),
#endif
};

static size_t op_count(void* state) {
  (void)state;
  return sizeof kOps / sizeof kOps[0];
}
static const infer_custom_op_schema* op_schema(void* state, size_t i) {
  (void)state;
  return &kOps[i];
}

static void probe(infer_plugin_probe* out) {
  out->name = BAD_NAME;
  out->vendor = "infer tests";
  out->version = "0";
  out->description = "a misbehaving custom-op plugin";
  out->kinds = INFER_PLUGIN_CUSTOM_OPS;
  out->score = 1;
}

static infer_status* init(const infer_host_api* host, const infer_config* cfg, void** state) {
  (void)cfg;
  g_host = host;
  *state = 0;
  return 0;
}

static void shutdown(void* state) { (void)state; }

static const infer_custom_op_api kCustomOps = {sizeof(infer_custom_op_api), op_count, op_schema};

#if defined(BAD_CASE_OLD_ABI)
#define MINOR 4
#else
#define MINOR INFER_PLUGIN_ABI_MINOR
#endif

static const infer_plugin_api kPlugin = {sizeof(infer_plugin_api),
                                         INFER_PLUGIN_ABI_MAJOR,
                                         MINOR,
                                         probe,
                                         init,
                                         shutdown,
                                         0,
                                         0,
                                         0,
                                         &kCustomOps};

INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t major, uint32_t minor) {
  (void)minor;
  return major == INFER_PLUGIN_ABI_MAJOR ? &kPlugin : 0;
}
