"""The conformance runner's own parts, without the engine: output comparison,
skip rules, reason grouping, and the crash-isolating worker pool."""

import faulthandler
import os
import signal
import time

import ml_dtypes
import numpy as np
import pytest
from onnx import TensorProto, helper

import node_case
import report
from isolated_pool import SetupError, run_isolated


@pytest.mark.parametrize("out, ref", [
    (np.float32([1.0, 2.0]), np.float32([1.0005, 2.0])),          # within rtol 1e-3
    (np.float32([np.nan, np.inf, -np.inf]), np.float32([np.nan, np.inf, -np.inf])),
    (np.int64([1, 2]), np.int64([1, 2])),
    (np.bool_([True]), np.bool_([True])),
    (np.float16([0.0]), np.float16([0.0])),
    (np.array([1.0], ml_dtypes.bfloat16), np.array([1.0078125], ml_dtypes.bfloat16)),  # 1 ULP
])
def test_compare_accepts(out, ref):
    assert node_case.compare("y", out, ref) is None


@pytest.mark.parametrize("out, ref, expect", [
    (np.float32([1.0, 2.0]), np.float32([1.002, 2.0]), "1/2 values differ (max abs diff 0.002"),
    (np.float32([0.0]), np.float32([1e-6]), "1/1 values differ"),     # atol 1e-7
    (np.float32([np.nan]), np.float32([1.0]), "1/1 values differ"),
    (np.float32([np.inf]), np.float32([-np.inf]), "1/1 values differ"),
    (np.int64([10000]), np.int64([10001]), "1/1 values differ (max abs diff 1"),  # exact
    (np.bool_([True, False]), np.bool_([True, True]), "1/2 values differ"),
    (np.float64([1.0]), np.float32([1.0]), "dtype float64, expected float32"),
    (np.float32([1.0]), np.float32([[1.0]]), "shape [1], expected [1, 1]"),
])
def test_compare_rejects(out, ref, expect):
    assert expect in node_case.compare("y", out, ref)


def model_with(inputs, outputs, op="Identity", domain=""):
    node = helper.make_node(op, [i.name for i in inputs], [o.name for o in outputs],
                            domain=domain)
    return helper.make_model(helper.make_graph([node], "g", inputs, outputs))


def test_skip_reasons():
    f = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    s = helper.make_tensor_value_info("s", TensorProto.STRING, [1])
    q = helper.make_tensor_sequence_value_info("q", TensorProto.FLOAT, None)
    f4 = helper.make_tensor_value_info("y", TensorProto.FLOAT4E2M1, [1])
    assert node_case.skip_reason(model_with([f], [f4])) == \
        "float4e2m1 tensors (no such engine dtype)"
    assert node_case.skip_reason(model_with([s], [f])).startswith("string tensors")
    assert node_case.skip_reason(model_with([f], [q])).startswith("sequence values")
    assert "ai.onnx.preview.training" in node_case.skip_reason(
        model_with([f], [f], "Adam", "ai.onnx.preview.training"))
    bf16 = helper.make_tensor_value_info("y", TensorProto.BFLOAT16, [1])
    assert node_case.skip_reason(model_with([f], [bf16])) is None  # the engine has bfloat16
    f8 = helper.make_tensor_value_info("y", TensorProto.FLOAT8E5M2FNUZ, [1])
    assert node_case.skip_reason(model_with([f], [f8])) is None  # and the float8 types


def test_reason_groups_drop_names_and_numbers():
    a = ("UNIMPLEMENTED: no backend can run node 'Abs_0' (op 'Abs', domain 'ai.onnx', opset 13):"
         " cpu: op 'Abs' (domain '', opset 13) is not implemented by the cpu backend")
    b = a.replace("Abs", "Neg").replace("13", "6") + " (and 2 more nodes)"
    assert report.reason_group(a) == report.reason_group(b)
    assert "'Abs'" in report.reason_group(a, keep_names=True)


def _job(_, job):
    if job == "segv":
        faulthandler.disable()  # pytest's handler would print a traceback
        os.kill(os.getpid(), signal.SIGSEGV)
    if job == "hang":
        time.sleep(60)
    if job == "raise":
        raise ValueError("harness bug")
    return (job, "ok")


def test_pool_survives_crashes_and_hangs():
    jobs = ["a", "segv", "b", "hang", "raise", "c"]
    results = dict(run_isolated(jobs, lambda: None, _job, lambda job, why: (job, why),
                                workers=2, timeout=2))
    assert results == {"a": "ok", "b": "ok", "c": "ok", "segv": "crashed (signal 11)",
                       "hang": "timeout (2 s)", "raise": "ValueError: harness bug"}


def _broken_setup():
    raise OSError("libinfer.so not found")


def test_pool_stops_when_workers_cannot_start():
    with pytest.raises(SetupError, match="libinfer.so not found"):
        list(run_isolated(["a"], _broken_setup, _job, lambda job, why: why, 1, 5))
