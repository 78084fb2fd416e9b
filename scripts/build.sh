#!/usr/bin/env bash
# Configures and builds a Release tree with Ninja in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DINFER_TEST_PYTHON="$PWD/.venv/bin/python" -DINFER_TORCH_PYTHON=/usr/bin/python3
cmake --build build
