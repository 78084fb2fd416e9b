"""Node counts and accuracy of every optimisation level on real models, next to
ONNX Runtime's node counts at its own levels. Used by test_levels_models.py and,
run as a script, prints the table for docs/optimizer.md:

    PYTHONPATH=python .venv/bin/python tests/optimizer/levels.py [MODEL...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, str(Path(__file__).resolve().parent))
from optimizer_util import MODEL_ZOO_DIR, PLUGIN_DIR  # noqa: E402

from infer import InferenceSession  # noqa: E402

# Static dims, as a deployment would fix them (they let shape arithmetic fold).
MODELS = {
    "resnet50": {"batch": 1},
    "mobilenet_v2": {"batch": 1},
    "transformer_encoder": {"batch": 1, "seq": 128},
}
ORT_LEVELS = {
    "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
    "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
    "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
}


def make_feeds(model_path: Path, dims: dict, seed: int = 0) -> dict:
    """Seeded inputs for the model's declared inputs (float normal, bool padding
    mask with one full row, int64 token ids)."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for inp in onnx.load(str(model_path), load_external_data=False).graph.input:
        t = inp.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else dims[d.dim_param]
                 for d in t.shape.dim]
        if t.elem_type == onnx.TensorProto.FLOAT:
            feeds[inp.name] = rng.standard_normal(shape).astype(np.float32)
        elif t.elem_type == onnx.TensorProto.BOOL:
            mask = np.zeros(shape, dtype=bool)
            if len(shape) == 2 and shape[1] > 1:
                mask[1:, shape[1] // 2:] = True  # rows after the first are padded
            feeds[inp.name] = mask
        else:
            feeds[inp.name] = rng.integers(0, 100, shape).astype(np.int64)
    return feeds


def ort_node_counts(model_path: Path, dims: dict) -> dict:
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, level in ORT_LEVELS.items():
            so = ort.SessionOptions()
            so.graph_optimization_level = level
            so.log_severity_level = 3
            for sym, value in dims.items():
                so.add_free_dimension_override_by_name(sym, value)
            out = Path(tmp) / f"{name}.onnx"
            so.optimized_model_filepath = str(out)
            ort.InferenceSession(str(model_path), so, providers=["CPUExecutionProvider"])
            counts[name] = len(onnx.load(str(out), load_external_data=False).graph.node)
    return counts


def measure(name: str, levels=(0, 1, 2, 3), timed_runs: int = 0) -> dict:
    """Per level: node count, session create ms, max abs diff to level 0 relative to
    the largest |output| of level 0, and with timed_runs > 0 the median run ms after
    one warm-up run."""
    path = MODEL_ZOO_DIR / f"{name}.onnx"
    dims = MODELS[name]
    feeds = make_feeds(path, dims)
    result = {"model": name, "dims": dims, "levels": {}}
    reference = None
    for level in levels:
        t0 = time.perf_counter()
        sess = InferenceSession(str(path), plugins=[str(PLUGIN_DIR)], dims=dims,
                                optimization_level=level)
        t1 = time.perf_counter()
        outputs = sess.run(None, feeds)
        times = []
        for _ in range(timed_runs):
            t = time.perf_counter()
            sess.run(None, feeds)
            times.append((time.perf_counter() - t) * 1e3)
        if reference is None:
            reference = outputs
        scale = max(max(float(np.abs(r).max()), 1.0) for r in reference)
        diff = max(float(np.abs(o.astype(np.float64) - r).max())
                   for o, r in zip(outputs, reference))
        result["levels"][level] = {
            "nodes": sess.node_count(),
            "create_ms": (t1 - t0) * 1e3,
            "run_ms": float(np.median(times)) if times else float("nan"),
            "rel_diff": diff / scale,
            "report": sess.optimization_report(),
        }
    return result


def markdown(results: list[dict], ort_counts: dict) -> str:
    lines = [
        "| model (dims) | level 0 | 1 basic | 2 extended | 3 layout | ORT basic | ORT extended "
        "| ORT all | max rel. diff to level 0 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lv = r["levels"]
        dims = ", ".join(f"{k}={v}" for k, v in r["dims"].items())
        o = ort_counts[r["model"]]
        worst = max(v["rel_diff"] for v in lv.values())
        lines.append(f"| {r['model']} ({dims}) | " +
                     " | ".join(str(lv[k]["nodes"]) for k in sorted(lv)) +
                     f" | {o['basic']} | {o['extended']} | {o['all']} | {worst:.1e} |")
    lines.append("")
    lines.append("| model | median run ms, level 0 | 1 | 2 | 3 | session create ms, level 0 | 1 "
                 "| 2 | 3 |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        lv = r["levels"]
        lines.append(f"| {r['model']} | " +
                     " | ".join(f"{lv[k]['run_ms']:.0f}" for k in sorted(lv)) + " | " +
                     " | ".join(f"{lv[k]['create_ms']:.0f}" for k in sorted(lv)) + " |")
    return "\n".join(lines)


def main(names: list[str]) -> None:
    results, ort_counts = [], {}
    for name in names or list(MODELS):
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, timed_runs=5))
        ort_counts[name] = ort_node_counts(MODEL_ZOO_DIR / f"{name}.onnx", MODELS[name])
        for level, v in results[-1]["levels"].items():
            print(f"--- {name} level {level}\n{v['report']}", file=sys.stderr)
    print(markdown(results, ort_counts))


if __name__ == "__main__":
    main(sys.argv[1:])
