"""The OpenCL backend on PoCL: ResNet-18, MobileNetV2 and the transformer
encoder on opencl,cpu match cpu alone within 1e-4, the report shows the split
and the kernel times on the device; without any OpenCL platform the backend is
listed as unavailable and opencl,cpu falls back to cpu with a warning."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "placement"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "optimizer"))
from levels import make_feeds  # noqa: E402
from placement_util import (INFER_RUN, PLUGIN_DIR, partitions, session,  # noqa: E402
                            zoo_model)

MODELS = [
    ("resnet18", {"batch": 1}),
    ("mobilenet_v2", {"batch": 1}),
    ("transformer_encoder", {"batch": 1, "seq": 128}),
]


@pytest.mark.parametrize("name, dims", MODELS, ids=[m[0] for m in MODELS])
def test_model_on_opencl_matches_cpu(name, dims):
    path = zoo_model(name)
    inputs = make_feeds(path, dims)
    want = session(path, backends="cpu", dims=dims).run(None, inputs)
    sess = session(path, backends="opencl,cpu", dims=dims)
    got = sess.run(None, inputs)
    for g, w in zip(got, want):
        scale = max(float(np.abs(w).max()), 1e-6)
        err = float(np.abs(g.astype(np.float64) - w).max()) / scale
        assert err < 1e-4, f"{name}: max abs diff / max |ref| = {err:.3g}"
    report = sess.placement_report()
    print(f"\n{name}:\n{report}")
    placed = partitions(report)
    assert any(b == "opencl" for b, _, _ in placed), report
    # The backend's own lines (kernel times on the device) under its partitions.
    assert any(line.strip().startswith("|") for line in report.splitlines()), report


def run_without_platforms(tmp_path, *args):
    import subprocess

    vendors = tmp_path / "no_vendors"
    vendors.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "INFER_PLUGIN_PATH"}
    env["OCL_ICD_VENDORS"] = str(vendors)
    return subprocess.run([str(INFER_RUN), "--plugins", str(PLUGIN_DIR), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def test_no_platform_lists_opencl_as_unavailable(tmp_path):
    proc = run_without_platforms(tmp_path, "--list-plugins")
    assert proc.returncode == 0, proc.stderr
    line = next((l for l in proc.stdout.splitlines() if "libinfer_opencl.so" in l), "")
    assert "opencl" in line and "UNAVAILABLE" in line, proc.stdout
    assert "platform" in line.lower(), line  # the reason names what is missing


def test_no_platform_falls_back_to_cpu_with_a_warning(tmp_path):
    model = Path(os.environ.get("INFER_SOURCE_DIR", Path(__file__).resolve().parents[2])) / \
        "examples" / "models" / "small_cnn.onnx"
    proc = run_without_platforms(tmp_path, model, "--backends", "opencl,cpu", "--report")
    assert proc.returncode == 0, proc.stderr
    warnings = [l for l in proc.stderr.splitlines() if "opencl" in l]
    assert len(warnings) == 1 and "unavailable" in warnings[0], proc.stderr
    assert {b for b, _, _ in partitions(proc.stdout)} == {"cpu"}, proc.stdout
