#!/usr/bin/env bash
# examples/minimal_backend, built out of tree against the installed prefix with find_package(infer)
# and infer_add_plugin, dropped into a plugin folder of its own and used by the installed
# infer-run: it must be listed, run every node of mlp.onnx, match the cpu backend, refuse with
# reasons, and survive concurrent profiled runs. Run by install_test.sh, which exports
# INSTALL_PREFIX/WORK/SRC/CMAKE.
set -euo pipefail
prefix=$INSTALL_PREFIX work=$INSTALL_WORK/minimal_backend src=$INSTALL_SRC cmake=$INSTALL_CMAKE
fail() { echo "check_minimal_backend: $*" >&2; exit 1; }
mkdir -p "$work/plugins"
model=$src/examples/models/mlp.onnx
run=("$prefix/bin/infer-run" --plugins "$prefix/lib/infer/plugins:$work/plugins")

# Build it the way a vendor would, with only the installed package.
"$cmake" -S "$src/examples/minimal_backend" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$work/build" >/dev/null
cp "$work/build/libinfer_minimal.so" "$work/plugins/"
nm -D --defined-only "$work/plugins/libinfer_minimal.so" | grep -q ' T infer_plugin_entry$' ||
  fail "libinfer_minimal.so does not export infer_plugin_entry"

# Listed, through --plugins and through INFER_PLUGIN_PATH beside the installed plugins.
out=$("${run[@]}" --list-plugins)
grep -Eq "^  minimal +backend +v0\.1\.0 +ABI 1\.[0-9]+ +vendor example .*/libinfer_minimal\.so$" \
  <<<"$out" || fail "--list-plugins does not list minimal: $out"
grep -q "FAILED" <<<"$out" && fail "a plugin failed to load: $out"
INFER_PLUGIN_PATH=$work/plugins "$prefix/bin/infer-run" --list-plugins | grep -q "^  minimal " ||
  fail "INFER_PLUGIN_PATH=$work/plugins does not add minimal"

# max |a - b| over two float32 .npy files of the same shape (standard library only).
max_diff() {
  python3 - "$1" "$2" <<'EOF'
import array, struct, sys
def load(path):
    raw = open(path, "rb").read()
    assert raw[:6] == b"\x93NUMPY", path
    hlen = struct.unpack("<H", raw[8:10])[0] if raw[6] == 1 else struct.unpack("<I", raw[8:12])[0]
    start = (10 if raw[6] == 1 else 12) + hlen
    header = raw[start - hlen:start].decode()
    assert "'<f4'" in header and "False" in header, header
    return header.split("'shape':")[1].split(")")[0], array.array("f", raw[start:])
(sa, a), (sb, b) = load(sys.argv[1]), load(sys.argv[2])
assert sa == sb and len(a) == len(b) and len(a) > 0, (sa, sb)
print("%.3g" % max(abs(x - y) for x, y in zip(a, b)))
EOF
}

# Every node on minimal (--fallback error fails on any refusal), outputs as the cpu backend's.
common=("$model" --dim batch=4 --seed 7)
"${run[@]}" "${common[@]}" --backends cpu --output-dir "$work/cpu" >/dev/null
out=$("${run[@]}" "${common[@]}" --backends minimal,cpu --fallback error --report \
      --output-dir "$work/min")
grep -q "^placement: 1 partition(s), 0 copies, 7 node(s)" <<<"$out" &&
  grep -q "^  partition 0: minimal (host (minimal example)), 7 node(s): Add x1, Gemm x2, MatMul x1, Relu x2, Softmax x1$" <<<"$out" &&
  grep -q "^    | minimal: 7 instructions (Add 1, Gemm 2, MatMul 1, Relu 2, Softmax 1)" <<<"$out" ||
  fail "the report does not place all 7 nodes on minimal: $out"
diff=$(max_diff "$work/min/probs.npy" "$work/cpu/probs.npy")
python3 -c "import sys; sys.exit(0 if float('$diff') <= 1e-5 else 1)" ||
  fail "minimal differs from cpu by $diff"
echo "check_minimal_backend: all 7 nodes on minimal, max |minimal - cpu| = $diff"

# Split placement: Add and Softmax refused on request (minimal.disable_ops), copies between.
out=$("${run[@]}" "${common[@]}" --backends minimal,cpu --min-partition 1 --report \
      --config minimal.disable_ops=Add,Softmax --output-dir "$work/split" 2>/dev/null)
grep -q "^placement: 4 partition(s), 3 copies, 7 node(s)" <<<"$out" &&
  grep -q "refused by minimal: Add node '/Add': op Add is disabled by minimal.disable_ops" \
    <<<"$out" || fail "minimal.disable_ops=Add,Softmax did not split the graph: $out"
diff=$(max_diff "$work/split/probs.npy" "$work/cpu/probs.npy")
python3 -c "import sys; sys.exit(0 if float('$diff') <= 1e-5 else 1)" ||
  fail "the split placement differs from cpu by $diff"

# A refusal names what is wrong: without --dim the batch is dynamic.
if err=$("${run[@]}" "$model" --backends minimal --fallback error -O 0 2>&1); then
  fail "a dynamic batch was accepted: $err"
fi
grep -q "minimal: tensor 'input' has a dynamic shape \[?,16\]; minimal needs static shapes" \
  <<<"$err" || fail "no dynamic-shape reason in: $err"

# Concurrent runs of one session on minimal give the single-threaded result, and a profiled run
# carries minimal's per-instruction events (ABI 1.4). A C program over infer/infer.h.
cat >"$work/threads.c" <<'EOF'
#include <infer/infer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kThreads = 8, kRuns = 25 };
static infer_session* session;
static infer_tensor* input;
static float expected[40];
static int mismatches, node_events;

static void check(infer_status* st) {
  if (!st) return;
  fprintf(stderr, "threads: %s\n", infer_status_get_message(st));
  exit(1);
}
static void run_once(float* out) {
  const char* name = "input";
  const infer_tensor* in[1] = {input};
  infer_tensor* y = NULL;
  check(infer_session_run(session, &name, in, 1, NULL, 0, &y));
  memcpy(out, infer_tensor_const_data(y), sizeof expected);
  infer_tensor_release(y);
}
static void* worker(void* arg) {
  (void)arg;
  for (int r = 0; r < kRuns; ++r) {
    float got[40];
    run_once(got);
    if (memcmp(got, expected, sizeof got)) __atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
  }
  return NULL;
}
static void on_event(const infer_profile_event* e, void* user) {
  (void)user;
  if (!strcmp(e->category, "node") && !strcmp(e->backend, "minimal")) ++node_events;
}
int main(int argc, char** argv) {
  infer_env* env = NULL;
  infer_session_options* opts = NULL;
  check(infer_env_create(argv[1], &env));
  check(infer_session_options_create(&opts));
  check(infer_session_options_set_backends(opts, "minimal"));
  check(infer_session_options_set_config(opts, "placement.fallback", "error"));
  check(infer_session_options_set_dim(opts, "batch", 4));
  check(infer_session_create(env, argv[2], opts, &session));
  const int64_t shape[2] = {4, 16};
  check(infer_tensor_create(INFER_DTYPE_FLOAT32, shape, 2, &input));
  float* x = infer_tensor_data(input);
  for (int i = 0; i < 64; ++i) x[i] = (float)((i * 37) % 11) / 5.0f - 1.0f;
  run_once(expected);
  check(infer_session_profile_start(session, 100000));
  pthread_t t[kThreads];
  for (int i = 0; i < kThreads; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < kThreads; ++i) pthread_join(t[i], NULL);
  check(infer_session_profile_stop(session));
  check(infer_session_profile_drain(session, on_event, NULL, NULL));
  printf("runs %d mismatches %d node_events %d\n", kThreads * kRuns, mismatches, node_events);
  infer_tensor_release(input);
  infer_session_release(session);
  infer_session_options_release(opts);
  infer_env_release(env);
  return 0;
}
EOF
cc -std=c11 -O1 "$work/threads.c" $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags \
  --libs infer) -lpthread -Wl,-rpath,"$prefix/lib" -o "$work/threads"
out=$("$work/threads" "$prefix/lib/infer/plugins:$work/plugins" "$model")
[[ $out == "runs 200 mismatches 0 node_events 1400" ]] ||
  fail "concurrent runs on minimal: $out (want 200 runs, 0 mismatches, 7 node events per run)"
echo "check_minimal_backend: 8 threads x 25 runs identical, 1400 profile events"

# Custom operators on minimal: examples/custom_op (built by check_custom_op.sh, which runs first)
# ships kernels for "cpu" and "minimal"; minimal claims its nodes and runs them through the host.
example_ops=$INSTALL_WORK/my_plugins/libinfer_example_ops.so
[[ -f $example_ops ]] || fail "$example_ops missing: check_custom_op.sh builds it first"
cp "$example_ops" "$work/plugins/"
custom=$src/examples/custom_op
"${run[@]}" "$custom/example_ops_reference.onnx" --dim batch=2 --seed 9 --backends cpu \
  --output-dir "$work/custom_ref" >/dev/null 2>&1 || fail "the reference model failed on cpu"
out=$("${run[@]}" "$custom/example_ops_model.onnx" --dim batch=2 --seed 9 --backends minimal,cpu \
      --min-partition 1 --report --output-dir "$work/custom_min" 2>&1) ||
  fail "the custom-op model failed on minimal,cpu: $out"
grep -Eq "^  partition [0-9]+: minimal .*ChannelShuffle x1" <<<"$out" &&
  grep -Eq "^  partition [0-9]+: minimal .*BiasGelu x1" <<<"$out" ||
  fail "minimal did not take the custom nodes: $out"
diff=$(python3 - "$work/custom_min/logits.npy" "$work/custom_ref/logits.npy" <<'PY'
import sys
import numpy as np
print("%.3g" % float(np.max(np.abs(np.load(sys.argv[1]) - np.load(sys.argv[2])))))
PY
)
python3 -c "import sys; sys.exit(0 if float('$diff') <= 1e-4 else 1)" ||
  fail "custom ops on minimal differ from the standard-op twin on cpu by $diff"
echo "check_minimal_backend: custom ops on minimal, max |custom - standard twin| = $diff"
