"""The partitioner on small graphs built to force a placement: islands and the
minimum partition size, cycle-free grouping, pins and excludes, fallback
policies, copies, and partitions run side by side."""

from __future__ import annotations

import numpy as np
import pytest

from placement_util import (assert_close_fp16, branches_model, clean_error, copies,
                            diamond_model, feeds, interleaved_model, partitions, run_infer,
                            session)


def cpu_reference(path):
    return session(path, backends="cpu").run(None, feeds())


def test_interleaved_is_correct_with_every_island(tmp_path):
    path = interleaved_model(tmp_path)
    sess = session(path, min_partition_size=1)
    out = sess.run(None, feeds())
    assert_close_fp16(out[0], cpu_reference(path)[0])
    report = sess.placement_report()
    backends = [b for b, _, _ in partitions(report)]
    # npu, cpu, npu (the lone Mul), cpu, npu, cpu, npu (the lone Add), cpu
    assert backends == ["npu_sim", "cpu"] * 4, report
    assert len(copies(report)) == 7, report


def test_min_partition_size_moves_islands_to_cpu(tmp_path):
    path = interleaved_model(tmp_path)
    sess = session(path)  # default minimum: 3 nodes
    out = sess.run(None, feeds())
    assert_close_fp16(out[0], cpu_reference(path)[0])
    report = sess.placement_report()
    placed = partitions(report)
    assert [(b, n) for b, n, _ in placed] == [("npu_sim", 3), ("cpu", 3), ("npu_sim", 4),
                                              ("cpu", 3)], report
    assert len(copies(report)) == 3, report
    for island in ("island_mul", "island_add"):
        line = next(l for l in report.splitlines() if f"'{island}'" in l and "refused by" in l)
        assert "island of 1 node(s) and 0 MACs (placement.min_partition_size=3" in line, line


def test_min_partition_size_larger_than_blocks_leaves_cpu_only(tmp_path):
    path = interleaved_model(tmp_path)
    sess = session(path, min_partition_size=5, **{"placement.min_partition_macs": "100000000"})
    sess.run(None, feeds())
    assert {b for b, _, _ in partitions(sess.placement_report())} == {"cpu"}


def test_diamond_is_not_merged_into_a_cycle(tmp_path):
    path = diamond_model(tmp_path)
    sess = session(path, min_partition_size=1)
    out = sess.run(None, feeds())
    assert_close_fp16(out[0], cpu_reference(path)[0])
    placed = partitions(sess.placement_report())
    # conv_a and relu_c together; add_d alone after tanh_b: joining conv_a's
    # partition would make that partition both feed and wait for tanh_b.
    assert [(b, n) for b, n, _ in placed] == [("npu_sim", 2), ("cpu", 1), ("npu_sim", 1)], placed


def test_pin_and_exclude(tmp_path):
    path = interleaved_model(tmp_path)
    sess = session(path, pin="conv1=cpu", min_partition_size=1)
    sess.run(None, feeds())
    report = sess.placement_report()
    assert partitions(report)[0][0] == "cpu", report
    assert "refused by npu_sim: Conv node 'conv1'" in report
    assert "pinned to cpu" in report

    sess = session(path, exclude="op:Conv=npu_sim;op:Relu=npu_sim", min_partition_size=1)
    out = sess.run(None, feeds())
    assert_close_fp16(out[0], cpu_reference(path)[0])
    placed = partitions(sess.placement_report())
    assert all("Conv" not in ops for b, _, ops in placed if b == "npu_sim"), placed
    assert "excluded by placement.exclude" in sess.placement_report()

    # A pin beats the minimum size: the lone Mul stays on the NPU.
    sess = session(path, pin="island_mul=npu_sim")
    sess.run(None, feeds())
    assert ("npu_sim", 1, "Mul x1") in partitions(sess.placement_report())


@pytest.mark.parametrize("config, expected", [
    ({"pin": "tanh1=npu_sim"}, "pinned to 'npu_sim', which cannot run it"),
    ({"pin": "no_such_node=cpu"}, "the graph has no node named 'no_such_node'"),
    ({"exclude": "op:NoSuchOp=cpu"}, "no node of op type 'NoSuchOp'"),
    ({"pin": "conv1=gpu"}, "backend 'gpu' is not one of this session's backends"),
    ({"pin": "conv1"}, "is not NODE=BACKEND"),
    ({"fallback": "maybe"}, "placement.fallback: 'maybe' is not one of allow, warn, error"),
    ({"min_partition_size": "0"}, "placement.min_partition_size: '0'"),
    ({"min_partition_size": "three"}, "placement.min_partition_size: 'three'"),
    ({"inter_op_threads": "0"}, "session.inter_op_threads: '0'"),
    ({"placement.min_partition_macs": "lots"}, "placement.min_partition_macs: 'lots'"),
])
def test_bad_placement_options_are_clear_errors(tmp_path, config, expected):
    path = interleaved_model(tmp_path)
    with pytest.raises(Exception) as info:
        session(path, **config)
    assert expected in str(info.value)


def test_fallback_error_names_node_and_reason(tmp_path):
    path = interleaved_model(tmp_path)
    proc = run_infer(path, "--backends", "npu_sim,cpu", "--fallback", "error")
    message = clean_error(proc)
    assert "placement.fallback=error" in message
    assert "node 'tanh1' (op 'Tanh'" in message
    assert "cannot run on 'npu_sim'" in message
    assert "Tanh" in message.split("cannot run on 'npu_sim':", 1)[1]


def test_fallback_warn_is_one_line_and_allow_is_silent(tmp_path):
    path = interleaved_model(tmp_path)
    warn = run_infer(path, "--backends", "npu_sim,cpu")
    assert warn.returncode == 0, warn.stderr
    lines = [l for l in warn.stderr.splitlines() if "fall back from npu_sim" in l]
    assert len(lines) == 1, warn.stderr
    assert "'tanh1' (Tanh)" in lines[0] and "to cpu" in lines[0]
    allow = run_infer(path, "--backends", "npu_sim,cpu", "--fallback", "allow")
    assert allow.returncode == 0 and "fall back" not in allow.stderr, allow.stderr


@pytest.mark.parametrize("flags, expected", [
    (["--fallback", "sometimes"], "--fallback must be allow, warn or error"),
    (["--min-partition", "0"], "--min-partition must be an integer >= 1"),
    (["--pin", "conv1"], "--pin expects NAME=VALUE"),
    (["--inter-op", "x"], "--inter-op must be an integer >= 1"),
])
def test_bad_placement_flags(tmp_path, flags, expected):
    path = interleaved_model(tmp_path)
    assert expected in clean_error(run_infer(path, "--backends", "npu_sim,cpu", *flags))


def test_report_shows_copies_times_and_device_account(tmp_path):
    path = interleaved_model(tmp_path)
    proc = run_infer(path, "--backends", "npu_sim,cpu", "--report")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "copy 0: " in out and "npu_sim (partition 0) -> cpu (partition 1)" in out, out
    assert "host time:" in out and "ms/run" in out
    assert "simulated" in out, out  # npu_sim's own account under its partitions
    assert "refused by npu_sim: Tanh node 'tanh1'" in out or "refused by npu_sim" in out


def test_independent_partitions_run_side_by_side(tmp_path):
    path = branches_model(tmp_path)
    reference = session(path, backends="cpu")
    for threads in (1, 2, 4):
        sess = session(path, inter_op_threads=threads)
        placed = partitions(sess.placement_report())
        assert sorted(b for b, _, _ in placed) == ["cpu", "npu_sim"], placed
        assert not copies(sess.placement_report())  # nothing crosses: they are independent
        for seed in range(4):
            got = sess.run(None, feeds(seed))
            for g, w in zip(got, reference.run(None, feeds(seed))):
                assert_close_fp16(g, w)


def test_cpu_only_order_never_falls_back(tmp_path):
    path = interleaved_model(tmp_path)
    sess = session(path, backends="cpu", fallback="error")
    out = sess.run(None, feeds())
    np.testing.assert_allclose(out[0], cpu_reference(path)[0], rtol=0, atol=0)
    assert [b for b, _, _ in partitions(sess.placement_report())] == ["cpu"]


def test_concurrent_runs_share_the_inter_op_pool(tmp_path):
    """Several Run calls at once on one session, each handing steps to the
    same two workers (ctypes releases the GIL during the call)."""
    from concurrent.futures import ThreadPoolExecutor

    path = interleaved_model(tmp_path)
    sess = session(path, inter_op_threads=2, min_partition_size=1)
    want = {seed: sess.run(None, feeds(seed))[0] for seed in range(4)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda seed: (seed, sess.run(None, feeds(seed))[0]),
                                [s % 4 for s in range(24)]))
    for seed, got in results:
        np.testing.assert_array_equal(got, want[seed])


def if_model(tmp_path):
    """y = If(cond, then: Relu(x) named inner_relu, else: Neg(x))."""
    import onnx
    from onnx import TensorProto, helper

    out = helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 8, 16, 16])
    then_graph = helper.make_graph([helper.make_node("Relu", ["x"], ["b"], name="inner_relu")],
                                   "then", [], [out])
    else_graph = helper.make_graph([helper.make_node("Neg", ["x"], ["b"], name="inner_neg")],
                                   "else", [], [out])
    graph = helper.make_graph(
        [helper.make_node("If", ["cond"], ["y"], name="branch", then_branch=then_graph,
                          else_branch=else_graph)],
        "if_test",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 16, 16]),
         helper.make_tensor_value_info("cond", TensorProto.BOOL, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 16, 16])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    path = tmp_path / "if.onnx"
    onnx.save(model, path)
    return path


def test_pins_reach_into_control_flow_bodies(tmp_path):
    path = if_model(tmp_path)
    inputs = {**feeds(), "cond": np.array(True)}
    sess = session(path, pin="inner_relu=cpu", min_partition_size=1)
    np.testing.assert_array_equal(sess.run(None, inputs)[0], np.maximum(inputs["x"], 0))
    report = sess.placement_report()
    assert "core (control flow)" in report and "refused by npu_sim: Relu node 'inner_relu'" in report
    with pytest.raises(Exception, match="no node named 'nowhere'"):
        session(path, pin="nowhere=cpu")
