"""infer-run against ONNX Runtime on the example models, exported afresh and
as committed, and on hand-built models for the ops those do not use."""
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from helpers import EXAMPLES_DIR, assert_ok, read_npy_v1_f32, run_infer, write_npy

# The ops of the first CPU backend: the example models must stay inside them.
FIRST_OPS = {"Conv", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
             "Gemm", "MatMul", "Add", "Mul", "Flatten", "Reshape", "Concat", "Softmax"}
CNN_OPS = FIRST_OPS - {"MatMul", "Reshape"}
MLP_OPS = {"Gemm", "Relu", "MatMul", "Add", "Softmax"}
MODELS = {"small_cnn": ((3, 32, 32), CNN_OPS), "mlp": ((16,), MLP_OPS)}
SOURCES = ["committed", "fresh"]


def _model_file(source, name, request):
    """The fresh export is asked for lazily, so only those cases skip when
    Debian's torch is missing."""
    if source == "committed":
        return EXAMPLES_DIR / f"{name}.onnx"
    return request.getfixturevalue("fresh_models") / f"{name}.onnx"


def ort_run(path, feeds):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


def infer_run_outputs(path, feeds, out_dir, *extra):
    args = [path, "--output-dir", out_dir, "--backends", "cpu", *extra]
    for name, array in feeds.items():
        args += ["--input", f"{name}={write_npy(out_dir / f'in_{name}.npy', array)}"]
    proc = run_infer(*args)
    assert_ok(proc)
    return proc


def assert_matches_ort(path, feeds, tmp_path):
    expected = ort_run(path, feeds)
    proc = infer_run_outputs(path, feeds, tmp_path)
    for name, want in expected.items():
        assert name in proc.stdout, proc.stdout
        got = read_npy_v1_f32(tmp_path / f"{name}.npy")
        assert got.shape == want.shape
        scale = max(1.0, float(np.abs(want).max()))
        diff = float(np.abs(got - want).max())
        assert diff <= 1e-4 * scale, f"{name}: max abs diff {diff:.3g} (scale {scale:.3g})"


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("source", SOURCES)
def test_model_uses_only_first_ops(source, name, request):
    model = onnx.load(str(_model_file(source, name, request)))
    onnx.checker.check_model(model)
    ops = {node.op_type for node in model.graph.node}
    assert ops <= FIRST_OPS, f"unexpected ops: {sorted(ops - FIRST_OPS)}"
    assert ops == MODELS[name][1]
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch"


@pytest.mark.parametrize("name", MODELS)
def test_committed_model_matches_generator(name, fresh_models):
    """examples/models must be what tests/models/make_*.py writes today."""
    def graph_bytes(path):
        model = onnx.load(str(path))
        model.producer_version = ""  # the torch patch release may differ
        return model.SerializeToString()
    committed, fresh = (graph_bytes(d / f"{name}.onnx") for d in (EXAMPLES_DIR, fresh_models))
    assert committed == fresh, f"regenerate examples/models/{name}.onnx (see examples/README.md)"


def test_cnn_has_strided_and_depthwise_conv(request):
    model = onnx.load(str(_model_file("committed", "small_cnn", request)))
    convs = [{a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
             for n in model.graph.node if n.op_type == "Conv"]
    assert any(c["strides"] == [2, 2] and c["pads"] == [1, 1, 1, 1] for c in convs)
    assert any(c["group"] > 1 for c in convs)


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("source", SOURCES)
def test_matches_onnxruntime(source, name, batch, tmp_path, request):
    shape = (batch, *MODELS[name][0])
    rng = np.random.default_rng(batch * 100 + len(name))
    feeds = {"input": rng.standard_normal(shape).astype(np.float32)}
    assert_matches_ort(_model_file(source, name, request), feeds, tmp_path)


@pytest.mark.parametrize("model", ["reshape_concat.onnx", "external_data_ok.onnx"])
def test_hand_built_matches_onnxruntime(model, hand_models, tmp_path):
    path = hand_models[model]
    width = ort.InferenceSession(str(path)).get_inputs()[0].shape[1]
    feeds = {"input": np.random.default_rng(5).standard_normal((3, width)).astype(np.float32)}
    assert_matches_ort(path, feeds, tmp_path)


def test_random_inputs_follow_dim_and_seed(tmp_path):
    model = EXAMPLES_DIR / "small_cnn.onnx"
    outputs = {}
    for run, seed in [("a", 7), ("b", 7), ("c", 8)]:
        out = tmp_path / run
        out.mkdir()
        proc = run_infer(model, "--dim", "batch=3", "--seed", seed, "--output-dir", out)
        assert_ok(proc)
        text = proc.stdout.lower()
        assert "probs" in text and "float32" in text, proc.stdout
        assert all(word in text for word in ("min", "max", "mean")), proc.stdout
        outputs[run] = read_npy_v1_f32(out / "probs.npy")
    assert outputs["a"].shape == (3, 10)
    np.testing.assert_array_equal(outputs["a"], outputs["b"])  # same seed, same inputs
    assert not np.array_equal(outputs["a"], outputs["c"])


def test_symbolic_dims_default_to_one(tmp_path):
    assert_ok(run_infer(EXAMPLES_DIR / "mlp.onnx", "--output-dir", tmp_path))
    assert read_npy_v1_f32(tmp_path / "probs.npy").shape == (1, 10)
