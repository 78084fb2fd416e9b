"""Real model families (tests/models/export_model_zoo.py: torchvision CNNs, a
transformer encoder, a BERT-style block, LSTM, GRU) through infer-run on the
cpu backend, compared with ONNX Runtime on the same seeded inputs:
max abs diff <= tolerance * max(1, max abs of the reference) per output.

A model the cpu backend cannot place yet (ops not implemented) is listed in
EXPECTED_FAILURES with the ops it misses. Those cases are strict xfails: one
that passes fails the suite until its entry is removed, and one that fails for
another reason (a wrong result, a crash, an op not in its entry) is an
ordinary failure. Each run leaves ZOO_DIR/results/NAME.json for report.py.
"""
import json
import re
import subprocess
import zlib

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import export_model_zoo  # tests/models, on sys.path through conftest.py
from helpers import PLUGIN_DIR, read_npy_v1_f32, run_infer, write_npy

# model -> the ops the cpu backend does not place in it yet. An entry may
# only shrink: a model still failing on exactly these ops (or fewer) xfails.
EXPECTED_FAILURES: dict[str, set[str]] = {
    # e.g. "lstm": {"LSTM"},  (every model passes at present)
}

INFER_TIMEOUT_S = 600
_NO_BACKEND = re.compile(r"no backend can run node '.*' \(op '([^']+)', domain '([^']*)'")


class MissingOps(AssertionError):
    """infer-run could not place the model: some op has no cpu kernel."""

    def __init__(self, message, ops):
        super().__init__(message)
        self.ops = ops


def make_inputs(entry, dims, seed):
    rng = np.random.default_rng(seed)
    feeds = {}
    for spec in entry["inputs"]:
        shape = [dims[d] if isinstance(d, str) else d for d in spec["shape"]]
        fill = spec["fill"]
        if fill == "normal":
            array = rng.standard_normal(shape).astype(np.float32)
        elif fill == "token_ids":
            array = rng.integers(0, spec["high"], shape, dtype=np.int64)
        elif fill in ("key_padding_mask", "attention_mask"):
            batch, seq = shape
            lengths = rng.integers(1, seq + 1, batch)
            lengths[0] = seq  # one full row, the others padded at random
            keep = np.arange(seq)[None, :] < lengths[:, None]
            array = ~keep if fill == "key_padding_mask" else keep.astype(np.int64)
        else:
            raise ValueError(f"unknown fill {fill!r} for {spec['name']}")
        assert array.dtype == np.dtype(spec["dtype"]), (spec, array.dtype)
        feeds[spec["name"]] = array
    return feeds


def refused_ops(model_path, work_dir):
    """{op: reason} for every op type of the model that the cpu backend
    refuses, found by placing each op alone: infer-run names only the first
    node it cannot place."""
    model = onnx.load(str(model_path))
    graph = onnx.shape_inference.infer_shapes(model).graph
    types = {v.name: v.type for v in [*graph.value_info, *graph.input, *graph.output]}
    inits = {t.name: t for t in model.graph.initializer}
    refused = {}
    for node in model.graph.node:
        if node.op_type in refused:
            continue
        inputs, initializers = [], []
        for name in node.input:
            if name in inits:
                initializers.append(inits[name])
            elif name and name not in {i.name for i in inputs}:
                vtype = types.get(name) or onnx.helper.make_tensor_type_proto(
                    onnx.TensorProto.FLOAT, None)
                inputs.append(onnx.helper.make_value_info(name, vtype))
        outputs = [onnx.helper.make_value_info(n, types[n]) if n in types
                   else onnx.helper.make_empty_tensor_value_info(n) for n in node.output if n]
        probe = onnx.helper.make_model(
            onnx.helper.make_graph([node], "probe", inputs, outputs, initializers),
            opset_imports=model.opset_import, ir_version=model.ir_version)
        path = work_dir / f"probe_{node.op_type}.onnx"
        onnx.save(probe, str(path))
        proc = run_infer(path, "--plugins", PLUGIN_DIR, "--backends", "cpu", timeout=120)
        match = _NO_BACKEND.search(proc.stderr)
        if match and match[1] == node.op_type:
            refused[node.op_type] = proc.stderr.strip().split("cpu: ", 1)[-1]
    return refused


def run_once(name, path, entry, dims, session, work_dir):
    """One infer-run call against ORT. Returns {output: diff}; raises
    MissingOps or AssertionError with what went wrong."""
    label = "_".join(f"{k}{v}" for k, v in dims.items())
    out = work_dir / label
    out.mkdir()
    feeds = make_inputs(entry, dims, zlib.crc32(f"{name}/{label}".encode()))
    args = [path, "--plugins", PLUGIN_DIR, "--backends", "cpu", "--output-dir", out]
    for input_name, array in feeds.items():
        args += ["--input", f"{input_name}={write_npy(out / f'in_{input_name}.npy', array)}"]
    try:
        proc = run_infer(*args, timeout=INFER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{name} [{label}]: infer-run ran over {INFER_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        error = proc.stderr.strip() or f"exit {proc.returncode}, no error text"
        if _NO_BACKEND.search(proc.stderr):
            ops = refused_ops(path, work_dir)
            detail = "\n".join(f"  {op}: {why}" for op, why in sorted(ops.items()))
            raise MissingOps(f"{name} [{label}]: {error}\nops the cpu backend refuses in this "
                             f"model ({len(ops)}):\n{detail}", set(ops))
        raise AssertionError(f"{name} [{label}]: infer-run exit {proc.returncode}: {error}\n"
                             f"stdout:\n{proc.stdout}")

    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(names, feeds)))
    diffs, problems = {}, []
    for output, want in expected.items():
        assert np.isfinite(want).all(), f"{name} [{label}]: ORT output {output} is not finite"
        got_path = out / f"{output}.npy"
        if not got_path.is_file():
            problems.append(f"{output}: infer-run wrote no {got_path.name}")
            continue
        got = read_npy_v1_f32(got_path)
        if got.shape != want.shape:
            problems.append(f"{output}: shape {list(got.shape)}, ORT {list(want.shape)}")
            continue
        scale = max(1.0, float(np.abs(want).max()))
        diff = float(np.abs(got.astype(np.float64) - want).max())  # NaN if got has NaN
        diffs[output] = {"max_abs_diff": diff, "scale": scale}
        if not diff <= entry["tolerance"] * scale:
            problems.append(f"{output}: max abs diff {diff:.3g} > {entry['tolerance']:g} * "
                            f"scale {scale:.3g}")
    if problems:
        raise AssertionError(f"{name} [{label}] differs from ONNX Runtime:\n  "
                             + "\n  ".join(problems))
    return diffs


def case(name):
    if name not in EXPECTED_FAILURES:
        return name
    ops = ", ".join(sorted(EXPECTED_FAILURES[name]))
    return pytest.param(name, marks=pytest.mark.xfail(
        strict=True, raises=MissingOps, reason=f"cpu backend misses {ops}"))


def save_result(zoo, name, result):
    folder = zoo.dir / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(result, indent=1, sort_keys=True))


@pytest.mark.parametrize("name", [case(n) for n in export_model_zoo.ZOO])
def test_matches_onnxruntime(name, zoo, tmp_path):
    path, entry = zoo.model(name)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    result = {"name": name, "status": "passed", "runs": {}, "tolerance": entry["tolerance"]}
    try:
        for dims in entry["test_dims"]:  # several dims: the same file at several shapes
            label = ",".join(f"{k}={v}" for k, v in dims.items())
            result["runs"][label] = run_once(name, path, entry, dims, session, tmp_path)
    except MissingOps as e:
        result.update(status="missing ops", missing_ops=sorted(e.ops), error=str(e))
        save_result(zoo, name, result)
        allowed = EXPECTED_FAILURES.get(name, set())
        if name in EXPECTED_FAILURES and not e.ops <= allowed:
            # Not a MissingOps any more: fails outright, despite the xfail.
            raise AssertionError(f"{e}\nEXPECTED_FAILURES[{name!r}] lists only "
                                 f"{sorted(allowed)}; newly refused: "
                                 f"{sorted(e.ops - allowed)}") from None
        raise
    except AssertionError as e:
        result.update(status="failed", error=str(e))
        save_result(zoo, name, result)
        raise
    save_result(zoo, name, result)
