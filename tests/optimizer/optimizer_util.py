"""Shared helpers for the optimiser tests (core driver and model files): paths, small ONNX
graphs. (Imported by module name: pytest puts this folder on sys.path.)"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

SOURCE_DIR = Path(os.environ.get("INFER_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD_DIR = SOURCE_DIR / "build"
PLUGIN_DIR = Path(os.environ.get("INFER_PLUGIN_DIR", BUILD_DIR / "plugins"))
TEST_PLUGIN_ROOT = Path(os.environ.get("INFER_TEST_PLUGIN_ROOT", BUILD_DIR / "test_plugins"))
MODEL_ZOO_DIR = Path(os.environ.get("INFER_MODEL_ZOO_DIR", BUILD_DIR / "model_zoo"))
INFER_RUN = Path(os.environ.get("INFER_RUN", BUILD_DIR / "bin" / "infer-run"))
INFER_OPT = Path(os.environ.get("INFER_OPT", BUILD_DIR / "bin" / "infer-opt"))


def zoo_model(name: str) -> Path:
    """A model exported by tests/model_zoo; skips when that suite has not run."""
    path = MODEL_ZOO_DIR / f"{name}.onnx"
    if not path.exists():
        pytest.skip(f"{path} not exported (run the model_zoo test first)")
    return path


def save(model: onnx.ModelProto, tmp_path: Path, name: str = "model.onnx") -> Path:
    onnx.checker.check_model(model)
    path = tmp_path / name
    onnx.save(model, path)
    return path


def small_cnn(tmp_path: Path, seed: int = 0) -> Path:
    """Conv -> BatchNormalization -> Relu -> Identity -> (x * 1) -> Add(residual conv)
    -> GlobalAveragePool -> Flatten -> Gemm: something for every level to do."""
    rng = np.random.default_rng(seed)

    def init(name, *shape, positive=False):
        a = rng.standard_normal(shape).astype(np.float32)
        return numpy_helper.from_array(np.abs(a) + 0.5 if positive else a * 0.2, name)

    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "g", "beta", "mean", "var"], ["bn"]),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("Identity", ["r1"], ["id"]),
        helper.make_node("Mul", ["id", "one"], ["m1"]),
        helper.make_node("Conv", ["m1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "m1"], ["sum"]),
        helper.make_node("Relu", ["sum"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["flat"]),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["y"], transB=1),
    ]
    inits = [
        init("w1", 16, 3, 3, 3), init("b1", 16),
        init("g", 16, positive=True), init("beta", 16), init("mean", 16),
        init("var", 16, positive=True),
        numpy_helper.from_array(np.array(1.0, np.float32), "one"),
        init("w2", 16, 16, 3, 3), init("b2", 16),
        init("fc_w", 10, 16), init("fc_b", 10),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    return save(model, tmp_path, "small_cnn.onnx")
