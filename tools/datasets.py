#!/usr/bin/env python3
"""Labelled file lists (CSV: path,label) for the shipped models' datasets and their splits.

  tools/datasets.py fsdd ../shared/data/fsdd OUT_DIR
      train.csv / test.csv: the dataset's official split (recordings 0-4 of every digit and
      speaker are the test set), and loso_<speaker>_{train,test}.csv for leave-one-speaker-out.
  tools/datasets.py instruments ../shared/data/instruments OUT_DIR
      train.csv / test.csv split by pitch: every instrument's test notes are at pitches (MIDI
      notes) that none of its training notes has.
"""
import csv
import os
import re
import sys


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "label"])
        w.writerows(rows)


def fsdd(root, out):
    rows = []
    for name in sorted(os.listdir(root)):
        m = re.fullmatch(r"(\d)_([a-z]+)_(\d+)\.wav", name)
        if m:
            rows.append((os.path.join(root, name), m.group(1), m.group(2), int(m.group(3))))
    write(os.path.join(out, "train.csv"), [(p, d) for p, d, s, i in rows if i >= 5])
    write(os.path.join(out, "test.csv"), [(p, d) for p, d, s, i in rows if i < 5])
    for speaker in sorted({s for _, _, s, _ in rows}):
        write(os.path.join(out, f"loso_{speaker}_train.csv"), [(p, d) for p, d, s, _ in rows if s != speaker])
        write(os.path.join(out, f"loso_{speaker}_test.csv"), [(p, d) for p, d, s, _ in rows if s == speaker])
    print(f"fsdd: {len(rows)} files -> {out}")


def instruments(root, out):
    """Every third distinct pitch of each instrument goes to the test set (offset 1, so the
    lowest and highest notes stay in training and the test pitches lie inside the trained range)."""
    by_class = {}
    with open(os.path.join(root, "labels.csv")) as f:
        for r in csv.DictReader(f):
            by_class.setdefault(r["class"], []).append((os.path.join(root, r["path"]), int(r["midi_note"])))
    train, test = [], []
    for label, notes in sorted(by_class.items()):
        pitches = sorted({n for _, n in notes})
        test_pitches = set(pitches[1:-1:3])
        for path, note in notes:
            (test if note in test_pitches else train).append((path, label))
    write(os.path.join(out, "train.csv"), train)
    write(os.path.join(out, "test.csv"), test)
    print(f"instruments: {len(train)} train, {len(test)} test notes -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("fsdd", "instruments"):
        sys.exit(__doc__)
    os.makedirs(sys.argv[3], exist_ok=True)
    {"fsdd": fsdd, "instruments": instruments}[sys.argv[1]](sys.argv[2], sys.argv[3])
