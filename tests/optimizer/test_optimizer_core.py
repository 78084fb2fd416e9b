"""The optimiser driver in the core: levels, the report, pass failures and
rollback, disabling passes, and infer's optimised model file (infer-opt)."""

from __future__ import annotations

import random
import subprocess

import numpy as np
import onnxruntime as ort
import pytest

from infer import InferenceSession
from infer._capi import InferError
from optimizer_util import INFER_OPT, INFER_RUN, PLUGIN_DIR, TEST_PLUGIN_ROOT, small_cnn

FAULTY_DIR = TEST_PLUGIN_ROOT / "faulty_passes"


def run_model(path, level=None, plugins=None, config=None, **kw):
    sess = InferenceSession(str(path), plugins=plugins or [str(PLUGIN_DIR)],
                            optimization_level=level, config=config, **kw)
    x = np.random.default_rng(1).standard_normal((1, 3, 16, 16)).astype(np.float32)
    return sess, sess.run(None, {"x": x})[0], x


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_level_matches_level_0_and_onnxruntime(tmp_path, level):
    model = small_cnn(tmp_path)
    _, ref, x = run_model(model, 0)
    sess, out, _ = run_model(model, level)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    ort_out = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(
        None, {"x": x})[0]
    np.testing.assert_allclose(out, ort_out, rtol=1e-4, atol=1e-5)
    report = sess.optimization_report()
    assert report.startswith(f"optimization level {level} ")
    assert f"-> {sess.node_count()} nodes" in report.splitlines()[0]


def test_default_level_is_the_highest(tmp_path):
    sess, _, _ = run_model(small_cnn(tmp_path))
    assert sess.optimization_report().startswith("optimization level 3 (layout)")


def test_level_0_runs_no_pass(tmp_path):
    sess, _, _ = run_model(small_cnn(tmp_path), 0)
    report = sess.optimization_report()
    assert report.splitlines() == ["optimization level 0 (none): 11 -> 11 nodes, "
                                   "11 -> 11 initializers"]
    assert sess.node_count() == 11


@pytest.mark.parametrize("level", [-1, 4, 99])
def test_a_level_that_does_not_exist_is_an_error(tmp_path, level):
    with pytest.raises(InferError, match="levels are 0"):
        run_model(small_cnn(tmp_path), level)


@pytest.mark.parametrize("flag", ["-O", "-O9", "-Ox"])
def test_infer_run_rejects_bad_levels(tmp_path, flag):
    args = [str(INFER_RUN), "--plugins", str(PLUGIN_DIR), str(small_cnn(tmp_path)), flag]
    if flag == "-O":
        args.append("7")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("infer-run: error: -O")


@pytest.mark.parametrize("mode", ["throws", "dangling", "cycle", "shape"])
def test_a_failing_pass_is_named_and_rolled_back(tmp_path, mode, capfd):
    model = small_cnn(tmp_path)
    _, ref, _ = run_model(model, 0)
    sess, out, _ = run_model(model, 3, plugins=[str(PLUGIN_DIR), str(FAULTY_DIR)],
                             config={"faulty.mode": mode})
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    report = sess.optimization_report()
    assert "faulty_pass" in report
    assert "FAILED and rolled back" in report
    err = capfd.readouterr().err
    assert "pass 'faulty_pass' (plugin 'faulty_passes') failed" in err
    assert "continuing with the graph from before it" in err
    # The other passes still ran on the restored graph.
    assert sess.node_count() == run_model(model, 3)[0].node_count()


def test_passes_can_be_disabled_by_name(tmp_path):
    sess, _, _ = run_model(small_cnn(tmp_path), 3, plugins=[str(PLUGIN_DIR), str(FAULTY_DIR)],
                           config={"optimizer.disable": "faulty_pass"})
    report = sess.optimization_report()
    assert "disabled: faulty_pass" in report
    assert "FAILED" not in report


def test_optimized_file_round_trip_skips_the_passes(tmp_path):
    model = small_cnn(tmp_path)
    saved = tmp_path / "small.inferopt"
    sess, out, x = run_model(model, 3, optimized_model_path=saved)
    assert saved.read_bytes()[:8] == b"INFEROPT"
    loaded = InferenceSession(str(saved), plugins=[str(PLUGIN_DIR)])
    assert "already optimized (level 3" in loaded.optimization_report()
    assert loaded.node_count() == sess.node_count()
    np.testing.assert_allclose(loaded.run(None, {"x": x})[0], out, rtol=0, atol=0)


def test_infer_opt_writes_a_file_infer_run_loads(tmp_path):
    model = small_cnn(tmp_path)
    out = tmp_path / "opt.inferopt"
    proc = subprocess.run([str(INFER_OPT), "--plugins", str(PLUGIN_DIR), str(model), "-O", "2",
                           "-o", str(out), "-v"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("optimization level 2 (extended)")
    assert f"wrote {out}" in proc.stdout
    run = subprocess.run([str(INFER_RUN), "--plugins", str(PLUGIN_DIR), str(out), "--report"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "already optimized (level 2, extended)" in run.stdout


@pytest.mark.parametrize("args, message", [
    ([], "no output file given"),
    (["-o"], "-o needs a value"),
    (["-o", "x", "--bogus"], "unknown option '--bogus'"),
])
def test_infer_opt_usage_errors(tmp_path, args, message):
    proc = subprocess.run([str(INFER_OPT), "--plugins", str(PLUGIN_DIR), str(small_cnn(tmp_path)),
                           *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_infer_opt_refuses_to_overwrite_its_input(tmp_path):
    model = small_cnn(tmp_path)
    proc = subprocess.run([str(INFER_OPT), "--plugins", str(PLUGIN_DIR), str(model), "-o",
                           str(model)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "would overwrite the model" in proc.stderr


def _saved(tmp_path):
    saved = tmp_path / "small.inferopt"
    run_model(small_cnn(tmp_path), 3, optimized_model_path=saved)
    return saved.read_bytes()


def _infer_run(path):
    return subprocess.run([str(INFER_RUN), "--plugins", str(PLUGIN_DIR), str(path)],
                          capture_output=True, text=True, timeout=60)


def test_truncated_optimized_files_are_clear_errors(tmp_path):
    data = _saved(tmp_path)
    for n in [8, 10, 12, 20, len(data) // 2, len(data) - 1]:
        bad = tmp_path / f"truncated_{n}.inferopt"
        bad.write_bytes(data[:n])
        proc = _infer_run(bad)
        assert proc.returncode == 1, (n, proc.stderr)
        assert proc.stderr.startswith("infer-run: error: the optimized model file is corrupt"), \
            (n, proc.stderr)


def test_corrupted_optimized_files_never_crash(tmp_path):
    data = _saved(tmp_path)
    rng = random.Random(0)
    for i in range(30):
        buf = bytearray(data)
        for _ in range(rng.choice([1, 4, 32])):
            pos = rng.randrange(12, min(len(buf), 4096))  # the graph structure, not weights
            buf[pos] = rng.randrange(256)
        bad = tmp_path / f"corrupt_{i}.inferopt"
        bad.write_bytes(bytes(buf))
        proc = _infer_run(bad)
        # Some flips land in names or float data and still load; none may crash.
        assert proc.returncode in (0, 1), (i, proc.returncode, proc.stderr)
        if proc.returncode == 1:
            assert proc.stderr.startswith("infer-run: error: "), proc.stderr
            assert len(proc.stderr.splitlines()) == 1


def test_a_file_from_an_incompatible_version_is_a_clear_error(tmp_path):
    data = bytearray(_saved(tmp_path))
    data[8:12] = (99).to_bytes(4, "little")
    bad = tmp_path / "future.inferopt"
    bad.write_bytes(bytes(data))
    proc = _infer_run(bad)
    assert proc.returncode == 1
    assert "has format version 99" in proc.stderr
    assert "reads format version 1" in proc.stderr
    assert "infer-opt" in proc.stderr


def test_unwritable_output_is_an_error(tmp_path):
    with pytest.raises(InferError, match="cannot write"):
        run_model(small_cnn(tmp_path), 1, optimized_model_path=tmp_path / "no" / "such" / "f")


@pytest.mark.parametrize("level", [0, 1])
def test_control_flow_reads_initializers(level):
    """If with a constant condition, and branches reading an outer initializer: the
    core's control-flow runtime must see constants (folding creates more of them)."""
    from onnx import TensorProto, helper, numpy_helper

    def branch(name, op):
        return helper.make_graph([helper.make_node(op, ["x", "w"], [f"{name}_out"])], name, [],
                                 [helper.make_tensor_value_info(f"{name}_out", 1, [2])])

    graph = helper.make_graph(
        [helper.make_node("Not", ["flag"], ["cond"]),
         helper.make_node("If", ["cond"], ["y"], then_branch=branch("t", "Add"),
                          else_branch=branch("e", "Mul"))], "g",
        [helper.make_tensor_value_info("x", 1, [2])],
        [helper.make_tensor_value_info("y", 1, [2])],
        [numpy_helper.from_array(np.array([3, 4], np.float32), "w"),
         numpy_helper.from_array(np.array(False), "flag")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    sess = InferenceSession(model.SerializeToString(), plugins=[str(PLUGIN_DIR)],
                            optimization_level=level)
    out = sess.run(None, {"x": np.array([-1, 2], np.float32)})[0]
    np.testing.assert_array_equal(out, [2, 6])
