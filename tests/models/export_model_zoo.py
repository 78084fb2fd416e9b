#!/usr/bin/python3
"""Exports the model zoo (real model families, random weights) to ONNX.

Run with Debian's /usr/bin/python3 (torch 1.13, torchvision 0.14): the
TorchScript exporter needs no `onnx` package. Every model is exported in eval
mode at opset 17 with a dynamic batch axis named "batch" (and "seq" for the
sequence models), with weights from torch.manual_seed (weights=None), and
written to OUT/NAME.onnx. OUT/manifest.json describes each model: its inputs
(name, dtype, shape with symbolic dims, how to fill them), its outputs, the
dims the test runs it at, and the tolerance.

A model already in OUT is kept when it was exported by the same script (and
torch/torchvision versions): the manifest records a hash of both. Use --force
to export again.

The ZOO table below is plain data on purpose: the test Python (no torch)
imports this file to know the model names; torch is imported only to export.

    /usr/bin/python3 tests/models/export_model_zoo.py --out build/model_zoo
    /usr/bin/python3 tests/models/export_model_zoo.py --out /tmp/zoo --only resnet18 lstm
"""
import argparse
import hashlib
import json
import math
import os
import pathlib
import sys
import tempfile
import time
import traceback
import zlib

OPSET = 17
MANIFEST = "manifest.json"
# max abs diff allowed, relative to max(1, max abs of the reference output).
TOLERANCE = 1e-4

IMAGE = {"name": "input", "dtype": "float32", "shape": ["batch", 3, 224, 224], "fill": "normal"}
CNN_OUT = [{"name": "logits", "shape": ["batch", 1000]}]
ONE = [{"batch": 1}]
ONE_AND_TWO = [{"batch": 1}, {"batch": 2}]  # two runs: the same model file at two batch sizes

SEQ_DIMS = [{"batch": 1, "seq": 12}, {"batch": 2, "seq": 7}]
D_MODEL = 256
VOCAB = 1000

# name -> spec. "fill" says how the test makes an input:
#   normal            float32 standard normal
#   token_ids         int64 in [0, high)
#   key_padding_mask  bool, True = padding; every row keeps at least its first position
#   attention_mask    int64, 1 = attend, 0 = padding; every row keeps its first position
ZOO = {
    "resnet18": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT, "test_dims": ONE_AND_TWO},
    "resnet50": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT, "test_dims": ONE},
    "mobilenet_v2": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT,
                     "test_dims": ONE_AND_TWO},
    "mobilenet_v3_small": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT,
                           "test_dims": ONE},
    "squeezenet1_1": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT,
                      "test_dims": ONE_AND_TWO},
    "efficientnet_b0": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT, "test_dims": ONE},
    "densenet121": {"family": "cnn", "inputs": [IMAGE], "outputs": CNN_OUT, "test_dims": ONE},
    "transformer_encoder": {
        "family": "transformer",
        "inputs": [
            {"name": "src", "dtype": "float32", "shape": ["batch", "seq", D_MODEL],
             "fill": "normal"},
            {"name": "src_key_padding_mask", "dtype": "bool", "shape": ["batch", "seq"],
             "fill": "key_padding_mask"},
        ],
        "outputs": [{"name": "output", "shape": ["batch", "seq", D_MODEL]}],
        "test_dims": SEQ_DIMS,
    },
    "bert_block": {
        "family": "transformer",
        "inputs": [
            {"name": "input_ids", "dtype": "int64", "shape": ["batch", "seq"],
             "fill": "token_ids", "high": VOCAB},
            {"name": "attention_mask", "dtype": "int64", "shape": ["batch", "seq"],
             "fill": "attention_mask"},
        ],
        "outputs": [{"name": "last_hidden_state", "shape": ["batch", "seq", D_MODEL]},
                    {"name": "pooler_output", "shape": ["batch", D_MODEL]}],
        "test_dims": SEQ_DIMS,
    },
    "lstm": {
        "family": "rnn",
        "inputs": [{"name": "input", "dtype": "float32", "shape": ["batch", "seq", 32],
                    "fill": "normal"}],
        "outputs": [{"name": "output", "shape": ["batch", "seq", 10]},
                    {"name": "h_n", "shape": [4, "batch", 64]}],
        "test_dims": SEQ_DIMS,
    },
    "gru": {
        "family": "rnn",
        "inputs": [{"name": "input", "dtype": "float32", "shape": ["batch", "seq", 32],
                    "fill": "normal"}],
        "outputs": [{"name": "output", "shape": ["batch", "seq", 10]},
                    {"name": "h_n", "shape": [2, "batch", 64]}],
        "test_dims": SEQ_DIMS,
    },
}


def script_hash():
    """What a cached export depends on: this file and the torch versions."""
    import torch
    import torchvision
    digest = hashlib.sha256(pathlib.Path(__file__).read_bytes())
    digest.update(f"torch {torch.__version__} torchvision {torchvision.__version__}".encode())
    return digest.hexdigest()[:16]


# --- model builders (torch imported lazily: see the module docstring) ---------------------------

def perturb_norms(model):
    """Non-trivial BatchNorm statistics and LayerNorm affine parameters, so
    normalisation is really tested (fresh ones are the identity)."""
    from torch import nn
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.1, 0.1)
        elif isinstance(m, nn.LayerNorm):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.1, 0.1)


def scale_head(model, sample, target_std=4.0):
    """Rescales the last Conv/Linear layer so the first output has std
    target_std on the sample. Random torchvision heads give tiny logits (max
    0.01 for MobileNetV3), and a tolerance of 1e-4 * max(1, |output|) would
    then check almost nothing."""
    import torch
    from torch import nn
    head = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))][-1]
    model.eval()
    with torch.no_grad():
        out = model(*sample)
        std = float((out[0] if isinstance(out, tuple) else out).std())
        head.weight.mul_(target_std / std)
        head.bias.mul_(target_std / std)


def build_cnn(name):
    import torch
    import torchvision
    model = getattr(torchvision.models, name)(weights=None)
    perturb_norms(model)
    sample = (torch.rand(1, 3, 224, 224),)
    scale_head(model, sample)
    return model, sample


def build_transformer_encoder(_name):
    import torch
    from torch import nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            layer = nn.TransformerEncoderLayer(D_MODEL, nhead=4, dim_feedforward=512, dropout=0.0,
                                               activation="gelu", batch_first=True)
            # No nested tensors: they are a CPU/CUDA fast path, not exportable.
            self.encoder = nn.TransformerEncoder(layer, num_layers=4, enable_nested_tensor=False)

        def forward(self, src, src_key_padding_mask):
            return self.encoder(src, src_key_padding_mask=src_key_padding_mask)

    model = Encoder()
    # TransformerEncoder deep-copies one layer: give each its own weights.
    for m in model.modules():
        if isinstance(m, nn.MultiheadAttention):
            m._reset_parameters()  # in_proj_weight; its out_proj is a Linear, reset below
        elif isinstance(m, nn.Linear):
            m.reset_parameters()
    perturb_norms(model)
    mask = torch.zeros(2, 5, dtype=torch.bool)
    mask[1, 3:] = True
    return model, (torch.randn(2, 5, D_MODEL), mask)


def build_bert_block(_name):
    """A small BERT: token and position embeddings (Gather), LayerNorm, two
    layers of self-attention written out (MatMul, Softmax, heads by
    Reshape/Transpose of run-time shapes), an additive mask made from the int64
    attention_mask, GELU through Erf, and a Tanh pooler on the first token."""
    import torch
    from torch import nn

    heads, inter, layers, max_pos = 4, 512, 2, 128
    head_dim = D_MODEL // heads

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = nn.Linear(D_MODEL, D_MODEL)
            self.k = nn.Linear(D_MODEL, D_MODEL)
            self.v = nn.Linear(D_MODEL, D_MODEL)
            self.out = nn.Linear(D_MODEL, D_MODEL)
            self.ln1 = nn.LayerNorm(D_MODEL, eps=1e-12)
            self.ff1 = nn.Linear(D_MODEL, inter)
            self.ff2 = nn.Linear(inter, D_MODEL)
            self.gelu = nn.GELU()  # exact: exports Erf
            self.ln2 = nn.LayerNorm(D_MODEL, eps=1e-12)

        def heads(self, x):
            b, s, _ = x.shape
            return x.view(b, s, heads, head_dim).transpose(1, 2)

        def forward(self, x, add_mask):
            q, k, v = self.heads(self.q(x)), self.heads(self.k(x)), self.heads(self.v(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(head_dim) + add_mask
            ctx = torch.matmul(torch.softmax(scores, dim=-1), v)
            b, _, s, _ = ctx.shape
            ctx = ctx.transpose(1, 2).reshape(b, s, D_MODEL)
            x = self.ln1(x + self.out(ctx))
            return self.ln2(x + self.ff2(self.gelu(self.ff1(x))))

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(VOCAB, D_MODEL)
            self.positions = nn.Embedding(max_pos, D_MODEL)
            self.register_buffer("position_ids", torch.arange(max_pos).unsqueeze(0))
            self.ln = nn.LayerNorm(D_MODEL, eps=1e-12)
            self.layers = nn.ModuleList(Layer() for _ in range(layers))
            self.pool = nn.Linear(D_MODEL, D_MODEL)

        def forward(self, input_ids, attention_mask):
            seq = input_ids.shape[1]
            x = self.tokens(input_ids) + self.positions(self.position_ids[:, :seq])
            x = self.ln(x)
            # [batch, 1, 1, seq]: 0 where attended, -10000 at padding.
            add_mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
            for layer in self.layers:
                x = layer(x, add_mask)
            return x, torch.tanh(self.pool(x[:, 0]))

    model = Bert()
    perturb_norms(model)
    ids = torch.randint(0, VOCAB, (2, 5))
    mask = torch.ones(2, 5, dtype=torch.int64)
    mask[1, 3:] = 0
    return model, (ids, mask)


def build_rnn(name):
    import torch
    from torch import nn

    class Rnn(nn.Module):
        def __init__(self):
            super().__init__()
            if name == "lstm":  # the bidirectional one
                self.rnn = nn.LSTM(32, 64, num_layers=2, batch_first=True, bidirectional=True)
            else:
                self.rnn = nn.GRU(32, 64, num_layers=2, batch_first=True)
            self.head = nn.Linear(64 * (2 if self.rnn.bidirectional else 1), 10)

        def forward(self, x):
            y, state = self.rnn(x)
            h_n = state[0] if isinstance(state, tuple) else state
            return self.head(y), h_n

    model, sample = Rnn(), (torch.randn(2, 5, 32),)
    scale_head(model, sample)
    return model, sample


BUILDERS = {"cnn": build_cnn, "transformer": build_transformer_encoder, "rnn": build_rnn}


def builder(name):
    if name == "bert_block":
        return build_bert_block
    return BUILDERS[ZOO[name]["family"]]


# --- export -----------------------------------------------------------------------------------

def dynamic_axes(spec):
    axes = {}
    for io in spec["inputs"] + spec["outputs"]:
        named = {i: d for i, d in enumerate(io["shape"]) if isinstance(d, str)}
        if named:
            axes[io["name"]] = named
    return axes


def export_one(name, path):
    import torch
    spec = ZOO[name]
    torch.manual_seed(zlib.crc32(name.encode()))
    model, sample = builder(name)(name)
    model.eval()
    # Left on purpose: no torch.no_grad(). With grad enabled and weights that
    # require it, torch 1.13 keeps nn.TransformerEncoderLayer off its fused
    # fast path (torch._transformer_encoder_layer_fwd), which does not export;
    # the regular path exports plain ONNX ops. (torch.backends.mha does not
    # exist in 1.13.)
    assert torch.is_grad_enabled()
    torch.onnx.export(
        model,
        sample,
        str(path),
        input_names=[i["name"] for i in spec["inputs"]],
        output_names=[o["name"] for o in spec["outputs"]],
        dynamic_axes=dynamic_axes(spec),
        opset_version=OPSET,
        do_constant_folding=True,
        training=torch.onnx.TrainingMode.EVAL,
    )


def load_manifest(out):
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {"models": {}}


def save_manifest(out, manifest):
    # Atomic, so a killed export never leaves half a manifest.
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".manifest.")
    with os.fdopen(fd, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.replace(tmp, out / MANIFEST)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="model_zoo", help="output folder (made if missing)")
    parser.add_argument("--only", nargs="+", choices=sorted(ZOO), metavar="NAME",
                        help=f"export only these ({', '.join(ZOO)})")
    parser.add_argument("--force", action="store_true", help="export even if cached")
    parser.add_argument("--list", action="store_true", help="print the model names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(ZOO))
        return 0

    import torch
    import warnings
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    warnings.filterwarnings("ignore")  # the exporter's notes on RNN batch sizes and the like

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    digest = script_hash()
    manifest = load_manifest(out)
    manifest.update(opset=OPSET, tolerance=TOLERANCE, torch=torch.__version__)
    manifest.setdefault("models", {})
    manifest.setdefault("errors", {})
    failed = []
    for name in args.only or ZOO:
        path = out / f"{name}.onnx"
        entry = manifest["models"].get(name)
        if not args.force and entry and entry.get("hash") == digest and path.is_file():
            print(f"{name}: cached", flush=True)
            continue
        manifest["models"].pop(name, None)
        start = time.monotonic()
        tmp = out / f".{name}.onnx.tmp"
        try:
            export_one(name, tmp)
            os.replace(tmp, path)
        except Exception:  # one model's export failing must not stop the others
            tmp.unlink(missing_ok=True)
            manifest["errors"][name] = traceback.format_exc(limit=3)
            save_manifest(out, manifest)
            print(f"{name}: export FAILED\n{manifest['errors'][name]}", file=sys.stderr, flush=True)
            failed.append(name)
            continue
        manifest["errors"].pop(name, None)
        manifest["models"][name] = {
            "name": name, "file": path.name, "hash": digest, "tolerance": TOLERANCE,
            **ZOO[name],
        }
        save_manifest(out, manifest)
        size = path.stat().st_size / 2**20
        print(f"{name}: wrote {path} ({size:.1f} MiB, {time.monotonic() - start:.1f} s)",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
