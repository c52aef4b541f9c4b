#!/usr/bin/python3
"""tools/train.py's choice of epoch on a small data set (issue: a validation split of 8 files
reaches 100% at epoch 2 and training kept that under-trained epoch). On a toy task whose eight
validation files are all right after an epoch or two, train_member must keep training past that
epoch and return a later one whose validation loss is lower; it must not stop early before
--min-epochs; and among epochs of equal accuracy the chosen one has the lowest validation loss.

  train_epoch_choice_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import argparse
import contextlib
import io
import re

import tool_harness
from tool_harness import check

tool_harness.need_torch()
import numpy as np  # noqa: E402
import torch  # noqa: E402

from cqtcnn_train import fit  # noqa: E402

rng = np.random.default_rng(0)


def toy(n):
    """Two classes told apart by which of two bins is loud."""
    y = rng.integers(0, 2, n)
    x = rng.normal(0, 0.3, (n, 1, 8, 8)).astype(np.float32)
    x[np.arange(n), 0, 2 + 3 * y, :] += 2
    return x, y


x_fit, y_fit = toy(64)
x_val, y_val = toy(8)
torch.set_num_threads(1)
args = argparse.Namespace(channels="4", dense=8, dropout=0.0, arch="cnn", gru_hidden=8, lr=3e-3, epochs=20,
                          patience=3, min_epochs=12, batch=16, pitch_shift=0, colour=0.0, freq_mask=0, time_mask=0,
                          mixup=0.0)
log = io.StringIO()
with contextlib.redirect_stdout(log):
    model, accuracy, epoch = fit.train_member(args, 0, 8, 8, 2, torch.from_numpy(x_fit), torch.from_numpy(y_fit).long(),
                                              -2.0, 40.0, (x_val, np.arange(8), y_val))
epochs = [(int(e), float(a), float(l)) for e, a, l in
          re.findall(r"epoch +(\d+) .*validation accuracy ([\d.]+)  validation loss ([\d.]+)", log.getvalue())]
first_perfect = next((e for e, a, _ in epochs if a == 1.0), None)
check("the toy task's validation files are all right early", first_perfect is not None and first_perfect <= 4,
      f"(first at epoch {first_perfect})")
check("trained at least --min-epochs", len(epochs) >= 12, f"({len(epochs)} epochs)")
loss_of = {e: l for e, _, l in epochs}
check("the chosen epoch is later than the first perfect one", first_perfect is not None and epoch > first_perfect,
      f"(chose {epoch})")
check("its validation loss is lower", first_perfect is not None and loss_of[epoch] < loss_of[first_perfect],
      f"({loss_of.get(epoch)} against {loss_of.get(first_perfect)})")
best = min((l, e) for e, a, l in epochs if a == max(a for _, a, _ in epochs))
check("the chosen epoch has the lowest loss among the most accurate", best[1] == epoch, f"({best} against {epoch})")
check("the returned accuracy is the chosen epoch's", accuracy == 1.0, f"({accuracy})")
check("the returned weights are the chosen epoch's",
      abs(fit.validation_loss(model, (x_val, np.arange(8), y_val)) - loss_of[epoch]) < 1e-3)
tool_harness.finish()
