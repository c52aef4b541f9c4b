#!/usr/bin/python3
"""tools/train.py's feature-domain augmentation, batched with tensor ops, against naive
per-example loops written here: frequency_shift moves each example by its own shift with the
vacated bins set to the padding value, and spec_augment silences exactly one band and one stretch
of at most the given sizes per example, leaving every other cell as it was; crop_note keeps a
note's start and fades its end.

  train_augment_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import tool_harness
from tool_harness import check

tool_harness.need_torch()
import torch  # noqa: E402

from cqtcnn_train import augment  # noqa: E402

PAD = -7.5


def naive_shift(x, shifts):
    out = torch.full_like(x, PAD)
    height = x.shape[2]
    for i, s in enumerate(shifts):
        for h in range(height):
            if 0 <= h - s < height:
                out[i, :, h, :] = x[i, :, h - s, :]
    return out


torch.manual_seed(1)
x = torch.randn(64, 2, 12, 9)
for max_bins in (1, 3, 11, 15):
    # The shifts the batched version drew, recovered from a probe whose bin h holds h.
    probe = torch.arange(12, dtype=torch.float32)[None, None, :, None].expand(64, 2, 12, 9).contiguous()
    shifted = augment.frequency_shift(probe, max_bins, PAD, torch.Generator().manual_seed(max_bins))
    shifts = []
    for i in range(64):
        row = shifted[i, 0, :, 0]
        kept = (row != PAD).nonzero().flatten()
        shifts.append(int(kept[0] - row[kept[0]]) if len(kept) else 99)
    check(f"max_bins {max_bins}: shifts within range", all(-max_bins <= s <= max_bins or s == 99 for s in shifts))
    check(f"max_bins {max_bins}: several shifts drawn", len(set(shifts)) > 1)
    got = augment.frequency_shift(x, max_bins, PAD, torch.Generator().manual_seed(max_bins))
    want = naive_shift(x, [s if s != 99 else 12 for s in shifts])
    check(f"max_bins {max_bins}: equals the per-example loop", torch.equal(got, want))
check("max_bins 0 returns the input", augment.frequency_shift(x, 0, PAD, torch.Generator()) is x)

for max_bins, max_frames in ((4, 0), (0, 3), (5, 4), (12, 9)):
    got = augment.spec_augment(x, max_bins, max_frames, PAD, torch.Generator().manual_seed(7))
    for i in range(64):
        changed = got[i] != x[i]
        check("only padding written", bool((got[i][changed] == PAD).all()))
        # Each masked cell lies in a masked band (all frames) or a masked stretch (all bins).
        masked = got[i, 0] == PAD
        rows = masked.all(dim=1).nonzero().flatten().tolist()
        cols = masked.all(dim=0).nonzero().flatten().tolist()
        if max_bins < 12 and max_frames < 9:
            check(f"({max_bins},{max_frames}) example {i}: band of at most {max_bins} consecutive bins",
                  len(rows) <= max_bins and (not rows or rows == list(range(rows[0], rows[-1] + 1))))
            check(f"({max_bins},{max_frames}) example {i}: stretch of at most {max_frames} consecutive frames",
                  len(cols) <= max_frames and (not cols or cols == list(range(cols[0], cols[-1] + 1))))
        rebuilt = x[i, 0].clone()
        rebuilt[rows, :] = PAD
        rebuilt[:, cols] = PAD
        check(f"({max_bins},{max_frames}) example {i}: nothing masked outside the band and stretch",
              torch.equal(rebuilt, got[i, 0]) and torch.equal(masked, got[i, 1] == PAD))
    sizes = {int((got[i, 0] == PAD).all(dim=1).sum()) for i in range(64)}
    if max_bins and max_bins < 12:
        check(f"({max_bins},{max_frames}): band sizes vary from 0 to {max_bins}", sizes == set(range(max_bins + 1)))

# crop_note: the first `seconds` of a note, the last 50 ms faded linearly to zero; a shorter note
# unchanged.
import numpy as np  # noqa: E402
note = np.ones(1000, np.float32)
cropped = augment.crop_note(note, 100, 2.0)  # 100 samples per second: 200 samples, a 5-sample fade
check("crop_note: length", len(cropped) == 200, f"{len(cropped)}")
check("crop_note: untouched before the fade", bool((cropped[:195] == 1).all()))
check("crop_note: linear fade to zero", np.allclose(cropped[195:], [1, 0.75, 0.5, 0.25, 0]))
check("crop_note: a shorter note is kept whole", np.array_equal(augment.crop_note(note[:150], 100, 2.0), note[:150]))

tool_harness.finish()
