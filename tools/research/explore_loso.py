#!/usr/bin/env python3
"""Quick leave-one-speaker-out experiments on FSDD: a front end's features, augmented copies
included, are made once and cached, then any number of folds x seeds train on them, with the
average of the seeds' probabilities reported as the ensemble train.py --ensemble would ship.

  PYTHONPATH=tools /usr/bin/python3 tools/research/explore_loso.py --data ../shared/data/fsdd \
      --frontend models/digits.frontend.json --folds nicolas,theo --seeds 3 \
      [--extra-train SYNTH/labels.csv [--balance]] [train.py options]

This is for trying ideas (a fold with three seeds costs minutes); crossval.py remains the
reference measurement of a configuration. Training options are tools/train.py's own, with the
recipe of the model --recipe (the shipped digits model's, as its metadata records it) as
defaults; --copies augmented copies (of --max-copies made and cached) take part in training.
The folds are the speakers of --data's file names ({digit}_{speaker}_{n}.wav), all by default.
Features still come from `cqtcnn features`, and training from train.py's own train_member.
"""
import argparse
import json
import os

import numpy as np
import torch

import crossval
import explore
from cqtcnn_train import data, fit
from cqtcnn_train.cli import HelpFormatter

TEST_CONDITIONS = tuple(c for c in crossval.CONDITIONS if c != "clean")  # copy number -1, -2 in the cache


def fsdd_features(args, frontend):
    """(x, owner file, copy number; label and speaker of each file) for every FSDD file and every
    --extra-train file (explore.cached_features; the FSDD files also under TEST_CONDITIONS)."""
    paths = sorted(os.path.join(args.data, f) for f in os.listdir(args.data) if f.endswith(".wav"))
    extra = [r for csv_path in args.extra_train for r in data.read_table(csv_path)]
    n_fsdd = len(paths)
    paths += [r["path"] for r in extra]
    x, owner, copy = explore.cached_features(args, frontend, paths, "loso", n_fsdd, TEST_CONDITIONS)
    names = [os.path.basename(p).split("_") for p in paths[:n_fsdd]]
    # Classes: the ten digits, then any other label of the extra files (such as "_none_", the
    # digits model's "no digit"), in sorted order, as train.py orders labels.
    classes = [str(d) for d in range(10)] + sorted({r["label"] for r in extra} - {str(d) for d in range(10)})
    index = {c: i for i, c in enumerate(classes)}
    labels = [int(n[0]) for n in names] + [index[r["label"]] for r in extra]
    speakers = [n[1] for n in names] + ["extra:" + r.get("speaker", "") for r in extra]
    return x, owner, copy, np.array(labels), np.array(speakers), classes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("--data", required=True, help="the FSDD recordings folder")
    explore.add_options(ap, max_copies=4, copies=2)
    ap.add_argument("--folds", default="", help="the speakers left out in turn (default: every speaker)")
    ap.add_argument("--extra-train", action="append", default=[],
                    help="labelled CSV (cqtcnn_train.synth_digits' labels.csv) trained on in every fold")
    ap.add_argument("--balance", action="store_true",
                    help="as train.py --balance: the FSDD speakers trained on and the --extra-train files each "
                         "take half of every epoch, and a tenth of the extra files joins the validation set, "
                         "whose accuracy is then the mean of the two sets'")
    args, frontend, (pad, std) = explore.parse(ap, os.path.join(explore.MODELS, "digits.json"))

    x, owner, copy, labels, speaker, classes = fsdd_features(args, frontend)
    extra = np.char.startswith(speaker, "extra:")
    if args.balance and not extra.any():
        ap.error("--balance needs --extra-train")

    def tenth(rng, files):  # a tenth of each class's files
        return np.concatenate([rng.permutation(files[labels[files] == c])[: int(round(np.sum(labels[files] == c) * 0.1))]
                               for c in range(len(classes))])

    results = {}
    folds = args.folds.split(",") if args.folds else sorted({s for s in speaker if not s.startswith("extra:")})
    for fold in folds:
        rng = np.random.default_rng(args.seed)
        val_files = tenth(rng, np.where((speaker != fold) & ~extra)[0])
        if args.balance:
            val_files = np.concatenate([val_files, tenth(rng, np.where(extra)[0])])
        trained = np.where((speaker[owner] != fold) & ~np.isin(owner, val_files) & (copy >= 0) & (copy <= args.copies))[0]
        val = np.where(np.isin(owner, val_files) & (copy == 0))[0]
        x_fit, y_fit = torch.from_numpy(x[trained]), torch.from_numpy(labels[owner[trained]]).long()
        tests = {}
        for code, condition in enumerate(("clean",) + TEST_CONDITIONS):
            test = np.where((speaker[owner] == fold) & (copy == -code))[0]
            files = np.unique(owner[test])
            row = {f: i for i, f in enumerate(files)}
            tests[condition] = (test, np.array([row[o] for o in owner[test]]), files)
        val_row = {f: i for i, f in enumerate(np.unique(owner[val]))}
        validation = (x[val], np.array([val_row[o] for o in owner[val]]), labels[np.unique(owner[val])])
        weights = None
        if args.balance:  # set 0: FSDD, set 1: the extra files
            validation += (extra[np.unique(owner[val])].astype(int),)
            weights = fit.balance_weights(extra[owner[trained]].astype(int))
        totals = {c: 0.0 for c in tests}
        for k in range(args.seeds):
            model, _, epoch = fit.train_member(args, args.seed + k, x.shape[2], x.shape[3], len(classes), x_fit, y_fit,
                                                 pad, std, validation, weights)
            line = []
            for condition, (test, test_owner, files) in tests.items():
                per_file = fit.file_probabilities(model, x[test], test_owner, len(files))
                single = float(np.mean(per_file.argmax(1) == labels[files]))
                totals[condition] = totals[condition] + per_file
                ensemble = float(np.mean(totals[condition].argmax(1) == labels[files]))
                results.setdefault(condition, {}).setdefault(fold, {"single": []})["single"].append(single)
                results[condition][fold]["ensemble"] = ensemble
                line.append(f"{condition} {single:.3f} (average of {k + 1}: {ensemble:.3f})")
            print(f"RUN {fold} seed {args.seed + k} (best epoch {epoch}): " + "; ".join(line), flush=True)
        _, test_owner, files = tests["clean"]
        confusion = np.zeros((len(classes), len(classes)), int)
        np.add.at(confusion, (labels[files], totals["clean"].argmax(1)), 1)
        print(f"{fold}: rows true class, columns predicted ({', '.join(classes)})\n{confusion}", flush=True)
    for condition, folds in results.items():
        ensembles = [r["ensemble"] for r in folds.values()]
        singles = [float(np.mean(r["single"])) for r in folds.values()]
        print(f"RESULT {condition}: average of {args.seeds} seeds' probabilities: mean {np.mean(ensembles):.4f} "
              f"worst {min(ensembles):.3f}; single networks, mean over seeds: mean {np.mean(singles):.4f} "
              f"worst {min(singles):.3f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
