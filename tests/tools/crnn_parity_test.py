#!/usr/bin/python3
"""Random CRNNs built in PyTorch (conv front part, MapToSequence, GRULayer, TimePool or the
gru's final state, dense), exported by cqtcnn_train.export and run by the C++ engine: uni-
and bidirectional, 1 and 2 layers, hidden 8 to 128, sequences of 1 to 500 steps, batch 1 (the
exported test vectors, checked by `cqtcnn inspect`) and 16 (`cqtcnn predict --logits`
against PyTorch's logits). Every max |logit difference| must be <= 1e-5.

  crnn_parity_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import os
import random
import re
import subprocess
import tempfile

import tool_harness
from tool_harness import check, cqtcnn

tool_harness.need_torch()
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from cqtcnn_train.export import export  # noqa: E402
from cqtcnn_train.layers import GRULayer, MapToSequence, TimePool  # noqa: E402

TOLERANCE = 1e-5
CLASSES = 5


def crnn(rng, directions, layers, hidden, height, returns, pool):
    channels = rng.randint(2, 4)
    net = [nn.Conv2d(1, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.ReLU(), nn.MaxPool2d((2, 1)),
           MapToSequence(),
           GRULayer(channels * (height // 2), hidden, num_layers=layers, bidirectional=directions == 2,
                    returns=returns)]
    if returns == "sequence":
        net.append(TimePool(pool))
    net.append(nn.Linear(directions * hidden, CLASSES))
    net = nn.Sequential(*net)
    with torch.no_grad():  # batch norm statistics of its own, as after training
        bn = net[1]
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
    return net.eval()


def cases():
    """(directions, layers, hidden, steps): every direction/layer combination with the extremes
    of hidden size and length, and one random pair."""
    rng = random.Random(15)
    for directions in (1, 2):
        for layers in (1, 2):
            for hidden, steps in ((8, 500), (128, 1), (128, 500), (rng.randint(8, 128), rng.randint(2, 499))):
                yield directions, layers, hidden, steps


def inspect_errors(model):
    run = subprocess.run([cqtcnn, "inspect", model], capture_output=True, text=True)
    errors = [float(e) for e in re.findall(r"max abs error (\S+)", run.stdout)]
    return run.returncode == 0 and "0 failed" in run.stdout and errors, errors, run.stderr


def main():
    torch.manual_seed(15)
    rng = random.Random(1)
    worst = 0.0
    with tempfile.TemporaryDirectory() as work:
        for k, (directions, layers, hidden, steps) in enumerate(cases()):
            returns = ("last", "sequence")[k % 2]
            pool = ("mean", "max", "last")[k % 3]
            height = rng.choice((6, 8, 10))
            net = crnn(rng, directions, layers, hidden, height, returns, pool)
            shape = (1, height, steps)
            path = os.path.join(work, f"crnn{k}.json")
            export(net, path, shape, [f"c{i}" for i in range(CLASSES)], test_vectors=1, tolerance=TOLERANCE, seed=k)
            verified, vector_errors, stderr = inspect_errors(path)
            # A batch of 16 through `cqtcnn predict --logits`.
            x = torch.randn((16,) + shape, generator=torch.Generator().manual_seed(k))
            with torch.no_grad():
                want = net(x).numpy()
            np.save(os.path.join(work, "x.npy"), x.numpy())
            run = subprocess.run([cqtcnn, "predict", "-m", path, "-i", os.path.join(work, "x.npy"), "-o",
                                  os.path.join(work, "y.npy"), "--logits"], capture_output=True, text=True)
            batch_error = float("inf")
            if run.returncode == 0:
                batch_error = float(np.abs(np.load(os.path.join(work, "y.npy")) - want).max())
            error = max(vector_errors + [batch_error])
            ok = bool(verified) and batch_error <= TOLERANCE
            worst = max(worst, error)
            what = (f"{'bi ' if directions == 2 else 'uni'} layers {layers} hidden {hidden:3} steps {steps:3} "
                    f"{returns:8} {pool if returns == 'sequence' else '':4}")
            check(what, ok, f"max |logit difference| batch 1 {max(vector_errors or [float('inf')]):.2e}, "
                            f"batch 16 {batch_error:.2e}" + ("" if ok else " " + stderr + run.stderr))
    print(f"worst over all cases: {worst:.2e} (tolerance {TOLERANCE:g})")


if __name__ == "__main__":
    main()
    tool_harness.finish()
