#!/usr/bin/env python3
"""Runs the exported ONNX node tests (export_node_tests.py) through the engine.

    run_node_tests.py TESTS_DIR [--backends cpu] [--plugins DIR] [--filter REGEX]
                      [--expected FILE] [--update-expected FILE]
                      [--markdown FILE] [--json FILE] [-v]

Each test passes, fails (the engine's error, or how the outputs differ) or is
skipped because the engine cannot represent it at all (string, int4, float4,
complex... tensors, sequence/optional/map values, training-only ops).
Tolerances are ONNX's: see node_case.py. Tests run in worker processes, so a
crash or a hang fails one test, not the run. Exits 1 if a test listed in
--expected does not pass.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import node_case
import report
from isolated_pool import SetupError, run_isolated
from node_case import infer  # the source tree's binding; workers load the engine


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("tests_dir", type=Path, help="folder written by export_node_tests.py")
    p.add_argument("--backends", default="cpu", help="backend priority list (default: cpu)")
    p.add_argument("--plugins", help="plugin folder (default: build/plugins beside libinfer.so)")
    p.add_argument("--library", help="libinfer.so (default: $INFER_LIBRARY, else build/lib)")
    p.add_argument("--filter", help="run only tests whose name matches this regex (re.search)")
    p.add_argument("--expected", type=Path, help="tests that must pass: exit 1 on a regression")
    p.add_argument("--update-expected", type=Path, metavar="FILE",
                   help="write the passing tests (sorted); with --filter, entries outside "
                        "the filter are kept")
    p.add_argument("--markdown", type=Path, metavar="FILE",
                   help="write the docs table (between the file's table markers, if any)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write every result as JSON")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per test (default 20)")
    p.add_argument("-v", "--verbose", action="store_true", help="print passing tests too")
    return p.parse_args()


def read_names(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def check_expected(path: Path, results: dict, selected) -> list[str]:
    """Names listed in `path` (within the filter) that did not pass, with why."""
    if not path.exists():
        sys.exit(f"run_node_tests: expected-pass list {path} does not exist")
    regressions = []
    for name in read_names(path):
        if not selected(name):
            continue
        r = results.get(name)
        if r is None:
            regressions.append(f"{name}: not among the exported tests")
        elif r.status != "passed":
            regressions.append(f"{name}: {r.status}: {r.reason}")
    return regressions


def update_expected(path: Path, results: dict, selected) -> None:
    kept = [n for n in read_names(path) if not selected(n)]
    passed = [n for n, r in results.items() if r.status == "passed"]
    path.write_text("".join(f"{n}\n" for n in sorted(set(kept + passed))))


def main() -> int:
    args = parse_args()
    if not args.tests_dir.is_dir():
        sys.exit(f"run_node_tests: no tests at {args.tests_dir} (run export_node_tests.py)")
    pattern = re.compile(args.filter) if args.filter else None
    selected = (lambda name: bool(pattern.search(name))) if pattern else (lambda name: True)
    test_dirs = sorted(d for d in args.tests_dir.iterdir()
                       if (d / "model.onnx").is_file() and selected(d.name))

    def setup():
        if args.library:
            infer.load_library(args.library)
        infer.get_environment(args.plugins)  # fail here, once, if plugins do not load

    def job(_, test_dir):
        return node_case.run(test_dir, lambda model: infer.InferenceSession(
            model, backends=args.backends, plugins=args.plugins))

    def on_failure(test_dir, why):  # a crash or timeout; reading the model here is safe
        return node_case.Result(test_dir.name, *node_case.describe(test_dir), "failed", why)

    try:
        results = {r.name: r for r in run_isolated(test_dirs, setup, job, on_failure,
                                                    args.jobs, args.timeout)}
    except SetupError as e:
        sys.exit(f"run_node_tests: {e}")
    ordered = [results[d.name] for d in test_dirs]

    label = args.backends
    print(report.text(ordered, label, args.verbose))
    # Only now, with every worker gone, may this process load the engine.
    if args.library:
        infer.load_library(args.library)
    meta = report.metadata(infer.version())
    if args.markdown:
        report.write_markdown(args.markdown, report.markdown(ordered, label, meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": [vars(r) for r in ordered]},
                                        indent=1) + "\n")
    if args.update_expected:
        update_expected(args.update_expected, results, selected)
    status = 0
    if args.expected:
        regressions = check_expected(args.expected, results, selected)
        for line in regressions:
            print(f"REGRESSION {line}")
        if regressions:
            print(f"{len(regressions)} test(s) in {args.expected} no longer pass")
            status = 1
    print(report.total_line(ordered, label))
    return status


if __name__ == "__main__":
    sys.exit(main())
