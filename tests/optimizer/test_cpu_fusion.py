"""The cpu backend's level-2 fusion passes (plugins/cpu/passes): each pattern on a hand-built
graph, run at level 1 and level 2, must give level 1's outputs and ONNX Runtime's, and the
report / placement must show the fusion. Real models at level 1 vs 2 at the end."""

from __future__ import annotations

import re

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from infer import InferenceSession
from optimizer_util import PLUGIN_DIR, save, zoo_model

RNG = np.random.default_rng(0)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def rand(name, *shape, scale=0.3, positive=False):
    a = RNG.standard_normal(shape).astype(np.float32) * scale
    return const(name, np.abs(a) + 0.5 if positive else a)


def model(tmp_path, nodes, inputs, output_shape, inits, opset=17, extra_outputs=()):
    """inputs: {name: shape}; the graph output is 'y'."""
    graph = helper.make_graph(
        nodes, "fusion",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs.items()],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, output_shape)] +
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in extra_outputs],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    return save(m, tmp_path)


def session(path, level, **kw):
    return InferenceSession(str(path), plugins=[str(PLUGIN_DIR)], optimization_level=level, **kw)


def pass_changes(report: str, name: str) -> int:
    """Nodes the pass changed, summed over the rounds of level 2."""
    rows = re.findall(rf"^\s*2\s+(?:\d+\s+)?{name}\s+cpu\s+(\d+)", report, re.M)
    assert rows, f"{name} not in the report:\n{report}"
    return sum(int(r) for r in rows)


def placed_ops(sess) -> dict[str, int]:
    report = sess.placement_report()
    return {op: int(n) for op, n in re.findall(r"(\w+) x(\d+)", report)}


def check(path, feeds, passes, expect=None, absent=(), fused=True, **kw):
    """Runs level 1 and 2; returns the level-2 placement {op: count}."""
    s1, s2 = session(path, 1, **kw), session(path, 2, **kw)
    ref = s1.run(None, feeds)
    out = s2.run(None, feeds)
    ort_out = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)
    for r, o, e in zip(ref, out, ort_out):
        scale = max(1.0, float(np.max(np.abs(r))))
        np.testing.assert_allclose(o, r, rtol=0, atol=1e-5 * scale)
        np.testing.assert_allclose(o, e, rtol=0, atol=2e-5 * scale)
    report = s2.optimization_report()
    for name in passes:
        assert (pass_changes(report, name) > 0) == fused, report
    ops = placed_ops(s2)
    for op, n in (expect or {}).items():
        assert ops.get(op, 0) == n, (op, ops, report)
    for op in absent:
        assert op not in ops, (op, ops)
    if fused:
        assert s2.node_count() < s1.node_count()
    else:
        assert s2.node_count() == s1.node_count()
    return ops


def x_of(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


# --- Conv ---------------------------------------------------------------------------------

def test_conv_bn_relu_without_conv_bias(tmp_path):
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], strides=[2, 2]),
             helper.make_node("BatchNormalization", ["c", "g", "beta", "mean", "var"], ["bn"]),
             helper.make_node("Relu", ["bn"], ["y"])]
    inits = [rand("w", 8, 3, 3, 3), rand("g", 8, positive=True), rand("beta", 8),
             rand("mean", 8), rand("var", 8, positive=True)]
    path = model(tmp_path, nodes, {"x": [2, 3, 9, 9]}, [2, 8, 4, 4], inits)
    # conv_bn_folding is level 1 (tests/optimizer/test_basic_passes.py): level 2 fuses the
    # folded Conv with its Relu.
    check(path, {"x": x_of(2, 3, 9, 9)}, ["conv_activation_fusion"], {"FusedConv": 1},
          absent=["Conv", "Relu", "BatchNormalization"])
    report = session(path, 2).optimization_report()
    assert re.search(r"^\s*1\s+\d+\s+conv_bn_folding\s+-\s+2\s", report, re.M), report


ACTIVATIONS = {
    "Relu": ([], {}),
    "Sigmoid": ([], {}),
    "Tanh": ([], {}),
    "HardSwish": ([], {}),
    "LeakyRelu": ([], {"alpha": 0.2}),
    "HardSigmoid": ([], {"alpha": 0.3, "beta": 0.4}),
    "Clip": (["lo", "hi"], {}),
    "ClipMaxOnly": (["", "hi"], {}),
}


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_conv_activation(tmp_path, act):
    extra, attrs = ACTIVATIONS[act]
    op = "Clip" if act.startswith("Clip") else act
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], group=2),
             helper.make_node(op, ["c"] + extra, ["y"], **attrs)]
    inits = [rand("w", 8, 2, 3, 3, scale=1.0), rand("b", 8), const("lo", 0.0), const("hi", 0.5)]
    path = model(tmp_path, nodes, {"x": [1, 4, 6, 6]}, [1, 8, 6, 6], inits)
    check(path, {"x": x_of(1, 4, 6, 6)}, ["conv_activation_fusion"], {"FusedConv": 1},
          absent=["Conv", op])


@pytest.mark.parametrize("order", ["x_first", "sigmoid_first"])
def test_conv_silu(tmp_path, order):
    """EfficientNet's Conv -> Sigmoid -> Mul(conv, sigmoid) is one FusedConv with Silu."""
    mul_inputs = ["c", "s"] if order == "x_first" else ["s", "c"]
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Sigmoid", ["c"], ["s"]),
             helper.make_node("Mul", mul_inputs, ["y"])]
    inits = [rand("w", 8, 4, 3, 3, scale=1.0), rand("b", 8)]
    path = model(tmp_path, nodes, {"x": [1, 4, 6, 6]}, [1, 8, 6, 6], inits)
    check(path, {"x": x_of(1, 4, 6, 6)}, ["conv_activation_fusion"], {"FusedConv": 1},
          absent=["Conv", "Sigmoid", "Mul"])


def test_sigmoid_gate_of_another_tensor_is_not_silu(tmp_path):
    """Mul(z, Sigmoid(conv)) (a squeeze-excite gate) keeps its Mul: only the Sigmoid fuses."""
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Sigmoid", ["c"], ["s"]),
             helper.make_node("Mul", ["x8", "s"], ["y"])]
    inits = [rand("w", 8, 4, 3, 3, scale=1.0), rand("b", 8)]
    path = model(tmp_path, nodes, {"x": [1, 4, 6, 6], "x8": [1, 8, 6, 6]}, [1, 8, 6, 6], inits)
    check(path, {"x": x_of(1, 4, 6, 6), "x8": x_of(1, 8, 6, 6)}, ["conv_activation_fusion"],
          {"FusedConv": 1, "Mul": 1}, absent=["Conv", "Sigmoid"])


def test_conv_bias_add_then_relu(tmp_path):
    """A bias the exporter wrote as Add of a [M, 1, 1] constant joins the FusedConv."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]),
             helper.make_node("Add", ["bias", "c"], ["a"]),
             helper.make_node("Relu", ["a"], ["y"])]
    inits = [rand("w", 6, 3, 1, 1), rand("bias", 6, 1, 1)]
    path = model(tmp_path, nodes, {"x": [1, 3, 5, 5]}, [1, 6, 5, 5], inits)
    check(path, {"x": x_of(1, 3, 5, 5)}, ["conv_activation_fusion"], {"FusedConv": 1},
          absent=["Add", "Relu", "Conv"])


def test_resnet_residual_conv_add_relu(tmp_path):
    """Conv -> Add(identity branch) -> Relu is one FusedConv with Z."""
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Add", ["x", "c"], ["s"]),
             helper.make_node("Relu", ["s"], ["y"])]
    inits = [rand("w", 4, 4, 3, 3), rand("b", 4)]
    path = model(tmp_path, nodes, {"x": [1, 4, 7, 7]}, [1, 4, 7, 7], inits)
    check(path, {"x": x_of(1, 4, 7, 7)}, ["conv_activation_fusion"], {"FusedConv": 1},
          absent=["Add", "Relu", "Conv"])


def test_residual_add_with_broadcast_is_not_fused(tmp_path):
    """Z must have the output's shape: a broadcast Add stays."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]),
             helper.make_node("Add", ["c", "z"], ["y"])]
    inits = [rand("w", 4, 4, 1, 1)]
    path = model(tmp_path, nodes, {"x": [1, 4, 3, 3], "z": [1, 1, 3, 3]}, [1, 4, 3, 3], inits)
    check(path, {"x": x_of(1, 4, 3, 3), "z": x_of(1, 1, 3, 3)}, ["conv_activation_fusion"],
          {"Conv": 1, "Add": 1}, fused=False)


def test_conv_output_read_twice_is_not_fused(tmp_path):
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]),
             helper.make_node("Relu", ["c"], ["r"]),
             helper.make_node("Add", ["r", "c"], ["y"])]
    inits = [rand("w", 4, 4, 1, 1)]
    path = model(tmp_path, nodes, {"x": [1, 4, 3, 3]}, [1, 4, 3, 3], inits)
    check(path, {"x": x_of(1, 4, 3, 3)}, ["conv_activation_fusion"], {"Conv": 1, "Relu": 1},
          fused=False)


def test_disabled_pass_does_not_fuse(tmp_path):
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]), helper.make_node("Relu", ["c"], ["y"])]
    path = model(tmp_path, nodes, {"x": [1, 2, 3, 3]}, [1, 2, 3, 3], [rand("w", 2, 2, 1, 1)])
    sess = session(path, 2, config={"optimizer.disable": "conv_activation_fusion"})
    assert placed_ops(sess) == {"Conv": 1, "Relu": 1}


# --- Gemm / MatMul ------------------------------------------------------------------------

def test_gemm_activation(tmp_path):
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["g"], transB=1, alpha=0.5),
             helper.make_node("LeakyRelu", ["g"], ["y"], alpha=0.1)]
    path = model(tmp_path, nodes, {"x": [3, 5]}, [3, 4], [rand("w", 4, 5), rand("b", 4)])
    check(path, {"x": x_of(3, 5)}, ["gemm_activation_fusion"], {"FusedGemm": 1},
          absent=["Gemm", "LeakyRelu"])


@pytest.mark.parametrize("bias_shape", [[4], [1, 4], [3, 4]])
def test_matmul_add_to_gemm(tmp_path, bias_shape):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["m"]),
             helper.make_node("Add", ["m", "b"], ["y"])]
    path = model(tmp_path, nodes, {"x": [3, 5]}, [3, 4], [rand("w", 5, 4), rand("b", *bias_shape)])
    check(path, {"x": x_of(3, 5)}, ["matmul_add_to_gemm"], {"Gemm": 1}, absent=["MatMul", "Add"])


def test_matmul_add_relu_becomes_fused_gemm(tmp_path):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["m"]),
             helper.make_node("Add", ["b", "m"], ["a"]),
             helper.make_node("Relu", ["a"], ["y"])]
    path = model(tmp_path, nodes, {"x": [3, 5]}, [3, 4], [rand("w", 5, 4), rand("b", 4)])
    check(path, {"x": x_of(3, 5)}, ["matmul_add_to_gemm", "gemm_activation_fusion"],
          {"FusedGemm": 1}, absent=["MatMul", "Add", "Relu", "Gemm"])


def gelu_nodes(x, y, form):
    """Exact GELU in the association orders exporters write."""
    scaled = (helper.make_node("Div", [x, "sqrt2"], [f"{y}_d"]) if form != "mul_rsqrt2" else
              helper.make_node("Mul", ["rsqrt2", x], [f"{y}_d"]))
    head = [scaled, helper.make_node("Erf", [f"{y}_d"], [f"{y}_e"]),
            helper.make_node("Add", [f"{y}_e", "one"], [f"{y}_p"])]
    if form == "half_first":  # (x * 0.5) * (1 + erf)
        return head + [helper.make_node("Mul", [x, "half"], [f"{y}_h"]),
                       helper.make_node("Mul", [f"{y}_h", f"{y}_p"], [y])]
    if form == "half_last_inner":  # x * ((1 + erf) * 0.5)
        return head + [helper.make_node("Mul", [f"{y}_p", "half"], [f"{y}_h"]),
                       helper.make_node("Mul", [x, f"{y}_h"], [y])]
    return head + [helper.make_node("Mul", [x, f"{y}_p"], [f"{y}_m"]),  # (x * (1 + erf)) * 0.5
                   helper.make_node("Mul", [f"{y}_m", "half"], [y])]


GELU_CONSTS = [const("sqrt2", 1.4142135), const("rsqrt2", 0.70710677), const("one", 1.0),
               const("half", 0.5)]


@pytest.mark.parametrize("form", ["torch", "half_first", "half_last_inner", "mul_rsqrt2"])
@pytest.mark.parametrize("opset", [17, 20])
def test_gelu_fusion(tmp_path, form, opset):
    path = model(tmp_path, gelu_nodes("x", "y", form), {"x": [2, 7]}, [2, 7], GELU_CONSTS,
                 opset=opset)
    check(path, {"x": x_of(2, 7) * 3}, ["gelu_fusion"], {"Gelu": 1}, absent=["Erf", "Mul"])


def test_gelu_with_wrong_constant_is_not_fused(tmp_path):
    consts = [const("sqrt2", 1.5), const("rsqrt2", 0.7), const("one", 1.0), const("half", 0.5)]
    path = model(tmp_path, gelu_nodes("x", "y", "torch"), {"x": [2, 7]}, [2, 7], consts)
    check(path, {"x": x_of(2, 7)}, ["gelu_fusion"], {"Erf": 1}, fused=False)


def test_transformer_linear_gelu_becomes_fused_matmul(tmp_path):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["m"]),
             helper.make_node("Add", ["b", "m"], ["a"])] + gelu_nodes("a", "y", "torch")
    path = model(tmp_path, nodes, {"x": ["batch", "seq", 8]}, ["batch", "seq", 6],
                 [rand("w", 8, 6), rand("b", 6)] + GELU_CONSTS)
    check(path, {"x": x_of(2, 5, 8)}, ["gelu_fusion", "matmul_bias_activation_fusion"],
          {"FusedMatMul": 1}, absent=["MatMul", "Add", "Gelu", "Erf"], dims={"batch": 2, "seq": 5})


def test_matmul_3d_bias_only(tmp_path):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["m"]),
             helper.make_node("Add", ["m", "b"], ["y"])]
    path = model(tmp_path, nodes, {"x": [2, 3, 8]}, [2, 3, 6], [rand("w", 8, 6), rand("b", 1, 1, 6)])
    check(path, {"x": x_of(2, 3, 8)}, ["matmul_bias_activation_fusion"], {"FusedMatMul": 1},
          absent=["MatMul", "Add"])


# --- LayerNormalization -------------------------------------------------------------------

def layer_norm_nodes(square, opset):
    axes = {"axes": [-1]} if opset < 18 else {}
    axes_in = ["axes"] if opset >= 18 else []
    sq = (helper.make_node("Pow", ["d", "two"], ["sq"]) if square == "pow" else
          helper.make_node("Mul", ["d", "d"], ["sq"]))
    return [helper.make_node("ReduceMean", ["x"] + axes_in, ["mu"], **axes),
            helper.make_node("Sub", ["x", "mu"], ["d"]), sq,
            helper.make_node("ReduceMean", ["sq"] + axes_in, ["var"], **axes),
            helper.make_node("Add", ["var", "eps"], ["ve"]),
            helper.make_node("Sqrt", ["ve"], ["sd"]),
            helper.make_node("Div", ["d", "sd"], ["n"]),
            helper.make_node("Mul", ["n", "gamma"], ["s"]),
            helper.make_node("Add", ["s", "beta"], ["y"])]


@pytest.mark.parametrize("square", ["pow", "mul"])
@pytest.mark.parametrize("opset", [13, 17, 18])
def test_layer_norm_fusion(tmp_path, square, opset):
    inits = [const("two", 2.0), const("eps", 1e-5), rand("gamma", 16, positive=True),
             rand("beta", 16), numpy_helper.from_array(np.array([-1], np.int64), "axes")]
    path = model(tmp_path, layer_norm_nodes(square, opset), {"x": [2, 3, 16]}, [2, 3, 16],
                 inits, opset=opset)
    check(path, {"x": x_of(2, 3, 16) * 2 + 1}, ["layer_norm_fusion"], {"LayerNormalization": 1},
          absent=["ReduceMean", "Sqrt", "Div"])


# --- attention ----------------------------------------------------------------------------

@pytest.mark.parametrize("scale_on", ["q", "scores"])
@pytest.mark.parametrize("masked", [True, False])
def test_attention_fusion(tmp_path, scale_on, masked):
    nodes = [helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 1, 3, 2])]
    if scale_on == "q":
        nodes += [helper.make_node("Div", ["q", "sqrt_d"], ["qs"]),
                  helper.make_node("MatMul", ["qs", "kt"], ["s"])]
    else:
        nodes += [helper.make_node("MatMul", ["q", "kt"], ["s0"]),
                  helper.make_node("Mul", ["s0", "rsqrt_d"], ["s"])]
    if masked:
        nodes.append(helper.make_node("Add", ["s", "mask"], ["sm"]))
    nodes += [helper.make_node("Softmax", ["sm" if masked else "s"], ["p"], axis=-1),
              helper.make_node("MatMul", ["p", "v"], ["y"])]
    inputs = {"q": [2, 3, 5, 8], "k": [2, 3, 7, 8], "v": [2, 3, 7, 4], "mask": [2, 1, 1, 7]}
    if not masked:
        del inputs["mask"]
    path = model(tmp_path, nodes, inputs, [2, 3, 5, 4],
                 [const("sqrt_d", np.sqrt(8.0)), const("rsqrt_d", 1 / np.sqrt(8.0))])
    feeds = {n: x_of(*s) for n, s in inputs.items()}
    if masked:
        feeds["mask"] = np.where(feeds["mask"] > 0.5, -1e4, 0).astype(np.float32)
    check(path, feeds, ["attention_fusion"], {"ScaledDotProductAttention": 1},
          absent=["Softmax", "MatMul"])


# --- real models --------------------------------------------------------------------------

ZOO = {
    "resnet50": {"dims": {"batch": 1}, "feeds": lambda: {"input": x_of(1, 3, 224, 224)}},
    "mobilenet_v2": {"dims": {"batch": 1}, "feeds": lambda: {"input": x_of(1, 3, 224, 224)}},
    "transformer_encoder": {
        "dims": {"batch": 2, "seq": 16},
        "feeds": lambda: {"src": x_of(2, 16, 256),
                          "src_key_padding_mask": np.arange(16)[None, :].repeat(2, 0) >= 12}},
}


@pytest.mark.parametrize("name", ZOO)
def test_zoo_model_level_2_matches_level_1(name):
    path = zoo_model(name)
    spec = ZOO[name]
    feeds = spec["feeds"]()
    s1, s2 = session(path, 1, dims=spec["dims"]), session(path, 2, dims=spec["dims"])
    ref, out = s1.run(None, feeds)[0], s2.run(None, feeds)[0]
    scale = max(1.0, float(np.max(np.abs(ref))))
    assert np.max(np.abs(out - ref)) <= 1e-5 * scale
    assert s2.node_count() < s1.node_count()
    print(f"{name}: {s1.node_count()} -> {s2.node_count()} nodes, "
          f"max abs diff {np.max(np.abs(out - ref)):.3g} (output scale {scale:.3g})")
