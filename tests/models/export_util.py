"""Shared torch.onnx.export settings for the model generators."""
import torch
from torch import nn


def spread_weights(model, logit_gain):
    """Re-initialises Conv/Linear weights to keep activations at unit scale
    (PyTorch's default init shrinks them layer by layer), so the softmax
    output really depends on the input and numeric errors show up in it."""
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    for layer in layers:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.uniform_(layer.bias, -0.1, 0.1)
    layers[-1].weight.data *= logit_gain


def export(model, sample, path):
    """Exports with input "input" and output "probs", a dynamic batch dim,
    opset 13, and BatchNormalization kept as a node (no constant folding)."""
    assert not model.training
    with torch.no_grad():
        torch.onnx.export(
            model,
            sample,
            path,
            input_names=["input"],
            output_names=["probs"],
            dynamic_axes={"input": {0: "batch"}, "probs": {0: "batch"}},
            opset_version=13,
            do_constant_folding=False,
            # PRESERVE on an eval() model exports inference ops but skips the
            # EVAL-only peephole that would fold BatchNormalization into Conv.
            training=torch.onnx.TrainingMode.PRESERVE,
        )
    print(f"wrote {path}")
