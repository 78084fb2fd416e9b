#!/usr/bin/env bash
# examples/c_api_consumer, built against the installed prefix with find_package(infer) and
# with pkg-config. Run by install_test.sh, which exports INSTALL_PREFIX/WORK/SRC/CMAKE.
set -euo pipefail
prefix=$INSTALL_PREFIX work=$INSTALL_WORK src=$INSTALL_SRC cmake=$INSTALL_CMAKE
fail() { echo "check_c_api_consumer: $*" >&2; exit 1; }

# find_package(infer) from a project outside the tree.
"$cmake" -S "$src/examples/c_api_consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$work/consumer" >/dev/null
out=$("$work/consumer/run_model" "$prefix/lib/infer/plugins" "$src/examples/models/small_cnn.onnx" \
      2 3 32 32)
grep -q "^probs: 2 10$" <<<"$out" || fail "find_package consumer printed: $out"

# pkg-config, with a plain compiler line.
cflags_libs=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs infer)
cc -std=c11 "$src/examples/c_api_consumer/run_model.c" $cflags_libs -Wl,-rpath,"$prefix/lib" \
  -o "$work/run_model_pc"
"$work/run_model_pc" "$prefix/lib/infer/plugins" "$src/examples/models/mlp.onnx" 1 16 |
  grep -q "^probs: 1 10$" || fail "pkg-config consumer failed"

