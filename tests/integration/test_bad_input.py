"""Bad input: each case must give a non-zero exit and one clear error line,
never a crash."""
import numpy as np
import pytest

from helpers import EXAMPLES_DIR, PLUGIN_DIR, assert_clean_error, run_infer, write_npy

CNN = EXAMPLES_DIR / "small_cnn.onnx"


def run_model(model, *args):
    return assert_clean_error(run_infer(model, *args))


def test_missing_model_file(tmp_path):
    msg = run_model(tmp_path / "nope.onnx")
    assert "nope.onnx" in msg


def test_empty_model_file(tmp_path):
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    run_model(path)


def test_truncated_model_file(tmp_path):
    data = CNN.read_bytes()
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[: len(data) // 2])
    run_model(path)


def test_text_file_is_not_onnx(tmp_path):
    path = tmp_path / "notes.onnx"
    path.write_text("This is a text file, not a model.\n" * 20)
    assert "not a valid ONNX model" in run_model(path)


def test_unknown_operator_names_op_and_node(hand_models):
    msg = run_model(hand_models["unknown_op.onnx"])
    assert "FancyUnknownOp" in msg and "mystery_node" in msg


@pytest.mark.parametrize("model", ["initializer_size_mismatch.onnx", "external_data_escape.onnx"])
def test_malformed_initializer(model, hand_models):
    run_model(hand_models[model])


def test_wrong_input_name(tmp_path):
    x = write_npy(tmp_path / "x.npy", np.zeros((1, 3, 32, 32), np.float32))
    assert "no_such_input" in run_model(CNN, "--input", f"no_such_input={x}")


def test_wrong_input_dtype(tmp_path):
    x = write_npy(tmp_path / "x.npy", np.zeros((1, 3, 32, 32), np.int64))
    msg = run_model(CNN, "--input", f"input={x}")
    assert "float32" in msg and "int64" in msg


@pytest.mark.parametrize("shape", [(3, 32, 32), (1, 4, 32, 32), (1, 3, 31, 32)],
                         ids=["rank", "channels", "height"])
def test_wrong_input_shape(shape, tmp_path):
    x = write_npy(tmp_path / "x.npy", np.zeros(shape, np.float32))
    assert "input" in run_model(CNN, "--input", f"input={x}")


def test_missing_input_file(tmp_path):
    assert "missing.npy" in run_model(CNN, "--input", f"input={tmp_path / 'missing.npy'}")


def test_input_file_not_npy(tmp_path):
    path = tmp_path / "x.npy"
    path.write_text("not numpy\n")
    run_model(CNN, "--input", f"input={path}")


def test_missing_plugin_folder(tmp_path):
    missing = tmp_path / "no_plugins_here"
    msg = assert_clean_error(run_infer("--plugins", missing, CNN))
    assert "does not exist" in msg and str(missing) in msg


def test_no_backend_for_model(tmp_path):
    """Plugins found but no cpu backend asked for by name."""
    run_model(CNN, "--backends", "no_such_backend")


@pytest.mark.parametrize("args", [["--bogus-flag", CNN], ["--dim", "batch=abc", CNN], []],
                         ids=["unknown-flag", "bad-dim", "no-model"])
def test_bad_command_line(args):
    assert_clean_error(run_infer(*args, "--plugins", PLUGIN_DIR))


def _mutations():
    """Seeded corruptions of the example CNN: truncations, and random bytes
    overwritten (which may hit protobuf tags, lengths, dims or weights)."""
    data = CNN.read_bytes()
    cases = [(f"truncated-{pct}pct", data[: len(data) * pct // 100]) for pct in (1, 10, 33, 90, 99)]
    rng = np.random.default_rng(2024)
    for i in range(40):
        mutated = bytearray(data)
        for pos in rng.integers(0, len(data), size=int(rng.integers(1, 8))):
            mutated[pos] = int(rng.integers(0, 256))
        cases.append((f"bytes-{i}", bytes(mutated)))
    return cases


@pytest.mark.parametrize("name,data", _mutations(), ids=[c[0] for c in _mutations()])
def test_corrupted_model_never_crashes(name, data, tmp_path):
    """Models are untrusted: a corrupted file may still load (a flipped weight)
    but must never crash; when it fails, it fails cleanly."""
    path = tmp_path / f"{name}.onnx"
    path.write_bytes(data)
    proc = run_infer(path, "--dim", "batch=2")
    if proc.returncode != 0:
        assert_clean_error(proc)
