#!/usr/bin/env python3
"""Labelled file lists (CSV: path,label) for the shipped models' datasets and their splits.

  tools/datasets.py fsdd ../shared/data/fsdd OUT_DIR
      train.csv / test.csv: the dataset's official split (recordings 0-4 of every digit and
      speaker are the test set); all.csv: every file with its speaker, for tools/crossval.py
      --by speaker.
  tools/datasets.py instruments ../shared/data/instruments OUT_DIR [SYNTH_DIR ...]
      train.csv / test.csv split by pitch: every instrument's test notes are at pitches (MIDI
      notes) that none of its training notes has. Each SYNTH_DIR (tools/synth_instruments.py's
      output) adds all its notes to train.csv. all.csv: every note with its source (imis, or
      the soundfont's name) and group, for tools/crossval.py --by source.
  tools/datasets.py sample IN.csv N OUT.csv
      N rows of IN.csv (all its columns), the same number of each label, chosen with seed 0:
      a smaller training set of synthetic files.
"""
import csv
import os
import random
import re
import sys


def write(path, rows, header=("path", "label")):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def fsdd(root, out):
    root = os.path.abspath(root)
    rows = []
    for name in sorted(os.listdir(root)):
        m = re.fullmatch(r"(\d)_([a-z]+)_(\d+)\.wav", name)
        if m:
            rows.append((os.path.join(root, name), m.group(1), m.group(2), int(m.group(3))))
    write(os.path.join(out, "train.csv"), [(p, d) for p, d, s, i in rows if i >= 5])
    write(os.path.join(out, "test.csv"), [(p, d) for p, d, s, i in rows if i < 5])
    write(os.path.join(out, "all.csv"), [(p, d, s) for p, d, s, _ in rows], ("path", "label", "speaker"))
    print(f"fsdd: {len(rows)} files -> {out}")


def instruments(root, out, synth_dirs):
    """Every third distinct pitch of each instrument goes to the test set (offset 1, so the
    lowest and highest notes stay in training and the test pitches lie inside the trained range)."""
    root = os.path.abspath(root)
    from synth_instruments import GROUP_OF
    by_class = {}
    with open(os.path.join(root, "labels.csv")) as f:
        for r in csv.DictReader(f):
            by_class.setdefault(r["class"], []).append((os.path.join(root, r["path"]), int(r["midi_note"])))
    train, test, everything = [], [], []
    for label, notes in sorted(by_class.items()):
        pitches = sorted({n for _, n in notes})
        test_pitches = set(pitches[1:-1:3])
        for path, note in notes:
            (test if note in test_pitches else train).append((path, label))
            everything.append((path, label, GROUP_OF[label], "imis"))
    for folder in synth_dirs:
        with open(os.path.join(folder, "labels.csv")) as f:
            for r in csv.DictReader(f):
                path = os.path.abspath(os.path.join(folder, r["path"]))
                train.append((path, r["label"]))
                everything.append((path, r["label"], r["group"], r["source"]))
    write(os.path.join(out, "train.csv"), train)
    write(os.path.join(out, "test.csv"), test)
    write(os.path.join(out, "all.csv"), everything, ("path", "label", "group", "source"))
    print(f"instruments: {len(train)} train, {len(test)} test notes -> {out}")


def sample(source, n, out):
    with open(source, newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    by_label = {}
    for r in rows:
        by_label.setdefault(r["label"], []).append(r)
    rng, picked = random.Random(0), []
    for label in sorted(by_label):
        picked += rng.sample(by_label[label], min(len(by_label[label]), n // len(by_label)))
    base = os.path.dirname(os.path.abspath(source))
    write(out, [[os.path.join(base, r["path"]) if c == "path" else r[c] for c in header] for r in picked], header)
    print(f"sample: {len(picked)} of {len(rows)} rows -> {out}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "sample":
        sample(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        sys.exit()
    if len(sys.argv) < 4 or sys.argv[1] not in ("fsdd", "instruments") or (sys.argv[1] == "fsdd" and len(sys.argv) > 4):
        sys.exit(__doc__)
    os.makedirs(sys.argv[3], exist_ok=True)
    if sys.argv[1] == "fsdd":
        fsdd(sys.argv[2], sys.argv[3])
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        instruments(sys.argv[2], sys.argv[3], sys.argv[4:])
