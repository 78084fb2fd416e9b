"""Writes the example model that uses the com.example operators, and its twin in standard
ONNX operators (same weights) that ONNX Runtime can run as a reference.

  python make_models.py [--out-dir DIR] [--batch N]

needs numpy and onnx (the test venv has both). The weights come from a fixed seed.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CHANNELS_IN, CHANNELS, GROUPS, HIDDEN, CLASSES, SIZE = 8, 16, 4, 32, 10, 16


def weights():
    rng = np.random.default_rng(7)
    w = lambda *shape: (rng.standard_normal(shape) * 0.3).astype(np.float32)
    return {
        "conv_w": w(CHANNELS, CHANNELS_IN, 3, 3),
        "conv_b": w(CHANNELS),
        "fc1_w": w(CHANNELS, HIDDEN),
        "fc1_bias": w(HIDDEN),
        "fc2_w": w(HIDDEN, CLASSES),
    }


def build(fused):
    """The network: Conv, ChannelShuffle, Relu, GlobalAveragePool, Flatten, MatMul, BiasGelu,
    MatMul. With fused=False the two custom ops are spelled in standard operators."""
    init = [numpy_helper.from_array(a, name) for name, a in weights().items()]
    nodes = [helper.make_node("Conv", ["input", "conv_w", "conv_b"], ["conv"], pads=[1, 1, 1, 1])]
    if fused:
        nodes.append(helper.make_node("ChannelShuffle", ["conv"], ["shuffled"],
                                      domain="com.example", groups=GROUPS))
    else:
        per_group = CHANNELS // GROUPS
        init += [
            numpy_helper.from_array(np.array([0, GROUPS, per_group, SIZE, SIZE], np.int64), "split_shape"),
            numpy_helper.from_array(np.array([0, CHANNELS, SIZE, SIZE], np.int64), "merged_shape"),
        ]
        nodes += [
            helper.make_node("Reshape", ["conv", "split_shape"], ["split"]),
            helper.make_node("Transpose", ["split"], ["swapped"], perm=[0, 2, 1, 3, 4]),
            helper.make_node("Reshape", ["swapped", "merged_shape"], ["shuffled"]),
        ]
    nodes += [
        helper.make_node("Relu", ["shuffled"], ["relu"]),
        helper.make_node("GlobalAveragePool", ["relu"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("MatMul", ["flat", "fc1_w"], ["hidden"]),
    ]
    if fused:
        nodes.append(helper.make_node("BiasGelu", ["hidden", "fc1_bias"], ["gelu"],
                                      domain="com.example"))
    else:
        init += [numpy_helper.from_array(np.array(v, np.float32), n)
                 for n, v in [("sqrt_half", 0.7071067811865476), ("one", 1.0), ("half", 0.5)]]
        nodes += [
            helper.make_node("Add", ["hidden", "fc1_bias"], ["biased"]),
            helper.make_node("Mul", ["biased", "sqrt_half"], ["scaled"]),
            helper.make_node("Erf", ["scaled"], ["erf"]),
            helper.make_node("Add", ["erf", "one"], ["erf1"]),
            helper.make_node("Mul", ["biased", "erf1"], ["prod"]),
            helper.make_node("Mul", ["prod", "half"], ["gelu"]),
        ]
    nodes.append(helper.make_node("MatMul", ["gelu", "fc2_w"], ["logits"]))
    graph = helper.make_graph(
        nodes, "example_ops" if fused else "example_ops_reference",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", CHANNELS_IN, SIZE, SIZE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", CLASSES])], init)
    opsets = [helper.make_opsetid("", 13)]
    if fused:
        opsets.append(helper.make_opsetid("com.example", 1))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="infer examples")
    model.ir_version = 8
    if not fused:
        onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    for fused, name in [(True, "example_ops_model.onnx"), (False, "example_ops_reference.onnx")]:
        path = os.path.join(args.out_dir, name)
        onnx.save(build(fused), path)
        print("wrote", path)


if __name__ == "__main__":
    main()
