#!/usr/bin/python3
"""tools/train.py's pack_ensemble: the packed network's logits equal the mean of its members'
logits, and the C++ engine runs the packed model (grouped convolutions, the dense-as-convolution)
as PyTorch does: `cqtcnn inspect` checks the test vectors PyTorch wrote.

  pack_ensemble_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import os
import subprocess
import tempfile

import tool_harness
from tool_harness import check, cqtcnn

tool_harness.need_torch()
import torch  # noqa: E402

from cqtcnn_train import network  # noqa: E402
from cqtcnn_train.export import export  # noqa: E402


def member(seed, height, width, classes, channels, dense):
    torch.manual_seed(seed)
    m = network.build_network(height, width, classes, channels, dense, 0.3)
    with torch.no_grad():  # batch norms with statistics of their own, as after training
        for layer in m:
            if isinstance(layer, torch.nn.BatchNorm2d):
                layer.running_mean.uniform_(-1, 1)
                layer.running_var.uniform_(0.5, 2)
                layer.weight.uniform_(0.5, 1.5)
                layer.bias.uniform_(-0.5, 0.5)
    return m.eval()


with tempfile.TemporaryDirectory() as work:
    # Odd sizes: pools floor 67 -> 33 -> 16 and 50 -> 25 -> 12, so the last map is not square.
    for k, (height, width), channels, dense in ((3, (70, 64), [8, 16, 24, 32], 32),
                                               (2, (67, 50), [5, 7], 9), (1, (20, 16), [4], 6)):
        members = [member(10 * k + i, height, width, 7, channels, dense) for i in range(k)]
        packed = network.pack_ensemble(members, (1, height, width))
        x = torch.randn(16, 1, height, width, generator=torch.Generator().manual_seed(k))
        with torch.no_grad():
            want = torch.stack([m(x) for m in members]).mean(0)
            got = packed(x)
        error = float((got - want).abs().max())
        convs = [m for m in packed if isinstance(m, torch.nn.Conv2d)]
        ok = error < 1e-5 and (k == 1 or all(c.groups == (1 if i == 0 else k) for i, c in enumerate(convs)))
        path = os.path.join(work, f"packed{k}.json")
        export(packed, path, (1, height, width), [str(i) for i in range(7)])
        run = subprocess.run([cqtcnn, "inspect", path], capture_output=True, text=True)
        verified = run.returncode == 0 and "0 failed" in run.stdout
        check(f"K={k} {height}x{width}: the packed network gives the members' mean, grouped", ok,
              f"(max |packed - mean of members| = {error:.2e})")
        check(f"K={k} {height}x{width}: cqtcnn inspect checks the test vectors", verified,
              "" if verified else run.stdout + run.stderr)
tool_harness.finish()
