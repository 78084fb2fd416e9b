"""int8 on npu_sim end to end: a quantized CNN in QOperator form
(QuantizeLinear -> QLinearConv -> QLinearConv -> MaxPool -> Flatten ->
QLinearMatMul -> DequantizeLinear) lands whole on npu_sim and its int8 outputs
equal the cpu backend's bit for bit (npu_sim accumulates in int32 exactly and
requantizes with the same float32 multiplier and rounding as the cpu kernels);
per-axis QuantizeLinear is refused with its reason and runs on cpu."""

from __future__ import annotations

import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from placement_util import partitions, session


def _init(name, value, dtype=None):
    return numpy_helper.from_array(np.asarray(value, dtype=dtype), name)


def quantized_cnn(tmp_path, act=np.uint8, seed=0):
    """x [1,3,16,16] float -> uint8 (or int8) activations, int8 weights; outputs
    the float result 'y' and the int8 logits 'q' it dequantizes."""
    rng = np.random.default_rng(seed)
    zp = 128 if act == np.uint8 else 0
    relu_zp = 0 if act == np.uint8 else -128  # relu folded: the output range starts at 0
    w1 = rng.integers(-127, 128, (8, 3, 3, 3)).astype(np.int8)
    w2 = rng.integers(-127, 128, (16, 8, 3, 3)).astype(np.int8)
    w3 = rng.integers(-127, 128, (256, 10)).astype(np.int8)
    inits = [
        _init("xs", 1 / 64, np.float32), _init("xzp", zp, act),
        _init("w1", w1), _init("w1s", 0.004, np.float32), _init("w1zp", 0, np.int8),
        _init("b1", rng.integers(-2000, 2000, 8), np.int32),
        _init("y1s", 0.02, np.float32), _init("y1zp", relu_zp, act),
        # Per output channel weight scales and zero points.
        _init("w2", w2), _init("w2s", rng.uniform(0.001, 0.004, 16), np.float32),
        _init("w2zp", rng.integers(-3, 4, 16), np.int8),
        _init("y2s", 0.05, np.float32), _init("y2zp", zp - 8, act),
        _init("w3", w3), _init("w3s", 0.002, np.float32), _init("w3zp", 0, np.int8),
        _init("y3s", 0.15, np.float32), _init("y3zp", zp + 3, act),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xzp"], ["q0"], name="quant"),
        helper.make_node("QLinearConv", ["q0", "xs", "xzp", "w1", "w1s", "w1zp", "y1s", "y1zp",
                                         "b1"], ["c1"], name="qconv1", pads=[1, 1, 1, 1]),
        helper.make_node("QLinearConv", ["c1", "y1s", "y1zp", "w2", "w2s", "w2zp", "y2s", "y2zp"],
                         ["c2"], name="qconv2", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("MaxPool", ["c2"], ["p"], name="pool", kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("QLinearMatMul", ["f", "y2s", "y2zp", "w3", "w3s", "w3zp", "y3s", "y3zp"],
                         ["q"], name="qmatmul"),
        helper.make_node("DequantizeLinear", ["q", "y3s", "y3zp"], ["y"], name="dequant"),
    ]
    elem = TensorProto.UINT8 if act == np.uint8 else TensorProto.INT8
    graph = helper.make_graph(
        nodes, "quantized_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10]),
         helper.make_tensor_value_info("q", elem, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    # No value_info: the core infers the int8 intermediates' types and static shapes,
    # which npu_sim needs to claim a node.
    path = tmp_path / "quantized_cnn.onnx"
    onnx.save(model, path)
    return path


def _run(path, backends, x, **config):
    sess = session(path, backends=backends, **config)
    y, q = sess.run(None, {"x": x})
    return sess, y, q


def _check_cnn(tmp_path, act, **config):
    path = quantized_cnn(tmp_path, act)
    rng = np.random.default_rng(1)
    x = rng.uniform(-2.0, 2.0, (1, 3, 16, 16)).astype(np.float32)
    # Values on rounding ties of x / x_scale: round half to even must agree.
    x.flat[:16] = (np.arange(16) - 8 + 0.5) / 64
    _, y_cpu, q_cpu = _run(path, "cpu", x)
    sess, y_npu, q_npu = _run(path, "npu_sim,cpu", x, **config)
    report = sess.placement_report()
    print(report)

    assert [(b, n) for b, n, _ in partitions(report)] == [("npu_sim", 7)], report
    # int8 results are bit-exact: same int32 sums, same float32 multiplier, same rounding.
    assert q_npu.dtype == q_cpu.dtype == act
    np.testing.assert_array_equal(q_npu, q_cpu)
    # The dequantized result is stored as fp16 on the NPU.
    np.testing.assert_allclose(y_npu, y_cpu, rtol=1e-3, atol=0)
    assert len(np.unique(q_cpu)) > 3, "the logits should not all saturate"

    commands = re.search(r"commands \((.*)\); SRAM", report).group(1)
    counts = dict(re.findall(r"([A-Z_]+(?:\(int8\))?) ([\d,]+)", commands))
    assert "CONV(int8)" in counts and "MATMUL(int8)" in counts, report
    assert "POOL(int8)" in counts and "ELEMENTWISE(int8)" in counts, report
    assert "CONV" not in counts, report  # no fp16 convolution left
    return report


def test_quantized_cnn_uint8_on_npu_sim(tmp_path):
    _check_cnn(tmp_path, np.uint8)


def test_quantized_cnn_int8_tiny_sram(tmp_path):
    report = _check_cnn(tmp_path, np.int8, **{"npu_sim.sram_kib": 8})
    assert "SRAM 8 KiB" in report


def test_int8_macs_are_cheaper(tmp_path):
    path = quantized_cnn(tmp_path, np.uint8)
    x = np.zeros((1, 3, 16, 16), np.float32)

    def cycles(factor):
        sess, _, _ = _run(path, "npu_sim,cpu", x, **{"npu_sim.int8_macs_per_fp16_mac": factor})
        m = re.search(r"simulated per run: ([\d,]+) cycles", sess.placement_report())
        return int(m.group(1).replace(",", ""))

    assert cycles(4) < cycles(1)


def test_per_axis_quantize_falls_back_to_cpu(tmp_path):
    c = 4
    inits = [_init("s", np.linspace(0.01, 0.04, c), np.float32),
             _init("zp", np.arange(c), np.uint8)]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"], name="quant_axis", axis=1),
        helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["y"], name="dequant_axis",
                         axis=1),
    ]
    graph = helper.make_graph(
        nodes, "per_axis", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, c, 5, 5])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / "per_axis.onnx"
    onnx.save(model, path)
    x = np.random.default_rng(2).uniform(-1, 1, (1, c, 5, 5)).astype(np.float32)
    (want,) = session(path, backends="cpu").run(None, {"x": x})
    sess = session(path, backends="npu_sim,cpu", min_partition_size=1)
    (got,) = sess.run(None, {"x": x})
    np.testing.assert_array_equal(got, want)
    report = sess.placement_report()
    assert {b for b, _, _ in partitions(report)} == {"cpu"}, report
    assert ("refused by npu_sim: QuantizeLinear node 'quant_axis': per-axis QuantizeLinear "
            "(scale 's' of shape [4]) is not supported by npu_sim") in report, report
    assert "refused by npu_sim: DequantizeLinear node 'dequant_axis': per-axis" in report, report
