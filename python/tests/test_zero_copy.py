"""Inputs are read in place and outputs are numpy arrays over the engine's own
tensors: checked at the C boundary by spying on the library's functions."""

import gc

import numpy as np
import pytest
from conftest import make_model
from onnx import TensorProto, helper

import infer
from infer import _capi


@pytest.fixture
def spy(monkeypatch):
    """Records the arguments and results of some C calls (session and arrays
    call them through the one loaded CDLL)."""
    lib = _capi.load_library()
    calls = {"wrap": [], "data": [], "release": []}

    def recording(name, key, keep):
        real = getattr(lib, name)

        def call(*args):
            result = real(*args)
            calls[key].append(keep(args, result))
            return result

        monkeypatch.setattr(lib, name, call)

    recording("infer_tensor_wrap", "wrap", lambda a, r: a[3])  # the data pointer
    recording("infer_tensor_data", "data", lambda a, r: r)
    recording("infer_tensor_release", "release", lambda a, r: a[0])
    return calls


def test_inputs_are_wrapped_in_place(spy, add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    sess.run(None, {"x": x})
    assert spy["wrap"] == [x.ctypes.data]  # the array's own memory, no staging copy


def test_outputs_are_views_of_engine_tensors(spy, add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    (y,) = sess.run(None, {"x": x})
    np.testing.assert_array_equal(y, x + 1)
    assert not y.flags.owndata and y.flags.writeable and y.flags.c_contiguous
    assert y.ctypes.data in spy["data"]  # the engine's buffer itself, not a copy of it
    assert len(spy["release"]) == 1  # only the input tensor so far
    # The output tensor is released when the last array over it goes.
    view = y[1]
    del y
    gc.collect()
    assert len(spy["release"]) == 1
    del view
    gc.collect()
    assert len(spy["release"]) == 2


def test_outputs_outlive_their_session(add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    x = np.ones((2, 3), np.float32)
    (y,) = sess.run(None, {"x": x})
    del sess, x
    gc.collect()
    np.testing.assert_array_equal(y, np.full((2, 3), 2, np.float32))


def test_each_run_returns_its_own_memory(add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    (y1,) = sess.run(None, {"x": np.zeros((2, 3), np.float32)})
    y1 += 10  # writable, and writing does not reach the engine
    (y2,) = sess.run(None, {"x": np.zeros((2, 3), np.float32)})
    assert not np.shares_memory(y1, y2)
    np.testing.assert_array_equal(y1, np.full((2, 3), 11, np.float32))
    np.testing.assert_array_equal(y2, np.ones((2, 3), np.float32))


def test_input_passed_through_is_not_the_callers_array():
    """A graph output that is a graph input is still an array of its own: it
    stays valid and unchanged when the input array changes or goes."""
    model = make_model([helper.make_node("Neg", ["x"], ["n"])], [("x", TensorProto.FLOAT, [3])],
                       [("x", TensorProto.FLOAT, [3]), ("n", TensorProto.FLOAT, [3])])
    sess = infer.InferenceSession(model, backends=["cpu"])
    x = np.array([1, 2, 3], np.float32)
    same, neg = sess.run(None, {"x": x})
    assert not np.shares_memory(same, x)
    x[:] = 0
    del x
    gc.collect()
    np.testing.assert_array_equal(same, [1, 2, 3])
    np.testing.assert_array_equal(neg, [-1, -2, -3])


def test_empty_outputs():
    model = make_model([helper.make_node("Relu", ["x"], ["y"])],
                       [("x", TensorProto.FLOAT, ["n", 2])], [("y", TensorProto.FLOAT, ["n", 2])])
    sess = infer.InferenceSession(model, backends=["cpu"])
    (y,) = sess.run(None, {"x": np.zeros((0, 2), np.float32)})
    assert y.shape == (0, 2) and y.dtype == np.float32


@pytest.mark.skipif(infer.api_version() < (0, 2), reason="before C API 0.2 a constant output "
                    "was the model's own tensor")
def test_constant_output_cannot_be_changed_through_its_array():
    """Outputs are writable, and writing into one never reaches the model."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [2], [1, 2])
    model = make_model([helper.make_node("Add", ["x", "w"], ["y"])],
                       [("x", TensorProto.FLOAT, [2])],
                       [("y", TensorProto.FLOAT, [2]), ("w", TensorProto.FLOAT, [2])],
                       initializers=[w])
    sess = infer.InferenceSession(model, backends=["cpu"])
    x = np.zeros(2, np.float32)
    _, w1 = sess.run(None, {"x": x})
    w1[:] = 100
    y2, w2 = sess.run(None, {"x": x})
    np.testing.assert_array_equal(w2, [1, 2])
    np.testing.assert_array_equal(y2, [1, 2])


def test_bfloat16_and_float8_in_and_out():
    """ml_dtypes' types (which numpy's array interface cannot name) go both ways."""
    ml_dtypes = pytest.importorskip("ml_dtypes")
    model = make_model([helper.make_node("Cast", ["x"], ["b"], to=TensorProto.BFLOAT16),
                        helper.make_node("Cast", ["x"], ["f8"], to=TensorProto.FLOAT8E4M3FN),
                        helper.make_node("Cast", ["b_in"], ["back"], to=TensorProto.FLOAT)],
                       [("x", TensorProto.FLOAT, [4]), ("b_in", TensorProto.BFLOAT16, [4])],
                       [("b", TensorProto.BFLOAT16, [4]), ("f8", TensorProto.FLOAT8E4M3FN, [4]),
                        ("back", TensorProto.FLOAT, [4])], opset=19)
    sess = infer.InferenceSession(model, backends=["cpu"])
    assert [o.type for o in sess.get_outputs()] == \
        ["tensor(bfloat16)", "tensor(float8e4m3fn)", "tensor(float)"]
    x = np.array([0.5, -1.25, 3.0, 100.0], np.float32)
    b, f8, back = sess.run(None, {"x": x, "b_in": x.astype(ml_dtypes.bfloat16)})
    assert b.dtype == ml_dtypes.bfloat16 and f8.dtype == ml_dtypes.float8_e4m3fn
    assert not b.flags.owndata
    np.testing.assert_array_equal(b.astype(np.float32), x)
    np.testing.assert_array_equal(f8.astype(np.float32), x.astype(ml_dtypes.float8_e4m3fn))
    np.testing.assert_array_equal(back, x)
