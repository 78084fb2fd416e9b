"""Shared fixtures. By default the package is imported from this source tree;
with INFER_TEST_INSTALLED set (tests/python_package does so) the installed
copy on sys.path is tested instead, against whatever engine it finds itself."""

import os
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

SOURCE = Path(__file__).resolve().parents[1]
REPO = SOURCE.parent
MODELS = REPO / "examples" / "models"

if not os.environ.get("INFER_TEST_INSTALLED"):
    sys.path.insert(0, str(SOURCE))

import infer  # noqa: E402


def make_model(nodes, inputs, outputs, opset=17, initializers=()) -> bytes:
    """An ONNX model from onnx.helper parts; inputs/outputs are (name, elem_type, shape)."""
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info(*v) for v in inputs],
        [helper.make_tensor_value_info(*v) for v in outputs], initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              ir_version=10)  # what the pinned onnxruntime reads
    onnx.checker.check_model(model)
    return model.SerializeToString()


def ort_session(model) -> ort.InferenceSession:
    return ort.InferenceSession(model if isinstance(model, bytes) else str(model),
                                providers=["CPUExecutionProvider"])


@pytest.fixture(scope="session")
def cnn():
    return infer.InferenceSession(MODELS / "small_cnn.onnx", backends=["cpu"])


@pytest.fixture(scope="session")
def cnn_ort():
    return ort_session(MODELS / "small_cnn.onnx")


@pytest.fixture
def cnn_input():
    return np.random.default_rng(0).standard_normal((2, 3, 32, 32), dtype=np.float32)


@pytest.fixture(scope="session")
def add_model() -> bytes:
    """y = x + 1 over float32[2,3]: small enough to reason about memory."""
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    return make_model([helper.make_node("Add", ["x", "one"], ["y"])],
                      [("x", TensorProto.FLOAT, [2, 3])], [("y", TensorProto.FLOAT, [2, 3])],
                      initializers=[one])
