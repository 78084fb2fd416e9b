#!/usr/bin/env bash
# test_installed.sh BUILD_DIR SOURCE_DIR CMAKE PYTHON: installs the engine and the Python
# package into a temporary folder and runs python/tests against the installed copies.
set -euo pipefail
build=$1 src=$2 cmake=$3 python=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cmake" --install "$build" --prefix "$work/prefix" >/dev/null

# pip builds in the folder it is given: build from a copy, so python/ stays clean and
# parallel runs cannot collide. No network: the build backend (setuptools, wheel) comes
# from the test Python (tests/requirements.txt), numpy is already there.
cp -r "$src/python" "$work/package"
rm -rf "$work/package/build" "$work/package"/*.egg-info "$work/package/infer/_engine"
"$python" -m pip install --no-deps --no-build-isolation --no-index --disable-pip-version-check \
  -q --target "$work/site" "$work/package"

# The installed package finds the installed engine through pkg-config, as after
# `cmake --install` with PKG_CONFIG_PATH set. INFER_TEST_* tell the tests what to expect.
export PYTHONPATH=$work/site PKG_CONFIG_PATH=$work/prefix/lib/pkgconfig
export INFER_TEST_INSTALLED=$work/site INFER_TEST_PREFIX=$work/prefix PYTHONDONTWRITEBYTECODE=1
cd "$work"  # nothing importable in the working folder
"$python" -m pytest -q -rs -p no:cacheprovider "$src/python/tests"
