/*
 * infer public C API: for applications and language bindings.
 *
 * Naming: infer_<object>_<verb>; results come back through out_ parameters;
 * every function that can fail returns infer_status* (NULL = success), which
 * the caller releases with infer_status_release. Every object created here is
 * released with its own infer_<object>_release.
 *
 * Structs the caller passes to be filled (infer_plugin_record, infer_pass_record,
 * infer_value_desc) start with struct_size, which the caller sets to
 * sizeof(the struct it was compiled with): fields are only ever appended, and
 * the library fills only the fields that struct_size covers, so a binary built
 * against an older infer.h keeps working. Their layouts on LP64 Linux are
 * frozen by static_asserts in core/src/api/abi_layout.inc.
 *
 * Thread safety, in short (each block below says which calls it covers):
 *  - "any thread": may be called from several threads at once, also on the
 *    same object.
 *  - infer_env and infer_session are internally synchronised once created:
 *    share them between threads freely; infer_session_run may run
 *    concurrently on one session.
 *  - infer_session_options and infer_tensor are not: a thread that changes
 *    one must be the only thread using it at that moment (several threads may
 *    read one at once, e.g. pass the same input tensor to concurrent runs).
 *  - A release function must be the last call on its object, made when no
 *    other thread is using it.
 *  - Strings returned by the library are owned by it; each function says how
 *    long they live. Never free them.
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
/* Minor 2: infer_api_version, logging (infer_log_*), infer_plugin_record's
 * description/device/format/file_extensions/unavailable, pass listing
 * (infer_env_pass_*), infer_env_default_plugin_dir. */
#define INFER_API_VERSION_MINOR 2

typedef struct infer_env infer_env;
typedef struct infer_session_options infer_session_options;
typedef struct infer_session infer_session;
typedef struct infer_tensor infer_tensor;

/* ---- status ----------------------------------------------------------
 * Thread safety: a status belongs to the thread that received it until it is
 * released; the message lives until infer_status_release. A NULL status reads
 * as INFER_OK with message "". infer_status_code_name: any thread, static
 * strings ("INTERNAL" for an unknown code). */
INFER_API infer_status_code infer_status_get_code(const infer_status* status);
INFER_API const char* infer_status_get_message(const infer_status* status);
INFER_API void infer_status_release(infer_status* status);
INFER_API const char* infer_status_code_name(infer_status_code code);

/* ---- misc ------------------------------------------------------------
 * Thread safety: any thread; the strings are static. */
INFER_API const char* infer_version_string(void); /* the engine's version, "0.1.0" */
/* The C API version of the loaded library (INFER_API_VERSION_* it was built
 * with) and the plugin ABI version it hosts (INFER_PLUGIN_ABI_*). A binding
 * that loads libinfer at run time checks api_minor before using a function or
 * struct field added in a later minor. Any out pointer may be NULL. */
INFER_API void infer_api_version(uint32_t* out_api_major, uint32_t* out_api_minor,
                                 uint32_t* out_plugin_abi_major, uint32_t* out_plugin_abi_minor);
INFER_API const char* infer_dtype_name(infer_dtype dtype); /* "undefined" if unknown */
INFER_API size_t infer_dtype_size(infer_dtype dtype);      /* 0 if not fixed-size */

/* ---- logging ---------------------------------------------------------
 * The engine and its plugins (host->log) log warnings (e.g. a placement
 * fallback, a pass rolled back) and debug detail. By default they go to stderr
 * at level INFER_LOG_INFO and above; the INFER_LOG_LEVEL environment variable
 * (debug, info, warn, error) sets the starting level.
 *
 * Thread safety: any thread; each call takes effect for messages logged after
 * it returns, by every env and session of the process (the logger is
 * process-wide). */
/* Messages below `level` are dropped. An unknown level is INVALID_ARGUMENT. */
INFER_API infer_status* infer_log_set_level(infer_log_level level);
INFER_API infer_log_level infer_log_get_level(void);
/* `message` is one line without the trailing newline; a plugin's messages
 * start with "[PLUGIN] ". It is valid only during the call. */
typedef void (*infer_log_fn)(infer_log_level level, const char* message, void* user);
/* Sends every message at or above the level to fn instead of stderr; fn ==
 * NULL goes back to stderr. fn is called from whichever thread logs (a
 * session's worker threads included), never from two threads at once, and
 * never again once a later infer_log_set_callback has returned, so `user`
 * may be freed then. fn must not call back into the library: a call that
 * logs, or infer_log_set_callback, would deadlock. */
INFER_API infer_status* infer_log_set_callback(infer_log_fn fn, void* user);

/* ---- environment: loaded plugins -------------------------------------
 * Thread safety: infer_env_create and infer_env_default_plugin_dir: any
 * thread. Once created, an env is only read: every infer_env_* query may be
 * called from any thread, and infer_session_create calls may come from
 * several threads at once, on one env or on several. Creating and releasing
 * envs and sessions take turns inside, process-wide, so plugins need not be
 * reentrant while they load, import, optimise, compile and shut down; runs
 * of existing sessions go on meanwhile. infer_env_release while no other call
 * on the env is under way; sessions created from it may outlive it (they keep
 * the plugins loaded), but the strings of its plugin and pass records do not. */
/* Loads every plugin found in `plugin_dirs` (":"-separated, may be NULL) and
 * in the INFER_PLUGIN_PATH environment variable. A folder that does not exist
 * is an error; a file that fails to load is recorded and skipped. */
INFER_API infer_status* infer_env_create(const char* plugin_dirs, infer_env** out_env);
INFER_API void infer_env_release(infer_env* env);
/* The bundled plugins' folder of this libinfer: <libdir>/infer/plugins when
 * installed, or the build tree's plugins/ beside lib/; "" when neither exists.
 * Static string. Pass it to infer_env_create to load the default plugins. */
INFER_API const char* infer_env_default_plugin_dir(void);

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
  /* ---- API 0.2: filled when struct_size covers them ---- */
  const char* description;     /* the probe's description, or NULL */
  const char* device;          /* a loaded backend's device, e.g. "CPU", "NPU(sim)"; else NULL */
  const char* format;          /* a loaded frontend's model format, e.g. "onnx"; else NULL */
  const char* file_extensions; /* a loaded frontend's, ";"-separated, e.g. ".onnx"; else NULL */
  int unavailable; /* 1: probed fine but its device is absent here (score 0; score_reason
                      says why); not loaded, yet not broken either */
} infer_plugin_record;

/* Plugins tried, in load order; failed files included. Pointers stay valid
 * for the env's lifetime. struct_size must cover at least the API 0.1 fields
 * (up to `error`). */
INFER_API size_t infer_env_plugin_count(const infer_env* env);
INFER_API infer_status* infer_env_plugin_get(const infer_env* env, size_t index,
                                             infer_plugin_record* out);

/* Every optimisation pass the loaded pass plugins register, in the order
 * they run: by level, then order, then name. Names are what the config key
 * "optimizer.disable" (comma-separated) takes. */
typedef struct infer_pass_record {
  size_t struct_size;
  const char* name;    /* unique, e.g. "constant_folding" */
  int32_t level;       /* infer_opt_level: 1 basic, 2 extended, 3 layout */
  int32_t order;       /* within the level */
  const char* backend; /* the backend a level 2-3 pass serves; NULL for level 1 */
  const char* plugin;  /* name of the plugin that registers it */
} infer_pass_record;
/* 0 when the passes cannot be listed; infer_env_pass_get then says why (e.g.
 * two plugins register one pass name: sessions fail the same way). */
INFER_API size_t infer_env_pass_count(const infer_env* env);
INFER_API infer_status* infer_env_pass_get(const infer_env* env, size_t index,
                                           infer_pass_record* out);

/* Every custom operator the loaded custom-op plugins register (plugin ABI
 * 1.5), ordered by domain, op type and since_version. A model node of that
 * domain and op resolves to it; the backends listed have a kernel for it.
 * Strings live as long as the env. */
typedef struct infer_custom_op_record {
  size_t struct_size;
  const char* plugin;  /* name of the plugin that registers it */
  const char* domain;  /* e.g. "com.example" */
  const char* op_type; /* e.g. "BiasGelu" */
  int64_t since_version;
  const char* backends; /* ","-separated backends with a kernel, e.g. "cpu,minimal" */
  const char* doc;      /* the plugin's one-line description, or "" */
} infer_custom_op_record;
INFER_API size_t infer_env_custom_op_count(const infer_env* env);
INFER_API infer_status* infer_env_custom_op_get(const infer_env* env, size_t index,
                                                infer_custom_op_record* out);

/* ---- session options -------------------------------------------------
 * Thread safety: not synchronised. One thread at a time may call the
 * set functions; while none does, any number of threads may pass the options
 * to infer_session_create at once. A session copies what it needs: the
 * options may be changed or released once infer_session_create returns. */
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
 *   optimizer.disable            "PASS,PASS": passes not to run (names from
 *                                infer_env_pass_get; docs/optimizer.md)
 * Keys the bundled plugins read: cpu.threads, cpu.profile_ops (per-operator
 * times in the placement report and profile), cpu.memory_plan,
 * cpu.nchwc_block; npu_sim.sram_kib, npu_sim.mac_rows, npu_sim.mac_cols,
 * npu_sim.clock_mhz, npu_sim.dma_*; opencl.device, opencl.cache_dir
 * (docs/npu-sim.md, docs/opencl.md).
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

/* ---- session ---------------------------------------------------------
 * Thread safety: once created, every infer_session_* call may be made from
 * any thread, concurrently on the same session (infer_session_run included),
 * except infer_session_release, which must be the last. Names, descs, the
 * optimisation report and profile event strings live as long as the session;
 * the placement report as said there. */
INFER_API infer_status* infer_session_create(infer_env* env, const char* model_path,
                                             const infer_session_options* opts,
                                             infer_session** out);
INFER_API infer_status* infer_session_create_from_bytes(infer_env* env, const void* bytes,
                                                        size_t len, const char* format,
                                                        const infer_session_options* opts,
                                                        infer_session** out);
INFER_API void infer_session_release(infer_session* session);

/* Counts are 0 and names NULL for a NULL session or an index out of range. */
INFER_API size_t infer_session_input_count(const infer_session* session);
INFER_API size_t infer_session_output_count(const infer_session* session);
INFER_API const char* infer_session_input_name(const infer_session* session, size_t i);
INFER_API const char* infer_session_output_name(const infer_session* session, size_t i);

/* Declared type of input/output i: name, dtype, rank, and per dim its size
 * (-1 when dynamic) and symbolic name (NULL where none). dims and dim_symbols
 * have `rank` entries (none when the rank is unknown) and, like the name,
 * live as long as the session. Index out of range: INFER_OUT_OF_RANGE. */
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
 * backend refused, with the reason. Times cover the runs so far (it may be
 * called while runs are in flight). The string lives until the calling
 * thread calls this function again on the same session, or the session is
 * released: each thread has its own, so a call from another thread never
 * frees it. */
INFER_API const char* infer_session_placement_report(const infer_session* session);
/* Human-readable optimisation report: each pass run, nodes it changed, node
 * counts before/after, and passes that failed and were rolled back. Built on
 * the first call; lives as long as the session. */
INFER_API const char* infer_session_optimization_report(const infer_session* session);
/* Operators in the optimised graph the session runs. */
INFER_API size_t infer_session_node_count(const infer_session* session);
/* The model's metadata as key/value strings, in key order: what the file says
 * of itself (ONNX: ir_version, producer_name, producer_version, domain,
 * model_version, graph_name, doc_string, where present) and the user's
 * metadata_props under their own keys. Strings live as long as the session;
 * any thread may call these. */
INFER_API size_t infer_session_metadata_count(const infer_session* session);
INFER_API infer_status* infer_session_metadata_get(const infer_session* session, size_t index,
                                                   const char** out_key, const char** out_value);

/* ---- profiling ------------------------------------------------------- */
/* One step of one run: a partition on its backend, or a copy between two; or
 * one operator inside a partition, as its backend reported it (plugin ABI 1.4;
 * the cpu backend reports every node). Filled by the library, which sets
 * struct_size: a field appended in a later API minor is there when
 * struct_size covers it. */
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

/* Thread safety: start, stop and drain are serialised inside and may be
 * called while other threads run the session; the rules below say which
 * runs are recorded. fn is called on the draining thread, with no lock held.
 *
 * Records every step of the runs that start from now on into a buffer of
 * max_events (1 to 2^24, allocated here, so runs do not allocate). Fails if
 * already on. */
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
 * are created and returned; the caller releases each. Each output owns its
 * data, shared with nothing else (not with an input, nor with a constant of
 * the model), so the caller may write into it. Any thread, concurrently on
 * one session; the inputs are only read, so concurrent runs may share them.
 * On error no output is returned (out_tensors entries are set to NULL). */
INFER_API infer_status* infer_session_run(infer_session* session, const char* const* input_names,
                                          const infer_tensor* const* inputs, size_t n_inputs,
                                          const char* const* output_names, size_t n_outputs,
                                          infer_tensor** out_tensors);

/* ---- tensors ---------------------------------------------------------
 * Thread safety: not synchronised; concurrent reads are fine (the getters and
 * use as a run input), a write (through infer_tensor_data) needs the tensor to
 * itself. The shape pointer lives as long as the tensor. The getters return
 * 0/NULL/INFER_DTYPE_UNDEFINED for a NULL tensor. */
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
