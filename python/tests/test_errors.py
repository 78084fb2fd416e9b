"""Bad input: each a Python exception with the engine's (or a clear) message, never a crash."""

import pickle

import numpy as np
import pytest
from conftest import MODELS

import infer


def raises(cls, fn, *args, **kwargs) -> infer.InferError:
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    err = info.value
    assert isinstance(err, infer.InferError) and err.message and err.code_name in str(err)
    return err


def test_wrong_dtype_names_input_given_and_expected(cnn):
    err = raises(infer.InvalidArgument, cnn.run, None, {"input": np.zeros((1, 3, 32, 32))})
    assert "'input'" in err.message and "float64" in err.message and "float32" in err.message
    assert isinstance(err, ValueError) and err.code == 1 and err.code_name == "INVALID_ARGUMENT"


def test_numpy_dtype_the_engine_lacks(cnn):
    err = raises(infer.InvalidArgument, cnn.run, None,
                 {"input": np.zeros((1, 3, 32, 32), np.complex64)})
    assert "'input'" in err.message and "complex64" in err.message
    assert "tensor(float)" in err.message


def test_non_contiguous_input_says_what_to_do(cnn, cnn_input):
    x = np.asfortranarray(cnn_input)
    err = raises(infer.InvalidArgument, cnn.run, None, {"input": x})
    assert "not C-contiguous" in err.message and "numpy.ascontiguousarray" in err.message
    # The advice works.
    (y,) = cnn.run(None, {"input": np.ascontiguousarray(x)})
    assert y.shape == (2, 10)


def test_sliced_input_is_non_contiguous_too(cnn, cnn_input):
    err = raises(infer.InvalidArgument, cnn.run, None, {"input": cnn_input[:, :, ::2, ::2]})
    assert "ascontiguousarray" in err.message


def test_unaligned_input(add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    x = np.frombuffer(bytearray(4 * 6 + 1), np.float32, count=6, offset=1).reshape(2, 3)
    assert x.flags.c_contiguous and not x.flags.aligned
    err = raises(infer.InvalidArgument, sess.run, None, {"x": x})
    assert "not aligned" in err.message and "numpy.require" in err.message


def test_value_that_is_not_a_tensor(add_model):
    sess = infer.InferenceSession(add_model, backends=["cpu"])
    err = raises(infer.InvalidArgument, sess.run, None, {"x": [["a", "b", "c"]] * 2})
    assert "'x'" in err.message and "tensor(float)" in err.message


def test_missing_input():
    sess = infer.InferenceSession(MODELS / "mlp.onnx", backends=["cpu"])
    err = raises(infer.InvalidArgument, sess.run, None, {})
    assert "missing input 'input'" in err.message


def test_unknown_input_name_lists_the_real_ones(cnn, cnn_input):
    err = raises(infer.InvalidArgument, cnn.run, None, {"input": cnn_input, "nope": cnn_input})
    assert "'nope'" in err.message and "input" in err.message


@pytest.mark.parametrize("shape, why", [((2, 3, 32), "rank 3 != 4"),
                                        ((2, 3, 31, 32), "dim 2 is 31, expected 32")])
def test_wrong_rank_or_shape(cnn, shape, why):
    err = raises(infer.InvalidArgument, cnn.run, None, {"input": np.zeros(shape, np.float32)})
    assert "'input'" in err.message and why in err.message


def test_unknown_output_name(cnn, cnn_input):
    err = raises(infer.InvalidArgument, cnn.run, ["probs", "nope"], {"input": cnn_input})
    assert "unknown output name 'nope'" in err.message


def test_nonexistent_model_file(tmp_path):
    err = raises(infer.NoSuchFile, infer.InferenceSession, tmp_path / "missing.onnx")
    assert isinstance(err, FileNotFoundError) and isinstance(err, infer.NotFound)
    assert "missing.onnx" in err.message and err.code_name == "NOT_FOUND"


@pytest.mark.parametrize("content", [b"this is not a model", b"\x08\x07\x12\xff\xff"])
def test_malformed_model_file(tmp_path, content):
    path = tmp_path / "broken.onnx"
    path.write_bytes(content)
    err = raises(infer.InvalidModel, infer.InferenceSession, path)
    assert "not a valid ONNX model" in err.message
    raises(infer.InvalidModel, infer.InferenceSession, content)  # the same as bytes


def test_empty_model_bytes():
    raises(infer.InvalidArgument, infer.InferenceSession, b"")


def test_nonexistent_plugins_folder(tmp_path):
    err = raises(infer.NoSuchFile, infer.InferenceSession, MODELS / "mlp.onnx",
                 plugins=tmp_path / "no_plugins_here")
    assert "no_plugins_here" in err.message and "does not exist" in err.message


def test_plugins_folder_without_frontend(tmp_path):
    err = raises(infer.NotFound, infer.InferenceSession, MODELS / "mlp.onnx", plugins=tmp_path)
    assert "no frontend plugin" in err.message


def test_invalid_option_names_its_key():
    so = infer.SessionOptions()
    so.add_session_config_entry("session.inter_op_threads", "many")
    err = raises(infer.InvalidArgument, infer.InferenceSession, MODELS / "mlp.onnx", so)
    assert "session.inter_op_threads" in err.message
    so = infer.SessionOptions()
    so.graph_optimization_level = 7
    raises(infer.InvalidArgument, infer.InferenceSession, MODELS / "mlp.onnx", so)
    raises(infer.InvalidArgument, so.get_session_config_entry, "not.set")


def test_unknown_backend_is_an_error():
    raises(infer.InferError, infer.InferenceSession, MODELS / "mlp.onnx", backends=["nope"])


def test_run_options_are_refused(cnn, cnn_input):
    raises(infer.InvalidArgument, cnn.run, None, {"input": cnn_input}, object())


def test_exception_classes():
    """One class per infer_status_code, all InferError (a RuntimeError, as
    onnxruntime's are), each also the matching built-in; picklable (for
    multiprocessing)."""
    from infer import _errors

    codes = {cls.code for cls in _errors.BY_CODE.values()}
    assert codes == set(range(1, 11))
    builtins = {infer.InvalidArgument: ValueError, infer.InvalidModel: ValueError,
                infer.NotFound: LookupError, infer.NoSuchFile: FileNotFoundError,
                infer.Unimplemented: NotImplementedError, infer.OutOfRange: IndexError,
                infer.ResourceExhausted: MemoryError}
    for cls in list(_errors.BY_CODE.values()) + [infer.NoSuchFile]:
        err = cls("boom")
        assert isinstance(err, infer.InferError) and isinstance(err, RuntimeError)
        assert isinstance(err, builtins.get(cls, infer.InferError))
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is cls and copy.message == "boom" and str(copy) == str(err)
        assert _errors.error_for(cls.code, "x").code == cls.code
    future = _errors.error_for(99, "new", "SHINY")
    assert type(future) is infer.InferError and future.code == 99 and str(future) == "SHINY: new"
