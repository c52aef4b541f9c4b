#!/usr/bin/python3
"""Leave one real recording source out, for the instruments model: features of every note (and
its augmented copies) are made once and cached, then each real source is left out in turn and
networks train on the others (the other real source and the soundfonts), each source an equal
share of every epoch (train.py --balance).

  PYTHONPATH=tools /usr/bin/python3 tools/research/explore_sources.py --data splits/inst/all.csv \
      --frontend models/instruments.frontend.json --folds imis,philharmonia --seeds 2 \
      [train.py options]

--data is cqtcnn_train.datasets instruments' all.csv (path, label, source). The figure of a fold is
the mean of per-class recalls on every note of the left-out source (each class counts the same,
however many notes it has) and the plain accuracy; with several seeds, each network's figures are
averaged and the average of the networks' probabilities is reported too (what train.py
--ensemble ships). The validation files (a tenth of each training source's notes of each class)
drive early stopping; the left-out source is never looked at while training.
Features come from `cqtcnn features`, training from train.py's own train_member, with the recipe
of the model --recipe (the shipped instruments model's, as its metadata records it) as defaults.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

import explore
from cqtcnn_train import data, datasets, fit
from cqtcnn_train.cli import HelpFormatter


def validation_files(rng, files, labels, fraction=0.1):
    """A stratified `fraction` of `files` (at least one of each label)."""
    picked = []
    for c in np.unique(labels[files]):
        of_class = rng.permutation(files[labels[files] == c])
        picked.append(of_class[: max(1, int(round(len(of_class) * fraction)))])
    return np.concatenate(picked)


def class_recalls(predicted, truth, n_classes):
    """Recall of each class present in `truth` (NaN for absent classes)."""
    return np.array([np.mean(predicted[truth == c] == c) if np.any(truth == c) else np.nan for c in range(n_classes)])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("--data", required=True, help="cqtcnn_train.datasets instruments' all.csv")
    explore.add_options(ap, max_copies=1, copies=1)
    ap.add_argument("--folds", default=",".join(datasets.REAL_SOURCES), help="the real sources left out in turn")
    ap.add_argument("--sources", default="", help="only these sources take part (default: all in --data)")
    ap.add_argument("--record", help="model JSON whose metadata receives the figures (metrics.leave_one_source_out)")
    args, frontend, (pad, std) = explore.parse(ap, os.path.join(explore.MODELS, "instruments.json"))

    rows = data.read_table(args.data, required=("path", "label", "source"))
    if args.sources:
        rows = [r for r in rows if r["source"] in args.sources.split(",")]
    class_names = sorted({r["label"] for r in rows})
    labels = np.array([class_names.index(r["label"]) for r in rows])
    source_names = sorted({r["source"] for r in rows})
    source = np.array([source_names.index(r["source"]) for r in rows])
    x, owner, copy = explore.cached_features(args, frontend, [r["path"] for r in rows], "sources")
    print(f"{len(rows)} files, {len(x)} windows; sources " + ", ".join(
        f"{s} {np.sum(source == i)}" for i, s in enumerate(source_names)), flush=True)

    results = {}
    for fold in args.folds.split(","):
        left_out = source_names.index(fold)
        rng = np.random.default_rng(args.seed)
        kept_sources = [s for s in range(len(source_names)) if s != left_out]
        val_files = np.concatenate([validation_files(rng, np.where(source == s)[0], labels) for s in kept_sources])
        trained = np.where((source[owner] != left_out) & ~np.isin(owner, val_files) & (copy <= args.copies))[0]
        val = np.where(np.isin(owner, val_files) & (copy == 0))[0]
        val_ids = np.unique(owner[val])
        val_row = {f: i for i, f in enumerate(val_ids)}
        validation = (x[val], np.array([val_row[o] for o in owner[val]]), labels[val_ids], source[val_ids])
        weights = fit.balance_weights(np.unique(source[owner[trained]], return_inverse=True)[1])
        x_fit, y_fit = torch.from_numpy(x[trained]), torch.from_numpy(labels[owner[trained]]).long()
        test = np.where((source[owner] == left_out) & (copy == 0))[0]
        files = np.unique(owner[test])
        test_row = {f: i for i, f in enumerate(files)}
        test_owner = np.array([test_row[o] for o in owner[test]])
        truth = labels[files]
        total = 0.0
        for k in range(args.seeds):
            model, _, epoch = fit.train_member(args, args.seed + k, x.shape[2], x.shape[3], len(class_names), x_fit,
                                               y_fit, pad, std, validation, weights)
            per_file = fit.file_probabilities(model, x[test], test_owner, len(files))
            total = total + per_file
            single, ensemble = per_file.argmax(1), total.argmax(1)
            recalls = class_recalls(single, truth, len(class_names))
            fold_result = results.setdefault(fold, {"recall": [], "accuracy": []})
            fold_result["recall"].append(float(np.nanmean(recalls)))
            fold_result["accuracy"].append(float(np.mean(single == truth)))
            fold_result["ensemble_recall"] = float(np.nanmean(class_recalls(ensemble, truth, len(class_names))))
            fold_result["per_class"] = {class_names[c]: round(float(r), 3) for c, r in enumerate(recalls)}
            print(f"RUN {fold} seed {args.seed + k} (best epoch {epoch}): mean class recall {np.nanmean(recalls):.3f}, "
                  f"accuracy {np.mean(single == truth):.3f}; average of {k + 1}: mean class recall "
                  f"{fold_result['ensemble_recall']:.3f}", flush=True)
            print("  " + ", ".join(f"{class_names[c]} {r:.2f}" for c, r in enumerate(recalls)), flush=True)
        confusion = np.zeros((len(class_names), len(class_names)), int)
        np.add.at(confusion, (truth, total.argmax(1)), 1)
        print(f"{fold}: rows true class, columns predicted ({', '.join(class_names)})\n{confusion}", flush=True)
    for fold, r in results.items():
        seeds = ", ".join(f"{v:.3f}" for v in r["recall"])
        print(f"RESULT {fold}: mean class recall {np.mean(r['recall']):.4f} (seeds {seeds}), "
              f"accuracy {np.mean(r['accuracy']):.4f}, average of the seeds' probabilities {r['ensemble_recall']:.4f}")
    print(json.dumps(results))
    if args.record:
        record(args, results)


def record(args, results):
    """Writes the figures and the command that made them into the metadata of args.record."""
    with open(args.record) as f:
        model = json.load(f)
    table = {fold: {"mean_class_recall": round(float(np.mean(r["recall"])), 4),
                    "accuracy": round(float(np.mean(r["accuracy"])), 4),
                    "seeds": len(r["recall"]), "per_class_recall_last_seed": r["per_class"]}
             for fold, r in results.items()}
    kept = [a for a in sys.argv[1:] if not a.startswith("--record") and a != args.record]
    table["how"] = "tools/research/explore_sources.py " + " ".join(kept)
    model.setdefault("metadata", {}).setdefault("metrics", {})["leave_one_source_out"] = table
    with open(args.record, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
