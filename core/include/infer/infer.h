/*
 * infer public C API: for applications and language bindings.
 *
 * Naming: infer_<object>_<verb>; results come back through out_ parameters;
 * every function that can fail returns infer_status* (NULL = success), which
 * the caller releases with infer_status_release. Every object created here is
 * released with its own infer_<object>_release.
 *
 * Thread safety: an infer_env and an infer_session may be shared between
 * threads once created; infer_session_run may be called concurrently.
 * Options and tensors are not synchronised: use each from one thread at a time.
 */
#ifndef INFER_INFER_H_
#define INFER_INFER_H_

#include <stddef.h>
#include <stdint.h>

#include "infer/plugin_api.h" /* status codes, dtypes */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define INFER_API __declspec(dllexport)
#else
#define INFER_API __attribute__((visibility("default")))
#endif

#define INFER_API_VERSION_MAJOR 0
#define INFER_API_VERSION_MINOR 1

typedef struct infer_env infer_env;
typedef struct infer_session_options infer_session_options;
typedef struct infer_session infer_session;
typedef struct infer_tensor infer_tensor;

/* ---- status ---------------------------------------------------------- */
INFER_API infer_status_code infer_status_get_code(const infer_status* status);
INFER_API const char* infer_status_get_message(const infer_status* status);
INFER_API void infer_status_release(infer_status* status);
INFER_API const char* infer_status_code_name(infer_status_code code);

/* ---- misc ------------------------------------------------------------ */
INFER_API const char* infer_version_string(void);
INFER_API const char* infer_dtype_name(infer_dtype dtype);
INFER_API size_t infer_dtype_size(infer_dtype dtype); /* 0 if not fixed-size */

/* ---- environment: loaded plugins ------------------------------------- */
/* Loads every plugin found in `plugin_dirs` (":"-separated, may be NULL) and
 * in the INFER_PLUGIN_PATH environment variable. A folder that does not exist
 * is an error; a file that fails to load is recorded and skipped. */
INFER_API infer_status* infer_env_create(const char* plugin_dirs, infer_env** out_env);
INFER_API void infer_env_release(infer_env* env);

typedef struct infer_plugin_record {
  size_t struct_size;
  const char* path;
  const char* name; /* NULL if it failed before the probe */
  const char* vendor;
  const char* version;
  uint32_t kinds; /* infer_plugin_kind bits */
  uint32_t abi_major, abi_minor;
  int32_t score;
  const char* score_reason;
  int loaded;        /* 1 loaded and initialised, 0 failed or unavailable: a
                        plugin with a name and score <= 0 works, but its
                        device is absent here (score_reason says why) */
  const char* error; /* reason when loaded == 0 */
} infer_plugin_record;

/* Plugins tried, in load order; failed files included. Pointers stay valid
 * for the env's lifetime. */
INFER_API size_t infer_env_plugin_count(const infer_env* env);
INFER_API infer_status* infer_env_plugin_get(const infer_env* env, size_t index,
                                             infer_plugin_record* out);

/* ---- session options ------------------------------------------------- */
INFER_API infer_status* infer_session_options_create(infer_session_options** out);
INFER_API void infer_session_options_release(infer_session_options* opts);
/* Comma-separated backend priority, e.g. "cpu" or "npu_sim,cpu". */
INFER_API infer_status* infer_session_options_set_backends(infer_session_options* opts,
                                                           const char* backends);
/* Key/value options, read by the core and passed to plugins (e.g.
 * "npu_sim.sram_kib" = "512"). The core's own keys (docs/placement.md):
 *   placement.fallback           allow | warn (default) | error: what happens to
 *                                a node the first backend of the order refuses
 *   placement.min_partition_size an island (a partition bordering another
 *                                backend) with fewer nodes (default 3) ...
 *   placement.min_partition_macs ... and fewer multiply-accumulates (default
 *                                1000000) goes to the next backend that
 *                                claims all its nodes
 *   placement.pin                "NODE=BACKEND;op:TYPE=BACKEND": must run there
 *   placement.exclude            "NODE=BACKEND;...": never runs there
 *   session.inter_op_threads     > 1 runs independent partitions side by side
 * Invalid values make infer_session_create fail with a message naming the key. */
INFER_API infer_status* infer_session_options_set_config(infer_session_options* opts,
                                                         const char* key, const char* value);
/* Value for a symbolic dimension, e.g. "batch" = 8 (used for static planning). */
INFER_API infer_status* infer_session_options_set_dim(infer_session_options* opts,
                                                      const char* symbol, int64_t value);
/* Graph optimisation level, as in ONNX Runtime: 0 none, 1 basic, 2 extended
 * (per-backend fusions), 3 layout (default, the highest). */
INFER_API infer_status* infer_session_options_set_optimization_level(infer_session_options* opts,
                                                                     int level);
/* Writes the optimised graph to `path` in infer's own model format when the
 * session is created; loading that file later skips the passes. NULL or ""
 * turns it off. */
INFER_API infer_status* infer_session_options_set_optimized_model_path(infer_session_options* opts,
                                                                       const char* path);

/* ---- session --------------------------------------------------------- */
INFER_API infer_status* infer_session_create(infer_env* env, const char* model_path,
                                             const infer_session_options* opts,
                                             infer_session** out);
INFER_API infer_status* infer_session_create_from_bytes(infer_env* env, const void* bytes,
                                                        size_t len, const char* format,
                                                        const infer_session_options* opts,
                                                        infer_session** out);
INFER_API void infer_session_release(infer_session* session);

INFER_API size_t infer_session_input_count(const infer_session* session);
INFER_API size_t infer_session_output_count(const infer_session* session);
INFER_API const char* infer_session_input_name(const infer_session* session, size_t i);
INFER_API const char* infer_session_output_name(const infer_session* session, size_t i);

/* Declared type of an input/output. *out_rank is set to the rank; dims get
 * min(rank, max_dims) entries with -1 for dynamic dims; symbols (may be
 * NULL) get the dim's symbolic name or NULL. */
typedef struct infer_value_desc {
  size_t struct_size;
  const char* name;
  infer_dtype dtype;
  size_t rank;                    /* INFER_RANK_UNKNOWN if unknown */
  const int64_t* dims;            /* -1 for dynamic */
  const char* const* dim_symbols; /* NULL entries where none */
} infer_value_desc;
INFER_API infer_status* infer_session_input_desc(const infer_session* session, size_t i,
                                                 infer_value_desc* out);
INFER_API infer_status* infer_session_output_desc(const infer_session* session, size_t i,
                                                  infer_value_desc* out);

/* Human-readable placement report: per backend partitions, nodes and share
 * of compute; each partition with its op types, boundary values, mean host
 * time per run and the backend's own account (e.g. simulated cycles); each
 * copy between backends with its size and time; every node a preferred
 * backend refused, with the reason. Times cover the runs so far. The string
 * lives until the next call of this function on the same session; calls
 * from several threads are serialised. */
INFER_API const char* infer_session_placement_report(const infer_session* session);
/* Human-readable optimisation report: each pass run, nodes it changed, node
 * counts before/after, and passes that failed and were rolled back. */
INFER_API const char* infer_session_optimization_report(const infer_session* session);
/* Operators in the optimised graph the session runs. */
INFER_API size_t infer_session_node_count(const infer_session* session);

/* ---- profiling ------------------------------------------------------- */
/* One step of one run: a partition on its backend, or a copy between two; or
 * one operator inside a partition, as its backend reported it (plugin ABI 1.4;
 * the cpu backend reports every node). */
typedef struct infer_profile_event {
  size_t struct_size;
  const char* name;     /* "partition 2", "copy 0: VALUE" (as in the placement report),
                           or the backend's name of an operator: "Conv node 'conv1'" */
  const char* category; /* "partition", "copy" or "node" */
  const char* backend;  /* "cpu", or "npu_sim->cpu" for a copy */
  uint64_t run;         /* which run since profiling started, from 0 */
  uint32_t thread;      /* small id of the thread that ran the step */
  int64_t start_ns;     /* since infer_session_profile_start */
  int64_t duration_ns;
} infer_profile_event;
typedef void (*infer_profile_event_fn)(const infer_profile_event* event, void* user);

/* Records every step of the runs that start from now on into a buffer of
 * max_events (allocated here, so runs do not allocate). Fails if already on. */
INFER_API infer_status* infer_session_profile_start(infer_session* session, size_t max_events);
/* Runs started from now on are not recorded; those in flight finish recording. */
INFER_API infer_status* infer_session_profile_stop(infer_session* session);
/* Calls fn once per recorded event (in completion order) and forgets them;
 * *out_dropped (may be NULL) counts events that did not fit. Only after
 * profile_stop, once the runs started while profiling have returned.
 * Strings in the events live as long as the session. */
INFER_API infer_status* infer_session_profile_drain(infer_session* session,
                                                    infer_profile_event_fn fn, void* user,
                                                    size_t* out_dropped);

/* Runs the model. inputs[i] is bound to input_names[i]. Outputs named in
 * output_names (all outputs if n_outputs == 0 and output_names == NULL,
 * in which case out_tensors must have infer_session_output_count entries)
 * are created and returned; the caller releases each. */
INFER_API infer_status* infer_session_run(infer_session* session, const char* const* input_names,
                                          const infer_tensor* const* inputs, size_t n_inputs,
                                          const char* const* output_names, size_t n_outputs,
                                          infer_tensor** out_tensors);

/* ---- tensors --------------------------------------------------------- */
/* Allocates a zero-filled tensor. */
INFER_API infer_status* infer_tensor_create(infer_dtype dtype, const int64_t* shape, size_t rank,
                                            infer_tensor** out);
/* Wraps caller memory (not copied, not freed); it must outlive the tensor. */
INFER_API infer_status* infer_tensor_wrap(infer_dtype dtype, const int64_t* shape, size_t rank,
                                          void* data, size_t nbytes, infer_tensor** out);
INFER_API void infer_tensor_release(infer_tensor* tensor);
INFER_API infer_dtype infer_tensor_dtype(const infer_tensor* tensor);
INFER_API size_t infer_tensor_rank(const infer_tensor* tensor);
INFER_API const int64_t* infer_tensor_shape(const infer_tensor* tensor);
INFER_API size_t infer_tensor_element_count(const infer_tensor* tensor);
INFER_API size_t infer_tensor_byte_size(const infer_tensor* tensor);
INFER_API void* infer_tensor_data(infer_tensor* tensor);
INFER_API const void* infer_tensor_const_data(const infer_tensor* tensor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* INFER_INFER_H_ */
