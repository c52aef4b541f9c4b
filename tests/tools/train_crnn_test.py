#!/usr/bin/python3
"""tools/train.py --arch crnn: the network build_network makes (conv blocks pooling along frequency
only, a bidirectional GRU over the frames, the maximum over time, one dense layer) keeps one step
per frame, exports, and runs in the C++ engine as in PyTorch (`cqtcnn inspect` checks the test
vectors PyTorch wrote); train_member trains it on a toy task that needs the frames' order.

  train_crnn_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import argparse
import os
import subprocess
import tempfile

import tool_harness
from tool_harness import check, cqtcnn

tool_harness.need_torch()
import numpy as np  # noqa: E402
import torch  # noqa: E402

from cqtcnn_train import fit, network  # noqa: E402
from cqtcnn_train.export import export  # noqa: E402


torch.manual_seed(0)
model = network.build_network(70, 64, 10, [8, 16, 24, 32], 32, 0.3, arch="crnn", gru_hidden=64).eval()
gru = [m for m in model if m.__class__.__name__ == "GRULayer"][0].gru
check("GRU input is channels x bins after four 2x1 pools (32 x 4)", gru.input_size == 128, f"({gru.input_size})")
with torch.no_grad():
    out = model[:-4](torch.randn(3, 1, 70, 64))  # up to the GRU's input
check("one step per frame", tuple(out.shape) == (3, 64, 128), f"{tuple(out.shape)}")
with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "crnn.json")
    export(model, path, (1, 70, 64), [str(i) for i in range(10)])
    run = subprocess.run([cqtcnn, "inspect", path], capture_output=True, text=True)
    check("cqtcnn runs the exported CRNN as PyTorch does", run.returncode == 0 and "0 failed" in run.stdout,
          run.stdout[-300:] + run.stderr)

# A task a bag of frames cannot solve: class 0 rises (bin 2 then bin 5), class 1 falls (5 then 2).
rng = np.random.default_rng(0)
def toy(n):
    x = rng.normal(0, 0.3, (n, 1, 8, 12)).astype(np.float32)
    y = rng.integers(0, 2, n)
    for i in range(n):
        first, second = (2, 5) if y[i] == 0 else (5, 2)
        x[i, 0, first, 2:5] += 2
        x[i, 0, second, 7:10] += 2
    return x, y
x_fit, y_fit = toy(256)
x_val, y_val = toy(64)
args = argparse.Namespace(channels="4", dense=8, dropout=0.0, arch="crnn", gru_hidden=8, lr=1e-2, epochs=15,
                          patience=15, batch=32, pitch_shift=0, colour=0.0, freq_mask=0, time_mask=0, mixup=0.0)
torch.set_num_threads(1)
model, accuracy, _ = fit.train_member(args, 0, 8, 12, 2, torch.from_numpy(x_fit), torch.from_numpy(y_fit).long(),
                                        -2.0, 40.0, (x_val, np.arange(64), y_val))
check("a CRNN learns the order of events (validation accuracy >= 0.95)", accuracy >= 0.95, f"({accuracy:.3f})")
tool_harness.finish()
