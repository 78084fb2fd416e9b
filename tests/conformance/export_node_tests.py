#!/usr/bin/env python3
"""Writes the ONNX backend node tests of the installed onnx package to a folder.

    export_node_tests.py OUT_DIR

Each test becomes OUT_DIR/<name>/model.onnx plus test_data_set_N/input_K.pb
and output_K.pb, the layout older onnx wheels ship under
onnx/backend/test/data/node (those are copied as they are). Recent wheels
build the tests in memory, which takes a while, so the export is cached: a
stamp file records the onnx version, and a complete folder for the same
version is left alone. The onnx version is pinned in tests/requirements.txt.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import warnings
from pathlib import Path

import onnx
from onnx import numpy_helper

STAMP = ".export-stamp"
FORMAT = 1  # bump when the layout written here changes


def stamp_text() -> str:
    return f"onnx {onnx.__version__} format {FORMAT}\n"


def is_current(out: Path) -> bool:
    stamp = out / STAMP
    return stamp.is_file() and stamp.read_text() == stamp_text()


def value_proto(value, type_proto: onnx.TypeProto, name: str) -> bytes:
    """Serializes one input/output value as the type its graph declares it
    (the same choice as onnx.backend.test.cmd_tools)."""
    kind = type_proto.WhichOneof("value")
    if kind == "map_type":
        proto = numpy_helper.from_dict(value, name)
    elif kind == "sequence_type":
        proto = numpy_helper.from_list(value, name)
    elif kind == "optional_type":
        proto = numpy_helper.from_optional(value, name)
    elif isinstance(value, onnx.TensorProto):  # types numpy lacks (float8, int4, ...)
        proto = value
    else:
        proto = numpy_helper.from_array(value, name)
    return proto.SerializeToString()


def write_case(case, dest: Path) -> None:
    if case.model_dir:  # older wheels: the files exist already
        shutil.copytree(case.model_dir, dest)
        return
    dest.mkdir()
    graph = case.model.graph
    (dest / "model.onnx").write_bytes(case.model.SerializeToString())
    for n, (inputs, outputs) in enumerate(case.data_sets):
        data_dir = dest / f"test_data_set_{n}"
        data_dir.mkdir()
        for prefix, values, infos in (("input", inputs, graph.input),
                                      ("output", outputs, graph.output)):
            for k, (value, info) in enumerate(zip(values, infos)):
                (data_dir / f"{prefix}_{k}.pb").write_bytes(value_proto(value, info.type, info.name))


def load_cases():
    from onnx.backend.test.loader import load_model_tests

    # Building the cases triggers numpy overflow warnings on purpose (Cast tests).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_model_tests(kind="node")


def export(out: Path) -> int:
    """Exports into OUT.partial, then swaps it in; returns the test count."""
    if out.exists() and not (out / STAMP).exists() and any(out.iterdir()):
        sys.exit(f"export: {out} exists and was not written by this script; not touching it")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    cases = load_cases()
    for case in cases:
        write_case(case, partial / case.name)
    (partial / STAMP).write_text(stamp_text())
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (one subfolder per test)")
    parser.add_argument("--force", action="store_true", help="export even if up to date")
    args = parser.parse_args()
    if not args.force and is_current(args.out):
        print(f"export: {args.out} is up to date ({stamp_text().strip()})")
        return
    count = export(args.out)
    print(f"export: wrote {count} node tests of onnx {onnx.__version__} to {args.out}")


if __name__ == "__main__":
    main()
