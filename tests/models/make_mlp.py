#!/usr/bin/python3
"""Exports the example MLP (random weights) to ONNX: Gemm, Relu, MatMul, Add,
Softmax. Run with Debian's /usr/bin/python3 (torch 1.13)."""
import argparse

import torch
from torch import nn

from export_util import export, spread_weights


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)  # Gemm
        # A bare weight and bias: exports MatMul followed by a broadcast Add.
        self.w2 = nn.Parameter(torch.randn(32, 24) * 0.2)
        self.b2 = nn.Parameter(torch.randn(24) * 0.1)
        self.fc3 = nn.Linear(24, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(torch.matmul(x, self.w2) + self.b2)
        return torch.softmax(self.fc3(x), dim=1)


def build():
    torch.manual_seed(1)
    model = Mlp()
    spread_weights(model, logit_gain=0.5)
    return model.eval(), torch.rand(1, 16)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="mlp.onnx")
    args = parser.parse_args()
    model, sample = build()
    export(model, sample, args.out)
