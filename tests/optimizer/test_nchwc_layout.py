"""The cpu backend's level-3 pass nchwc_layout (plugins/cpu/passes/nchwc_layout.cc): small
hand-built CNNs and the model zoo's ResNet-50 / MobileNetV2 at levels 2 and 3 must agree, and
the placement must show the blocked ops with reorders only at the edges of the region."""

from __future__ import annotations

import re

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from infer import InferenceSession
from optimizer_util import PLUGIN_DIR, save, zoo_model

RNG = np.random.default_rng(0)
BLOCKS = ["8", "16"]


def rand(name, *shape, scale=0.3):
    return numpy_helper.from_array((RNG.standard_normal(shape) * scale).astype(np.float32), name)


def conv(x, y, w, m, c, k=3, group=1, bias=True, **attrs):
    """A Conv node plus its weight (and bias) initializers."""
    inits = [rand(w, m, c // group, k, k)]
    inputs = [x, w]
    if bias:
        inits.append(rand(w + "_b", m))
        inputs.append(w + "_b")
    if k > 1 and "pads" not in attrs and "auto_pad" not in attrs:
        attrs["pads"] = [k // 2] * 4
    return helper.make_node("Conv", inputs, [y], group=group, kernel_shape=[k, k], **attrs), inits


def relu6(x, y):
    """Clip(x, 0, 6) with its bounds as scalar initializers (unique per node)."""
    return (helper.make_node("Clip", [x, y + "_lo", y + "_hi"], [y]),
            [numpy_helper.from_array(np.array(v, np.float32), y + s)
             for v, s in ((0, "_lo"), (6, "_hi"))])


def model(tmp_path, layers, inputs, outputs, name="nchwc.onnx"):
    """layers: nodes or (node, initializers) pairs; inputs/outputs: {name: shape or None}."""
    nodes, inits = [], []
    for layer in layers:
        node, extra = layer if isinstance(layer, tuple) else (layer, [])
        nodes.append(node)
        inits += extra
    graph = helper.make_graph(
        nodes, "nchwc",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs.items()],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs.items()],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    return save(m, tmp_path, name)


def session(path, level, block=None, **kw):
    config = {"cpu.nchwc_block": block} if block else None
    return InferenceSession(str(path), plugins=[str(PLUGIN_DIR)], optimization_level=level,
                            config=config, **kw)


def placed_ops(sess) -> dict[str, int]:
    return {op: int(n) for op, n in re.findall(r"(\w+) x(\d+)", sess.placement_report())}


def compare(path, feeds, block=None, **kw):
    """Runs levels 2 and 3; checks the outputs agree and returns the level-3 session."""
    s2, s3 = session(path, 2, **kw), session(path, 3, block, **kw)
    for r, o in zip(s2.run(None, feeds), s3.run(None, feeds)):
        scale = max(1.0, float(np.max(np.abs(r))))
        np.testing.assert_allclose(o, r, rtol=0, atol=1e-5 * scale)
    return s3


def expect_ops(sess, **counts):
    ops = placed_ops(sess)
    for op, n in counts.items():
        assert ops.get(op, 0) == n, (op, ops, sess.optimization_report())
    return ops


def feed(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("block", BLOCKS)
def test_residual_cnn_has_reorders_only_at_the_edges(tmp_path, block):
    # The first conv (3 channels) reads NCHW directly; everything up to Flatten stays blocked.
    path = model(tmp_path, [
        conv("x", "c1", "w1", 32, 3, strides=[2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        conv("r1", "c2", "w2", 32, 32),
        helper.make_node("Add", ["c2", "r1"], ["s"]),
        helper.make_node("Relu", ["s"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p"], kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        conv("p", "c3", "w3", 48, 32, k=1),
        helper.make_node("Sigmoid", ["c3"], ["sg"]),
        helper.make_node("Mul", ["c3", "sg"], ["sw"]),
        helper.make_node("AveragePool", ["sw"], ["ap"], kernel_shape=[2, 2], strides=[1, 1]),
        helper.make_node("GlobalAveragePool", ["ap"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["f"]),
        (helper.make_node("Gemm", ["f", "fc", "fc_b"], ["y"], transB=1),
         [rand("fc", 10, 48), rand("fc_b", 10)]),
    ], {"x": [1, 3, 37, 29]}, {"y": [1, 10]})
    s3 = compare(path, {"x": feed(1, 3, 37, 29)}, block)
    ops = expect_ops(s3, NchwcConv=3, NchwcMaxPool=1, NchwcAveragePool=1,
                     NchwcGlobalAveragePool=1, ReorderInput=0, ReorderOutput=1, Conv=0,
                     FusedConv=0, MaxPool=0)
    # The swish (Sigmoid, Mul) is the third conv's fused Silu activation.
    assert ops.get("Mul", 0) == 0 and ops.get("Sigmoid", 0) == 0, ops
    assert "nchwc_layout" in s3.optimization_report()


@pytest.mark.parametrize("block", BLOCKS)
def test_depthwise_and_padded_channels(tmp_path, block):
    # MobileNet's inverted residual with 24 channels (not a multiple of 16: padded lanes).
    path = model(tmp_path, [
        conv("x", "e", "we", 24, 8, k=1),
        relu6("e", "e6"),
        conv("e6", "d", "wd", 24, 24, group=24, strides=[2, 2]),
        relu6("d", "d6"),
        conv("d6", "p", "wp", 24, 24, k=1),
        conv("p", "q", "wq", 24, 24, k=1, bias=False),
        helper.make_node("Add", ["p", "q"], ["y"]),
    ], {"x": [2, 8, 19, 23]}, {"y": [2, 24, 10, 12]})
    s3 = compare(path, {"x": feed(2, 8, 19, 23)}, block)
    # 8 input channels fill a block of 8 (ReorderInput) but not one of 16 (NCHW input).
    expect_ops(s3, NchwcConv=4, ReorderInput=1 if block == "8" else 0, ReorderOutput=1,
               Conv=0, FusedConv=0)


@pytest.mark.parametrize("block", BLOCKS)
def test_concat_of_whole_blocks_stays_blocked(tmp_path, block):
    # 16 + 16 channels concatenate blocked for b = 8 and 16; 24 + 16 only for b = 8.
    for c2, blocked in ((16, True), (24, block == "8")):
        path = model(tmp_path, [
            conv("x", "a", "wa", 16, 16),
            conv("x", "b", "wb", c2, 16, k=1),
            helper.make_node("Concat", ["a", "b"], ["cat"], axis=1),
            conv("cat", "y", "wy", 16, 16 + c2),
        ], {"x": [1, 16, 9, 11]}, {"y": [1, 16, 9, 11]}, name=f"concat{c2}.onnx")
        s3 = compare(path, {"x": feed(1, 16, 9, 11)}, block)
        # x is read by two convs through one shared ReorderInput.
        if blocked:
            expect_ops(s3, NchwcConv=3, Concat=1, ReorderInput=1, ReorderOutput=1)
        else:
            expect_ops(s3, NchwcConv=3, Concat=1, ReorderInput=2, ReorderOutput=3)


@pytest.mark.parametrize("block", BLOCKS)
def test_squeeze_excitation_stays_blocked(tmp_path, block):
    # GlobalAveragePool -> squeeze conv (4 channels on 1x1 pixels) -> expand conv -> scale
    # broadcast over the image: no reorder inside.
    path = model(tmp_path, [
        conv("x", "c", "w", 32, 16),
        helper.make_node("Tanh", ["c"], ["h"]),
        helper.make_node("GlobalAveragePool", ["h"], ["g"]),
        conv("g", "sq", "wsq", 4, 32, k=1),
        helper.make_node("Relu", ["sq"], ["sqr"]),
        conv("sqr", "ex", "wex", 32, 4, k=1),
        helper.make_node("Sigmoid", ["ex"], ["scale"]),
        helper.make_node("Mul", ["h", "scale"], ["y"]),
    ], {"x": [1, 16, 7, 9]}, {"y": [1, 32, 7, 9]})
    s3 = compare(path, {"x": feed(1, 16, 7, 9)}, block)
    expect_ops(s3, NchwcConv=3, NchwcGlobalAveragePool=1, Mul=1, ReorderInput=1,
               ReorderOutput=1, Conv=0)


def test_edges_graph_outputs_and_nchw_consumers(tmp_path):
    # c1 is a graph output and read by a Transpose and by the blocked conv: one ReorderOutput
    # serves both NCHW readers; a conv with fewer output channels than a block stays NCHW.
    path = model(tmp_path, [
        conv("x", "c1", "w1", 16, 16),
        helper.make_node("Transpose", ["c1"], ["t"], perm=[0, 1, 3, 2]),
        conv("c1", "c2", "w2", 16, 16, dilations=[2, 2], pads=[2, 2, 2, 2]),
        conv("c2", "small", "w3", 4, 16),
        helper.make_node("Add", ["c2", "x2"], ["mixed"]),
    ], {"x": [1, 16, 8, 8], "x2": [1, 16, 8, 8]},
        {"c1": [1, 16, 8, 8], "t": [1, 16, 8, 8], "small": [1, 4, 8, 8], "mixed": [1, 16, 8, 8]})
    s3 = compare(path, {"x": feed(1, 16, 8, 8), "x2": feed(1, 16, 8, 8)}, "8")
    # Reorders: x in; c1 (graph output + Transpose) and c2 (small conv, Add with NCHW x2) out.
    expect_ops(s3, NchwcConv=2, Conv=1, ReorderInput=1, ReorderOutput=2, Add=1, Transpose=1)


def test_bad_block_config_rolls_the_pass_back(tmp_path):
    path = model(tmp_path, [conv("x", "y", "w", 16, 16)], {"x": [1, 16, 5, 5]}, {"y": [1, 16, 5, 5]})
    s3 = compare(path, {"x": feed(1, 16, 5, 5)}, "7")
    assert "cpu.nchwc_block" in s3.optimization_report()
    expect_ops(s3, NchwcConv=0, Conv=1)


def test_disabled_by_name(tmp_path):
    path = model(tmp_path, [conv("x", "y", "w", 16, 16)], {"x": [1, 16, 5, 5]}, {"y": [1, 16, 5, 5]})
    s = InferenceSession(str(path), plugins=[str(PLUGIN_DIR)], optimization_level=3,
                         config={"optimizer.disable": "nchwc_layout"})
    expect_ops(s, NchwcConv=0, Conv=1)


@pytest.mark.parametrize("name", ["resnet50", "mobilenet_v2"])
def test_zoo_models(name):
    path = zoo_model(name)
    x = np.random.default_rng(1).standard_normal((1, 3, 224, 224)).astype(np.float32)
    s3 = compare(path, {"input": x}, dims={"batch": 1})
    # The first conv reads the 3-channel input directly; one reorder before Flatten.
    ops = expect_ops(s3, ReorderInput=0, ReorderOutput=1, Conv=0, FusedConv=0,
                     NchwcGlobalAveragePool=1)
    assert ops["NchwcConv"] == (53 if name == "resnet50" else 52), ops
