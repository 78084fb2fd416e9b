"""Shared helpers for the placement tests: paths, small graphs that force a
placement, and readers for the placement report. (Imported by module name:
pytest puts this folder on sys.path.)"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from infer import InferenceSession

SOURCE_DIR = Path(os.environ.get("INFER_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD_DIR = SOURCE_DIR / "build"
PLUGIN_DIR = Path(os.environ.get("INFER_PLUGIN_DIR", BUILD_DIR / "plugins"))
MODEL_ZOO_DIR = Path(os.environ.get("INFER_MODEL_ZOO_DIR", BUILD_DIR / "model_zoo"))
INFER_RUN = Path(os.environ.get("INFER_RUN", BUILD_DIR / "bin" / "infer-run"))
ERROR_PREFIX = "infer-run: error: "

CHANNELS = 8


def session(path, backends="npu_sim,cpu", dims=None, **config):
    """A session on `backends` with placement.* / session.* keys given as
    keyword arguments (min_partition_size=1 -> placement.min_partition_size)."""
    keys = {"fallback": "placement.fallback", "min_partition_size": "placement.min_partition_size",
            "pin": "placement.pin", "exclude": "placement.exclude",
            "inter_op_threads": "session.inter_op_threads"}
    cfg = {keys.get(k, k): str(v) for k, v in config.items()}
    return InferenceSession(str(path), backends=backends, plugins=str(PLUGIN_DIR), config=cfg,
                            dims=dims)


def run_infer(*args, timeout=300):
    env = {k: v for k, v in os.environ.items() if k != "INFER_PLUGIN_PATH"}
    return subprocess.run([str(INFER_RUN), "--plugins", str(PLUGIN_DIR), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout, check=False)


def clean_error(proc) -> str:
    """The one-line error of a failed infer-run (never a crash)."""
    detail = f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert 0 < proc.returncode < 128, detail
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), detail
    return lines[0][len(ERROR_PREFIX):]


# --- the placement report ---------------------------------------------------------------

PARTITION_RE = re.compile(r"^\s*partition (\d+): (\S+) \((.*)\), (\d+) node\(s\): (.*)$")
BACKEND_RE = re.compile(r"^\s*(\S+)\s+(\d+) partition\(s\), (\d+) node\(s\)"
                        r"(?:, [\d.]+ [GMK]?MAC \(([\d.]+)% of compute\))?")


def partitions(report: str) -> list[tuple[str, int, str]]:
    """(backend, node count, op list) per partition, in execution order."""
    return [(m.group(2), int(m.group(4)), m.group(5))
            for m in map(PARTITION_RE.match, report.splitlines()) if m]


def compute_share(report: str) -> dict[str, float]:
    """Percent of the model's MACs per backend, from the report's header."""
    out = {}
    for line in report.splitlines():
        m = BACKEND_RE.match(line)
        if m and m.group(4) is not None:
            out[m.group(1)] = float(m.group(4))
    return out


def copies(report: str) -> list[str]:
    return [line.strip() for line in report.splitlines() if line.strip().startswith("copy ")]


# --- small graphs ------------------------------------------------------------------------

def _conv_weights(rng, name):
    w = (rng.standard_normal((CHANNELS, CHANNELS, 3, 3)) * 0.2).astype(np.float32)
    return numpy_helper.from_array(w, name)


def _const(rng, name, shape):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.5).astype(np.float32), name)


def save_graph(tmp_path: Path, nodes, inits, name="model.onnx", outputs=("y",)) -> Path:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, CHANNELS, 16, 16])
    ys = [helper.make_tensor_value_info(o, TensorProto.FLOAT, [1, CHANNELS, 16, 16])
          for o in outputs]
    graph = helper.make_graph(nodes, "placement_test", [x], ys, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    path = tmp_path / name
    onnx.save(model, path)
    return path


def interleaved_model(tmp_path: Path, seed: int = 0) -> Path:
    """Supported, unsupported, supported ... for npu_sim: a 3-node block, Tanh,
    a 1-node island (Mul), Sin, a 4-node block, Tanh, a 1-node island (Add), Erf."""
    rng = np.random.default_rng(seed)
    conv = {"pads": [1, 1, 1, 1]}
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", **conv),
        helper.make_node("Add", ["c1", "b1"], ["a1"], name="add1"),
        helper.make_node("Relu", ["a1"], ["r1"], name="relu1"),
        helper.make_node("Tanh", ["r1"], ["t1"], name="tanh1"),
        helper.make_node("Mul", ["t1", "s1"], ["m1"], name="island_mul"),
        helper.make_node("Sin", ["m1"], ["s1o"], name="sin1"),
        helper.make_node("Conv", ["s1o", "w2"], ["c2"], name="conv2", **conv),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Conv", ["r2", "w3"], ["c3"], name="conv3", **conv),
        helper.make_node("Relu", ["c3"], ["r3"], name="relu3"),
        helper.make_node("Tanh", ["r3"], ["t3"], name="tanh3"),
        helper.make_node("Add", ["t3", "b2"], ["a2"], name="island_add"),
        helper.make_node("Erf", ["a2"], ["y"], name="erf1"),
    ]
    inits = [_conv_weights(rng, "w1"), _conv_weights(rng, "w2"), _conv_weights(rng, "w3"),
             _const(rng, "b1", [1, CHANNELS, 1, 1]), _const(rng, "s1", [1, CHANNELS, 1, 1]),
             _const(rng, "b2", [1, CHANNELS, 1, 1])]
    return save_graph(tmp_path, nodes, inits, "interleaved.onnx")


def diamond_model(tmp_path: Path, seed: int = 0) -> Path:
    """conv_a feeds Tanh (cpu only) and relu_c; add_d joins both. add_d may not
    join conv_a's partition: that partition would feed Tanh and wait for it."""
    rng = np.random.default_rng(seed)
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["a"], name="conv_a", pads=[1, 1, 1, 1]),
        helper.make_node("Tanh", ["a"], ["b"], name="tanh_b"),
        helper.make_node("Relu", ["a"], ["c"], name="relu_c"),
        helper.make_node("Add", ["b", "c"], ["y"], name="add_d"),
    ]
    return save_graph(tmp_path, nodes, [_conv_weights(rng, "w1")], "diamond.onnx")


def branches_model(tmp_path: Path, seed: int = 0) -> Path:
    """Two independent branches from x, one for npu_sim (convolutions), one
    for cpu (Tanh, Sin, Exp, Cos), each its own graph output: two partitions
    with no dependency between them."""
    rng = np.random.default_rng(seed)
    conv = {"pads": [1, 1, 1, 1]}
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", **conv),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], name="conv2", **conv),
        helper.make_node("Relu", ["c2"], ["y"], name="relu2"),
        helper.make_node("Tanh", ["x"], ["t"], name="tanh"),
        helper.make_node("Sin", ["t"], ["s"], name="sin"),
        helper.make_node("Exp", ["s"], ["e"], name="exp"),
        helper.make_node("Cos", ["e"], ["y2"], name="cos"),
    ]
    return save_graph(tmp_path, nodes, [_conv_weights(rng, "w1"), _conv_weights(rng, "w2")],
                      "branches.onnx", outputs=("y", "y2"))


def feeds(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"x": rng.standard_normal((1, CHANNELS, 16, 16)).astype(np.float32)}


def run_model(sess, inputs) -> list[np.ndarray]:
    return sess.run(None, inputs)


def assert_close_fp16(got: np.ndarray, want: np.ndarray, rel: float = 1e-2):
    """Within float16 tolerance: the error, relative to the output's scale."""
    scale = max(float(np.abs(want).max()), 1e-6)
    err = float(np.abs(got.astype(np.float64) - want).max()) / scale
    assert err < rel, f"max abs diff / max |ref| = {err:.3g} (limit {rel})"


def zoo_model(name: str) -> Path:
    path = MODEL_ZOO_DIR / f"{name}.onnx"
    if not path.exists():
        pytest.skip(f"{path} not exported (run the model_zoo test first)")
    return path
