/*
 * Runs the example CNN through the public C API, compiled as C11: proves the
 * header is plain C and that a language binding can do everything it needs.
 * Exits non-zero on the first failed check.
 */
#include <math.h>
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
  } else {
    printf("ok: %s -> %s: %s\n", what, infer_status_code_name(infer_status_get_code(st)), msg);
  }
  infer_status_release(st);
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
    if (!rec.loaded || rec.name == NULL) continue;
    if (strcmp(rec.name, "cpu") == 0 && (rec.kinds & INFER_PLUGIN_BACKEND)) have_cpu = 1;
    if (strcmp(rec.name, "onnx") == 0 && (rec.kinds & INFER_PLUGIN_FRONTEND)) have_onnx = 1;
  }
  CHECK(have_cpu);
  CHECK(have_onnx);
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
  expect_error(infer_session_run(s, name, inputs, 1, NULL, 0, out), "int64 input for float32");
  infer_tensor_release(t);
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

int main(void) {
  printf("infer %s, plugins from %s\n", infer_version_string(), INFER_TEST_PLUGIN_DIR);
  infer_env* no_env = NULL;
  expect_error(infer_env_create("/nonexistent/infer/plugins", &no_env), "missing plugin folder");
  infer_env_release(no_env); /* NULL unless the check above failed */

  infer_env* env = NULL;
  CHECK_OK(infer_env_create(INFER_TEST_PLUGIN_DIR, &env));
  check_plugins(env);

  infer_session_options* opts = NULL;
  CHECK_OK(infer_session_options_create(&opts));
  CHECK_OK(infer_session_options_set_backends(opts, "cpu"));
  expect_error(infer_session_options_set_optimization_level(opts, 4), "optimization level 4");
  expect_error(infer_session_options_set_optimization_level(opts, -1), "optimization level -1");
  CHECK_OK(infer_session_options_set_optimization_level(opts, 3));

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
