#!/usr/bin/python3
"""tools/train.py --balance: balance_weights gives each training set the same total weight, so an
epoch drawn with them takes about equal shares of a 30-window set and a 3,000-window one, and
balanced_accuracy is the mean of the sets' file accuracies (checked against a hand count).

  train_balance_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import tool_harness
from tool_harness import check

tool_harness.need_torch()
import numpy as np  # noqa: E402
import torch  # noqa: E402

from cqtcnn_train import fit  # noqa: E402

sets = np.array([0] * 3000 + [1] * 30 + [2] * 600)
w = fit.balance_weights(sets)
totals = [float(w[torch.from_numpy(sets == s)].sum()) for s in range(3)]
check("each set's weights sum to 1", np.allclose(totals, 1.0), f"{totals}")
drawn = torch.multinomial(w, len(sets), replacement=True, generator=torch.Generator().manual_seed(0)).numpy()
shares = np.bincount(sets[drawn], minlength=3) / len(drawn)
check("an epoch's draws take about a third from each set", np.all(np.abs(shares - 1 / 3) < 0.03), f"{shares}")


class Fixed(torch.nn.Module):
    """Logits that pick class `choice[i]` for window i."""
    def __init__(self, choice, classes):
        super().__init__()
        self.logits = torch.nn.functional.one_hot(torch.tensor(choice), classes).float() * 5

    def forward(self, x):
        return self.logits[x[:, 0, 0, 0].long()]


# Six files, two windows each; window i carries its index so Fixed can answer for it.
owner = np.repeat(np.arange(6), 2)
x = np.arange(12, dtype=np.float32).reshape(12, 1, 1, 1)
labels = np.array([0, 1, 2, 0, 1, 2])
choice = [0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 2, 2]  # predicted per file: 0, 1, 0, 0, 1, 2
set_of_files = np.array([0, 0, 0, 0, 1, 1])
# Right: files 0, 1, 3, 4, 5 (file 2 is a 2 heard as 0). Set 0 (files 0-3): 3/4; set 1: 2/2.
got = fit.balanced_accuracy(Fixed(choice, 3), x, owner, labels, set_of_files)
check("balanced accuracy is the mean of the sets' accuracies (3/4 and 2/2)", abs(got - 0.875) < 1e-9, f"({got})")
plain, _ = fit.file_accuracy(Fixed(choice, 3), x, owner, labels)
check("plain file accuracy counts files (5/6)", abs(plain - 5 / 6) < 1e-9, f"({plain})")
tool_harness.finish()
