/* A program outside the engine's tree: loads the installed plugins, runs a model with a zero
 * input of the given shape and prints each output's name and shape. Uses only infer/infer.h. */
#include <infer/infer.h>
#include <stdio.h>
#include <stdlib.h>

static int check(infer_status* st) {
  if (!st) return 0;
  fprintf(stderr, "run_model: %s\n", infer_status_get_message(st));
  infer_status_release(st);
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: run_model PLUGIN_DIR MODEL DIM...\n");
    return 2;
  }
  int64_t shape[8];
  size_t rank = 0;
  for (int i = 3; i < argc && rank < 8; ++i) shape[rank++] = atoll(argv[i]);
  infer_env* env = NULL;
  infer_session* session = NULL;
  infer_tensor* input = NULL;
  infer_tensor* outputs[8] = {0};
  int rc = 1;
  if (check(infer_env_create(argv[1], &env))) goto done;
  if (check(infer_session_create(env, argv[2], NULL, &session))) goto done;
  size_t n_out = infer_session_output_count(session);
  if (infer_session_input_count(session) != 1 || n_out > 8) {
    fprintf(stderr, "run_model: expects one input and at most 8 outputs\n");
    goto done;
  }
  if (check(infer_tensor_create(INFER_DTYPE_FLOAT32, shape, rank, &input))) goto done;
  const char* in_name = infer_session_input_name(session, 0);
  const infer_tensor* inputs[1] = {input};
  if (check(infer_session_run(session, &in_name, inputs, 1, NULL, 0, outputs))) goto done;
  printf("infer %s\n", infer_version_string());
  for (size_t i = 0; i < n_out; ++i) {
    printf("%s:", infer_session_output_name(session, i));
    const int64_t* s = infer_tensor_shape(outputs[i]);
    for (size_t d = 0; d < infer_tensor_rank(outputs[i]); ++d) printf(" %lld", (long long)s[d]);
    printf("\n");
    infer_tensor_release(outputs[i]);
  }
  rc = 0;
done:
  infer_tensor_release(input);
  infer_session_release(session);
  infer_env_release(env);
  return rc;
}
