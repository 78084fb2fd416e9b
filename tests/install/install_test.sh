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

# The installed app finds the installed plugins without --plugins.
"$prefix/bin/infer-run" "$src/examples/models/mlp.onnx" --dim batch=1 >/dev/null ||
  fail "installed infer-run could not run without --plugins"

# Each check_*.sh beside this script builds one example out of tree against the prefix.
export INSTALL_PREFIX=$prefix INSTALL_WORK=$work INSTALL_SRC=$src INSTALL_CMAKE=$cmake
for check in "$(dirname "$0")"/check_*.sh; do
  echo "install_test: $(basename "$check")"
  bash "$check" || fail "$(basename "$check") failed"
done
echo "install_test: ok ($prefix)"
