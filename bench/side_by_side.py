#!/usr/bin/env python3
"""infer-bench next to ONNX Runtime, alternately in one run.

For each model and thread count, every round runs infer-bench (--json, a fresh
session) and an ONNX Runtime session (intra_op_num_threads=N,
inter_op_num_threads=1, ORT_ENABLE_ALL) on inputs of the same shapes, swapping
which goes first each round, so drift and noise on the machine hit both alike.
Prints median-of-round-medians for each, the ratio ours/ORT and the spread
(min-max over every timed run), and each side's peak RSS (ORT runs in a child
Python process, so its figure includes the interpreter and numpy, some 40 MiB)
next to the size of our planned arena for intermediates.

    .venv/bin/python bench/side_by_side.py --models mlp --threads 1 --rounds 3
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ["resnet50", "resnet18", "mobilenet_v2", "efficientnet_b0", "transformer_encoder"]
# Values for symbolic dims, as tests/optimizer/levels.py fixes them.
DEFAULT_DIMS = {"batch": 1, "seq": 128}


def resolve_model(name: str, zoo: Path) -> Path:
    for candidate in (Path(name), zoo / f"{name}.onnx", ROOT / "examples" / "models" / f"{name}.onnx"):
        if candidate.is_file():
            return candidate
    sys.exit(f"side_by_side: error: no model '{name}' (looked in {zoo} and examples/models; "
             "build the zoo with ctest -R model_zoo)")


def model_dims(path: Path, dims: dict) -> dict:
    """The symbolic dims the model's inputs use, with their values."""
    used = {}
    for inp in onnx.load(str(path), load_external_data=False).graph.input:
        for d in inp.type.tensor_type.shape.dim:
            if d.dim_param:
                if d.dim_param not in dims:
                    sys.exit(f"side_by_side: error: {path.name} has symbolic dim '{d.dim_param}'; "
                             f"give it with --dim {d.dim_param}=N")
                used[d.dim_param] = dims[d.dim_param]
    return used


def ort_feeds(sess: ort.InferenceSession, dims: dict, seed: int = 0) -> dict:
    """Random inputs of the shapes infer-bench feeds, and the same kinds of values
    (apps/common/random_inputs.cc: floats in [-1, 1), integers in [0, 10), bools)."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for inp in sess.get_inputs():
        shape = [d if isinstance(d, int) else dims[d] for d in inp.shape]
        if "float" in inp.type:
            dtype = np.float64 if "double" in inp.type else np.float32
            feeds[inp.name] = rng.uniform(-1, 1, shape).astype(dtype)
        elif "bool" in inp.type:
            feeds[inp.name] = rng.integers(0, 2, shape).astype(bool)
        else:
            dtype = np.int32 if "int32" in inp.type else np.int64
            feeds[inp.name] = rng.integers(0, 10, shape).astype(dtype)
    return feeds


def run_ours(bench: Path, model: Path, dims: dict, threads: int, iterations: int,
             warmup: int) -> dict:
    cmd = [str(bench), str(model), "--json", "--threads", str(threads),
           "--iterations", str(iterations), "--warmup", str(warmup)]
    for k, v in dims.items():
        cmd += ["--dim", f"{k}={v}"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"side_by_side: infer-bench failed on {model.name}: {r.stderr.strip()}")
    out = json.loads(r.stdout)
    lat = out["latency_ms"]
    return {"median": lat["median"], "min": lat["min"], "max": lat["max"],
            "rss": out["peak_rss_mb"], "arena": out.get("arena_mb", 0.0)}


def run_ort(model: Path, dims: dict, threads: int, iterations: int, warmup: int) -> dict:
    """ORT in a child process, like infer-bench, so that its peak RSS is its own."""
    spec = json.dumps({"model": str(model), "dims": dims, "threads": threads,
                       "iterations": iterations, "warmup": warmup})
    r = subprocess.run([sys.executable, __file__, "--ort-child", spec], capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"side_by_side: ONNX Runtime failed on {model.name}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def peak_rss_mib() -> float:
    """VmHWM, which starts afresh at exec (ru_maxrss would carry the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def ort_child(spec: dict) -> dict:
    model, dims, threads = Path(spec["model"]), spec["dims"], spec["threads"]
    iterations, warmup = spec["iterations"], spec["warmup"]
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3
    for k, v in dims.items():
        so.add_free_dimension_override_by_name(k, v)
    sess = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
    feeds = ort_feeds(sess, dims)
    for _ in range(warmup):
        sess.run(None, feeds)
    lat = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        sess.run(None, feeds)
        lat.append((time.perf_counter() - t0) * 1000.0)
    rss = peak_rss_mib()
    return {"median": statistics.median(lat), "min": min(lat), "max": max(lat), "rss": rss}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} hardware threads, ONNX Runtime {ort.__version__}"


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--ort-child":
        print(json.dumps(ort_child(json.loads(sys.argv[2]))))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=",".join(DEFAULT_MODELS),
                   help="comma-separated zoo names, examples/models names or .onnx paths")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--rounds", type=int, default=5, help="alternating rounds per model/threads")
    p.add_argument("--iterations", type=int, default=20, help="timed runs per side per round")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs per side per round")
    p.add_argument("--dim", action="append", default=[], metavar="NAME=V",
                   help="symbolic dim value (default batch=1, seq=128)")
    p.add_argument("--markdown", metavar="FILE", help="also write the table there")
    p.add_argument("--infer-bench", default=str(ROOT / "build" / "bin" / "infer-bench"))
    p.add_argument("--zoo", default=str(ROOT / "build" / "model_zoo"))
    a = p.parse_args()
    if a.rounds < 1 or a.iterations < 1 or a.warmup < 0:
        p.error("--rounds and --iterations must be >= 1, --warmup >= 0")
    dims = dict(DEFAULT_DIMS)
    for d in a.dim:
        k, _, v = d.partition("=")
        dims[k] = int(v)
    threads = [int(t) for t in a.threads.split(",")]
    bench = Path(a.infer_bench)
    if not bench.is_file():
        p.error(f"no infer-bench at {bench}; build it or pass --infer-bench")

    rows = []
    for name in a.models.split(","):
        model = resolve_model(name, Path(a.zoo))
        used = model_dims(model, dims)
        for n in threads:
            ours, theirs = [], []
            for r in range(a.rounds):
                # Swap who goes first each round so neither always runs on a warmer machine.
                sides = [("ours", ours), ("ort", theirs)]
                for side, results in sides if r % 2 == 0 else reversed(sides):
                    if side == "ours":
                        results.append(run_ours(bench, model, used, n, a.iterations, a.warmup))
                    else:
                        results.append(run_ort(model, used, n, a.iterations, a.warmup))
                print(f"{model.stem} threads={n} round {r + 1}/{a.rounds}: "
                      f"ours {ours[-1]['median']:.3f} ms, ORT {theirs[-1]['median']:.3f} ms",
                      file=sys.stderr)
            med_ours = statistics.median(x["median"] for x in ours)
            med_ort = statistics.median(x["median"] for x in theirs)
            rows.append([model.stem, str(n), f"{med_ours:.3f}",
                         f"{min(x['min'] for x in ours):.3f}-{max(x['max'] for x in ours):.3f}",
                         f"{med_ort:.3f}",
                         f"{min(x['min'] for x in theirs):.3f}-{max(x['max'] for x in theirs):.3f}",
                         f"{med_ours / med_ort:.2f}",
                         f"{max(x['rss'] for x in ours):.0f} ({ours[-1]['arena']:.1f})",
                         f"{max(x['rss'] for x in theirs):.0f}"])

    header = ["model", "threads", "ours median ms", "ours min-max", "ORT median ms",
              "ORT min-max", "ours/ORT", "ours peak RSS MiB (arena)", "ORT peak RSS MiB"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    for line in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)))
    if a.markdown:
        md = [f"<!-- {datetime.date.today()}, {machine()}; {a.rounds} rounds x "
              f"{a.iterations} runs per side -->",
              "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        md += ["| " + " | ".join(r) + " |" for r in rows]
        Path(a.markdown).write_text("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
