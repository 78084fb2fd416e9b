"""Level-1 passes of the basic_passes plugin: each rewrite on a small hand-built graph (outputs
equal to level 0 and to onnxruntime, node counts as expected), the cases each pass must leave
alone, and the model zoo at level 0 against level 1."""

from __future__ import annotations

import re

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from infer import InferenceSession
from optimizer_util import PLUGIN_DIR, save, zoo_model

BASIC_PASSES = ["constant_folding", "identity_elimination", "algebraic_simplification",
                "conv_bn_folding", "common_subexpression_elimination", "dead_node_elimination",
                "unused_initializer_removal"]
F = TensorProto.FLOAT


def session(path, level, only=None, **kw):
    """A session at `level`; with `only`, every other level-1 pass is disabled."""
    config = {}
    if only is not None:
        config["optimizer.disable"] = ",".join(p for p in BASIC_PASSES if p not in only)
    return InferenceSession(str(path), plugins=[str(PLUGIN_DIR)], optimization_level=level,
                            config=config, **kw)


def op_counts(sess) -> dict[str, int]:
    """Operators of the optimised graph, from the placement report ("Add x2, Relu x1")."""
    counts: dict[str, int] = {}
    for line in sess.placement_report().splitlines():
        m = re.search(r"partition \d+: .*? node\(s\): (.*)$", line)
        if not m:
            continue
        for item in m.group(1).split(", "):
            op, n = item.rsplit(" x", 1)
            counts[op] = counts.get(op, 0) + int(n)
    return counts


def changed(sess, pass_name) -> int:
    """Nodes a pass reported changed, summed over the rounds (report rows: level, round,
    pass, backend, changed, nodes, ms)."""
    total = 0
    for line in sess.optimization_report().splitlines():
        tokens = line.split()
        if pass_name in tokens:
            total += int(tokens[tokens.index(pass_name) + 2])
    return total


def model(nodes, inputs, outputs, inits=(), opset=17):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def tensor(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, value, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(value, dtype=dtype), name)


def random_feeds(m: onnx.ModelProto, seed=0):
    rng = np.random.default_rng(seed)
    init_names = {i.name for i in m.graph.initializer}
    feeds = {}
    for vi in m.graph.input:
        if vi.name in init_names:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(vi.type.tensor_type.elem_type)
        if dtype == np.bool_:
            feeds[vi.name] = rng.random(shape) > 0.5
        else:
            feeds[vi.name] = rng.standard_normal(shape).astype(dtype)
    return feeds


def check(tmp_path, m, only=None, expect_nodes=None, absent=(), atol=1e-6, **kw):
    """Runs `m` at levels 0 and 1, checks both against onnxruntime and returns the level-1
    session. `absent`: operators level 1 must have removed; `atol`: against level 0, wider
    where a rewrite rounds differently (folded weights), still within onnxruntime's 1e-5."""
    path = save(m, tmp_path)
    feeds = random_feeds(m)
    ref = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)
    out0 = session(path, 0, **kw).run(None, feeds)
    sess = session(path, 1, only, **kw)
    out1 = sess.run(None, feeds)
    assert "FAILED" not in sess.optimization_report(), sess.optimization_report()
    for a, b, r in zip(out1, out0, ref):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=atol)
        np.testing.assert_allclose(a, r, rtol=1e-5, atol=1e-5)
    if expect_nodes is not None:
        assert sess.node_count() == expect_nodes, (op_counts(sess), sess.optimization_report())
    ops = op_counts(sess)
    for op in absent:
        assert op not in ops, ops
    return sess


# --- identity_elimination -----------------------------------------------------------------

def test_identity_chain_is_removed_but_graph_output_identity_stays(tmp_path):
    m = model([helper.make_node("Identity", ["x"], ["a"]),
               helper.make_node("Identity", ["a"], ["b"]),
               helper.make_node("Relu", ["b"], ["c"]),
               helper.make_node("Identity", ["c"], ["y"])],
              [tensor("x", [2, 3])], [tensor("y", [2, 3])])
    sess = check(tmp_path, m, only=["identity_elimination"], expect_nodes=2)
    assert op_counts(sess) == {"Relu": 1, "Identity": 1}
    assert changed(sess, "identity_elimination") == 2


def test_identity_from_input_to_output_is_kept(tmp_path):
    m = model([helper.make_node("Identity", ["x"], ["y"])], [tensor("x", [4])],
              [tensor("y", [4])])
    check(tmp_path, m, expect_nodes=1)


def test_dropout_and_same_type_cast_are_removed(tmp_path):
    m = model([helper.make_node("Dropout", ["x", "ratio"], ["d"]),
               helper.make_node("Cast", ["d"], ["c"], to=TensorProto.FLOAT),
               helper.make_node("Relu", ["c"], ["y"])],
              [tensor("x", [2, 5])], [tensor("y", [2, 5])], [const("ratio", 0.3)], opset=13)
    check(tmp_path, m, only=["identity_elimination"], expect_nodes=1, absent=["Dropout", "Cast"])


def test_dropout_with_used_mask_or_training_input_stays(tmp_path):
    m = model([helper.make_node("Dropout", ["x"], ["d", "mask"]),
               helper.make_node("Dropout", ["x", "", "train"], ["e"], seed=3),
               helper.make_node("Add", ["d", "e"], ["y"])],
              [tensor("x", [2, 5]), tensor("train", [], TensorProto.BOOL)],
              [tensor("y", [2, 5]), tensor("mask", [2, 5], TensorProto.BOOL)], opset=13)
    path = save(m, tmp_path)
    sess = session(path, 1, only=["identity_elimination"])
    assert op_counts(sess)["Dropout"] == 2
    feeds = {"x": np.ones((2, 5), np.float32), "train": np.array(False)}
    np.testing.assert_array_equal(sess.run(["y"], feeds)[0], np.full((2, 5), 2, np.float32))


def test_cast_to_another_type_stays(tmp_path):
    m = model([helper.make_node("Cast", ["x"], ["c"], to=TensorProto.INT32),
               helper.make_node("Cast", ["c"], ["y"], to=TensorProto.FLOAT)],
              [tensor("x", [3])], [tensor("y", [3])])
    check(tmp_path, m, expect_nodes=2)


def test_shape_ops_that_keep_the_shape_are_removed(tmp_path):
    m = model([helper.make_node("Reshape", ["x", "same"], ["r"]),
               helper.make_node("Flatten", ["r"], ["f"], axis=1),
               helper.make_node("Expand", ["f", "ones"], ["e"]),
               helper.make_node("Squeeze", ["e"], ["s"]),  # nothing to squeeze in [2, 6]
               helper.make_node("Reshape", ["s", "other"], ["y"])],
              [tensor("x", [2, 6])], [tensor("y", [3, 4])],
              [const("same", [2, 6], np.int64), const("ones", [1], np.int64),
               const("other", [3, 4], np.int64)])
    sess = check(tmp_path, m, only=["identity_elimination"], expect_nodes=1)
    assert op_counts(sess) == {"Reshape": 1}


# --- algebraic_simplification --------------------------------------------------------------

def test_neutral_elements_are_removed(tmp_path):
    m = model([helper.make_node("Mul", ["x", "one"], ["a"]),
               helper.make_node("Mul", ["one", "a"], ["b"]),
               helper.make_node("Add", ["b", "zero"], ["c"]),
               helper.make_node("Add", ["zero1d", "c"], ["d"]),
               helper.make_node("Sub", ["d", "zero"], ["e"]),
               helper.make_node("Div", ["e", "one"], ["f"]),
               helper.make_node("Pow", ["f", "one"], ["g"]),
               helper.make_node("Relu", ["g"], ["y"])],
              [tensor("x", [2, 3])], [tensor("y", [2, 3])],
              [const("one", 1.0), const("zero", 0.0), const("zero1d", [0.0, 0.0, 0.0])])
    sess = check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=1)
    assert changed(sess, "algebraic_simplification") == 7


def test_neutral_elements_that_broadcast_or_do_not_commute_stay(tmp_path):
    m = model([helper.make_node("Mul", ["x", "ones3d"], ["a"]),  # [3] -> [2, 2, 3]
               helper.make_node("Sub", ["zero", "a"], ["b"]),  # 0 - a is not a
               helper.make_node("Div", ["one", "b"], ["c"]),
               helper.make_node("Add", ["c", "two"], ["y"])],
              [tensor("x", [3])], [tensor("y", [2, 2, 3])],
              [const("ones3d", np.ones((2, 2, 3))), const("zero", 0.0), const("one", 1.0),
               const("two", 2.0)])
    check(tmp_path, m, expect_nodes=4)


def test_integer_neutral_elements(tmp_path):
    m = model([helper.make_node("Add", ["x", "zero"], ["a"]),
               helper.make_node("Mul", ["a", "one"], ["y"])],
              [tensor("x", [4], TensorProto.INT64)], [tensor("y", [4], TensorProto.INT64)],
              [const("zero", 0, np.int64), const("one", [1], np.int64)])
    # The last Mul writes the graph output, so it stays.
    check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=1)


def test_inverse_transposes_cancel(tmp_path):
    m = model([helper.make_node("Transpose", ["x"], ["t1"], perm=[0, 2, 3, 1]),
               helper.make_node("Transpose", ["t1"], ["t2"], perm=[0, 3, 1, 2]),
               helper.make_node("Relu", ["t2"], ["y"])],
              [tensor("x", [1, 2, 3, 4])], [tensor("y", [1, 2, 3, 4])])
    check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=1, absent=["Transpose"])


def test_transposes_compose_into_one(tmp_path):
    m = model([helper.make_node("Transpose", ["x"], ["t1"], perm=[1, 0, 2]),
               helper.make_node("Transpose", ["t1"], ["t2"], perm=[0, 2, 1]),
               helper.make_node("Transpose", ["t2"], ["t3"]),  # default perm: reversed
               helper.make_node("Relu", ["t3"], ["y"])],
              [tensor("x", [2, 3, 4])], [tensor("y", [2, 4, 3])])
    sess = check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=2)
    assert op_counts(sess) == {"Transpose": 1, "Relu": 1}


def test_identity_transpose_is_removed_and_shared_transpose_kept(tmp_path):
    m = model([helper.make_node("Transpose", ["x"], ["t0"], perm=[0, 1]),
               helper.make_node("Transpose", ["t0"], ["t1"], perm=[1, 0]),
               helper.make_node("Transpose", ["t1"], ["t2"], perm=[1, 0]),
               helper.make_node("Relu", ["t1"], ["r"]),  # second reader of t1
               helper.make_node("MatMul", ["t2", "r"], ["y"])],
              [tensor("x", [3, 3])], [tensor("y", [3, 3])])
    sess = check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=4)
    assert op_counts(sess)["Transpose"] == 2


def test_reshape_chain_collapses(tmp_path):
    m = model([helper.make_node("Reshape", ["x", "s1"], ["a"]),
               helper.make_node("Flatten", ["a"], ["b"], axis=2),
               helper.make_node("Reshape", ["b", "s2"], ["c"]),
               helper.make_node("Relu", ["c"], ["y"])],
              [tensor("x", [2, 3, 4])], [tensor("y", [4, 6])],
              [const("s1", [6, 2, 2], np.int64), const("s2", [4, -1], np.int64)])
    sess = check(tmp_path, m, only=["algebraic_simplification"], expect_nodes=2)
    assert op_counts(sess) == {"Reshape": 1, "Relu": 1}


def test_reshape_with_copied_zero_dim_is_not_collapsed(tmp_path):
    m = model([helper.make_node("Reshape", ["x", "s1"], ["a"]),
               helper.make_node("Reshape", ["a", "s2"], ["y"])],
              [tensor("x", [2, 3, 4])], [tensor("y", [6, 4])],
              [const("s1", [6, 4], np.int64), const("s2", [0, -1], np.int64)])
    check(tmp_path, m, expect_nodes=2)


# --- conv_bn_folding -----------------------------------------------------------------------

def conv_bn_model(conv_bias=True, extra_nodes=(), outputs=None, fed=(), **conv_attrs):
    """x [1, 3, 10, 10] -> Conv (8 channels) -> c -> BatchNormalization -> y. extra_nodes
    read c or y; outputs: names of [1, 8, h, w] graph outputs (default y); fed: weights that
    are graph inputs fed at run time instead of initializers."""
    rng = np.random.default_rng(0)
    values = {"w": rng.standard_normal((8, 3, 3, 3)) * 0.3, "b": rng.standard_normal(8) * 0.3,
              "g": np.abs(rng.standard_normal(8)) + 0.5, "beta": rng.standard_normal(8) * 0.3,
              "mean": rng.standard_normal(8) * 0.3, "var": np.abs(rng.standard_normal(8)) + 0.5}
    if not conv_bias:
        del values["b"]
    conv = helper.make_node("Conv", ["x", "w"] + (["b"] if conv_bias else []), ["c"],
                            **conv_attrs)
    bn = helper.make_node("BatchNormalization", ["c", "g", "beta", "mean", "var"], ["y"],
                          epsilon=1e-3)
    pad = sum(conv_attrs.get("pads", [0, 0, 0, 0])[::2])  # top + bottom
    hw = (10 + pad - 3) // conv_attrs.get("strides", [1, 1])[0] + 1
    return model([conv, bn, *extra_nodes],
                 [tensor("x", [1, 3, 10, 10])] + [tensor(n, list(values[n].shape)) for n in fed],
                 [tensor(n, [1, 8, hw, hw]) for n in outputs or ["y"]],
                 [const(n, v) for n, v in values.items() if n not in fed])


def assert_folded_at_level_1(sess):
    rows = [line.split() for line in sess.optimization_report().splitlines()
            if "conv_bn_folding" in line.split()]
    assert rows and all(r[0] == "1" for r in rows), sess.optimization_report()
    assert changed(sess, "conv_bn_folding") == 2  # Conv + BatchNormalization -> Conv


def test_conv_bn_is_folded_into_a_standard_conv(tmp_path):
    m = conv_bn_model(pads=[1, 1, 1, 1])
    sess = check(tmp_path, m, only=["conv_bn_folding", "unused_initializer_removal"],
                 expect_nodes=1, absent=["BatchNormalization"], atol=1e-5)
    assert op_counts(sess) == {"Conv": 1}
    assert_folded_at_level_1(sess)
    # W, B and the four statistics give way to the folded W' and B'.
    assert changed(sess, "unused_initializer_removal") == 6


def test_conv_without_bias_bn_relu_keeps_the_relu(tmp_path):
    m = conv_bn_model(conv_bias=False, strides=[2, 2],
                      extra_nodes=[helper.make_node("Relu", ["y"], ["r"])], outputs=["r"])
    sess = check(tmp_path, m, only=["conv_bn_folding"], expect_nodes=2,
                 absent=["BatchNormalization"], atol=1e-5)
    assert op_counts(sess) == {"Conv": 1, "Relu": 1}
    assert_folded_at_level_1(sess)


@pytest.mark.parametrize("case", ["second_reader", "conv_output_is_graph_output",
                                  "mean_fed_at_run_time"])
def test_conv_bn_that_cannot_fold_stays(tmp_path, case):
    extra, outputs, fed = [], None, ()
    if case == "second_reader":  # something else needs the Conv's unnormalised output
        extra = [helper.make_node("Relu", ["c"], ["r"])]
        outputs = ["y", "r"]
    elif case == "conv_output_is_graph_output":
        outputs = ["y", "c"]
    elif case == "mean_fed_at_run_time":
        fed = ("mean",)
    m = conv_bn_model(extra_nodes=extra, outputs=outputs, fed=fed)
    sess = check(tmp_path, m, expect_nodes=len(m.graph.node))
    assert op_counts(sess).get("BatchNormalization") == 1, op_counts(sess)
    assert changed(sess, "conv_bn_folding") == 0


# --- constant_folding ----------------------------------------------------------------------

def test_constant_subgraph_is_folded(tmp_path):
    c = helper.make_tensor("c", F, [3], [1.0, 2.0, 3.0])
    m = model([helper.make_node("Constant", [], ["k"], value=c),
               helper.make_node("Mul", ["k", "w"], ["kw"]),
               helper.make_node("Exp", ["kw"], ["e"]),
               helper.make_node("Add", ["x", "e"], ["y"])],
              [tensor("x", [2, 3])], [tensor("y", [2, 3])], [const("w", [0.5, -1.0, 0.25])])
    sess = check(tmp_path, m, expect_nodes=1)
    assert op_counts(sess) == {"Add": 1}
    assert changed(sess, "constant_folding") == 3
    assert changed(sess, "unused_initializer_removal") >= 1  # w, and the folded k and kw


def test_shape_of_static_input_is_folded(tmp_path):
    m = model([helper.make_node("Shape", ["x"], ["s"]),
               helper.make_node("Gather", ["s", "idx"], ["d"], axis=0),
               helper.make_node("Concat", ["minus1", "d"], ["target"], axis=0),
               helper.make_node("Reshape", ["x", "target"], ["r"]),
               helper.make_node("Size", ["x"], ["n"]),
               helper.make_node("Shape", ["x"], ["tail"], start=1, end=-1),
               helper.make_node("Cast", ["n"], ["nf"], to=TensorProto.FLOAT),
               helper.make_node("Mul", ["r", "nf"], ["y"])],
              [tensor("x", [2, 3, 4])], [tensor("y", [6, 4]), tensor("tail", [1],
                                                                    TensorProto.INT64)],
              [const("idx", [2], np.int64), const("minus1", [-1], np.int64)])
    sess = check(tmp_path, m, expect_nodes=3)  # Reshape, Mul and the graph-output Shape
    assert op_counts(sess) == {"Reshape": 1, "Mul": 1, "Shape": 1}


def test_shape_start_end_on_a_shape_kept_dynamic(tmp_path):
    """Shape with start/end folded through a later read (not a graph output)."""
    m = model([helper.make_node("Shape", ["x"], ["s"], start=-2),
               helper.make_node("Cast", ["s"], ["sf"], to=TensorProto.FLOAT),
               helper.make_node("ReduceSum", ["sf"], ["t"], keepdims=0),
               helper.make_node("Add", ["x", "t"], ["y"])],
              [tensor("x", [2, 3, 5])], [tensor("y", [2, 3, 5])])
    check(tmp_path, m, expect_nodes=1)


def test_shape_of_dynamic_input_is_not_folded(tmp_path):
    m = model([helper.make_node("Shape", ["x"], ["s"]),
               helper.make_node("Cast", ["s"], ["sf"], to=TensorProto.FLOAT),
               helper.make_node("ReduceSum", ["sf"], ["t"], keepdims=0),
               helper.make_node("Add", ["x", "t"], ["y"])],
              [tensor("x", ["batch", 3])], [tensor("y", ["batch", 3])])
    path = save(m, tmp_path)
    sess = session(path, 1)
    assert sess.node_count() == 4
    for n in (1, 5):
        x = np.ones((n, 3), np.float32)
        np.testing.assert_allclose(sess.run(None, {"x": x})[0], x + n + 3)
    # Fixing the dim makes it static, and then it folds.
    fixed = session(path, 1, dims={"batch": 2})
    assert fixed.node_count() == 1
    np.testing.assert_allclose(fixed.run(None, {"x": np.ones((2, 3), np.float32)})[0],
                               np.full((2, 3), 6, np.float32))


def test_huge_constants_are_not_folded(tmp_path):
    m = model([helper.make_node("ConstantOfShape", ["big"], ["z"],
                                value=helper.make_tensor("v", F, [1], [0.5])),
               helper.make_node("ReduceMax", ["z"], ["m"], keepdims=0),
               helper.make_node("Add", ["x", "m"], ["y"])],
              [tensor("x", [2])], [tensor("y", [2])], [const("big", [4097, 4097], np.int64)])
    sess = check(tmp_path, m, expect_nodes=3)
    assert changed(sess, "constant_folding") == 0


def test_random_ops_are_not_folded(tmp_path):
    m = model([helper.make_node("RandomUniform", [], ["r"], shape=[2], seed=1.0),
               helper.make_node("Mul", ["r", "zero"], ["z"]),
               helper.make_node("Add", ["x", "z"], ["y"])],
              [tensor("x", [2])], [tensor("y", [2])], [const("zero", 0.0)])
    path = save(m, tmp_path)
    try:
        sess = session(path, 1)
    except Exception as e:  # the cpu backend may not implement RandomUniform
        pytest.skip(f"RandomUniform does not run here: {e}")
    assert op_counts(sess).get("RandomUniform") == 1
    assert changed(sess, "constant_folding") == 0


# --- common_subexpression_elimination ------------------------------------------------------

def test_duplicate_expressions_are_merged(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["a"]),
               helper.make_node("Relu", ["x"], ["b"]),
               helper.make_node("Mul", ["a", "c1"], ["ma"]),
               helper.make_node("Mul", ["b", "c2"], ["mb"]),  # equal once c1 == c2 merge
               helper.make_node("Softmax", ["ma"], ["sa"], axis=1),
               helper.make_node("Softmax", ["mb"], ["sb"], axis=0),  # other attribute
               helper.make_node("Add", ["sa", "sb"], ["y"])],
              [tensor("x", [3, 3])], [tensor("y", [3, 3])],
              [const("c1", [2.0, 3.0, 4.0]), const("c2", [2.0, 3.0, 4.0])])
    sess = check(tmp_path, m, only=["common_subexpression_elimination",
                                    "unused_initializer_removal"], expect_nodes=5)
    assert op_counts(sess) == {"Relu": 1, "Mul": 1, "Softmax": 2, "Add": 1}
    assert changed(sess, "unused_initializer_removal") == 1  # c2


def test_duplicates_that_are_graph_outputs_stay(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y1"]),
               helper.make_node("Relu", ["x"], ["y2"])],
              [tensor("x", [4])], [tensor("y1", [4]), tensor("y2", [4])])
    check(tmp_path, m, expect_nodes=2)


# --- dead_node_elimination, unused_initializer_removal -------------------------------------

def test_dead_branch_and_its_weights_are_removed(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y"]),
               helper.make_node("MatMul", ["x", "w"], ["dead1"]),
               helper.make_node("Sigmoid", ["dead1"], ["dead2"]),
               helper.make_node("Split", ["dead2"], ["s1", "s2"], axis=1, num_outputs=2)],
              [tensor("x", [2, 4])], [tensor("y", [2, 4])], [const("w", np.ones((4, 4)))],
              opset=18)
    sess = check(tmp_path, m, only=["dead_node_elimination", "unused_initializer_removal"],
                 expect_nodes=1)
    assert changed(sess, "dead_node_elimination") == 3
    assert changed(sess, "unused_initializer_removal") == 1
    assert sess.optimization_report().splitlines()[0].endswith("1 -> 0 initializers")


# --- subgraphs: values read by name inside If branches --------------------------------------

def test_values_read_by_a_subgraph_keep_their_producers(tmp_path):
    def branch(name, op):
        return helper.make_graph([helper.make_node(op, ["t"], [f"{name}_out"])], name, [],
                                 [tensor(f"{name}_out", [2, 3])])
    m = model([helper.make_node("Identity", ["x"], ["t"]),
               helper.make_node("Relu", ["x"], ["t_twin"]),
               helper.make_node("If", ["cond"], ["r"], then_branch=branch("then", "Relu"),
                                else_branch=branch("else", "Neg")),
               helper.make_node("Add", ["r", "t_twin"], ["y"])],
              [tensor("x", [2, 3]), tensor("cond", [], TensorProto.BOOL)],
              [tensor("y", [2, 3])])
    path = save(m, tmp_path)
    sess = session(path, 1)
    assert "FAILED" not in sess.optimization_report()
    assert op_counts(sess)["Identity"] == 1
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    for cond in (True, False):
        feeds = {"x": x, "cond": np.array(cond)}
        ref = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None,
                                                                                      feeds)
        np.testing.assert_allclose(sess.run(None, feeds)[0], ref[0], rtol=1e-6)


# --- real models ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,dims", [
    ("resnet50", {"batch": 1}),
    ("mobilenet_v2", {"batch": 1}),
    ("transformer_encoder", {"batch": 2, "seq": 8}),
    ("transformer_encoder", None),
])
def test_zoo_model_level_1_matches_level_0(name, dims):
    path = zoo_model(name)
    m = onnx.load(str(path), load_external_data=False)
    rng = np.random.default_rng(0)
    feeds = {}
    init_names = {i.name for i in m.graph.initializer}
    for vi in m.graph.input:
        if vi.name in init_names:
            continue
        shape = [d.dim_value if d.HasField("dim_value") else (dims or {}).get(d.dim_param, 3)
                 for d in vi.type.tensor_type.shape.dim]
        if vi.type.tensor_type.elem_type == TensorProto.BOOL:
            feeds[vi.name] = np.zeros(shape, np.bool_)  # padding mask: keep every position
        else:
            feeds[vi.name] = rng.standard_normal(shape).astype(np.float32)
    s0 = session(path, 0, dims=dims)
    s1 = session(path, 1, dims=dims)
    report = s1.optimization_report()
    assert "FAILED" not in report, report
    assert s1.node_count() <= s0.node_count()
    for a, b in zip(s1.run(None, feeds), s0.run(None, feeds)):
        scale = max(1.0, float(np.max(np.abs(b))))
        assert np.max(np.abs(a - b)) <= 1e-5 * scale


def test_values_control_flow_reads_are_not_made_constant(tmp_path):
    """The control-flow runtime reads only computed values, so what If reads stays computed:
    its cond (Equal(Size(x), 6) could fold) and a subgraph's outer value (Identity of an
    initializer)."""
    def branch(name, op):
        return helper.make_graph([helper.make_node(op, ["x", "w_id"], [f"{name}_out"])], name,
                                 [], [tensor(f"{name}_out", [2, 3])])
    m = model([helper.make_node("Size", ["x"], ["n"]),
               helper.make_node("Equal", ["n", "six"], ["cond"]),
               helper.make_node("Identity", ["w"], ["w_id"]),
               helper.make_node("If", ["cond"], ["y"], then_branch=branch("then", "Add"),
                                else_branch=branch("else", "Mul"))],
              [tensor("x", [2, 3])], [tensor("y", [2, 3])],
              [const("six", 6, np.int64), const("w", np.full((2, 3), 5.0))])
    sess = check(tmp_path, m)
    assert op_counts(sess)["If"] == 1


def test_known_dims_of_a_dynamic_shape_are_folded(tmp_path):
    """x.shape[-1] is 4 whatever the batch; x.shape[0] is not known before the run."""
    m = model([helper.make_node("Shape", ["x"], ["s"]),
               helper.make_node("Gather", ["s", "last"], ["d"], axis=0),
               helper.make_node("Gather", ["s", "first"], ["b"], axis=0),
               helper.make_node("Mul", ["d", "b"], ["db"]),
               helper.make_node("Cast", ["db"], ["f"], to=TensorProto.FLOAT),
               helper.make_node("Add", ["x", "f"], ["y"])],
              [tensor("x", ["batch", 3, 4])], [tensor("y", ["batch", 3, 4])],
              [const("last", -1, np.int64), const("first", [0], np.int64)])
    path = save(m, tmp_path)
    sess = session(path, 1)
    assert op_counts(sess) == {"Shape": 1, "Gather": 1, "Mul": 1, "Cast": 1, "Add": 1}
    assert changed(sess, "constant_folding") == 1
    for n in (1, 5):
        x = np.zeros((n, 3, 4), np.float32)
        np.testing.assert_allclose(sess.run(None, {"x": x})[0], x + 4 * n)
