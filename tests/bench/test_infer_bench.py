"""infer-bench on the example models: the --json object and its values, the
--profile Chrome trace, and one clear error line for each bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = os.environ["INFER_BENCH"]
PLUGINS = os.environ["INFER_PLUGIN_DIR"]
MODELS = Path(os.environ["INFER_SOURCE_DIR"]) / "examples" / "models"
FAST = ["--iterations", "5", "--warmup", "1"]


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BENCH, "--plugins", PLUGINS, *args], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("model", ["small_cnn.onnx", "mlp.onnx"])
def test_json_has_every_key_and_sane_values(model):
    r = bench(str(MODELS / model), "--dim", "batch=1", "--threads", "1", "--json", *FAST)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)  # the whole of stdout is one object
    assert result["model"].endswith(model)
    assert result["threads"] == 1
    assert result["iterations"] == 5
    assert "cpu" in result["placed_on"]
    assert result["load_ms"] > 0
    lat = result["latency_ms"]
    assert set(lat) == {"min", "median", "p90", "p99", "max"}
    assert 0 < lat["min"] <= lat["median"] <= lat["p90"] <= lat["p99"] <= lat["max"]
    assert result["throughput_ips"] > 0
    assert 1 < result["peak_rss_mb"] < 100_000
    # The cpu partition planned its intermediates into an arena after the first run.
    assert 0 < result["arena_mb"] < result["peak_rss_mb"]


def test_text_report():
    r = bench(str(MODELS / "mlp.onnx"), "--dim", "batch=2", *FAST)
    assert r.returncode == 0, r.stderr
    for label in ("load:", "latency ms:", "median", "p99", "throughput:", "peak RSS:"):
        assert label in r.stdout


@pytest.mark.parametrize("threads", ["1", "2"])
def test_profile_ops_reports_where_the_time_went(threads):
    r = bench(str(MODELS / "small_cnn.onnx"), "--dim", "batch=2", "--threads", threads,
              "--profile-ops", "--report", *FAST)
    assert r.returncode == 0, r.stderr
    report = r.stdout[r.stdout.index("placement:"):]
    assert f"intra-op threads {threads}" in report
    assert "memory plan: arena" in report and "without reuse" in report
    assert "per-operator times over 6 run(s)" in report  # 1 warm-up + 5 timed
    assert "slowest nodes:" in report
    # One line per op type with its share; the shares add up to about 100%.
    shares = [float(line.rsplit(", ", 1)[1].rstrip("%"))
              for line in report.splitlines() if " node(s), " in line and line.endswith("%")]
    assert shares and sum(shares) == pytest.approx(100, abs=1)


def test_report_without_profile_says_how_to_get_it():
    r = bench(str(MODELS / "small_cnn.onnx"), "--dim", "batch=1", "--report", *FAST)
    assert r.returncode == 0, r.stderr
    assert "per-operator times: set cpu.profile_ops=1" in r.stdout


@pytest.mark.parametrize("config, message", [
    ("cpu.threads=zero", "cpu.threads must be an integer from 1 to"),
    ("cpu.threads=0", "cpu.threads must be an integer from 1 to"),
    ("cpu.profile_ops=maybe", "cpu.profile_ops must be 1/0, true/false or on/off"),
    ("cpu.memory_plan=2", "cpu.memory_plan must be 1/0"),
])
def test_bad_cpu_options_are_clear_errors(config, message):
    r = bench(str(MODELS / "small_cnn.onnx"), "--dim", "batch=1", "--backends", "cpu",
              "--config", config, *FAST)
    assert r.returncode == 1, r.stderr
    assert message in r.stderr


def test_memory_plan_off_gives_the_same_outputs_path():
    r = bench(str(MODELS / "small_cnn.onnx"), "--dim", "batch=1", "--config", "cpu.memory_plan=0",
              "--report", *FAST)
    assert r.returncode == 0, r.stderr
    assert "memory plan off" in r.stdout


def test_seconds_runs_for_about_that_long():
    r = bench(str(MODELS / "mlp.onnx"), "--dim", "batch=1", "--seconds", "0.3", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["iterations"] >= 1
    assert result["iterations"] / result["throughput_ips"] == pytest.approx(0.3, abs=0.2)


def test_profile_is_a_chrome_trace(tmp_path):
    trace = tmp_path / "trace.json"
    r = bench(str(MODELS / "small_cnn.onnx"), "--dim", "batch=1", "--profile", str(trace), *FAST)
    assert r.returncode == 0, r.stderr
    events = json.loads(trace.read_text())["traceEvents"]
    complete = [e for e in events if e["ph"] == "X"]
    runs = [e for e in complete if e["name"] == "run"]
    steps = [e for e in complete if e["cat"] in ("partition", "copy")]
    assert len(runs) == 5
    # Every step of every timed run, recorded by the session, inside its run.
    assert steps and len(steps) % 5 == 0
    assert {e["args"]["run"] for e in steps} == set(range(5))
    assert any(e["name"] == "partition 0" and e["args"]["backend"] == "cpu" for e in steps)
    for e in complete:
        assert e["dur"] >= 0 and e["ts"] >= 0 and {"pid", "tid"} <= set(e)
    for step in steps:
        run = runs[step["args"]["run"]]
        slack = 1000.0  # us: the run is timed outside the session call
        assert run["ts"] - slack <= step["ts"] <= run["ts"] + run["dur"] + slack
    # The cpu backend reports each of its operators (ABI 1.4), inside its partition's step on
    # the same thread, so Perfetto nests them.
    nodes = [e for e in complete if e["cat"] == "node"]
    assert nodes and len(nodes) % 5 == 0
    assert any(e["name"].startswith("NchwcConv node") or e["name"].startswith("Conv node")
               for e in nodes)
    for node in nodes:
        parents = [s for s in steps if s["args"]["run"] == node["args"]["run"]
                   and s["tid"] == node["tid"] and s["cat"] == "partition"]
        assert any(p["ts"] - 1 <= node["ts"] and node["ts"] + node["dur"] <= p["ts"] + p["dur"] + 1
                   for p in parents), node


def test_profile_shows_side_by_side_partitions_on_two_threads(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "placement"))
    from placement_util import branches_model

    model = branches_model(tmp_path)
    trace = tmp_path / "trace.json"
    r = bench(str(model), "--backends", "npu_sim,cpu", "--inter-op", "2", "--profile", str(trace),
              *FAST)
    assert r.returncode == 0, r.stderr
    events = json.loads(trace.read_text())["traceEvents"]
    steps = [e for e in events if e.get("cat") == "partition"]
    assert {e["args"]["backend"] for e in steps} == {"npu_sim", "cpu"}
    # Steps run on the inter-op pool's workers; which of the two picks a step is up to the
    # scheduler (one worker may finish both branches before the other wakes), so only the bound
    # is fixed.
    assert 1 <= len({e["tid"] for e in steps}) <= 2


@pytest.mark.parametrize("args, message", [
    (["--threads", "0"], "--threads must be an integer >= 1"),
    (["--threads", "100000"], "hardware threads"),
    (["--iterations", "0"], "--iterations must be an integer >= 1"),
    (["--seconds", "0"], "--seconds must be a number > 0"),
    (["--seconds", "abc"], "--seconds must be a number > 0"),
    (["--iterations", "3", "--seconds", "1"], "not both"),
    ([], "symbolic dim 'batch'"),  # no --dim batch=N: named, not guessed
])
def test_bad_input_is_one_clear_error(args, message):
    r = bench(str(MODELS / "small_cnn.onnx"), *args, *FAST[2:])
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("infer-bench: error:"), r.stderr
    assert message in lines[0]
    assert r.stdout == ""


def test_missing_model_fails_with_exit_1(tmp_path):
    r = bench(str(tmp_path / "nope.onnx"), "--json", *FAST)
    assert r.returncode == 1
    assert r.stderr.startswith("infer-bench: error:")
    assert r.stdout == ""


def test_side_by_side_script_runs(tmp_path):
    pytest.importorskip("onnxruntime")
    script = Path(os.environ["INFER_SOURCE_DIR"]) / "bench" / "side_by_side.py"
    table = tmp_path / "table.md"
    r = subprocess.run([sys.executable, str(script), "--models", "mlp", "--threads", "1",
                        "--rounds", "2", "--iterations", "3", "--warmup", "1",
                        "--infer-bench", BENCH, "--markdown", str(table)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if line.startswith("mlp"))
    assert float(row.split()[-1]) > 0  # the ratio ours/ORT
    assert "| mlp | 1 |" in table.read_text()
