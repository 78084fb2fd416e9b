"""Writes aliasing_outputs.onnx for c_api_test: outputs the session holds anyway. The graph
output "x" is the graph input itself and "weights" is an initializer, so without a copy the
returned tensors would be the caller's input and the model's own constant; "doubled" is x + x,
computed by the run. Run with the test virtual environment:
    .venv/bin/python tests/c_api/make_aliasing_model.py
"""
from pathlib import Path

import onnx
from onnx import TensorProto, helper

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])
weights = helper.make_tensor_value_info("weights", TensorProto.FLOAT, [2])
doubled = helper.make_tensor_value_info("doubled", TensorProto.FLOAT, [2])
graph = helper.make_graph(
    [helper.make_node("Add", ["x", "x"], ["doubled"], name="add")], "aliasing_outputs", [x],
    [x, weights, doubled],
    initializer=[helper.make_tensor("weights", TensorProto.FLOAT, [2], [1.0, 2.0])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                          producer_name="infer tests/c_api")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, Path(__file__).with_name("aliasing_outputs.onnx"))
