/*
 * infer plugin ABI: the only header a plugin author needs.
 *
 * Rules (see docs/plugin-abi.md):
 *  - A plugin library exports exactly one C symbol, INFER_PLUGIN_ENTRY_SYMBOL,
 *    of type infer_plugin_entry_fn. The host calls it once and gets a static
 *    table back.
 *  - ABI major must match the host's; minor only grows. Every table starts
 *    with `struct_size`, so the host never reads a field the plugin did not
 *    know. Optional functions may be NULL and are then never called.
 *  - Errors cross the boundary as infer_status* (NULL means OK), created with
 *    host->status_create and owned by whoever receives them.
 *  - Whoever allocates, frees: plugin objects are released through the
 *    plugin's release functions, host objects through the host's.
 *  - Plugins reach the core only through the infer_host_api table handed to
 *    init(); they never link core internals.
 *  - No C++ type and no exception crosses this boundary.
 */
#ifndef INFER_PLUGIN_API_H_
#define INFER_PLUGIN_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INFER_PLUGIN_ABI_MAJOR 1
/* Minor 1: the float8 dtypes (additive; a minor-0 plugin never sees them unasked).
 * Minor 2: host functions for optimisation passes.
 * Minor 3: infer_backend_api.describe_partition (optional) and
 *          host->capability_config.
 * Minor 4: host->run_profiling and host->run_profile_event, so a backend can put
 *          its operators into the session's profile.
 * Minor 5: custom operators in full: infer_custom_op_schema (formal inputs and
 *          outputs, typed attributes, type constraints, shape inference,
 *          kernels per backend), the shape-inference and custom-kernel host
 *          functions, and infer_kernel_context. The minor-0 draft of the
 *          custom-op table was never run by a host; hosts refuse it. */
#define INFER_PLUGIN_ABI_MINOR 5
#define INFER_PLUGIN_ENTRY_SYMBOL "infer_plugin_entry"

#if defined(_WIN32)
#define INFER_PLUGIN_EXPORT __declspec(dllexport)
#else
#define INFER_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Status                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum infer_status_code {
  INFER_OK = 0,
  INFER_INVALID_ARGUMENT = 1,   /* caller passed something wrong */
  INFER_INVALID_MODEL = 2,      /* the model file or graph is malformed */
  INFER_NOT_FOUND = 3,          /* file, name, plugin or operator missing */
  INFER_UNIMPLEMENTED = 4,      /* valid, but not supported here */
  INFER_OUT_OF_RANGE = 5,       /* index or size out of bounds */
  INFER_RESOURCE_EXHAUSTED = 6, /* allocation failed, size overflow */
  INFER_ABI_MISMATCH = 7,       /* plugin and host disagree on the ABI */
  INFER_UNAVAILABLE = 8,        /* device or plugin cannot run here */
  INFER_FAILED_PRECONDITION = 9,
  INFER_INTERNAL = 10 /* a bug: please report */
} infer_status_code;

/* Opaque. NULL means OK. Created by the host, released by the receiver. */
typedef struct infer_status infer_status;

/* ------------------------------------------------------------------------ */
/* Data types (values follow onnx.TensorProto.DataType)                      */
/* ------------------------------------------------------------------------ */

typedef enum infer_dtype {
  INFER_DTYPE_UNDEFINED = 0,
  INFER_DTYPE_FLOAT32 = 1,
  INFER_DTYPE_UINT8 = 2,
  INFER_DTYPE_INT8 = 3,
  INFER_DTYPE_UINT16 = 4,
  INFER_DTYPE_INT16 = 5,
  INFER_DTYPE_INT32 = 6,
  INFER_DTYPE_INT64 = 7,
  INFER_DTYPE_STRING = 8,
  INFER_DTYPE_BOOL = 9,
  INFER_DTYPE_FLOAT16 = 10,
  INFER_DTYPE_FLOAT64 = 11,
  INFER_DTYPE_UINT32 = 12,
  INFER_DTYPE_UINT64 = 13,
  INFER_DTYPE_BFLOAT16 = 16,
  INFER_DTYPE_FLOAT8E4M3FN = 17,
  INFER_DTYPE_FLOAT8E4M3FNUZ = 18,
  INFER_DTYPE_FLOAT8E5M2 = 19,
  INFER_DTYPE_FLOAT8E5M2FNUZ = 20
} infer_dtype;

/* Dimension value meaning "not known until run time". */
#define INFER_DIM_DYNAMIC (-1)
/* Rank value meaning "rank unknown". */
#define INFER_RANK_UNKNOWN ((size_t)-1)
/* Value id meaning "optional input/output not present". */
#define INFER_NO_VALUE ((size_t)-1)
/* "No such node" in node ids (e.g. the producer of a graph input). */
#define INFER_NO_NODE ((size_t)-1)

/* A dense, row-major tensor in host memory. Plain data; used in arrays. */
typedef struct infer_tensor_view {
  infer_dtype dtype;
  size_t rank;
  const int64_t* shape; /* rank entries, all >= 0 */
  void* data;           /* may be NULL when the tensor has 0 elements */
  size_t nbytes;
} infer_tensor_view;

/* ------------------------------------------------------------------------ */
/* Graph handles (owned by the host)                                         */
/* ------------------------------------------------------------------------ */

typedef struct infer_graph infer_graph;           /* IR graph */
typedef struct infer_capability infer_capability; /* capability answer */
typedef struct infer_run_context infer_run_context;
typedef struct infer_config infer_config; /* string key/value options */
/* ABI 1.5: what a custom operator's shape inference sees of one node. */
typedef struct infer_shape_context infer_shape_context;
/* ABI 1.5: a custom operator's kernel, created for one node by the host. */
typedef struct infer_custom_kernel infer_custom_kernel;
typedef struct infer_kernel_context infer_kernel_context;

typedef enum infer_attr_type {
  INFER_ATTR_UNDEFINED = 0,
  INFER_ATTR_FLOAT = 1,
  INFER_ATTR_INT = 2,
  INFER_ATTR_STRING = 3,
  INFER_ATTR_TENSOR = 4,
  INFER_ATTR_GRAPH = 5,
  INFER_ATTR_FLOATS = 6,
  INFER_ATTR_INTS = 7,
  INFER_ATTR_STRINGS = 8
} infer_attr_type;

/* Read-only view of one attribute; pointers live as long as the graph. */
typedef struct infer_attr_view {
  infer_attr_type type;
  int64_t i;
  float f;
  const char* s; /* STRING: bytes, s_len long, also NUL-terminated */
  size_t s_len;
  const int64_t* ints;        /* INTS */
  const float* floats;        /* FLOATS */
  const char* const* strings; /* STRINGS */
  size_t count;               /* element count for INTS/FLOATS/STRINGS */
  infer_tensor_view tensor;   /* TENSOR */
  const infer_graph* graph;   /* GRAPH */
} infer_attr_view;

/* Read-only description of one value (a tensor edge in the graph). */
typedef struct infer_value_info {
  size_t struct_size;
  const char* name;
  infer_dtype dtype;
  size_t rank;                    /* INFER_RANK_UNKNOWN if unknown */
  const int64_t* dims;            /* rank entries; INFER_DIM_DYNAMIC if unknown */
  const char* const* dim_symbols; /* rank entries; NULL entry if none */
  int is_constant;                /* initializer or folded constant */
  infer_tensor_view constant;     /* valid when is_constant */
  int is_graph_input;
  int is_graph_output;
} infer_value_info;

/* ------------------------------------------------------------------------ */
/* The host API: everything a plugin may call in the core                    */
/* ------------------------------------------------------------------------ */

typedef enum infer_log_level {
  INFER_LOG_DEBUG = 0,
  INFER_LOG_INFO = 1,
  INFER_LOG_WARN = 2,
  INFER_LOG_ERROR = 3
} infer_log_level;

typedef struct infer_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  /* --- status ----------------------------------------------------------- */
  infer_status* (*status_create)(infer_status_code code, const char* message);
  infer_status_code (*status_code)(const infer_status* status);
  const char* (*status_message)(const infer_status* status);
  void (*status_release)(infer_status* status);

  /* --- logging (routed to the host's logger) ----------------------------- */
  void (*log)(infer_log_level level, const char* plugin, const char* message);

  /* --- graph: reading ----------------------------------------------------
   * Strings and arrays returned here stay valid while the graph lives, also
   * when nodes and values are added or removed, except: value_info's dims and
   * dim_symbols (until the next value_info call for that value) and an
   * attribute's view once node_set_attr_* replaces that attribute. */
  size_t (*graph_node_count)(const infer_graph* g);
  const char* (*node_op_type)(const infer_graph* g, size_t node);
  const char* (*node_domain)(const infer_graph* g, size_t node); /* "" = ai.onnx */
  const char* (*node_name)(const infer_graph* g, size_t node);
  size_t (*node_input_count)(const infer_graph* g, size_t node);
  size_t (*node_output_count)(const infer_graph* g, size_t node);
  size_t (*node_input)(const infer_graph* g, size_t node,
                       size_t i); /* value id or INFER_NO_VALUE */
  size_t (*node_output)(const infer_graph* g, size_t node,
                        size_t i); /* value id or INFER_NO_VALUE */
  /* Returns 1 and fills *out if the node has the attribute, else 0. */
  int (*node_attr)(const infer_graph* g, size_t node, const char* name, infer_attr_view* out);
  size_t (*node_attr_count)(const infer_graph* g, size_t node);
  const char* (*node_attr_name)(const infer_graph* g, size_t node, size_t i);

  size_t (*graph_value_count)(const infer_graph* g);
  /* out->struct_size must be set by the caller. Returns NULL or an error. */
  infer_status* (*value_info)(const infer_graph* g, size_t value, infer_value_info* out);
  /* Value id by name, or INFER_NO_VALUE. */
  size_t (*graph_find_value)(const infer_graph* g, const char* name);

  size_t (*graph_input_count)(const infer_graph* g);
  size_t (*graph_input)(const infer_graph* g, size_t i);
  size_t (*graph_output_count)(const infer_graph* g);
  size_t (*graph_output)(const infer_graph* g, size_t i);
  /* Opset version imported for a domain ("" or "ai.onnx" = default), 0 if none. */
  int64_t (*graph_opset)(const infer_graph* g, const char* domain);

  /* --- graph: building (frontends, passes) ------------------------------ */
  infer_status* (*graph_set_opset)(infer_graph* g, const char* domain, int64_t version);
  infer_status* (*graph_set_metadata)(infer_graph* g, const char* key, const char* value);
  /* dims/dim_symbols have `rank` entries (either may be NULL: all dynamic /
   * no symbols); rank may be INFER_RANK_UNKNOWN. */
  infer_status* (*graph_add_value)(infer_graph* g, const char* name, infer_dtype dtype, size_t rank,
                                   const int64_t* dims, const char* const* dim_symbols,
                                   size_t* out_value);
  /* Copies `data` (nbytes must equal the dense size of dtype x shape). */
  infer_status* (*graph_add_initializer)(infer_graph* g, const char* name, infer_dtype dtype,
                                         size_t rank, const int64_t* shape, const void* data,
                                         size_t nbytes, size_t* out_value);
  infer_status* (*graph_add_input)(infer_graph* g, size_t value);
  infer_status* (*graph_add_output)(infer_graph* g, size_t value);
  /* inputs may contain INFER_NO_VALUE for absent optional inputs. */
  infer_status* (*graph_add_node)(infer_graph* g, const char* op_type, const char* domain,
                                  const char* name, const size_t* inputs, size_t n_inputs,
                                  const size_t* outputs, size_t n_outputs, size_t* out_node);
  infer_status* (*node_set_attr_int)(infer_graph* g, size_t node, const char* name, int64_t v);
  infer_status* (*node_set_attr_float)(infer_graph* g, size_t node, const char* name, float v);
  infer_status* (*node_set_attr_string)(infer_graph* g, size_t node, const char* name,
                                        const char* v, size_t len);
  infer_status* (*node_set_attr_ints)(infer_graph* g, size_t node, const char* name,
                                      const int64_t* v, size_t n);
  infer_status* (*node_set_attr_floats)(infer_graph* g, size_t node, const char* name,
                                        const float* v, size_t n);
  infer_status* (*node_set_attr_strings)(infer_graph* g, size_t node, const char* name,
                                         const char* const* v, size_t n);
  /* Copies the tensor. */
  infer_status* (*node_set_attr_tensor)(infer_graph* g, size_t node, const char* name,
                                        const infer_tensor_view* t);
  /* Creates an empty subgraph owned by the attribute and returns it for filling.
   * Subgraphs may name values of enclosing graphs (resolved by name). */
  infer_status* (*node_add_attr_graph)(infer_graph* g, size_t node, const char* name,
                                       infer_graph** out_subgraph);

  /* --- graph: rewriting (passes) ---------------------------------------- */
  infer_status* (*node_set_input)(infer_graph* g, size_t node, size_t i, size_t value);
  /* Marks a node removed; ids of other nodes stay valid. */
  infer_status* (*graph_remove_node)(infer_graph* g, size_t node);
  infer_status* (*graph_set_output)(infer_graph* g, size_t i, size_t value);

  /* --- capability answers (backends) ------------------------------------ */
  /* Claim a node. `group` > 0 asks that nodes of the same group be placed
   * together (a fusable group); 0 means no constraint. */
  void (*capability_claim)(infer_capability* cap, size_t node, uint32_t group);
  /* Refuse a node with a human-readable reason (copied). */
  void (*capability_refuse)(infer_capability* cap, size_t node, const char* reason);

  /* --- run context (backends) ------------------------------------------- */
  /* Allocates partition output `index` with the given dtype and shape; the
   * host owns the memory. *out_data is 64-byte aligned. */
  infer_status* (*run_allocate_output)(infer_run_context* ctx, size_t index, infer_dtype dtype,
                                       size_t rank, const int64_t* shape, void** out_data);

  /* --- configuration ------------------------------------------------------ */
  /* Value for key, or NULL. Keys are plain strings like "cpu.threads". */
  const char* (*config_get)(const infer_config* cfg, const char* key);

  /* --- ABI 1.2: graph optimisation (passes) -------------------------------
   * Present when struct_size covers them; the host checks nothing else. */
  /* Node writing `value`, or INFER_NO_NODE (graph input, initializer). */
  size_t (*value_producer)(const infer_graph* g, size_t value);
  /* Live nodes reading `value` (a node reading it twice is listed twice), in
   * node-id order. Subgraph reads count as reads by the node owning them. */
  size_t (*value_consumer_count)(const infer_graph* g, size_t value);
  size_t (*value_consumer)(const infer_graph* g, size_t value, size_t i);
  /* Makes every live node that reads `from` read `to` instead. Fails
   * (graph unchanged) if `from` is a graph output or read by a subgraph. */
  infer_status* (*graph_replace_uses)(infer_graph* g, size_t from, size_t to);
  /* Drops the data of an initializer that nothing reads any more. */
  infer_status* (*graph_remove_initializer)(infer_graph* g, size_t value);
  /* Evaluates a node whose inputs are all constants on the session's
   * backends, turns its outputs into initializers and removes the node.
   * Fails (graph unchanged) when no backend can run it; the node is kept. */
  infer_status* (*graph_fold_node)(infer_graph* g, size_t node);
  /* Backend a node was placed on before the backend-specific levels ("cpu"),
   * or "" before placement. Nodes a backend-specific pass adds are placed on
   * that pass's backend. */
  const char* (*node_backend)(const infer_graph* g, size_t node);
  /* A value name not used in the graph yet, starting with `prefix`. The
   * returned string lives until the next call on this graph. */
  const char* (*graph_unique_name)(infer_graph* g, const char* prefix);

  /* --- ABI 1.3: placement ------------------------------------------------- */
  /* The session's options while a backend answers get_capability (the same
   * table compile later receives), or NULL. Lets capability follow the keys
   * that shape compilation, e.g. an on-chip memory size. */
  const infer_config* (*capability_config)(const infer_capability* cap);

  /* --- ABI 1.4: profiling ------------------------------------------------- */
  /* Nonzero while the session records a profile of the run `ctx` belongs to
   * (infer_session_profile_start). A backend then may time the operators of
   * the partition it runs and report each with run_profile_event. */
  int (*run_profiling)(const infer_run_context* ctx);
  /* One operator of the partition being run, from the thread running it:
   * `name` says what ran (e.g. "Conv node 'conv1'"; copied by the host),
   * start_ns is std::chrono::steady_clock (CLOCK_MONOTONIC) nanoseconds,
   * duration_ns how long it took. Ignored when the run is not profiled. */
  void (*run_profile_event)(infer_run_context* ctx, const char* name, int64_t start_ns,
                            int64_t duration_ns);

  /* --- ABI 1.5: custom operators ------------------------------------------
   * Shape inference: called by a custom operator's infer_shapes with the
   * context it was given. Input dims are INFER_DIM_DYNAMIC where unknown; an
   * absent optional input has dtype INFER_DTYPE_UNDEFINED. */
  size_t (*shape_input_count)(const infer_shape_context* ctx);
  /* Type, shape and (when is_constant) data of input i; out->struct_size must
   * be set. Pointers live until infer_shapes returns. */
  infer_status* (*shape_input)(const infer_shape_context* ctx, size_t i, infer_value_info* out);
  /* Returns 1 and fills *out if the node has the attribute, else 0. */
  int (*shape_attr)(const infer_shape_context* ctx, const char* name, infer_attr_view* out);
  size_t (*shape_output_count)(const infer_shape_context* ctx);
  /* Output i's type and shape: rank may be INFER_RANK_UNKNOWN, dims may hold
   * INFER_DIM_DYNAMIC. dtype UNDEFINED keeps the type the constraints bind. */
  infer_status* (*shape_set_output)(infer_shape_context* ctx, size_t i, infer_dtype dtype,
                                    size_t rank, const int64_t* dims);

  /* Backends: custom operators registered by custom-op plugins have kernels
   * per backend name. A backend that runs host memory asks for its own name:
   * it claims the node when a kernel exists, creates it at compile, and runs
   * it with an infer_kernel_context it fills. */
  /* 1 when a loaded custom-op plugin has a kernel for `node` on `backend`. */
  int (*custom_kernel_available)(const infer_graph* g, size_t node, const char* backend);
  /* Creates the node's kernel (the plugin reads attributes and validates). */
  infer_status* (*custom_kernel_create)(const infer_graph* g, size_t node, const char* backend,
                                        infer_custom_kernel** out_kernel);
  /* Runs it; may be called from several threads at once. Errors name the node. */
  infer_status* (*custom_kernel_compute)(const infer_custom_kernel* kernel,
                                         infer_kernel_context* ctx);
  void (*custom_kernel_release)(infer_custom_kernel* kernel);
} infer_host_api;

/* ------------------------------------------------------------------------ */
/* Plugin kinds and tables                                                    */
/* ------------------------------------------------------------------------ */

typedef enum infer_plugin_kind {
  INFER_PLUGIN_FRONTEND = 1u << 0,
  INFER_PLUGIN_BACKEND = 1u << 1,
  INFER_PLUGIN_PASS = 1u << 2,
  INFER_PLUGIN_CUSTOM_OPS = 1u << 3
} infer_plugin_kind;

/* Cheap description, filled without initialising the plugin. */
typedef struct infer_plugin_probe {
  size_t struct_size;
  const char* name; /* unique, e.g. "cpu", "onnx" */
  const char* vendor;
  const char* version; /* plugin's own version, e.g. "0.1.0" */
  const char* description;
  uint32_t kinds; /* bitwise OR of infer_plugin_kind */
  /* 0 = cannot run on this machine (e.g. no device); higher = preferred. */
  int32_t score;
  const char* score_reason; /* why score is 0, or NULL */
} infer_plugin_probe;

/* --- frontend: model bytes -> IR ------------------------------------------ */
typedef struct infer_frontend_api {
  size_t struct_size;
  const char* format;          /* "onnx" */
  const char* file_extensions; /* ";"-separated, e.g. ".onnx" */
  /* Optional: 1 if these leading bytes look like this format. */
  int (*can_load)(void* plugin_state, const void* head, size_t head_len);
  /* Fill the empty graph `g` from the model. `model_dir` (may be NULL for
   * in-memory models) is the only folder external data may be read from. */
  infer_status* (*load)(void* plugin_state, const void* bytes, size_t len, const char* model_dir,
                        infer_graph* g);
} infer_frontend_api;

/* --- backend: capability, compile, run ------------------------------------ */
typedef struct infer_backend_api {
  size_t struct_size;
  const char* device; /* e.g. "CPU", "OpenCL:pocl", "NPU(sim)" */
  /* Answer claim/refuse for each of the `n` nodes listed. */
  infer_status* (*get_capability)(void* plugin_state, const infer_graph* g, const size_t* nodes,
                                  size_t n, infer_capability* cap);
  /* Compile the subgraph made of `nodes` (topologically ordered), whose
   * boundary inputs and outputs are the listed value ids. The partition is
   * run later with tensors in the same order. */
  infer_status* (*compile)(void* plugin_state, const infer_graph* g, const size_t* nodes,
                           size_t n_nodes, const size_t* inputs, size_t n_inputs,
                           const size_t* outputs, size_t n_outputs, const infer_config* cfg,
                           void** out_partition);
  /* Run once. Outputs are allocated with host->run_allocate_output. May be
   * called from several threads at once for the same partition. */
  infer_status* (*run)(void* partition, const infer_tensor_view* inputs, size_t n_inputs,
                       infer_run_context* ctx);
  void (*release_partition)(void* partition);
  /* ABI 1.3, optional (may be NULL; the host checks struct_size): a short,
   * human-readable account of a compiled partition for the placement report,
   * e.g. a device's command counts or simulated cycles, covering the runs so
   * far. Writes at most `len` bytes including a terminating NUL into `buf`
   * (buf may be NULL when len is 0) and returns the length the full text
   * needs, without the NUL. Lines end in '\n'. May be called while other
   * threads run the partition. */
  size_t (*describe_partition)(void* partition, char* buf, size_t len);
} infer_backend_api;

/* --- graph optimisation pass ---------------------------------------------- */
/* Levels, as in ONNX Runtime. Level 1 passes run before placement and must
 * keep the graph in standard operators any backend could run; level 2 and 3
 * passes name the backend they serve and may only rewrite nodes placed on it
 * (host->node_backend), typically into that backend's own fused operators. */
typedef enum infer_opt_level {
  INFER_OPT_NONE = 0,
  INFER_OPT_BASIC = 1,    /* constant folding, dead code, CSE, simplifications */
  INFER_OPT_EXTENDED = 2, /* per backend: fusions */
  INFER_OPT_LAYOUT = 3    /* per backend: data layout (e.g. NCHWc) */
} infer_opt_level;

typedef struct infer_pass_info {
  size_t struct_size;
  const char* name;    /* unique among all loaded passes, e.g. "constant_folding" */
  int32_t level;       /* infer_opt_level */
  const char* backend; /* NULL for backend-independent passes (level 1) */
  /* Passes of one level run in ascending order, ties by name. */
  int32_t order;
} infer_pass_info;

typedef struct infer_pass_api {
  size_t struct_size;
  size_t (*pass_count)(void* plugin_state);
  void (*pass_info)(void* plugin_state, size_t index, infer_pass_info* out);
  /* Rewrite g in place; report how many nodes changed (removed, added or
   * rewired). The host checks the graph after each pass and restores the
   * graph from before the pass if it fails or leaves the graph invalid. */
  infer_status* (*pass_run)(void* plugin_state, size_t index, infer_graph* g,
                            const infer_config* cfg, size_t* out_changed);
} infer_pass_api;

/* --- custom-operator library (ABI 1.5) -------------------------------------
 * A custom-op plugin adds operators in its own domain (never "", "ai.onnx",
 * "ai.onnx.ml" or "com.infer"). For each it gives the schema the core checks
 * nodes against, an optional shape inference, and kernels for one or more
 * backends. All pointers in a schema must stay valid until shutdown(). */

/* How many arguments a formal input/output takes. */
typedef enum infer_param_option {
  INFER_PARAM_SINGLE = 0,
  INFER_PARAM_OPTIONAL = 1,
  INFER_PARAM_VARIADIC = 2 /* one or more; last parameter only */
} infer_param_option;

typedef struct infer_op_param {
  const char* name;
  /* A type constraint's name ("T") or a fixed type ("tensor(int64)"). */
  const char* type_constraint;
  infer_param_option option;
} infer_op_param;

typedef struct infer_op_attr_spec {
  const char* name;
  infer_attr_type type;
  int required; /* nonzero: a node without it is an error */
} infer_op_attr_spec;

typedef struct infer_op_type_constraint {
  const char* name; /* "T" */
  const infer_dtype* allowed;
  size_t n_allowed;
} infer_op_type_constraint;

/* The node a kernel runs on, one run: inputs in host memory, and the
 * backend's allocator and threads. Filled by the backend running the kernel. */
struct infer_kernel_context {
  size_t struct_size;
  const infer_tensor_view* inputs; /* absent optional inputs: dtype UNDEFINED */
  size_t n_inputs;
  size_t n_outputs;
  /* Output `index` with the given type and shape; *out_data is 64-byte
   * aligned and NULL for 0 elements. Each output once. */
  infer_status* (*allocate_output)(infer_kernel_context* self, size_t index, infer_dtype dtype,
                                   size_t rank, const int64_t* shape, void** out_data);
  /* Optional (may be NULL: loop yourself): calls fn(user, begin, end) over
   * disjoint ranges covering [0, n) on the backend's threads and returns when
   * all are done; `grain` is the smallest range worth a thread. */
  void (*parallel_for)(infer_kernel_context* self, size_t n, size_t grain,
                       void (*fn)(void* user, size_t begin, size_t end), void* user);
  void* backend_data; /* the backend's, for the two functions above */
};

/* A kernel for one backend. */
typedef struct infer_custom_kernel_def {
  size_t struct_size;
  /* Name of the backend that runs it ("cpu"). That backend's partitions hold
   * the node, so no copy is needed around it. */
  const char* backend;
  /* Optional: per-node state, made when a partition compiles: read and check
   * attributes here (host->node_attr on g/node). *out_kernel may stay NULL. */
  infer_status* (*create)(void* plugin_state, const infer_graph* g, size_t node, void** out_kernel);
  /* Compute the outputs. Called from several threads at once: do not modify
   * `kernel`. */
  infer_status* (*compute)(void* plugin_state, void* kernel, infer_kernel_context* ctx);
  void (*release)(void* plugin_state, void* kernel); /* optional */
} infer_custom_kernel_def;

typedef struct infer_custom_op_schema {
  size_t struct_size;
  const char* domain;  /* e.g. "com.example" */
  const char* op_type; /* unique in the domain per since_version */
  int64_t since_version;
  const char* doc;
  const infer_op_param* inputs;
  size_t n_inputs;
  const infer_op_param* outputs;
  size_t n_outputs;
  const infer_op_attr_spec* attributes; /* attributes not listed are an error */
  size_t n_attributes;
  const infer_op_type_constraint* type_constraints;
  size_t n_type_constraints;
  /* Optional: output shapes from the inputs' (read through host->shape_*).
   * Output types are prefilled from the type constraints. An error fails the
   * session with the node named. NULL leaves output shapes unknown. */
  infer_status* (*infer_shapes)(void* plugin_state, infer_shape_context* ctx);
  const infer_custom_kernel_def* kernels;
  size_t n_kernels;
} infer_custom_op_schema;

typedef struct infer_custom_op_api {
  size_t struct_size;
  size_t (*op_count)(void* plugin_state);
  /* Schema of op `index` (< op_count); lives until shutdown. */
  const infer_custom_op_schema* (*op_schema)(void* plugin_state, size_t index);
} infer_custom_op_api;

/* --- the table returned by the entry symbol ------------------------------- */
typedef struct infer_plugin_api {
  size_t struct_size;
  uint32_t abi_major;                     /* must equal the host's INFER_PLUGIN_ABI_MAJOR */
  uint32_t abi_minor;                     /* plugin was built against this minor */
  void (*probe)(infer_plugin_probe* out); /* caller sets out->struct_size */
  /* Called once after probe; host stays valid until shutdown. */
  infer_status* (*init)(const infer_host_api* host, const infer_config* cfg,
                        void** out_plugin_state);
  void (*shutdown)(void* plugin_state);
  /* One table per kind the probe announced; NULL otherwise. */
  const infer_frontend_api* frontend;
  const infer_backend_api* backend;
  const infer_pass_api* pass;
  const infer_custom_op_api* custom_ops;
} infer_plugin_api;

/* The single exported symbol. Returns a table that lives as long as the
 * library is loaded. The host's ABI version is passed so a plugin can refuse
 * or adapt; returning NULL means "cannot work with this host". */
typedef const infer_plugin_api* (*infer_plugin_entry_fn)(uint32_t host_abi_major,
                                                         uint32_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INFER_PLUGIN_API_H_ */
