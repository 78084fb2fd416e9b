"""Real models on npu_sim,cpu: most compute lands on the simulated NPU, the
rest falls back to cpu, and outputs match cpu alone within float16
tolerance. The report shows the split, the copies and the simulated time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from placement_util import assert_close_fp16, compute_share, copies, partitions, session, zoo_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "optimizer"))
from levels import make_feeds  # noqa: E402

# (model, static dims, least share of the MACs on the NPU in percent, tolerance)
MODELS = [
    ("resnet18", {"batch": 1}, 95.0, 2e-2),
    ("mobilenet_v2", {"batch": 1}, 95.0, 2e-2),
    ("transformer_encoder", {"batch": 1, "seq": 128}, 60.0, 2e-2),
]


@pytest.mark.parametrize("name, dims, min_share, tolerance", MODELS,
                         ids=[m[0] for m in MODELS])
def test_model_on_npu_sim_and_cpu(name, dims, min_share, tolerance):
    path = zoo_model(name)
    inputs = make_feeds(path, dims)
    want = session(path, backends="cpu", dims=dims).run(None, inputs)
    sess = session(path, backends="npu_sim,cpu", dims=dims)
    got = sess.run(None, inputs)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        assert_close_fp16(g, w, tolerance)

    report = sess.placement_report()
    print(f"\n{name}:\n{report}")
    placed = partitions(report)
    assert any(b == "npu_sim" for b, _, _ in placed), report
    share = compute_share(report)
    assert share.get("npu_sim", 0.0) >= min_share, report
    # Every partition boundary between backends is an explicit copy.
    if {b for b, _, _ in placed} == {"npu_sim", "cpu"}:
        assert copies(report), report
    assert "simulated per run" in report or "simulated" in report, report
    assert "host time:" in report
