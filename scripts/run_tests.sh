#!/usr/bin/env bash
# From a fresh clone: set up, build, and run every test (gtest, the C API
# program, the pytest integration suites) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
