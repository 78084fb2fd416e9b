#!/usr/bin/env python3
"""Hand-built ONNX models for the integration tests, made with the pip `onnx`
package (run with the venv's python, not Debian's).

Bad models check that a broken file gets a clear error, never a crash; good
ones cover what the torch exports do not (Reshape, external data).
Usage: make_onnx_models.py --out-dir DIR   (writes every model into DIR)
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def _model(nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, "test", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="infer-tests")
    model.ir_version = 8  # what opset 13 needs; newer readers accept it
    return model


def _float_io(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def unknown_op(out_dir):
    """One node of an op no schema knows."""
    node = helper.make_node("FancyUnknownOp", ["input"], ["output"], name="mystery_node")
    model = _model([node], [_float_io("input", [1, 4])], [_float_io("output", [1, 4])])
    return _save(model, out_dir, "unknown_op.onnx")


def initializer_size_mismatch(out_dir):
    """An initializer whose raw_data is shorter than its dims say."""
    bias = numpy_helper.from_array(np.zeros(1024, dtype=np.float32), "bias")
    bias.raw_data = bias.raw_data[:8]  # make_tensor refuses this, so cut it after
    node = helper.make_node("Add", ["input", "bias"], ["output"], name="add")
    model = _model([node], [_float_io("input", [1, 1024])], [_float_io("output", [1, 1024])],
                   [bias])
    return _save(model, out_dir, "initializer_size_mismatch.onnx")


def _external(name, dims, location):
    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims)
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", location
    return tensor


def external_data_escape(out_dir):
    """External data pointing outside the model's folder (CVE-2022-25882)."""
    weight = _external("weight", [4, 4], "../../../../../../etc/passwd")
    node = helper.make_node("MatMul", ["input", "weight"], ["output"], name="matmul")
    model = _model([node], [_float_io("input", [1, 4])], [_float_io("output", [1, 4])], [weight])
    return _save(model, out_dir, "external_data_escape.onnx")


def external_data_ok(out_dir):
    """A valid model whose weight lives in weights.bin beside it."""
    rng = np.random.default_rng(7)
    weight = rng.standard_normal((8, 4)).astype(np.float32)
    weight.tofile(os.path.join(out_dir, "weights.bin"))
    init = _external("weight", list(weight.shape), "weights.bin")
    node = helper.make_node("MatMul", ["input", "weight"], ["output"], name="matmul")
    model = _model([node], [_float_io("input", ["batch", 8])], [_float_io("output", ["batch", 4])],
                   [init])
    return _save(model, out_dir, "external_data_ok.onnx")


def reshape_concat(out_dir):
    """Reshape with a constant shape, batched MatMul, broadcast Mul, Concat
    and Softmax on the last axis: ops the exported CNN and MLP do not use."""
    rng = np.random.default_rng(3)
    inits = [
        numpy_helper.from_array(np.array([0, 4, 6], dtype=np.int64), "shape"),
        numpy_helper.from_array(rng.standard_normal((6, 5)).astype(np.float32), "w"),
        numpy_helper.from_array(rng.standard_normal((4, 1)).astype(np.float32), "scale"),
    ]
    nodes = [
        helper.make_node("Reshape", ["input", "shape"], ["r"], name="reshape"),
        helper.make_node("MatMul", ["r", "w"], ["m"], name="matmul"),
        helper.make_node("Mul", ["m", "scale"], ["s"], name="mul"),
        helper.make_node("Concat", ["s", "m"], ["c"], name="concat", axis=-1),
        helper.make_node("Softmax", ["c"], ["output"], name="softmax", axis=-1),
    ]
    model = _model(nodes, [_float_io("input", ["batch", 24])],
                   [_float_io("output", ["batch", 4, 10])], inits)
    return _save(model, out_dir, "reshape_concat.onnx")


def _save(model, out_dir, name):
    path = os.path.join(out_dir, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())  # no checker: some are broken on purpose
    return path


ALL = [unknown_op, initializer_size_mismatch, external_data_escape, external_data_ok,
       reshape_concat]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-dir", default=".")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for make in ALL:
        print("wrote", make(args.out_dir))
