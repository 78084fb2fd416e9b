#!/usr/bin/env bash
# From a fresh clone: set up, build, and run the example CNN with infer-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
set -x
build/bin/infer-run --list-plugins
build/bin/infer-run examples/models/small_cnn.onnx --dim batch=2 --seed 1
# The same model optimised once and saved in infer's own format, then run from that file.
build/bin/infer-opt examples/models/small_cnn.onnx --dim batch=2 -o build/small_cnn.inferopt -v
build/bin/infer-run build/small_cnn.inferopt --seed 1 --report
# Placed on the simulated NPU first and the CPU for what it refuses: partitions, copies,
# refusals and simulated cycles in the report.
build/bin/infer-run examples/models/small_cnn.onnx --dim batch=1 --seed 1 --backends npu_sim,cpu --report
