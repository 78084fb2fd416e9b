#!/usr/bin/python3
"""Exports the example CNN (random weights) to ONNX.

Run with Debian's /usr/bin/python3 (torch 1.13): the TorchScript exporter
needs no `onnx` package. The graph uses only the ops of the first CPU backend:
Conv, BatchNormalization, Relu, MaxPool, AveragePool, GlobalAveragePool,
Flatten, Gemm, Concat, Add, Mul, Softmax.
"""
import argparse

import torch
from torch import nn

from export_util import export, spread_weights


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)  # 32x32 -> 16x16
        self.bn = nn.BatchNorm2d(16)
        self.depthwise = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.pointwise = nn.Conv2d(16, 16, 1)
        # Per-channel scale: exercises Mul with a broadcast initializer.
        self.scale = nn.Parameter(torch.rand(16, 1, 1) + 0.5)
        self.pool = nn.MaxPool2d(2)  # 16x16 -> 8x8
        self.conv_b = nn.Conv2d(16, 24, 3, padding=1)
        # count_include_pad=False: otherwise torch exports an extra Pad node.
        self.avg = nn.AvgPool2d(2, count_include_pad=False)  # 8x8 -> 4x4
        self.pad_pool = nn.MaxPool2d(3, stride=2, padding=1)  # 8x8 -> 4x4
        self.gap = nn.AdaptiveAvgPool2d(1)  # exports GlobalAveragePool
        self.flatten = nn.Flatten(1)  # exports Flatten, not Shape/Gather/Reshape
        self.fc = nn.Linear(40, 10)

    def forward(self, x):
        x = torch.relu(self.bn(self.stem(x)))
        a = torch.relu(self.depthwise(x))
        b = self.pointwise(x)
        x = self.pool((a + b) * self.scale)
        c = self.avg(torch.relu(self.conv_b(x)))
        d = self.pad_pool(x)
        x = self.flatten(self.gap(torch.cat([c, d], dim=1)))
        return torch.softmax(self.fc(x), dim=1)


def build():
    torch.manual_seed(0)
    model = SmallCnn()
    spread_weights(model, logit_gain=0.5)
    # Non-trivial running statistics, so BatchNormalization is really tested.
    model.bn.running_mean.uniform_(-0.5, 0.5)
    model.bn.running_var.uniform_(0.5, 2.0)
    model.bn.weight.data.uniform_(0.5, 1.5)
    model.bn.bias.data.uniform_(-0.2, 0.2)
    return model.eval(), torch.rand(1, 3, 32, 32)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="small_cnn.onnx")
    args = parser.parse_args()
    model, sample = build()
    export(model, sample, args.out)
