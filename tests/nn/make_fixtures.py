#!/usr/bin/python3
"""Small PyTorch models covering every cqtcnn layer kind and option, exported with their
PyTorch (eval mode) outputs as test vectors into tests/data/nn/. tests/nn/fixtures_test.cpp
checks that the C++ engine reproduces those outputs to 1e-5 (recurrent ones included, so that
CI without torch still checks the gru against PyTorch).

    PYTHONPATH=tools /usr/bin/python3 tests/nn/make_fixtures.py     # rewrites tests/data/nn/*.json
"""
import os

import torch
from torch import nn

from cqtcnn_train.export import export
from cqtcnn_train.layers import GRULayer, MapToSequence, SequenceToMap, TimePool

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "nn")


def randomize_batch_norm(module, gen):
    """Non-trivial running statistics, so that folding batch norm is actually tested."""
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.5)
            m.running_var.copy_(torch.rand(n, generator=gen) * 2 + 0.2)
            if m.affine:
                m.weight.data.copy_(torch.randn(n, generator=gen))
                m.bias.data.copy_(torch.randn(n, generator=gen))


def models():
    """name -> (module, input shape). Each exercises a set of layer options."""
    return {
        # conv + relu + max pool + dense + softmax: the common path, with softmax output.
        "basic": (nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(4 * 4 * 5, 3), nn.Softmax(dim=1)), (1, 8, 10)),
        # strides, dilation, asymmetric kernels, groups, depthwise, "same", no bias, all activations.
        "conv_options": (nn.Sequential(
            nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)), nn.LeakyReLU(0.1),
            nn.Conv2d(4, 6, 3, groups=2, padding="same", bias=False), nn.ELU(0.7),
            nn.Conv2d(6, 6, 3, groups=6, padding=2, dilation=2), nn.Tanh(),
            nn.Conv2d(6, 3, 1), nn.Sigmoid(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(3, 4)), (2, 11, 9)),
        # pool options: padding, ceil_mode (incl. PyTorch's last-window rule), count_include_pad, dilation.
        "pools": (nn.Sequential(
            nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
            nn.AvgPool2d(2, stride=2, padding=1, ceil_mode=True, count_include_pad=True),
            nn.AvgPool2d((3, 2), stride=(1, 2), padding=(1, 1), ceil_mode=True, count_include_pad=False),
            nn.MaxPool2d(2, stride=1, dilation=2),
            nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(3, 2)), (3, 13, 14)),
        # batch norm after conv and dense (folded) and after an activation (applied), dropout.
        "batch_norm": (nn.Sequential(
            nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.BatchNorm2d(4),
            nn.Conv2d(4, 4, 3, stride=2, bias=False), nn.BatchNorm2d(4, affine=False),
            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 2 * 2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(8, 5)), (1, 12, 12)),
        # global average pooling path with nested Sequential.
        "global_pool": (nn.Sequential(
            nn.Sequential(nn.Conv2d(1, 5, 3, padding=1), nn.ReLU()),
            nn.Conv2d(5, 5, (1, 3), padding=(0, 1)), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(5, 3)),
            (1, 6, 7)),
        # CRNN: conv, pool along frequency only, the map as a sequence over its 9 frames, a gru's
        # final state, dense.
        "crnn_last": (nn.Sequential(
            nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)), MapToSequence(),
            GRULayer(3 * 4, 6, returns="last"), nn.Linear(6, 3)), (1, 8, 9)),
        # two stacked bidirectional layers: their final states, and their sequence pooled by mean.
        "crnn_bidirectional": (nn.Sequential(
            nn.Conv2d(1, 2, 3, padding=1), nn.Tanh(), MapToSequence(),
            GRULayer(2 * 5, 5, num_layers=2, bidirectional=True, returns="last"), nn.Linear(10, 4)), (1, 5, 11)),
        "crnn_time_pools": (nn.Sequential(
            MapToSequence(), GRULayer(2 * 3, 4, num_layers=2, bidirectional=True, returns="sequence"),
            TimePool("mean"), nn.Linear(8, 3), nn.Softmax(dim=1)), (2, 3, 12)),
        # no bias; the sequence back into a map for a convolution; max and last over time.
        "crnn_options": (nn.Sequential(
            nn.Conv2d(2, 2, 3, padding=1), MapToSequence(),
            GRULayer(2 * 6, 4, bidirectional=True, bias=False, returns="sequence"), SequenceToMap(2),
            nn.Conv2d(2, 2, 3, padding=1), nn.ReLU(), MapToSequence(), TimePool("max"), nn.Linear(2 * 4, 3)),
            (2, 6, 7)),
        "gru_last_step": (nn.Sequential(
            MapToSequence(), GRULayer(4, 5, bidirectional=True, returns="sequence"), TimePool("last"),
            nn.Linear(10, 2)), (1, 4, 10)),
        # a network whose output is a sequence: softmax over each step's features.
        "gru_sequence_out": (nn.Sequential(
            MapToSequence(), GRULayer(6, 3, returns="sequence"), nn.Softmax(dim=2)), (2, 3, 4)),
        # max pools whose windows lie inside the input, strided along W or not (2x1: a CRNN's).
        "pools_inside": (nn.Sequential(
            nn.MaxPool2d((3, 2), stride=(2, 2)), nn.MaxPool2d((2, 1)), nn.MaxPool2d((1, 3), stride=1),
            nn.Flatten(), nn.Linear(2 * 2 * 3, 2)), (2, 11, 10)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    for name, (module, shape) in models().items():
        randomize_batch_norm(module, gen)
        module.eval()
        with torch.no_grad():
            outputs = module(torch.zeros((1,) + shape))[0].numel()
        path = os.path.join(OUT, name + ".json")
        export(module, path, shape, [f"c{i}" for i in range(outputs)],
               metadata={"name": name, "description": "test fixture made by tests/nn/make_fixtures.py",
                         "licence": "CC0-1.0"},
               test_vectors=2, tolerance=1e-5, seed=len(name))
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
