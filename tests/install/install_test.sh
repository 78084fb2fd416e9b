#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR CMAKE: installs the build into a temporary prefix and
# uses it the way a third party would.
set -euo pipefail
build=$1 src=$2 cmake=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "install_test: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" >/dev/null

# The layout: versioned core library, public headers, plugins, apps, CMake and pkg-config files.
for f in lib/libinfer.so lib/libinfer.so.0 include/infer/infer.h include/infer/plugin_api.h \
         include/infer/plugin_cxx.hpp include/infer/node_snapshot.hpp \
         lib/infer/plugins/libinfer_cpu.so lib/infer/plugins/libinfer_onnx.so \
         bin/infer-run bin/infer-bench bin/infer-opt \
         lib/cmake/infer/inferConfig.cmake lib/cmake/infer/inferConfigVersion.cmake \
         lib/pkgconfig/infer.pc; do
  [[ -e $prefix/$f ]] || fail "missing $f in the installed prefix"
done
soname=$(readelf -d "$prefix/lib/libinfer.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[[ $soname == libinfer.so.0 ]] || fail "soname is '$soname', expected libinfer.so.0"
if ls "$prefix"/lib/infer/plugins | grep -q fake; then fail "test plugins were installed"; fi

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

# The installed app finds the installed plugins without --plugins.
"$prefix/bin/infer-run" "$src/examples/models/mlp.onnx" --dim batch=1 >/dev/null ||
  fail "installed infer-run could not run without --plugins"
echo "install_test: ok ($prefix)"
