r"""Trains a cqtcnn model: a CNN on the C++ front end's own features, exported to model JSON.

  /usr/bin/python3 tools/train.py --train sounds/ --test held-out/ \
      --frontend models/instruments.frontend.json --out my-sounds.json --name my-sounds
  cqtcnn-train --train sounds/ ...      # the same, installed by cmake --install

--train (repeatable) and --test take a folder with one sub-folder of recordings per label (files
that are not audio are skipped) or a CSV with path and label (or class) columns. Run it with
Debian's /usr/bin/python3: it is the Python that has python3-torch. docs/training.md walks through
training on your own sounds.

Features never come from a Python re-implementation: every training input, augmented or not, is
made by `cqtcnn features` with the model's front end, exactly as `cqtcnn classify` will make it.

Augmentation in the audio domain, before the C++ front end: a random time shift (leading silence
or a cropped start), a random gain, added white noise at a random SNR and optionally a random
speed (--speed: tempo and all frequencies scaled together, as a different vocal tract would), a
simulated room (--room) and a random length (--crop: a long note played short).
On the front end's output, optionally: a random shift along the CQT's frequency axis (a pitch
shift of a few bins, --pitch-shift), a random smooth spectral colouring (--colour, another
microphone), SpecAugment's band and time masks (--freq-mask, --time-mask) and mixup (--mixup).
A fixed seed makes a run repeatable. A stratified validation split of the training files drives
early stopping; the best epoch's weights are exported with the metrics in the model's metadata.

--ensemble K trains K networks on the same features with seeds seed..seed+K-1 (their own initial
weights, batch order and feature-domain augmentation) and ships the mean of their logits as one
ordinary model: pack_ensemble stacks the members' channels and keeps them apart with grouped
convolutions, so `cqtcnn` needs nothing new to run it. Single runs on an unseen speaker vary by
up to ten points between seeds; the average of a few is steadier and usually better than each.
"""
import argparse
import os
import random
import tempfile
import time

from .cli import HelpFormatter, fail, missing_package
try:
    import numpy as np
    import torch
    from .augment import augment_audio
    from .data import features, find_cqtcnn, read_front_end, read_labelled, report_skipped
    from .export import export
    from .fit import (add_training_options, balance_weights, crop_range, file_accuracy, frontend_scaling,
                      train_member, validation_accuracy)
    from .network import pack_ensemble
except ImportError as e:
    missing_package(e)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("--train", required=True, action="append",
                    help="a folder of label folders or a path,label CSV (repeat to train on several)")
    ap.add_argument("--test", help="held-out test set, reported in the metadata")
    ap.add_argument("--frontend", required=True, help="JSON file with the front-end object (or a model)")
    ap.add_argument("--out", required=True, help="model JSON to write")
    ap.add_argument("--cqtcnn", default=None,
                    help="the cqtcnn binary (default: beside train.py, in the source tree's build/, the "
                         "installed one, or on PATH)")
    ap.add_argument("--name", default="model", help="model name, for the metadata")
    ap.add_argument("--description", default="", help="what the model does, for the metadata")
    ap.add_argument("--training-data", default="", help="dataset name and source, for the metadata")
    ap.add_argument("--licence", default="", help="the training data's licence and attribution")
    ap.add_argument("--augment", type=int, default=4, help="augmented copies of each training file")
    add_training_options(ap)
    ap.add_argument("--val-fraction", type=float, default=0.1,
                    help="fraction of each label's training files kept for validation (early stopping)")
    ap.add_argument("--balance", action="store_true",
                    help="each --train set takes an equal share of every epoch's windows (drawn with replacement), "
                         "and the validation accuracy is the mean over the sets")
    ap.add_argument("--ensemble", type=int, default=1,
                    help="train this many networks (seeds seed, seed+1, ...) and ship their logit average "
                         "as one model")
    args = ap.parse_args()
    if args.ensemble < 1:
        ap.error("--ensemble must be at least 1")
    if args.arch == "crnn" and args.ensemble > 1:
        ap.error("--ensemble packs CNNs only; train a crnn with --ensemble 1")
    check_options(args)
    return args


def check_options(args):
    """Ends with one line for an option the training could not use, before any work is done."""
    def numbers(text, kind):
        try:
            return [kind(v) for v in text.split(",")]
        except ValueError:
            return []
    channels = numbers(args.channels, int)
    if not channels or min(channels) < 1:
        fail(f"--channels {args.channels}: expected positive whole numbers, comma-separated (16,32,64)")
    if len(numbers(args.noise_snr, float)) != 2:
        fail(f"--noise-snr {args.noise_snr}: expected two numbers, low,high in dB (10,40)")
    crop = numbers(args.crop, float) if args.crop else [0.1, 0.1]
    if len(crop) != 2 or not 0 < crop[0] <= crop[1]:
        fail(f"--crop {args.crop}: expected two numbers of seconds, 0 < low <= high (0.2,2.0)")
    out_folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_folder):
        fail(f"{args.out}: no folder {out_folder} to write it in")
    if args.cqtcnn and not (os.path.isfile(args.cqtcnn) and os.access(args.cqtcnn, os.X_OK)):
        fail(f"{args.cqtcnn}: not an executable (--cqtcnn)")


def read_training_sets(args):
    """(rows (path, label) of every --train set in turn, the set of each row, sorted labels, --test
    rows); ends with one line for anything a classifier cannot be trained on."""
    skipped = []
    train_sets = [read_labelled(source, skipped) for source in args.train]
    train_rows = [row for rows in train_sets for row in rows]
    set_of_row = np.repeat(np.arange(len(train_sets)), [len(rows) for rows in train_sets])
    labels = sorted({l for _, l in train_rows})
    sources = ", ".join(args.train)
    if len(labels) < 2:
        fail(f"{sources}: one label only ({labels[0]}): a classifier needs two or more")
    for label in labels:  # one file would go to validation (below) and leave none to train on
        count = sum(l == label for _, l in train_rows)
        if count < 2:
            fail(f"{sources}: label '{label}' has 1 file: each label needs two or more")
    test_rows = read_labelled(args.test, skipped) if args.test else []
    for _, l in test_rows:
        if l not in labels:
            fail(f"{args.test}: label '{l}' is not among the training labels ({', '.join(labels)})")
    report_skipped(skipped)
    return train_rows, set_of_row, labels, test_rows


def split_validation(train_rows, fraction, rng):
    """A stratified validation split by file, before augmentation (no copy of a validation file
    trains): (training row indices, validation row indices)."""
    by_label = {}
    for i, (_, l) in enumerate(train_rows):
        by_label.setdefault(l, []).append(i)
    val_files = set()
    for ids in by_label.values():
        ids = list(ids)
        rng.shuffle(ids)
        val_files.update(ids[: max(1, int(round(len(ids) * fraction)))])
    fit_ids = [i for i in range(len(train_rows)) if i not in val_files]
    val_ids = [i for i in range(len(train_rows)) if i in val_files]
    return fit_ids, val_ids


def make_features(args, rng, train_rows, set_of_row, label_index, fit_ids, val_ids, test_rows):
    """The windows `cqtcnn features` makes of the training files and their augmented copies, of the
    validation files and of the test files: (x, y, training set of each window), (x, window's file,
    label of each file) for validation, and the same for the test (or None)."""
    fit_rows, val_rows = [train_rows[i] for i in fit_ids], [train_rows[i] for i in val_ids]
    with tempfile.TemporaryDirectory() as work:
        fit_paths = [p for p, _ in fit_rows]
        x_fit, o_fit = features(args.cqtcnn, args.frontend, fit_paths, work, "fit", args.threads)
        y_fit = np.array([label_index[fit_rows[i][1]] for i in o_fit])
        set_fit = set_of_row[fit_ids][o_fit]
        if args.augment:
            aug_paths, source = augment_audio(fit_paths, work, args.augment, rng, args.max_shift,
                                              [float(v) for v in args.noise_snr.split(",")], args.speed,
                                              args.room, args.room_model, crop_range(args))
            x_aug, o_aug = features(args.cqtcnn, args.frontend, aug_paths, work, "aug", args.threads)
            x_fit = np.concatenate([x_fit, x_aug])
            y_fit = np.concatenate([y_fit, np.array([label_index[fit_rows[source[i]][1]] for i in o_aug])])
            set_fit = np.concatenate([set_fit, set_of_row[fit_ids][source[o_aug]]])
        x_val, o_val = features(args.cqtcnn, args.frontend, [p for p, _ in val_rows], work, "val",
                                args.threads)
        validation = (x_val, o_val, np.array([label_index[l] for _, l in val_rows]))
        test = None
        if test_rows:
            x_test, o_test = features(args.cqtcnn, args.frontend, [p for p, _ in test_rows], work, "test",
                                      args.threads)
            test = (x_test, o_test, np.array([label_index[l] for _, l in test_rows]))
    return (x_fit, y_fit, set_fit), validation, test


def train_ensemble(args, fit, validation, n_classes, pad_value, norm_std, set_names):
    """--ensemble networks trained on the same windows (balanced across --train sets with
    --balance, given the training set of each validation file as a fourth member of
    `validation`); returns (the model to export, the members' (model, validation accuracy, epoch))."""
    x_fit, y_fit, set_fit = fit
    _, _, height, width = x_fit.shape
    x_fit_t, y_fit_t = torch.from_numpy(x_fit), torch.from_numpy(y_fit).long()
    weights = None
    if len(validation) == 4:
        weights = balance_weights(set_fit)
        print("balanced: " + ", ".join(f"{name} {n} windows" for name, n in zip(set_names, np.bincount(set_fit))),
              flush=True)
    members = []
    for k in range(args.ensemble):
        seed = args.seed + k
        if args.ensemble > 1:
            print(f"member {k + 1} of {args.ensemble} (seed {seed})", flush=True)
        members.append(train_member(args, seed, height, width, n_classes, x_fit_t, y_fit_t, pad_value, norm_std,
                                    validation, weights))
    model = members[0][0] if args.arch == "crnn" else pack_ensemble([m for m, _, _ in members], (1, height, width))
    return model, members


def metrics_of(args, model, members, validation, test, n_fit, n_val):
    """The metadata's metrics: validation (and test) accuracy, best epochs, file counts."""
    best_epochs = [e for _, _, e in members]
    metrics = {"validation_accuracy": round(validation_accuracy(model, validation), 4),
               "best_epoch": best_epochs if args.ensemble > 1 else best_epochs[0],
               "training_files": n_fit, "validation_files": n_val,
               "augmented_copies": args.augment, "seed": args.seed}
    if args.ensemble > 1:
        metrics["ensemble"] = args.ensemble
        metrics["member_validation_accuracy"] = [round(v, 4) for _, v, _ in members]
    if test is not None:
        acc, _ = file_accuracy(model, *test)
        metrics["test_accuracy"] = round(acc, 4)
        metrics["test_files"] = len(test[2])
        print(f"test accuracy (file level) {acc:.4f} on {len(test[2])} files")
    return metrics


def main():
    args = parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    # Every input is checked here, before the slow part; `cqtcnn features` checks the front end.
    frontend = read_front_end(args.frontend)
    args.cqtcnn = args.cqtcnn or find_cqtcnn()
    train_rows, set_of_row, labels, test_rows = read_training_sets(args)
    label_index = {l: i for i, l in enumerate(labels)}
    fit_ids, val_ids = split_validation(train_rows, args.val_fraction, rng)

    start = time.time()
    fit, validation, test = make_features(args, rng, train_rows, set_of_row, label_index, fit_ids, val_ids, test_rows)
    print(f"features: {len(fit[0])} training windows, {len(validation[0])} validation windows "
          f"({time.time() - start:.1f} s)", flush=True)
    if args.balance and len(args.train) > 1:
        validation += (set_of_row[val_ids],)
    pad_value, norm_std = frontend_scaling(frontend, args.cqtcnn)
    model, members = train_ensemble(args, fit, validation, len(labels), pad_value, norm_std, args.train)

    metrics = metrics_of(args, model, members, validation, test, len(fit_ids), len(val_ids))
    metadata = {"name": args.name, "description": args.description, "training_data": args.training_data,
                "licence": args.licence, "metrics": metrics,
                "training": {"tool": "tools/train.py", "arguments": {k: v for k, v in vars(args).items()
                                                                      if k not in ("cqtcnn", "threads")}}}
    _, _, height, width = fit[0].shape
    export(model, args.out, (1, height, width), labels, frontend=frontend, metadata=metadata)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes, {time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
