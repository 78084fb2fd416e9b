/*
 * Runs the example CNN through the public C API, compiled as C11: proves the
 * header is plain C and that a language binding can do everything it needs:
 * plugin and pass listing, logging, options, sessions from a file and from
 * bytes, profiling, concurrent use, and a clear error for every bad argument.
 * Exits non-zero on the first failed check.
 */
#define _POSIX_C_SOURCE 200809L /* pthreads under -std=c11 */

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infer/infer.h"

#ifndef INFER_TEST_PLUGIN_DIR
#error "INFER_TEST_PLUGIN_DIR must name the build's plugin folder"
#endif
#ifndef INFER_TEST_MODEL
#error "INFER_TEST_MODEL must name examples/models/small_cnn.onnx"
#endif
#ifndef INFER_TEST_ALIASING_MODEL
#error "INFER_TEST_ALIASING_MODEL must name tests/c_api/aliasing_outputs.onnx"
#endif

int infer_test_abi_layout_checked(void); /* abi_layout.c */

enum { kBatch = 2, kChannels = 3, kSide = 32, kClasses = 10 };
#define INPUT_ELEMS ((size_t)kBatch * kChannels * kSide * kSide)

static int g_failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* A call that must succeed: print the status message and stop if not. */
#define CHECK_OK(expr)                                                                            \
  do {                                                                                            \
    infer_status* st_ = (expr);                                                                   \
    if (st_ != NULL) {                                                                            \
      fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #expr,                    \
              infer_status_code_name(infer_status_get_code(st_)), infer_status_get_message(st_)); \
      infer_status_release(st_);                                                                  \
      exit(1);                                                                                    \
    }                                                                                             \
  } while (0)

/* A call that must fail with a readable message; the status is released. */
static void expect_error(infer_status* st, const char* what) {
  if (st == NULL) {
    fprintf(stderr, "FAIL: %s: expected an error status, got OK\n", what);
    g_failures++;
    return;
  }
  const char* msg = infer_status_get_message(st);
  if (msg == NULL || msg[0] == '\0') {
    fprintf(stderr, "FAIL: %s: error status has no message\n", what);
    g_failures++;
  } else if (infer_status_get_code(st) == INFER_INTERNAL) {
    fprintf(stderr, "FAIL: %s: INTERNAL is for bugs, not bad input: %s\n", what, msg);
    g_failures++;
  } else {
    printf("ok: %s -> %s: %s\n", what, infer_status_code_name(infer_status_get_code(st)), msg);
  }
  infer_status_release(st);
}

/* As expect_error, and the code must be `code`. */
static void expect_code(infer_status* st, infer_status_code code, const char* what) {
  if (st != NULL && infer_status_get_code(st) != code) {
    fprintf(stderr, "FAIL: %s: expected %s, got %s: %s\n", what, infer_status_code_name(code),
            infer_status_code_name(infer_status_get_code(st)), infer_status_get_message(st));
    g_failures++;
  }
  expect_error(st, what);
}

static void* read_file(const char* path, size_t* out_len) {
  FILE* f = fopen(path, "rb");
  CHECK(f != NULL);
  CHECK(fseek(f, 0, SEEK_END) == 0);
  long len = ftell(f);
  CHECK(len > 0);
  rewind(f);
  void* buf = malloc((size_t)len);
  CHECK(buf != NULL);
  CHECK(fread(buf, 1, (size_t)len, f) == (size_t)len);
  fclose(f);
  *out_len = (size_t)len;
  return buf;
}

static void check_plugins(const infer_env* env) {
  int have_cpu = 0, have_onnx = 0;
  size_t n = infer_env_plugin_count(env);
  for (size_t i = 0; i < n; ++i) {
    infer_plugin_record rec;
    memset(&rec, 0, sizeof rec);
    rec.struct_size = sizeof rec;
    CHECK_OK(infer_env_plugin_get(env, i, &rec));
    printf("plugin %s kinds=0x%x loaded=%d path=%s%s%s\n", rec.name ? rec.name : "(none)",
           rec.kinds, rec.loaded, rec.path,
           rec.loaded ? "" : " error=", rec.loaded ? "" : rec.error);
    CHECK(rec.loaded == 0 || rec.unavailable == 0);
    if (rec.unavailable) CHECK(rec.name != NULL && rec.score <= 0 && rec.score_reason != NULL);
    if (!rec.loaded || rec.name == NULL) continue;
    printf("  device=%s format=%s extensions=%s description=%s\n", rec.device ? rec.device : "-",
           rec.format ? rec.format : "-", rec.file_extensions ? rec.file_extensions : "-",
           rec.description ? rec.description : "-");
    /* A backend names its device, a frontend its format; nothing else does. */
    CHECK((rec.device != NULL) == ((rec.kinds & INFER_PLUGIN_BACKEND) != 0));
    CHECK((rec.format != NULL) == ((rec.kinds & INFER_PLUGIN_FRONTEND) != 0));
    if (strcmp(rec.name, "cpu") == 0 && (rec.kinds & INFER_PLUGIN_BACKEND)) {
      have_cpu = 1;
      CHECK(strcmp(rec.device, "CPU") == 0);
    }
    if (strcmp(rec.name, "onnx") == 0 && (rec.kinds & INFER_PLUGIN_FRONTEND)) {
      have_onnx = 1;
      CHECK(strcmp(rec.format, "onnx") == 0);
      CHECK(rec.file_extensions != NULL && strstr(rec.file_extensions, ".onnx") != NULL);
    }
  }
  CHECK(have_cpu);
  CHECK(have_onnx);

  /* A caller built against API 0.1 passes the old, smaller struct_size: it
   * still works, and nothing past the old end is written. */
  infer_plugin_record old;
  memset(&old, 0xAB, sizeof old);
  old.struct_size = offsetof(infer_plugin_record, error) + sizeof old.error;
  CHECK_OK(infer_env_plugin_get(env, 0, &old));
  CHECK(old.path != NULL);
  const unsigned char* bytes = (const unsigned char*)&old;
  for (size_t i = offsetof(infer_plugin_record, description); i < sizeof old; ++i) {
    CHECK(bytes[i] == 0xAB);
  }

  infer_plugin_record rec;
  memset(&rec, 0, sizeof rec);
  rec.struct_size = sizeof rec;
  expect_code(infer_env_plugin_get(env, n, &rec), INFER_OUT_OF_RANGE, "plugin index == count");
  expect_code(infer_env_plugin_get(env, (size_t)-1, &rec), INFER_OUT_OF_RANGE,
              "plugin index SIZE_MAX");
  expect_code(infer_env_plugin_get(env, 0, NULL), INFER_INVALID_ARGUMENT, "plugin record NULL");
  expect_code(infer_env_plugin_get(NULL, 0, &rec), INFER_INVALID_ARGUMENT, "plugin env NULL");
  CHECK(infer_env_plugin_count(NULL) == 0);
  rec.struct_size = 0;
  expect_code(infer_env_plugin_get(env, 0, &rec), INFER_INVALID_ARGUMENT,
              "plugin record struct_size 0");
  rec.struct_size = offsetof(infer_plugin_record, error); /* one field short of API 0.1 */
  expect_code(infer_env_plugin_get(env, 0, &rec), INFER_INVALID_ARGUMENT,
              "plugin record struct_size too small");
}

/* The optimisation passes of the loaded pass plugins, in run order. */
static void check_passes(const infer_env* env) {
  size_t n = infer_env_pass_count(env);
  printf("%zu passes\n", n);
  CHECK(n > 0); /* basic_passes and cpu_passes are in the plugin folder */
  int last_level = 0, have_level1 = 0;
  infer_pass_record p;
  for (size_t i = 0; i < n; ++i) {
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    CHECK_OK(infer_env_pass_get(env, i, &p));
    printf("  pass %s level %d order %d backend %s plugin %s\n", p.name, (int)p.level, (int)p.order,
           p.backend ? p.backend : "-", p.plugin);
    CHECK(p.name != NULL && p.name[0] != '\0' && p.plugin != NULL);
    CHECK(p.level >= INFER_OPT_BASIC && p.level <= INFER_OPT_LAYOUT);
    CHECK(p.level >= last_level); /* run order: by level first */
    last_level = p.level;
    CHECK((p.backend == NULL) == (p.level == INFER_OPT_BASIC));
    if (p.level == INFER_OPT_BASIC) have_level1 = 1;
  }
  CHECK(have_level1);
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  expect_code(infer_env_pass_get(env, n, &p), INFER_OUT_OF_RANGE, "pass index == count");
  expect_code(infer_env_pass_get(env, 0, NULL), INFER_INVALID_ARGUMENT, "pass record NULL");
  expect_code(infer_env_pass_get(NULL, 0, &p), INFER_INVALID_ARGUMENT, "pass env NULL");
  CHECK(infer_env_pass_count(NULL) == 0);
  p.struct_size = sizeof p - 1;
  expect_code(infer_env_pass_get(env, 0, &p), INFER_INVALID_ARGUMENT, "pass struct_size short");
}

/* Custom operators: none in the bundled plugins (tests/custom_ops lists examples/custom_op's
 * through infer-run), so only the empty listing and its bad arguments here. */
static void check_custom_ops(const infer_env* env) {
  CHECK(infer_env_custom_op_count(env) == 0);
  CHECK(infer_env_custom_op_count(NULL) == 0);
  infer_custom_op_record op;
  memset(&op, 0, sizeof op);
  op.struct_size = sizeof op;
  expect_code(infer_env_custom_op_get(env, 0, &op), INFER_OUT_OF_RANGE, "custom op index 0");
  expect_code(infer_env_custom_op_get(env, 0, NULL), INFER_INVALID_ARGUMENT, "custom op NULL");
  expect_code(infer_env_custom_op_get(NULL, 0, &op), INFER_INVALID_ARGUMENT, "custom op env NULL");
  op.struct_size = sizeof op - 1;
  expect_code(infer_env_custom_op_get(env, 0, &op), INFER_INVALID_ARGUMENT,
              "custom op struct_size short");
}

/* The example CNN's metadata, as its exporter wrote it, in key order; and the bad arguments. */
static void check_metadata(const infer_session* s) {
  const size_t n = infer_session_metadata_count(s);
  int have_ir_version = 0, have_producer = 0;
  const char *key = NULL, *value = NULL, *last = "";
  for (size_t i = 0; i < n; ++i) {
    CHECK_OK(infer_session_metadata_get(s, i, &key, &value));
    printf("  metadata %s = %s\n", key, value);
    CHECK(strcmp(last, key) < 0); /* key order, no repeats */
    last = key;
    if (!strcmp(key, "ir_version")) have_ir_version = atoi(value) > 0;
    if (!strcmp(key, "producer_name")) have_producer = !strcmp(value, "pytorch");
  }
  CHECK(have_ir_version && have_producer);
  expect_code(infer_session_metadata_get(s, n, &key, &value), INFER_OUT_OF_RANGE,
              "metadata index == count");
  expect_code(infer_session_metadata_get(s, 0, NULL, &value), INFER_INVALID_ARGUMENT,
              "metadata key NULL");
  expect_code(infer_session_metadata_get(NULL, 0, &key, &value), INFER_INVALID_ARGUMENT,
              "metadata session NULL");
}

/* ---- logging ---------------------------------------------------------- */
typedef struct log_capture {
  int debug, info, warn, error, imported;
} log_capture;

static void capture_log(infer_log_level level, const char* message, void* user) {
  log_capture* c = (log_capture*)user;
  CHECK(message != NULL && strchr(message, '\n') == NULL);
  switch (level) {
    case INFER_LOG_DEBUG:
      c->debug++;
      break;
    case INFER_LOG_INFO:
      c->info++;
      break;
    case INFER_LOG_WARN:
      c->warn++;
      break;
    case INFER_LOG_ERROR:
      c->error++;
      break;
  }
  if (strstr(message, "imported model") != NULL) c->imported++;
}

/* Level and callback: debug messages reach the callback at level debug and
 * not at level warn; NULL goes back to stderr. */
static void check_logging(infer_env* env, const infer_session_options* opts) {
  const infer_log_level initial = infer_log_get_level();
  expect_code(infer_log_set_level((infer_log_level)4), INFER_INVALID_ARGUMENT, "log level 4");
  expect_code(infer_log_set_level((infer_log_level)-1), INFER_INVALID_ARGUMENT, "log level -1");
  CHECK(infer_log_get_level() == initial); /* a bad level changes nothing */

  log_capture c;
  memset(&c, 0, sizeof c);
  CHECK_OK(infer_log_set_callback(capture_log, &c));
  CHECK_OK(infer_log_set_level(INFER_LOG_DEBUG));
  CHECK(infer_log_get_level() == INFER_LOG_DEBUG);
  infer_session* s = NULL;
  CHECK_OK(infer_session_create(env, INFER_TEST_MODEL, opts, &s));
  infer_session_release(s);
  printf("logged at debug: %d debug, %d info, %d warn, %d error\n", c.debug, c.info, c.warn,
         c.error);
  CHECK(c.debug > 0 && c.imported == 1);

  memset(&c, 0, sizeof c);
  CHECK_OK(infer_log_set_level(INFER_LOG_WARN));
  CHECK(infer_log_get_level() == INFER_LOG_WARN);
  CHECK_OK(infer_session_create(env, INFER_TEST_MODEL, opts, &s));
  infer_session_release(s);
  CHECK(c.debug == 0 && c.info == 0 && c.imported == 0);

  CHECK_OK(infer_log_set_callback(NULL, NULL));
  CHECK_OK(infer_log_set_level(initial));
  CHECK(infer_log_get_level() == initial);
}

static void check_io_descs(const infer_session* s) {
  CHECK(infer_session_input_count(s) == 1);
  CHECK(infer_session_output_count(s) == 1);
  CHECK(strcmp(infer_session_input_name(s, 0), "input") == 0);
  CHECK(strcmp(infer_session_output_name(s, 0), "probs") == 0);

  infer_value_desc in;
  memset(&in, 0, sizeof in);
  in.struct_size = sizeof in;
  CHECK_OK(infer_session_input_desc(s, 0, &in));
  CHECK(in.dtype == INFER_DTYPE_FLOAT32);
  CHECK(in.rank == 4);
  CHECK(in.dims[0] == INFER_DIM_DYNAMIC);
  CHECK(in.dim_symbols != NULL && in.dim_symbols[0] != NULL);
  CHECK(strcmp(in.dim_symbols[0], "batch") == 0);
  CHECK(in.dims[1] == kChannels && in.dims[2] == kSide && in.dims[3] == kSide);

  infer_value_desc out;
  memset(&out, 0, sizeof out);
  out.struct_size = sizeof out;
  CHECK_OK(infer_session_output_desc(s, 0, &out));
  CHECK(out.dtype == INFER_DTYPE_FLOAT32);
  CHECK(out.rank == 2);
  CHECK(out.dims[1] == kClasses);

  /* Bad indices and pointers. */
  CHECK(infer_session_input_name(s, 1) == NULL);
  CHECK(infer_session_output_name(s, (size_t)-1) == NULL);
  CHECK(infer_session_input_count(NULL) == 0 && infer_session_output_count(NULL) == 0);
  CHECK(infer_session_input_name(NULL, 0) == NULL);
  expect_code(infer_session_input_desc(s, 1, &in), INFER_OUT_OF_RANGE, "input desc index 1");
  expect_code(infer_session_output_desc(s, 7, &out), INFER_OUT_OF_RANGE, "output desc index 7");
  expect_code(infer_session_input_desc(s, 0, NULL), INFER_INVALID_ARGUMENT, "input desc NULL");
  expect_code(infer_session_input_desc(NULL, 0, &in), INFER_INVALID_ARGUMENT,
              "input desc session NULL");
  in.struct_size = 0;
  expect_code(infer_session_input_desc(s, 0, &in), INFER_INVALID_ARGUMENT,
              "input desc struct_size 0");
}

/* Runs one input tensor and returns the single output (caller releases). */
static infer_tensor* run_one(infer_session* s, const infer_tensor* input) {
  const char* names[] = {"input"};
  const infer_tensor* inputs[] = {input};
  infer_tensor* outputs[1] = {NULL};
  CHECK_OK(infer_session_run(s, names, inputs, 1, NULL, 0, outputs));
  CHECK(outputs[0] != NULL);
  return outputs[0];
}

static void check_softmax(const infer_tensor* t) {
  CHECK(infer_tensor_dtype(t) == INFER_DTYPE_FLOAT32);
  CHECK(infer_tensor_rank(t) == 2);
  const int64_t* shape = infer_tensor_shape(t);
  CHECK(shape[0] == kBatch && shape[1] == kClasses);
  CHECK(infer_tensor_element_count(t) == (size_t)kBatch * kClasses);
  CHECK(infer_tensor_byte_size(t) == (size_t)kBatch * kClasses * sizeof(float));
  const float* p = (const float*)infer_tensor_const_data(t);
  for (int b = 0; b < kBatch; ++b) {
    double sum = 0;
    for (int c = 0; c < kClasses; ++c) {
      float v = p[b * kClasses + c];
      CHECK(v >= 0.0f && v <= 1.0f);
      sum += v;
    }
    printf("row %d sums to %.7f\n", b, sum);
    CHECK(fabs(sum - 1.0) < 1e-4);
  }
}

static void check_bad_runs(infer_session* s, float* data) {
  const int64_t shape[] = {kBatch, kChannels, kSide, kSide};
  infer_tensor* t = NULL;
  CHECK_OK(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 4, data, INPUT_ELEMS * sizeof(float), &t));
  infer_tensor* out[1] = {NULL};

  const char* wrong_name[] = {"no_such_input"};
  const infer_tensor* inputs[] = {t};
  expect_error(infer_session_run(s, wrong_name, inputs, 1, NULL, 0, out), "wrong input name");
  infer_tensor_release(t);

  /* Same bytes, 4 channels where the model wants 3. */
  const int64_t bad_shape[] = {kBatch / 2, kChannels + 1, kSide, kSide};
  CHECK(bad_shape[0] * bad_shape[1] <= kBatch * kChannels);
  CHECK_OK(infer_tensor_wrap(INFER_DTYPE_FLOAT32, bad_shape, 4, data,
                             (size_t)(bad_shape[0] * bad_shape[1]) * kSide * kSide * sizeof(float),
                             &t));
  const char* name[] = {"input"};
  inputs[0] = t;
  expect_error(infer_session_run(s, name, inputs, 1, NULL, 0, out), "wrong channel count");
  infer_tensor_release(t);

  CHECK_OK(infer_tensor_create(INFER_DTYPE_INT64, shape, 4, &t));
  inputs[0] = t;
  out[0] = (infer_tensor*)(void*)data; /* garbage the failed run must clear */
  expect_error(infer_session_run(s, name, inputs, 1, NULL, 0, out), "int64 input for float32");
  CHECK(out[0] == NULL);
  infer_tensor_release(t);

  /* NULL pointers and unknown names. */
  CHECK_OK(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 4, data, INPUT_ELEMS * sizeof(float), &t));
  inputs[0] = t;
  expect_code(infer_session_run(NULL, name, inputs, 1, NULL, 0, out), INFER_INVALID_ARGUMENT,
              "run session NULL");
  expect_code(infer_session_run(s, name, inputs, 1, NULL, 0, NULL), INFER_INVALID_ARGUMENT,
              "run out_tensors NULL");
  expect_code(infer_session_run(s, NULL, inputs, 1, NULL, 0, out), INFER_INVALID_ARGUMENT,
              "run input_names NULL");
  expect_code(infer_session_run(s, name, NULL, 1, NULL, 0, out), INFER_INVALID_ARGUMENT,
              "run inputs NULL");
  const char* null_name[] = {NULL};
  expect_code(infer_session_run(s, null_name, inputs, 1, NULL, 0, out), INFER_INVALID_ARGUMENT,
              "run input name NULL");
  const infer_tensor* null_input[] = {NULL};
  expect_code(infer_session_run(s, name, null_input, 1, NULL, 0, out), INFER_INVALID_ARGUMENT,
              "run input tensor NULL");
  expect_error(infer_session_run(s, NULL, NULL, 0, NULL, 0, out), "run without the input");
  expect_code(infer_session_run(s, name, inputs, 1, NULL, 1, out), INFER_INVALID_ARGUMENT,
              "run output_names NULL with n_outputs 1");
  const char* bad_output[] = {"no_such_output"};
  expect_code(infer_session_run(s, name, inputs, 1, bad_output, 1, out), INFER_INVALID_ARGUMENT,
              "run unknown output name");
  const char* probs[] = {"probs"};
  CHECK_OK(infer_session_run(s, name, inputs, 1, probs, 1, out));
  CHECK(out[0] != NULL && infer_tensor_rank(out[0]) == 2);
  infer_tensor_release(out[0]);
  infer_tensor_release(t);
}

/* Tensors: bad shapes, sizes and pointers; getters on NULL. */
static void check_bad_tensors(void) {
  infer_tensor* t = (infer_tensor*)(void*)&t;
  const int64_t shape[] = {2, 3};
  const int64_t negative[] = {2, -3};
  float buf[6];
  expect_code(infer_tensor_create(INFER_DTYPE_FLOAT32, shape, 2, NULL), INFER_INVALID_ARGUMENT,
              "tensor out NULL");
  expect_code(infer_tensor_create(INFER_DTYPE_FLOAT32, NULL, 2, &t), INFER_INVALID_ARGUMENT,
              "tensor shape NULL");
  CHECK(t == NULL); /* cleared on error */
  expect_error(infer_tensor_create(INFER_DTYPE_FLOAT32, shape, 65, &t), "tensor rank 65");
  expect_error(infer_tensor_create(INFER_DTYPE_FLOAT32, negative, 2, &t), "negative dim");
  expect_error(infer_tensor_create((infer_dtype)99, shape, 2, &t), "tensor dtype 99");
  const int64_t huge[] = {INT64_MAX, INT64_MAX};
  expect_error(infer_tensor_create(INFER_DTYPE_FLOAT32, huge, 2, &t), "tensor size overflow");
  expect_error(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 2, buf, sizeof buf - 4, &t),
               "wrap nbytes too small");
  expect_error(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 2, NULL, sizeof buf, &t),
               "wrap data NULL");
  CHECK(t == NULL);
  /* Rank 0: a scalar, no shape needed. */
  CHECK_OK(infer_tensor_create(INFER_DTYPE_INT32, NULL, 0, &t));
  CHECK(infer_tensor_rank(t) == 0 && infer_tensor_element_count(t) == 1);
  CHECK(infer_tensor_byte_size(t) == 4);
  infer_tensor_release(t);

  CHECK(infer_tensor_dtype(NULL) == INFER_DTYPE_UNDEFINED);
  CHECK(infer_tensor_rank(NULL) == 0 && infer_tensor_shape(NULL) == NULL);
  CHECK(infer_tensor_element_count(NULL) == 0 && infer_tensor_byte_size(NULL) == 0);
  CHECK(infer_tensor_data(NULL) == NULL && infer_tensor_const_data(NULL) == NULL);
  infer_tensor_release(NULL);
}

/* Options and session creation: bad values and pointers. */
static void check_bad_options(infer_env* env) {
  infer_session_options* opts = NULL;
  expect_code(infer_session_options_create(NULL), INFER_INVALID_ARGUMENT, "options out NULL");
  CHECK_OK(infer_session_options_create(&opts));
  expect_code(infer_session_options_set_backends(NULL, "cpu"), INFER_INVALID_ARGUMENT,
              "set_backends options NULL");
  expect_code(infer_session_options_set_backends(opts, NULL), INFER_INVALID_ARGUMENT,
              "set_backends NULL");
  expect_code(infer_session_options_set_config(opts, NULL, "1"), INFER_INVALID_ARGUMENT,
              "set_config key NULL");
  expect_code(infer_session_options_set_config(opts, "cpu.threads", NULL), INFER_INVALID_ARGUMENT,
              "set_config value NULL");
  expect_code(infer_session_options_set_dim(opts, NULL, 1), INFER_INVALID_ARGUMENT,
              "set_dim symbol NULL");
  expect_code(infer_session_options_set_dim(opts, "batch", -2), INFER_INVALID_ARGUMENT,
              "set_dim negative");
  expect_code(infer_session_options_set_optimization_level(NULL, 1), INFER_INVALID_ARGUMENT,
              "set_optimization_level options NULL");
  expect_code(infer_session_options_set_optimized_model_path(NULL, "x"), INFER_INVALID_ARGUMENT,
              "set_optimized_model_path options NULL");
  CHECK_OK(infer_session_options_set_optimized_model_path(opts, NULL)); /* turns it off */

  /* Values checked when the session is created name the key. */
  CHECK_OK(infer_session_options_set_config(opts, "placement.fallback", "sometimes"));
  infer_session* s = (infer_session*)(void*)&s;
  infer_status* st = infer_session_create(env, INFER_TEST_MODEL, opts, &s);
  CHECK(st != NULL && strstr(infer_status_get_message(st), "placement.fallback") != NULL);
  expect_error(st, "placement.fallback=sometimes");
  CHECK(s == NULL);
  infer_session_options_release(opts);

  CHECK_OK(infer_session_options_create(&opts));
  CHECK_OK(infer_session_options_set_backends(opts, "no_such_backend"));
  expect_error(infer_session_create(env, INFER_TEST_MODEL, opts, &s), "unknown backend");
  infer_session_options_release(opts);
  infer_session_options_release(NULL);

  expect_code(infer_session_create(NULL, INFER_TEST_MODEL, NULL, &s), INFER_INVALID_ARGUMENT,
              "create env NULL");
  expect_code(infer_session_create(env, NULL, NULL, &s), INFER_INVALID_ARGUMENT,
              "create path NULL");
  expect_code(infer_session_create(env, INFER_TEST_MODEL, NULL, NULL), INFER_INVALID_ARGUMENT,
              "create out NULL");
  expect_error(infer_session_create(env, INFER_TEST_PLUGIN_DIR, NULL, &s), "model is a folder");
  expect_error(infer_session_create_from_bytes(env, NULL, 10, "onnx", NULL, &s),
               "from_bytes NULL bytes");
  expect_error(infer_session_create_from_bytes(env, "x", 0, "onnx", NULL, &s),
               "from_bytes 0 bytes");
  static const char garbage[] = "this is not a model at all";
  expect_error(infer_session_create_from_bytes(env, garbage, sizeof garbage, "onnx", NULL, &s),
               "from_bytes garbage");
  expect_error(
      infer_session_create_from_bytes(env, garbage, sizeof garbage, "no_such_format", NULL, &s),
      "from_bytes unknown format");
  CHECK(s == NULL);

  /* Session getters and profiling on NULL. */
  CHECK(strcmp(infer_session_placement_report(NULL), "") == 0);
  CHECK(strcmp(infer_session_optimization_report(NULL), "") == 0);
  CHECK(infer_session_node_count(NULL) == 0);
  CHECK(infer_session_metadata_count(NULL) == 0);
  expect_code(infer_session_profile_start(NULL, 8), INFER_INVALID_ARGUMENT, "profile_start NULL");
  expect_code(infer_session_profile_stop(NULL), INFER_INVALID_ARGUMENT, "profile_stop NULL");
  expect_code(infer_session_profile_drain(NULL, NULL, NULL, NULL), INFER_INVALID_ARGUMENT,
              "profile_drain NULL");
  infer_session_release(NULL);
  infer_env_release(NULL);
}

/* Outputs the session would share with something else come back as copies:
 * "x" is the graph input itself, "weights" an initializer of the model.
 * Writing into them must change neither the caller's input nor later runs. */
static void check_outputs_own_their_data(infer_env* env) {
  infer_session* s = NULL;
  CHECK_OK(infer_session_create(env, INFER_TEST_ALIASING_MODEL, NULL, &s));
  CHECK(infer_session_output_count(s) == 3);
  float x[2] = {3.0f, 4.0f};
  const int64_t shape[] = {2};
  infer_tensor* in = NULL;
  CHECK_OK(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 1, x, sizeof x, &in));
  const char* names[] = {"x"};
  const infer_tensor* inputs[] = {in};
  const char* wanted[] = {"x", "weights", "doubled"};
  for (int round = 0; round < 2; ++round) {
    infer_tensor* out[3] = {NULL, NULL, NULL};
    CHECK_OK(infer_session_run(s, names, inputs, 1, wanted, 3, out));
    float* pass = (float*)infer_tensor_data(out[0]);
    float* weights = (float*)infer_tensor_data(out[1]);
    const float* doubled = (const float*)infer_tensor_const_data(out[2]);
    CHECK(pass != x);
    CHECK(pass[0] == 3.0f && pass[1] == 4.0f);
    CHECK(weights[0] == 1.0f && weights[1] == 2.0f); /* in the second round too */
    CHECK(doubled[0] == 6.0f && doubled[1] == 8.0f);
    pass[0] = -1.0f;
    weights[0] = -1.0f;
    CHECK(x[0] == 3.0f);
    for (int i = 0; i < 3; ++i) infer_tensor_release(out[i]);
  }
  infer_tensor_release(in);
  infer_session_release(s);
}

/* ---- concurrency -------------------------------------------------------- */
enum { kThreads = 4, kRunsPerThread = 8 };

typedef struct run_job {
  infer_session* session;
  const infer_tensor* input;
  const float* expected; /* kBatch x kClasses */
  int ok;
} run_job;

/* Runs and reads the placement report, which other threads rebuild meanwhile. */
static void* run_worker(void* arg) {
  run_job* job = (run_job*)arg;
  const char* names[] = {"input"};
  const infer_tensor* inputs[] = {job->input};
  job->ok = 1;
  for (int r = 0; r < kRunsPerThread; ++r) {
    infer_tensor* out[1] = {NULL};
    infer_status* st = infer_session_run(job->session, names, inputs, 1, NULL, 0, out);
    if (st != NULL) {
      fprintf(stderr, "concurrent run failed: %s\n", infer_status_get_message(st));
      infer_status_release(st);
      job->ok = 0;
      return NULL;
    }
    const float* p = (const float*)infer_tensor_const_data(out[0]);
    for (size_t i = 0; i < (size_t)kBatch * kClasses; ++i) {
      if (fabsf(p[i] - job->expected[i]) > 1e-6f) job->ok = 0;
    }
    infer_tensor_release(out[0]);
    /* This thread's report stays intact while the others make theirs. */
    const char* report = infer_session_placement_report(job->session);
    if (report == NULL || strstr(report, "cpu") == NULL) job->ok = 0;
  }
  return NULL;
}

typedef struct create_job {
  infer_env* env; /* NULL: the worker loads its own env */
  const infer_session_options* opts;
  int ok;
} create_job;

static void* create_worker(void* arg) {
  create_job* job = (create_job*)arg;
  infer_env* own = NULL;
  if (job->env == NULL) {
    infer_status* st = infer_env_create(INFER_TEST_PLUGIN_DIR, &own);
    if (st != NULL) {
      fprintf(stderr, "concurrent env create failed: %s\n", infer_status_get_message(st));
      infer_status_release(st);
      job->ok = 0;
      return NULL;
    }
  }
  infer_session* s = NULL;
  infer_status* st = infer_session_create(own ? own : job->env, INFER_TEST_MODEL, job->opts, &s);
  job->ok = st == NULL && s != NULL && infer_session_node_count(s) > 0;
  if (st != NULL) {
    fprintf(stderr, "concurrent create failed: %s\n", infer_status_get_message(st));
    infer_status_release(st);
  }
  infer_session_release(s);
  infer_env_release(own);
  return NULL;
}

/* Several threads run one session (sharing one input tensor) and read its
 * placement report; several threads create sessions from one env and one
 * options object, while others load envs of their own and do the same. */
static void check_concurrency(infer_env* env, const infer_session_options* opts, infer_session* s,
                              const infer_tensor* input, const float* expected) {
  pthread_t threads[kThreads];
  run_job runs[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    runs[i].session = s;
    runs[i].input = input;
    runs[i].expected = expected;
    runs[i].ok = 0;
    CHECK(pthread_create(&threads[i], NULL, run_worker, &runs[i]) == 0);
  }
  for (int i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(runs[i].ok);
  }
  create_job creates[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    creates[i].env = i % 2 == 0 ? env : NULL; /* half share env, half load their own */
    creates[i].opts = opts;
    creates[i].ok = 0;
    CHECK(pthread_create(&threads[i], NULL, create_worker, &creates[i]) == 0);
  }
  for (int i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(creates[i].ok);
  }
  printf("concurrency: %d threads x %d runs, %d sessions (and %d envs) created at once\n", kThreads,
         kRunsPerThread, kThreads, kThreads / 2);
}

static void count_partition_events(const infer_profile_event* e, void* user) {
  CHECK(e->struct_size == sizeof(infer_profile_event));
  CHECK(e->duration_ns >= 0 && e->start_ns >= 0);
  if (strcmp(e->category, "partition") == 0 && strcmp(e->backend, "cpu") == 0) {
    ++*(size_t*)user;
  }
}

/* Two profiled runs give one event per partition each; misuse is an error. */
static void check_profiling(infer_session* s, const infer_tensor* input) {
  expect_error(infer_session_profile_start(s, 0), "profile ring of 0 events");
  expect_error(infer_session_profile_stop(s), "stop without start");
  CHECK_OK(infer_session_profile_start(s, 64));
  expect_error(infer_session_profile_start(s, 64), "second start");
  expect_error(infer_session_profile_drain(s, count_partition_events, NULL, NULL),
               "drain while profiling");
  infer_tensor_release(run_one(s, input));
  infer_tensor_release(run_one(s, input));
  CHECK_OK(infer_session_profile_stop(s));
  size_t events = 0, dropped = 99;
  CHECK_OK(infer_session_profile_drain(s, count_partition_events, &events, &dropped));
  CHECK(events == 2);
  CHECK(dropped == 0);
  expect_error(infer_session_profile_drain(s, count_partition_events, &events, NULL),
               "drain twice");
}

/* Version numbers, static strings, and NULL statuses. */
static void check_misc(void) {
  CHECK(infer_test_abi_layout_checked());
  uint32_t api_major = 99, api_minor = 99, abi_major = 99, abi_minor = 99;
  infer_api_version(&api_major, &api_minor, &abi_major, &abi_minor);
  printf("C API %u.%u, plugin ABI %u.%u\n", api_major, api_minor, abi_major, abi_minor);
  CHECK(api_major == INFER_API_VERSION_MAJOR && api_minor == INFER_API_VERSION_MINOR);
  CHECK(abi_major == INFER_PLUGIN_ABI_MAJOR && abi_minor == INFER_PLUGIN_ABI_MINOR);
  infer_api_version(NULL, NULL, NULL, NULL); /* every out may be NULL */
  CHECK(strcmp(infer_dtype_name(INFER_DTYPE_FLOAT32), "float32") == 0);
  CHECK(strcmp(infer_dtype_name((infer_dtype)99), "undefined") == 0);
  CHECK(infer_dtype_size(INFER_DTYPE_FLOAT16) == 2 && infer_dtype_size((infer_dtype)99) == 0);
  CHECK(strcmp(infer_status_code_name(INFER_NOT_FOUND), "NOT_FOUND") == 0);
  CHECK(strcmp(infer_status_code_name((infer_status_code)99), "INTERNAL") == 0);
  CHECK(infer_status_get_code(NULL) == INFER_OK);
  CHECK(strcmp(infer_status_get_message(NULL), "") == 0);
  infer_status_release(NULL);
}

int main(void) {
  printf("infer %s, plugins from %s\n", infer_version_string(), INFER_TEST_PLUGIN_DIR);
  check_misc();
  infer_env* no_env = NULL;
  expect_code(infer_env_create("/nonexistent/infer/plugins", &no_env), INFER_NOT_FOUND,
              "missing plugin folder");
  infer_env_release(no_env); /* NULL unless the check above failed */
  expect_code(infer_env_create(NULL, &no_env), INFER_INVALID_ARGUMENT,
              "no plugin folder (INFER_PLUGIN_PATH unset)");
  expect_code(infer_env_create(INFER_TEST_PLUGIN_DIR, NULL), INFER_INVALID_ARGUMENT,
              "env out NULL");

  infer_env* env = NULL;
  CHECK_OK(infer_env_create(INFER_TEST_PLUGIN_DIR, &env));
  check_plugins(env);
  check_passes(env);
  check_custom_ops(env);

  /* The library finds its own plugins folder (here the build tree's). */
  const char* default_dir = infer_env_default_plugin_dir();
  printf("default plugin folder: %s\n", default_dir);
  CHECK(default_dir != NULL && default_dir[0] != '\0');
  infer_env* default_env = NULL;
  CHECK_OK(infer_env_create(default_dir, &default_env));
  CHECK(infer_env_plugin_count(default_env) == infer_env_plugin_count(env));
  infer_env_release(default_env);
  check_bad_options(env);
  check_bad_tensors();

  infer_session_options* opts = NULL;
  CHECK_OK(infer_session_options_create(&opts));
  CHECK_OK(infer_session_options_set_backends(opts, "cpu"));
  expect_error(infer_session_options_set_optimization_level(opts, 4), "optimization level 4");
  expect_error(infer_session_options_set_optimization_level(opts, -1), "optimization level -1");
  CHECK_OK(infer_session_options_set_optimization_level(opts, 3));
  check_logging(env, opts);

  infer_session* missing = NULL;
  expect_error(infer_session_create(env, "/nonexistent/model.onnx", opts, &missing),
               "missing model file");
  CHECK(missing == NULL);

  infer_session* s = NULL;
  CHECK_OK(infer_session_create(env, INFER_TEST_MODEL, opts, &s));
  check_io_descs(s);
  const char* report = infer_session_placement_report(s);
  printf("placement:\n%s\n", report ? report : "(none)");
  const char* optimization = infer_session_optimization_report(s);
  CHECK(optimization != NULL && strncmp(optimization, "optimization level 3", 20) == 0);
  CHECK(infer_session_node_count(s) > 0);
  printf("%s(%zu nodes)\n", optimization, infer_session_node_count(s));
  check_metadata(s);

  /* Deterministic input in [-1, 1), wrapped without a copy. */
  float* data = malloc(INPUT_ELEMS * sizeof(float));
  CHECK(data != NULL);
  unsigned seed = 12345u;
  for (size_t i = 0; i < INPUT_ELEMS; ++i) {
    seed = seed * 1103515245u + 12345u;
    data[i] = (float)((seed >> 8) & 0xFFFF) / 32768.0f - 1.0f;
  }
  const int64_t shape[] = {kBatch, kChannels, kSide, kSide};
  infer_tensor* wrapped = NULL;
  CHECK_OK(infer_tensor_wrap(INFER_DTYPE_FLOAT32, shape, 4, data, INPUT_ELEMS * sizeof(float),
                             &wrapped));
  CHECK(infer_tensor_const_data(wrapped) == data);
  infer_tensor* out_file = run_one(s, wrapped);
  check_softmax(out_file);
  check_profiling(s, wrapped);

  /* The same model from bytes, fed through a tensor the library allocated. */
  size_t len = 0;
  void* bytes = read_file(INFER_TEST_MODEL, &len);
  infer_session* s_bytes = NULL;
  CHECK_OK(infer_session_create_from_bytes(env, bytes, len, "onnx", opts, &s_bytes));
  free(bytes); /* the session must not keep pointing at the caller's bytes */
  infer_tensor* owned = NULL;
  CHECK_OK(infer_tensor_create(INFER_DTYPE_FLOAT32, shape, 4, &owned));
  CHECK(infer_tensor_byte_size(owned) == INPUT_ELEMS * sizeof(float));
  memcpy(infer_tensor_data(owned), data, INPUT_ELEMS * sizeof(float));
  infer_tensor* out_bytes = run_one(s_bytes, owned);
  check_softmax(out_bytes);
  const float* a = (const float*)infer_tensor_const_data(out_file);
  const float* b = (const float*)infer_tensor_const_data(out_bytes);
  for (size_t i = 0; i < (size_t)kBatch * kClasses; ++i) CHECK(fabsf(a[i] - b[i]) < 1e-6f);

  check_bad_runs(s, data);
  check_outputs_own_their_data(env);
  check_concurrency(env, opts, s, wrapped, a);

  infer_tensor_release(out_bytes);
  infer_tensor_release(owned);
  infer_session_release(s_bytes);
  infer_tensor_release(out_file);
  infer_tensor_release(wrapped);
  free(data);
  infer_session_release(s);
  infer_session_options_release(opts);
  infer_env_release(env);

  if (g_failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
