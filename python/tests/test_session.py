"""The binding against ONNX Runtime on the example CNN, and its errors."""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import infer
from infer import _capi

MODEL = Path(__file__).resolve().parents[2] / "examples" / "models" / "small_cnn.onnx"


@pytest.fixture(scope="module")
def session():
    return infer.InferenceSession(MODEL, backends=["cpu"])


@pytest.fixture(scope="module")
def reference():
    return ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"])


def test_describes_inputs_and_outputs_like_ort(session, reference):
    for ours, theirs in [(session.get_inputs(), reference.get_inputs()),
                         (session.get_outputs(), reference.get_outputs())]:
        assert [(a.name, a.type, a.shape) for a in ours] == \
               [(a.name, a.type, a.shape) for a in theirs]


# One module-scoped session serves every batch size: symbolic dims resolve per run.
@pytest.mark.parametrize("batch", [1, 4, 8])
def test_matches_onnxruntime(session, reference, batch):
    x = np.random.default_rng(batch).standard_normal((batch, 3, 32, 32), dtype=np.float32)
    (ours,) = session.run(None, {"input": x})
    (theirs,) = reference.run(None, {"input": x})
    assert ours.dtype == np.float32 and ours.shape == (batch, 10)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert ours.flags.owndata and ours.flags.writeable  # copied out of the C tensor


def test_from_bytes_non_contiguous_input_and_named_output(reference):
    sess = infer.InferenceSession(MODEL.read_bytes(), backends="cpu", dims={"batch": 2})
    x = np.random.default_rng(0).standard_normal((32, 32, 3, 2), dtype=np.float32).T
    assert not x.flags.c_contiguous
    (ours,) = sess.run(["probs"], {"input": x})
    np.testing.assert_allclose(ours, reference.run(None, {"input": x})[0], rtol=1e-4, atol=1e-5)


def test_scalar_input_keeps_rank_zero():
    x = onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])
    s = onnx.helper.make_tensor_value_info("s", onnx.TensorProto.FLOAT, [])
    y = onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2, 3])
    graph = onnx.helper.make_graph([onnx.helper.make_node("Add", ["x", "s"], ["y"])], "g",
                                   [x, s], [y])
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 14)])
    sess = infer.InferenceSession(model.SerializeToString(), backends=["cpu"])
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    (out,) = sess.run(None, {"x": xv, "s": np.float32(0.5)})
    np.testing.assert_array_equal(out, xv + 0.5)


def run_error(sess, feed, outputs=None) -> infer.InferError:
    with pytest.raises(infer.InferError) as info:
        sess.run(outputs, feed)
    assert info.value.message
    return info.value


def test_wrong_input_name(session):
    err = run_error(session, {"nope": np.zeros((1, 3, 32, 32), np.float32)})
    assert err.code == _capi.INVALID_ARGUMENT and err.code_name == "INVALID_ARGUMENT"
    assert "nope" in err.message and "input" in err.message


def test_wrong_dtype_and_shape(session):
    assert "float64" in run_error(session, {"input": np.zeros((1, 3, 32, 32))}).message.lower()
    run_error(session, {"input": np.zeros((1, 3, 31, 32), np.float32)})


def test_unknown_output_name(session):
    err = run_error(session, {"input": np.zeros((1, 3, 32, 32), np.float32)}, ["nope"])
    assert "nope" in err.message


def test_numpy_dtype_without_engine_dtype(session):
    err = run_error(session, {"input": np.zeros((1, 3, 32, 32), np.complex64)})
    assert err.code == _capi.INVALID_ARGUMENT and "complex64" in err.message


def test_missing_model_file(tmp_path):
    with pytest.raises(infer.InferError) as info:
        infer.InferenceSession(tmp_path / "missing.onnx")
    assert info.value.code_name == "NOT_FOUND" and "missing.onnx" in info.value.message


def test_dtype_table_agrees_with_onnx():
    for code, (name, dt) in _capi.DTYPES.items():
        if dt is not None:  # string has no fixed-size numpy dtype
            assert onnx.helper.tensor_dtype_to_np_dtype(code) == dt, name
            assert _capi.dtype_from_numpy(dt) == code
    with pytest.raises(infer.InferError, match="string"):
        _capi.dtype_to_numpy(onnx.TensorProto.STRING)


def test_plugins_are_listed():
    names = {p["name"] for p in infer.get_environment().plugins() if p["loaded"]}
    assert {"cpu", "onnx"} <= names
