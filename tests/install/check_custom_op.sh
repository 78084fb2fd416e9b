#!/usr/bin/env bash
# examples/custom_op, built out of tree against the installed prefix, dropped into a plugins
# folder and used by the installed infer-run on a model with com.example ops; its outputs must
# match the same network in standard ops. Run by install_test.sh (INSTALL_* exported).
set -euo pipefail
prefix=$INSTALL_PREFIX work=$INSTALL_WORK src=$INSTALL_SRC cmake=$INSTALL_CMAKE
fail() { echo "check_custom_op: $*" >&2; exit 1; }
example=$src/examples/custom_op

"$cmake" -S "$example" -B "$work/custom_op" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
"$cmake" --build "$work/custom_op" >/dev/null
exported=$(nm -D --defined-only "$work/custom_op/libinfer_example_ops.so" | awk '{print $3}' | xargs)
[[ $exported == infer_plugin_entry ]] ||
  fail "infer_add_plugin should export only infer_plugin_entry, not: $exported"
mkdir -p "$work/my_plugins"
cp "$work/custom_op/libinfer_example_ops.so" "$work/my_plugins/"

run=("$prefix/bin/infer-run" --plugins "$prefix/lib/infer/plugins" --plugins "$work/my_plugins")
"${run[@]}" --list-plugins | grep -q "example_ops.*custom-ops" ||
  fail "--list-plugins does not show example_ops as a custom-ops plugin"
"${run[@]}" "$example/example_ops_model.onnx" --dim batch=2 --seed 5 --report \
  --output-dir "$work/custom_out" >"$work/custom_report.txt" 2>&1 ||
  fail "infer-run failed on the custom-op model: $(tail -5 "$work/custom_report.txt")"
grep -q "BiasGelu" "$work/custom_report.txt" || fail "the report does not show BiasGelu"
"${run[@]}" "$example/example_ops_reference.onnx" --dim batch=2 --seed 5 \
  --output-dir "$work/reference_out" >/dev/null 2>&1 || fail "infer-run failed on the reference"
python3 - "$work/custom_out/logits.npy" "$work/reference_out/logits.npy" <<'PY' ||
import sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
err = float(np.max(np.abs(a - b)))
print(f"check_custom_op: custom vs standard ops, max abs diff {err:.2e} over {a.shape}")
sys.exit(0 if a.shape == b.shape == (2, 10) and err < 1e-4 else 1)
PY
  fail "the custom-op model's outputs differ from its standard twin's"

# Without the plugin: a clear error that names the op and its domain, not a crash.
if out=$("$prefix/bin/infer-run" "$example/example_ops_model.onnx" --dim batch=1 2>&1); then
  fail "the model ran without its plugin"
fi
grep -q "com.example" <<<"$out" || fail "error without the plugin does not name the domain: $out"
