"""One exported ONNX node test: what it tests, whether the engine can express
it at all, and running and checking it through the Python binding."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

# The binding from this source tree (python/). Importing it loads no engine.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
import infer  # noqa: E402
from infer._capi import DTYPES  # noqa: E402

# ONNX's node-test tolerances (TestCase.rtol/atol for every node test), with
# numpy.testing.assert_allclose semantics: |out - ref| <= ATOL + RTOL * |ref|,
# NaN equal to NaN. No test loosens them. bfloat16 outputs get two bfloat16
# ULPs of rtol, as ONNX's own backend runner does.
RTOL, ATOL = 1e-3, 1e-7
BFLOAT16_RTOL = 2.0**-6

DEFAULT_DOMAINS = ("", "ai.onnx")
TRAINING_DOMAIN = "ai.onnx.preview.training"
# The dtypes the engine has (infer_dtype), less STRING: the enum names it,
# but no tensor holds strings.
ENGINE_DTYPES = set(DTYPES) - {onnx.TensorProto.STRING}


@dataclass
class Result:
    name: str
    op: str            # e.g. "Conv", "ai.onnx.ml:LabelEncoder"
    domain: str        # "default" or the node's domain
    status: str        # "passed", "failed" or "skipped"
    reason: str = ""


def _op_label(node: onnx.NodeProto) -> str:
    return node.op_type if node.domain in DEFAULT_DOMAINS else f"{node.domain}:{node.op_type}"


def _domain(node: onnx.NodeProto) -> str:
    return "default" if node.domain in DEFAULT_DOMAINS else node.domain


def describe(test_dir: Path, model: onnx.ModelProto | None = None) -> tuple[str, str]:
    """(op label, domain group) of the op under test. A node test has one
    node; its *_expanded twins hold the op's function body (default-domain
    nodes even for a preview op), so they are filed under the op, and the
    domain, of the test they expand."""
    model = model or onnx.load(test_dir / "model.onnx")
    nodes = list(model.graph.node)
    base = test_dir.parent / re.sub(r"_expanded(_ver\d+)?$", "", test_dir.name)
    if len(nodes) != 1 and base != test_dir and (base / "model.onnx").is_file():
        nodes = list(onnx.load(base / "model.onnx").graph.node)
    if len(nodes) == 1:
        return _op_label(nodes[0]), _domain(nodes[0])
    domains = {_domain(n) for n in nodes} - {"default"}
    return "(multi-node)", min(domains) if domains else "default"


def skip_reason(model: onnx.ModelProto) -> str | None:
    """Why the engine cannot represent this test at all, or None."""
    graph = model.graph
    if any(n.domain == TRAINING_DOMAIN for n in graph.node):
        return f"training-only domain {TRAINING_DOMAIN}"
    for value in list(graph.input) + list(graph.output):
        kind = value.type.WhichOneof("value")
        if kind != "tensor_type":
            return f"{kind.removesuffix('_type')} values (the engine has tensors only)"
    elem_types = [v.type.tensor_type.elem_type for v in list(graph.input) + list(graph.output)]
    elem_types += [t.data_type for t in graph.initializer]
    for t in elem_types:
        if t not in ENGINE_DTYPES:
            name = onnx.TensorProto.DataType.Name(t).lower()
            return f"{name} tensors (no such engine dtype)"
    return None


def _load_values(data_dir: Path, prefix: str, count: int) -> list[np.ndarray]:
    return [numpy_helper.to_array(onnx.load_tensor(data_dir / f"{prefix}_{k}.pb"))
            for k in range(count)]


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "(no message)"


def compare(name: str, out: np.ndarray, ref: np.ndarray) -> str | None:
    """None if out matches ref, else a one-line summary of the mismatch."""
    if out.dtype != ref.dtype:
        return f"output '{name}': dtype {out.dtype}, expected {ref.dtype}"
    if out.shape != ref.shape:
        return f"output '{name}': shape {list(out.shape)}, expected {list(ref.shape)}"
    is_float = out.dtype.kind == "f" or out.dtype.name.startswith(("bfloat16", "float8"))
    if is_float:
        rtol = BFLOAT16_RTOL if out.dtype.name == "bfloat16" else RTOL
        a, e = out.astype(np.float64), ref.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(a - e)
            close = np.isfinite(a) & np.isfinite(e) & (diff <= ATOL + rtol * np.abs(e))
            ok = (a == e) | (np.isnan(a) & np.isnan(e)) | close  # infinities: exact
    else:  # ints and bools: exact
        ok = out == ref
    bad = int(ok.size - np.count_nonzero(ok))
    if bad == 0:
        return None
    summary = f"output '{name}': {bad}/{ok.size} values differ"
    if out.dtype.kind != "b":
        a, e = out[~ok].astype(np.float64), ref[~ok].astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            abs_diff = np.nanmax(np.abs(a - e)) if not np.isnan(a - e).all() else np.nan
            rel = np.abs(a - e) / np.abs(e)
            rel_diff = np.nanmax(rel) if not np.isnan(rel).all() else np.nan
        summary += f" (max abs diff {abs_diff:.3g}, max rel diff {rel_diff:.3g})"
    return summary


def run(test_dir: Path, make_session) -> Result:
    """Runs one test. make_session(model_bytes) returns an infer.InferenceSession."""
    model_bytes = (test_dir / "model.onnx").read_bytes()
    model = onnx.load_from_string(model_bytes)
    op, domain = describe(test_dir, model)
    result = Result(test_dir.name, op, domain, "skipped")
    reason = skip_reason(model)
    if reason:
        result.reason = reason
        return result
    result.status = "failed"
    graph = model.graph
    try:
        session = make_session(model_bytes)
        out_names = [v.name for v in graph.output]
        for data_dir in sorted(test_dir.glob("test_data_set_*")):
            inputs = _load_values(data_dir, "input", len(list(data_dir.glob("input_*.pb"))))
            feed = {v.name: x for v, x in zip(graph.input, inputs)}
            outputs = session.run(out_names, feed)
            refs = _load_values(data_dir, "output", len(out_names))
            for name, out, ref in zip(out_names, outputs, refs):
                mismatch = compare(name, out, ref)
                if mismatch:
                    result.reason = mismatch
                    return result
    except infer.InferError as e:
        result.reason = _first_line(f"{e.code_name}: {e.message}")
        return result
    result.status = "passed"
    return result
