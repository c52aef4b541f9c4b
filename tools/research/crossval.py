#!/usr/bin/python3
"""Leave-one-group-out cross-validation: how a model recipe fares on a speaker or a recording
source that training never saw, clean and under test conditions it never trained on.

  PYTHONPATH=tools /usr/bin/python3 tools/research/crossval.py --data ALL.csv --by speaker [--extra-train SYNTH.csv ...]
      [--conditions clean,room,pink20] [--seeds 0,10] [--folds a,b] [--record MODEL.json]
      [--cqtcnn build/cqtcnn] -- TRAIN.PY OPTIONS

ALL.csv has path and label columns and the grouping column named by --by (cqtcnn_train.datasets
writes one: `speaker` for FSDD, `source` for the instrument notes). Each value of that column is
left out in turn: cqtcnn_train.train (tools/train.py) trains on the other groups plus every --extra-train file
(synthetic data, which is never a test fold), and the fold's model classifies the left-out
group's files (`cqtcnn classify`), once per test condition:
- clean: the files as they are;
- room: through sox's reverb (reverberance 50%, room scale 100%, 0.5 s tail), a different room
  model from the simulated rooms of cqtcnn_train.audio_effects that the synthetic data went through;
- pink20: pink noise at 20 dB SNR (cqtcnn_train.audio_effects, seed fixed per file).
An optional `group` column (instrument pairs that one GM program stands for) adds a second score
that counts a prediction in the true label's group as right.

With several --seeds each fold trains once per seed, and the table reports the mean over seeds.
With --record, the figures and the options that produced them go into MODEL.json's metadata
(metrics.cross_validation), so a shipped model carries its own cross-validation.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

from cqtcnn_train import audio_effects as fx
from cqtcnn_train.cli import HelpFormatter, fail
from cqtcnn_train.data import find_cqtcnn, read_table
from cqtcnn_train.datasets import write

CONDITIONS = ("clean", "room", "pink20")


def degrade(rows, condition, work):
    """Copies of rows' files under a test condition; returns rows pointing at the copies."""
    if condition == "clean":
        return rows
    folder = os.path.join(work, condition)
    os.makedirs(folder, exist_ok=True)
    out = []
    for i, row in enumerate(rows):
        dest = os.path.join(folder, f"{i}.wav")
        if condition == "room":
            subprocess.run(["sox", row["path"], dest, "pad", "0", "0.5", "reverb", "50", "50", "100"],
                           check=True, stderr=subprocess.DEVNULL)
        else:
            y, rate = soundfile.read(row["path"], dtype="float64", always_2d=True)
            y = fx.add_noise(np.random.default_rng(i), y.mean(axis=1), 20.0, "pink")
            soundfile.write(dest, y / max(1.0, float(np.max(np.abs(y)))), rate, subtype="FLOAT")
        out.append(dict(row, path=dest))
    return out


def classify(cqtcnn, model, rows, work):
    """The model's top label for every row's file, in row order."""
    listing, result = os.path.join(work, "files.txt"), os.path.join(work, "predictions.csv")
    with open(listing, "w") as f:
        f.write("".join(r["path"] + "\n" for r in rows))
    subprocess.run([cqtcnn, "classify", "--model", model, "--files-from", listing, "-k", "1",
                    "--format", "csv", "-o", result], check=True)
    with open(result, newline="") as f:
        predicted = {r["path"]: r["label"] for r in csv.DictReader(f)}
    return [predicted.get(r["path"], "") for r in rows]


def scores(rows, predicted, groups):
    """(accuracy, accuracy counting a prediction in the true label's group as right)."""
    strict = np.mean([p == r["label"] for r, p in zip(rows, predicted)])
    lenient = np.mean([p == r["label"] or groups.get(p) == r.get("group", r["label"])
                       for r, p in zip(rows, predicted)])
    return float(strict), float(lenient)


def run_fold(args, train_args, rows, fold, seed, work):
    """Trains without `fold` and scores every condition; returns {condition: (strict, lenient)}."""
    fold_dir = os.path.join(work, f"{fold}-{seed}")
    os.makedirs(fold_dir, exist_ok=True)
    train_csv, model = os.path.join(fold_dir, "train.csv"), os.path.join(fold_dir, "model.json")
    command = [sys.executable, "-m", "cqtcnn_train.train", "--out", model,
               "--name", f"without-{fold}", "--seed", str(seed), "--cqtcnn", args.cqtcnn]
    # One training set, or one per remaining group (--train-per-group: with train.py --balance,
    # each group takes an equal share of every epoch, as the shipped instruments recipe does).
    kept = sorted({r[args.by] for r in rows} - {fold}) if args.train_per_group else [None]
    for group in kept:
        csv = train_csv if group is None else os.path.join(fold_dir, f"train-{group}.csv")
        write(csv, [(r["path"], r["label"]) for r in rows if r[args.by] != fold and group in (None, r[args.by])])
        command += ["--train", csv]
    for extra in args.extra_train:
        command += ["--train", extra]
    log = os.path.join(args.log_dir, f"{fold}-{seed}.log") if args.log_dir else os.devnull
    with open(log, "w") as out:
        subprocess.run(command + train_args, check=True, stdout=out)
    test = [r for r in rows if r[args.by] == fold]
    groups = {r["label"]: r.get("group", r["label"]) for r in rows}
    return {c: scores(test, classify(args.cqtcnn, model, degrade(test, c, fold_dir), fold_dir), groups)
            for c in args.conditions}


def summarise(results, has_groups):
    """{condition: {fold: mean over seeds, ..., mean, worst}} (and the lenient score per fold)."""
    table = {}
    first_fold = next(iter(results.values()))     # {seed: {condition: (strict, lenient)}}
    for condition in next(iter(first_fold.values())):
        per_fold = {fold: round(float(np.mean([s[condition][0] for s in seeds.values()])), 4)
                    for fold, seeds in results.items()}
        row = dict(per_fold, mean=round(float(np.mean(list(per_fold.values()))), 4),
                   worst=min(per_fold.values()))
        if has_groups:
            row["counting_groups"] = {fold: round(float(np.mean([s[condition][1] for s in seeds.values()])), 4)
                                      for fold, seeds in results.items()}
        table[condition] = row
    return table


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("--data", required=True, help="CSV with path, label and the --by column")
    ap.add_argument("--by", required=True, help="the column whose values are the folds (speaker, source)")
    ap.add_argument("--extra-train", action="append", default=[], help="labelled CSV always trained on")
    ap.add_argument("--train-per-group", action="store_true",
                    help="give train.py one --train set per remaining group (for its --balance)")
    ap.add_argument("--conditions", default="clean", help=f"test conditions, of {','.join(CONDITIONS)}")
    ap.add_argument("--seeds", default="0", help="comma-separated training seeds; figures are their mean")
    ap.add_argument("--folds", default="", help="only these folds (default: every value of --by)")
    ap.add_argument("--record", help="model JSON whose metadata receives the figures")
    ap.add_argument("--log-dir", help="folder for each fold's training log (default: none kept)")
    ap.add_argument("--cqtcnn", default=None, help="the cqtcnn binary (default: build/, installed, or on PATH)")
    args, train_args = ap.parse_known_args()
    train_args = [a for a in train_args if a != "--"]
    args.cqtcnn = args.cqtcnn or find_cqtcnn()
    args.conditions = args.conditions.split(",")
    if args.log_dir:
        os.makedirs(args.log_dir, exist_ok=True)
    if not set(args.conditions) <= set(CONDITIONS):
        fail(f"--conditions: '{','.join(args.conditions)}' is not a list of {', '.join(CONDITIONS)}")
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = read_table(args.data, required=("path", "label", args.by))
    folds = args.folds.split(",") if args.folds else sorted({r[args.by] for r in rows})
    if record := args.record:  # refuse a bad --record file now, not after an hour of training
        try:
            with open(record) as f:
                json.load(f)
        except (OSError, ValueError) as e:
            fail(f"{record}: cannot be read as a model file ({e})")

    results = {}
    with tempfile.TemporaryDirectory() as work:
        for fold in folds:
            for seed in seeds:
                result = run_fold(args, train_args, rows, fold, seed, work)
                results.setdefault(fold, {})[seed] = result
                print(f"{fold:16s} seed {seed:3d}  " + "  ".join(f"{c} {s[0]:.4f}" + (f" ({s[1]:.4f})" if "group" in rows[0] else "")
                                                           for c, s in result.items()), flush=True)
    table = summarise(results, "group" in rows[0])
    table["how"] = ("tools/research/crossval.py --data " + os.path.basename(args.data)
                    + f" --by {args.by} --seeds {args.seeds}"
                    + (" --train-per-group" if args.train_per_group else "")
                    + "".join(f" --extra-train {os.path.basename(e)}" for e in args.extra_train)
                    + " -- " + " ".join(train_args))
    for condition in args.conditions:
        print(f"{condition:8s} mean {table[condition]['mean']:.4f}  worst {table[condition]['worst']:.4f}")
    print(json.dumps(table))
    if record:
        with open(record) as f:
            model = json.load(f)
        model.setdefault("metadata", {}).setdefault("metrics", {})[f"leave_one_{args.by}_out"] = table
        with open(record, "w") as f:
            json.dump(model, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
