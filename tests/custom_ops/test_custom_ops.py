"""Custom-operator plugins: examples/custom_op (com.example BiasGelu and ChannelShuffle) against
its standard-ONNX twin on ONNX Runtime, and custom-op plugins that misbehave (shape inference,
kernel creation or kernel that fail, ops registered twice, reserved domains, old ABI)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import infer

SOURCE_DIR = Path(os.environ.get("INFER_SOURCE_DIR", Path(__file__).resolve().parents[2]))
PLUGIN_DIR = Path(os.environ.get("INFER_PLUGIN_DIR", SOURCE_DIR / "build" / "plugins"))
TEST_PLUGINS = Path(os.environ.get("INFER_CUSTOM_OPS_TEST_PLUGINS",
                                   SOURCE_DIR / "build" / "test_plugins" / "custom_ops"))
INFER_RUN = Path(os.environ.get("INFER_RUN", SOURCE_DIR / "build" / "bin" / "infer-run"))
EXAMPLE_DIR = SOURCE_DIR / "examples" / "custom_op"

sys.path.insert(0, str(EXAMPLE_DIR))
import make_models  # noqa: E402  (the example's own model builder)


def plugins(case="example_ops"):
    return [str(PLUGIN_DIR), str(TEST_PLUGINS / case)]


def session(model: onnx.ModelProto, case="example_ops", **kwargs):
    return infer.InferenceSession(model.SerializeToString(), plugins=plugins(case),
                                  backends=["cpu"], **kwargs)


def single_op_model(op, inputs, output_type=TensorProto.FLOAT, initializers=(), output_shape=None,
                    domain="com.example", **attrs):
    """One custom node; `inputs` are (name, type, shape) graph inputs."""
    node = helper.make_node(op, [name for name, _, _ in inputs] + [t.name for t in initializers],
                            ["Y"], domain=domain, **attrs)
    graph = helper.make_graph(
        [node], "single", [helper.make_tensor_value_info(*i) for i in inputs],
        [helper.make_tensor_value_info("Y", output_type, output_shape)], list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                   helper.make_opsetid(domain, 1)])


def gelu(x, tanh=False):
    if tanh:
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    from math import erf
    return 0.5 * x * (1 + np.vectorize(erf)(x / np.sqrt(2)))


def shuffle(x, groups):
    n, c, h, w = x.shape
    return x.reshape(n, groups, c // groups, h, w).transpose(0, 2, 1, 3, 4).reshape(n, c, h, w)


# ---- the example plugin ---------------------------------------------------------------------

def test_example_plugin_loads_as_a_custom_op_plugin():
    env = infer.Environment(plugins())
    example = [p for p in env.plugins() if p.name == "example_ops"]
    assert example and example[0].loaded, env.load_errors()
    assert example[0].kinds == 8  # INFER_PLUGIN_CUSTOM_OPS
    ops = {(op.domain, op.op_type, op.since_version): op for op in env.custom_ops()}
    assert set(ops) == {("com.example", "BiasGelu", 1), ("com.example", "ChannelShuffle", 1)}
    assert ops[("com.example", "BiasGelu", 1)].backends == ["cpu", "minimal"]
    assert ops[("com.example", "BiasGelu", 1)].plugin == "example_ops"


@pytest.mark.parametrize("batch", [1, 3])
def test_example_model_matches_its_standard_twin_on_onnxruntime(batch):
    x = np.random.default_rng(batch).standard_normal((batch, 8, 16, 16)).astype(np.float32)
    ours = session(make_models.build(fused=True)).run(None, {"input": x})[0]
    reference = ort.InferenceSession(make_models.build(fused=False).SerializeToString(),
                                     providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]
    assert ours.shape == (batch, 10)
    np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-5)


def test_custom_ops_run_inside_the_cpu_partition():
    sess = session(make_models.build(fused=True))
    sess.run(None, {"input": np.zeros((1, 8, 16, 16), np.float32)})
    report = sess.placement_report()
    assert "BiasGelu" in report and "ChannelShuffle" in report, report
    assert "copy" not in report.split("refused")[0].lower() or "0 copies" in report, report


def test_committed_example_models_are_what_make_models_writes():
    for fused, name in [(True, "example_ops_model.onnx"), (False, "example_ops_reference.onnx")]:
        committed = onnx.load(str(EXAMPLE_DIR / name))
        assert committed.SerializeToString() == make_models.build(fused).SerializeToString(), name


def test_bias_gelu_tanh_mode_in_float64():
    x = np.random.default_rng(0).standard_normal((2, 5, 6))
    bias = numpy_helper.from_array(np.linspace(-1, 1, 6), "bias")
    model = single_op_model("BiasGelu", [("X", TensorProto.DOUBLE, [2, 5, 6])],
                            TensorProto.DOUBLE, [bias], approximate="tanh")
    y = session(model).run(None, {"X": x})[0]
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, gelu(x + np.linspace(-1, 1, 6), tanh=True), rtol=1e-12)


@pytest.mark.parametrize("dtype,onnx_type", [(np.int32, TensorProto.INT32),
                                             (np.uint8, TensorProto.UINT8)])
def test_channel_shuffle_on_integer_types(dtype, onnx_type):
    x = np.arange(2 * 12 * 3 * 2).reshape(2, 12, 3, 2).astype(dtype)
    model = single_op_model("ChannelShuffle", [("X", onnx_type, [2, 12, 3, 2])], onnx_type,
                            groups=3)
    np.testing.assert_array_equal(session(model).run(None, {"X": x})[0], shuffle(x, 3))


def test_shape_inference_fills_undeclared_output_shapes():
    model = single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, ["n", 4, 5, 6])],
                            groups=2, output_shape=None)
    (out,) = session(model).get_outputs()
    assert list(out.shape) == ["n", 4, 5, 6] or list(out.shape)[1:] == [4, 5, 6], out.shape


def test_dynamic_shapes_are_checked_by_the_kernel_at_run_time():
    bias = numpy_helper.from_array(np.ones(4, np.float32), "bias")
    model = single_op_model("BiasGelu", [("X", TensorProto.FLOAT, ["n", "k"])], initializers=[bias])
    sess = session(model)
    assert sess.run(None, {"X": np.zeros((2, 4), np.float32)})[0].shape == (2, 4)
    with pytest.raises(infer.InferError, match="as many elements as X's last dimension"):
        sess.run(None, {"X": np.zeros((2, 5), np.float32)})


def test_concurrent_runs_of_one_session_agree():
    sess = session(make_models.build(fused=True))
    x = np.random.default_rng(1).standard_normal((2, 8, 16, 16)).astype(np.float32)
    expected = sess.run(None, {"input": x})[0]
    results, errors = [], []

    def worker():
        try:
            for _ in range(10):
                results.append(sess.run(None, {"input": x})[0])
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 40
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_constant_custom_nodes_are_not_folded():
    """A plugin's kernel may not be pure (state, randomness), so constant folding leaves custom
    nodes alone; they still compute the right thing at run time."""
    x = numpy_helper.from_array(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4), "X")
    bias = numpy_helper.from_array(np.ones(4, np.float32), "bias")
    node = helper.make_node("BiasGelu", ["X", "bias"], ["g"], domain="com.example")
    add = helper.make_node("Add", ["g", "Z"], ["Y"])
    graph = helper.make_graph([node, add], "fold",
                              [helper.make_tensor_value_info("Z", TensorProto.FLOAT, [3, 4])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [3, 4])],
                              [x, bias])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid("com.example", 1)])
    sess = session(model)
    assert sess.node_count() == 2, sess.optimization_report()
    y = sess.run(None, {"Z": np.zeros((3, 4), np.float32)})[0]
    np.testing.assert_allclose(y, gelu(numpy_helper.to_array(x) + 1), rtol=1e-6)


# ---- models that break the schema: clear errors when the session is created -----------------

@pytest.mark.parametrize("make,message", [
    (lambda: single_op_model("BiasGelu", [("X", TensorProto.FLOAT, [2, 32])],
                             initializers=[numpy_helper.from_array(np.ones(5, np.float32), "b")]),
     "bias has 5 elements but the last dimension of X is 32"),
    (lambda: single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, [1, 16, 2, 2])],
                             groups=3),
     "16 channels do not split into 3 groups"),
    (lambda: single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, [1, 16, 2, 2])]),
     "required attribute 'groups' is missing"),
    (lambda: single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, [1, 4, 2, 2])],
                             groups=2, colour="red"),
     "attribute 'colour' is not defined"),
    (lambda: single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, [4, 2, 2])], groups=2),
     "X must be NCHW"),
    (lambda: single_op_model("BiasGelu", [("X", TensorProto.INT64, [2, 3])], TensorProto.INT64,
                             initializers=[numpy_helper.from_array(np.ones(3, np.int64), "b")]),
     "int64"),
    (lambda: single_op_model("BiasGelu", [("X", TensorProto.FLOAT, [2, 3])], approximate="cubic",
                             initializers=[numpy_helper.from_array(np.ones(3, np.float32), "b")]),
     "attribute 'approximate' must be"),
])
def test_schema_violations_are_clear_errors(make, message):
    with pytest.raises(infer.InferError, match=message) as err:
        session(make())
    assert "node" in str(err.value)


def test_a_model_with_custom_ops_but_no_plugin_names_the_op_and_the_fix():
    with pytest.raises(infer.InferError, match="ChannelShuffle") as err:
        infer.InferenceSession(make_models.build(fused=True).SerializeToString(),
                               plugins=[str(PLUGIN_DIR)], backends=["cpu"])
    assert "No loaded custom-op plugin registers 'ChannelShuffle' in domain 'com.example'" \
        in str(err.value)


def test_a_model_that_does_not_import_the_domain_says_so():
    model = single_op_model("ChannelShuffle", [("X", TensorProto.FLOAT, [1, 4, 2, 2])], groups=2)
    del model.opset_import[1]  # com.example
    with pytest.raises(infer.InferError, match="imports no opset for domain 'com.example'"):
        session(model)


def test_a_custom_op_without_a_kernel_for_the_chosen_backend_names_its_backends():
    with pytest.raises(infer.InferError, match="has kernels for: cpu"):
        infer.InferenceSession(make_models.build(fused=True).SerializeToString(),
                               plugins=plugins(), backends=["npu_sim"], dims={"batch": 1})


# ---- plugins that misbehave -----------------------------------------------------------------

@pytest.mark.parametrize("op,stage,message", [
    ("FailShape", "create", "shape inference of custom-op plugin 'bad_ops_failing' failed: "
                            "FailShape refuses every input shape"),
    ("FailCreate", "create", "FailCreate cannot be compiled"),
    ("FailKernel", "run", "FailKernel always fails at run time"),
    ("BadOutput", "run", "allocate_output: output 1 of 1"),
])
def test_plugin_errors_reach_the_caller_with_the_node_named(op, stage, message):
    model = single_op_model(op, [("X", TensorProto.FLOAT, [2, 3])], domain="com.test",
                            output_shape=[2, 3])
    model.graph.node[0].name = "the_node"
    with pytest.raises(infer.InferError) as err:
        sess = session(model, case="failing")
        assert stage == "run", "session creation should have failed"
        sess.run(None, {"X": np.ones((2, 3), np.float32)})
    assert message in str(err.value)
    assert "the_node" in str(err.value)


@pytest.mark.parametrize("case,message", [
    ("duplicate", "op com.test.Twice-1 is registered twice by this plugin"),
    ("reserved_domain", "domain '' is reserved"),
    ("no_kernel", "it has no kernel for any backend"),
    ("old_abi", "need plugin ABI 1.5 or newer (built against 1.4)"),
    ("clash", "op com.example.BiasGelu-1 is already registered by plugin 'example_ops'"),
])
def test_bad_registrations_fail_the_plugin_not_the_process(case, message):
    env = infer.Environment(plugins(case))
    bad = [p for p in env.plugins() if p.name == f"bad_ops_{case}"]
    assert bad and not bad[0].loaded
    assert message in bad[0].error, bad[0].error
    # Everything else still loaded.
    assert any(p.name == "cpu" and p.loaded for p in env.plugins())


def test_the_clashing_plugin_leaves_the_first_registration_working():
    x = np.zeros((1, 8, 16, 16), np.float32)
    assert session(make_models.build(fused=True), case="clash").run(None, {"input": x})[0].shape \
        == (1, 10)


# ---- infer-run ------------------------------------------------------------------------------

def run_infer(*args):
    return subprocess.run([str(INFER_RUN), *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_infer_run_lists_and_uses_the_example_plugin(tmp_path):
    dirs = ["--plugins", PLUGIN_DIR, "--plugins", TEST_PLUGINS / "example_ops"]
    listing = run_infer(*dirs, "--list-plugins")
    assert listing.returncode == 0, listing.stderr
    assert "example_ops" in listing.stdout and "custom-ops" in listing.stdout, listing.stdout
    # infer_env_custom_op_get through infer-run: each op with the backends that have a kernel.
    assert "op com.example.BiasGelu-1  kernels: cpu,minimal" in listing.stdout, listing.stdout
    assert "op com.example.ChannelShuffle-1  kernels: cpu,minimal" in listing.stdout
    for model, out in [("example_ops_model.onnx", "fused"), ("example_ops_reference.onnx", "ref")]:
        res = run_infer(*dirs, EXAMPLE_DIR / model, "--dim", "batch=2", "--seed", "3",
                        "--output-dir", tmp_path / out)
        assert res.returncode == 0, res.stderr
    np.testing.assert_allclose(np.load(tmp_path / "fused" / "logits.npy"),
                               np.load(tmp_path / "ref" / "logits.npy"), rtol=1e-4, atol=1e-5)


def test_infer_run_reports_a_failed_custom_op_plugin():
    listing = run_infer("--plugins", PLUGIN_DIR, "--plugins", TEST_PLUGINS / "duplicate",
                        "--list-plugins")
    assert "registered twice" in listing.stdout + listing.stderr
