"""The binding's results and descriptions against ONNX Runtime's."""

import threading

import numpy as np
import pytest
from conftest import MODELS, make_model, ort_session
from onnx import TensorProto, helper

import infer

# Worst max abs difference per model, printed at the end (pytest -s or -rA shows it).
MAX_DIFF: dict[str, float] = {}


def compare(name, ours, theirs, rtol=1e-4, atol=1e-5):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype and a.shape == b.shape, (name, a.dtype, a.shape, b.shape)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
        if a.size and a.dtype.kind in "fiu":
            diff = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))
            MAX_DIFF[name] = max(MAX_DIFF.get(name, 0.0), diff)


def describe(args):
    return [(a.name, a.type, a.shape) for a in args]


@pytest.mark.parametrize("model", ["small_cnn", "mlp"])
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_example_models_match_ort(model, level):
    path = MODELS / f"{model}.onnx"
    sess = infer.InferenceSession(path, backends=["cpu"], optimization_level=level)
    ref = ort_session(path)
    assert describe(sess.get_inputs()) == describe(ref.get_inputs())
    assert describe(sess.get_outputs()) == describe(ref.get_outputs())
    rng = np.random.default_rng(level)
    # One session serves every batch size: symbolic dims resolve per run.
    for batch in (1, 3, 8):
        shape = [batch if isinstance(d, str) else d for d in ref.get_inputs()[0].shape]
        feed = {ref.get_inputs()[0].name: rng.standard_normal(shape, dtype=np.float32)}
        compare(model, sess.run(None, feed), ref.run(None, feed))


def test_path_bytes_and_ort_spelling_agree(cnn_input, cnn_ort):
    """ORT code works unchanged: SessionOptions, providers, positional options."""
    so = infer.SessionOptions()
    so.graph_optimization_level = infer.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_free_dimension_override_by_name("batch", 2)
    path = MODELS / "small_cnn.onnx"
    expected = cnn_ort.run(None, {"input": cnn_input})
    for sess in [infer.InferenceSession(str(path), so, providers=["CPUExecutionProvider"]),
                 infer.InferenceSession(path.read_bytes(), sess_options=so, backends="cpu")]:
        assert sess.get_providers() == ["cpu"]
        # A dim fixed by the override is a number in the description.
        assert sess.get_inputs()[0].shape == [2, 3, 32, 32]
        compare("small_cnn", sess.run(["probs"], {"input": cnn_input}), expected)


def test_unavailable_providers_are_left_out_with_a_warning():
    """As in ORT: code that asks for CUDA first still runs where there is none."""
    with pytest.warns(UserWarning, match="'cuda'"):
        sess = infer.InferenceSession(MODELS / "mlp.onnx",
                                      providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert sess.get_providers() == ["cpu"]
    # backends= is the engine's own order: a name that is not loaded is an error.
    with pytest.raises(infer.NotFound, match="backend 'cuda' is not loaded"):
        infer.InferenceSession(MODELS / "mlp.onnx", backends=["cuda", "cpu"])


# (onnx elem type, numpy dtype, op): each output comes from one input of that type.
DTYPE_CASES = [
    (TensorProto.FLOAT, np.float32, "Add"),
    (TensorProto.DOUBLE, np.float64, "Add"),
    (TensorProto.FLOAT16, np.float16, "Add"),
    (TensorProto.INT64, np.int64, "Mul"),
    (TensorProto.INT32, np.int32, "Mul"),
    (TensorProto.INT8, np.int8, "Max"),
    (TensorProto.UINT8, np.uint8, "Max"),
    (TensorProto.BOOL, np.bool_, "Xor"),
]


def test_several_dtypes_and_outputs_match_ort():
    nodes, inputs, outputs, feed = [], [], [], {}
    rng = np.random.default_rng(1)
    for k, (elem, dtype, op) in enumerate(DTYPE_CASES):
        nodes.append(helper.make_node(op, [f"x{k}", f"x{k}"], [f"y{k}"]))
        inputs.append((f"x{k}", elem, ["n", 4]))
        outputs.append((f"y{k}", elem, ["n", 4]))
        feed[f"x{k}"] = (rng.standard_normal((3, 4)) * 10).astype(dtype)
    # And outputs of another type than their input: a Cast and a comparison.
    nodes += [helper.make_node("Cast", ["x0"], ["as_int"], to=TensorProto.INT32),
              helper.make_node("Cast", ["x1"], ["x1f"], to=TensorProto.FLOAT),
              helper.make_node("Less", ["x0", "x1f"], ["less"])]
    outputs += [("as_int", TensorProto.INT32, ["n", 4]), ("less", TensorProto.BOOL, ["n", 4])]
    model = make_model(nodes, inputs, outputs)
    sess, ref = infer.InferenceSession(model, backends=["cpu"]), ort_session(model)
    assert describe(sess.get_inputs()) == describe(ref.get_inputs())
    assert describe(sess.get_outputs()) == describe(ref.get_outputs())
    compare("dtypes", sess.run(None, feed), ref.run(None, feed), rtol=1e-3, atol=1e-3)
    # A subset of the outputs, in the order asked for.
    picked = ["less", "y3", "y0"]
    compare("dtypes", sess.run(picked, feed), ref.run(picked, feed), rtol=1e-3, atol=1e-3)


def test_shapes_in_descriptions():
    """Fixed dims are ints, symbolic ones strings, dims without either None."""
    model = make_model([helper.make_node("Relu", ["x"], ["y"])],
                       [("x", TensorProto.FLOAT, ["batch", None, 5])],
                       [("y", TensorProto.FLOAT, ["batch", None, 5])])
    sess, ref = infer.InferenceSession(model, backends=["cpu"]), ort_session(model)
    assert describe(sess.get_inputs()) == describe(ref.get_inputs()) == \
        [("x", "tensor(float)", ["batch", None, 5])]
    x = np.random.default_rng(2).standard_normal((2, 7, 5), dtype=np.float32)
    compare("relu", sess.run(None, {"x": x}), ref.run(None, {"x": x}))


def test_scalar_and_list_inputs_take_the_declared_type():
    model = make_model([helper.make_node("Add", ["x", "s"], ["y"])],
                       [("x", TensorProto.FLOAT, [2, 3]), ("s", TensorProto.FLOAT, [])],
                       [("y", TensorProto.FLOAT, [2, 3])])
    sess = infer.InferenceSession(model, backends=["cpu"])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for s in (np.float32(0.5), 0.5, np.array(0.5, np.float32)):
        (y,) = sess.run(None, {"x": x, "s": s})
        np.testing.assert_array_equal(y, x + 0.5)
    (y,) = sess.run(None, {"x": [[0, 1, 2], [3, 4, 5]], "s": 1})
    np.testing.assert_array_equal(y, x + 1)


def test_threads_share_one_session(cnn, cnn_ort):
    """Concurrent run() calls on one session give each caller its own results."""
    rng = np.random.default_rng(3)
    feeds = [rng.standard_normal((1 + k % 4, 3, 32, 32), dtype=np.float32) for k in range(8)]
    expected = [cnn_ort.run(None, {"input": x})[0] for x in feeds]
    errors, barrier = [], threading.Barrier(len(feeds))

    def worker(k):
        try:
            barrier.wait()
            for _ in range(15):
                (y,) = cnn.run(None, {"input": feeds[k]})
                np.testing.assert_allclose(y, expected[k], rtol=1e-4, atol=1e-5)
        except Exception as e:  # noqa: BLE001 (reported by the main thread)
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(feeds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_threads_create_sessions_at_once(cnn_input, cnn_ort):
    """Sessions created side by side on one environment all work."""
    expected = cnn_ort.run(None, {"input": cnn_input})[0]
    results, errors = [None] * 4, []

    def worker(k):
        try:
            sess = infer.InferenceSession(MODELS / "small_cnn.onnx", backends=["cpu"],
                                          optimization_level=k)
            results[k] = sess.run(None, {"input": cnn_input})[0]
        except Exception as e:  # noqa: BLE001 (reported by the main thread)
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    for y in results:
        np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_model_metadata_matches_ort():
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "relu_graph",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=10,
                              producer_name="meta-test", domain="com.example.models",
                              model_version=7, doc_string="a model that says what it is")
    helper.set_model_props(model, {"author": "infer tests", "license": "MIT"})
    data = model.SerializeToString()
    ours = infer.InferenceSession(data, backends=["cpu"]).get_modelmeta()
    theirs = ort_session(data).get_modelmeta()
    for field in ("producer_name", "graph_name", "domain", "description", "version",
                  "custom_metadata_map"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.custom_metadata_map == {"author": "infer tests", "license": "MIT"}


def test_report_max_abs_diff():
    """Not a check: prints the worst difference per model seen above."""
    for name, diff in sorted(MAX_DIFF.items()):
        print(f"max abs diff vs onnxruntime: {name}: {diff:.3g}")
