"""SessionOptions, the engine's reports, profiling and the plugin list."""

import json
import logging
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import MODELS, ort_session

import infer

MLP = MODELS / "mlp.onnx"


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", infer.version())
    assert infer.library_path().name.startswith("libinfer.so")
    assert infer.api_version()[0] == 0


needs_api_0_2 = pytest.mark.skipif(infer.api_version() < (0, 2), reason="needs C API 0.2")


@needs_api_0_2
def test_log_level():
    before = infer.get_log_level()
    try:
        infer.set_log_level("error")
        assert infer.get_log_level() == "error"
        infer.set_default_logger_severity(2)  # onnxruntime's "warning"
        assert infer.get_log_level() == "warn"
        with pytest.raises(infer.InvalidArgument):
            infer.set_log_level("loud")
        with pytest.raises(infer.InvalidArgument):
            infer.set_log_level(9)
    finally:
        infer.set_log_level(before)


@needs_api_0_2
def test_engine_log_goes_to_python_logging(caplog):
    infer.log_to_python()
    try:
        with caplog.at_level(logging.WARNING, logger="infer"):
            infer.InferenceSession(MODELS / "small_cnn.onnx", backends=["npu_sim", "cpu"],
                                   config={"placement.fallback": "warn"})
    finally:
        infer.log_to_python(False)
    warnings = [r for r in caplog.records if r.name == "infer" and r.levelno == logging.WARNING]
    assert any("fall back from npu_sim to cpu" in r.getMessage() for r in warnings)


@needs_api_0_2
def test_passes_and_plugin_details():
    env = infer.get_environment()
    passes = env.passes()
    assert passes[0].level == 1 and [p.level for p in passes] == sorted(p.level for p in passes)
    assert "constant_folding" in {p.name for p in passes}
    by_name = {p.name: p for p in env.plugins()}
    assert by_name["cpu"].device == "CPU" and by_name["onnx"].format == "onnx"
    # A pass named in optimizer.disable does not run.
    sess = infer.InferenceSession(MLP, backends=["cpu"],
                                  config={"optimizer.disable": "constant_folding"})
    rows = [line.split() for line in sess.optimization_report().splitlines()]
    ran = {row[2] for row in rows if row and row[0] in ("1", "2", "3")}  # level round pass
    assert "constant_folding" not in ran and "identity_elimination" in ran


def test_optimization_levels(cnn_input):
    reports = {}
    for level in infer.GraphOptimizationLevel:
        so = infer.SessionOptions()
        so.graph_optimization_level = level
        sess = infer.InferenceSession(MODELS / "small_cnn.onnx", so, backends=["cpu"])
        reports[level] = sess.optimization_report()
    assert reports[infer.GraphOptimizationLevel.ORT_ENABLE_ALL].startswith(
        "optimization level 3 (layout)")
    assert reports[infer.GraphOptimizationLevel.ORT_DISABLE_ALL].startswith("optimization level 0")


def test_optimized_model_file_round_trip(tmp_path, cnn_input, cnn_ort):
    saved = tmp_path / "small_cnn.inferopt"
    so = infer.SessionOptions()
    so.optimized_model_filepath = str(saved)
    first = infer.InferenceSession(MODELS / "small_cnn.onnx", so, backends=["cpu"])
    loaded = infer.InferenceSession(saved, backends=["cpu"])
    assert "already optimized" in loaded.optimization_report()
    assert loaded.node_count() == first.node_count()
    expected = cnn_ort.run(None, {"input": cnn_input})[0]
    for sess in (first, loaded, infer.InferenceSession(saved.read_bytes(), backends=["cpu"])):
        np.testing.assert_allclose(sess.run(None, {"input": cnn_input})[0], expected,
                                   rtol=1e-4, atol=1e-5)


def test_session_options_are_copied_and_readable():
    so = infer.SessionOptions()
    so.add_session_config_entry("placement.fallback", "error")
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 2
    sess = infer.InferenceSession(MLP, so, backends=["cpu"], config={"cpu.memory_plan": "1"})
    got = sess.get_session_options()
    assert got.get_session_config_entry("placement.fallback") == "error"
    assert got.get_session_config_entry("cpu.memory_plan") == "1"
    assert got.intra_op_num_threads == 2
    with pytest.raises(infer.InvalidArgument):  # the caller's options were not changed
        so.get_session_config_entry("cpu.memory_plan")
    x = np.ones((4, 16), np.float32)
    np.testing.assert_allclose(sess.run(None, {"input": x})[0],
                               ort_session(MLP).run(None, {"input": x})[0], rtol=1e-4, atol=1e-5)


def test_placement_report(cnn, cnn_input):
    cnn.run(None, {"input": cnn_input})
    report = cnn.placement_report()
    assert "cpu" in report and "partition" in report


def test_profiling_events(cnn_input):
    sess = infer.InferenceSession(MODELS / "small_cnn.onnx", backends=["cpu"])
    sess.start_profiling()
    for _ in range(3):
        sess.run(None, {"input": cnn_input})
    events, dropped = sess.stop_profiling()
    assert dropped == 0
    assert {e.run for e in events} == {0, 1, 2}
    assert {e.category for e in events} >= {"partition", "node"}
    assert all(e.duration_ns >= 0 and e.backend for e in events)
    with pytest.raises(infer.FailedPrecondition):
        sess.stop_profiling()


def test_end_profiling_writes_a_chrome_trace(tmp_path, cnn_input):
    so = infer.SessionOptions()
    so.enable_profiling = True
    so.profile_file_prefix = str(tmp_path / "trace")
    sess = infer.InferenceSession(MODELS / "small_cnn.onnx", so, backends=["cpu"])
    sess.run(None, {"input": cnn_input})
    path = Path(sess.end_profiling())
    assert path.parent == tmp_path and path.name.startswith("trace_")
    trace = json.loads(path.read_text())
    assert trace and all(e["ph"] == "X" and e["dur"] >= 0 for e in trace)
    assert sess.end_profiling() == ""  # no longer on, as in ORT


def test_plugins_are_listed_with_load_errors(tmp_path):
    plugins = infer.get_environment().plugins()
    assert {"cpu", "onnx"} <= {p.name for p in plugins if p.loaded}
    assert "cpu" in infer.get_available_providers()
    # A file that is not a plugin is listed with the reason, and the rest still loads.
    junk = tmp_path / "libinfer_junk.so"
    junk.write_bytes(b"not an ELF file")
    folders = [Path(next(p.path for p in plugins if p.name == "cpu")).parent, tmp_path]
    env = infer.Environment(folders)
    assert env.load_errors().get(str(junk))
    assert [p.loaded for p in env.plugins() if p.path == str(junk)] == [False]
    sess = infer.InferenceSession(MLP, plugins=folders, backends=["cpu"])
    assert str(junk) in {p.path for p in sess.plugins()}
    sess.run(None, {"input": np.ones((1, 16), np.float32)})
