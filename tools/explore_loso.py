#!/usr/bin/env python3
"""Quick leave-one-speaker-out experiments on FSDD: a front end's features, augmented copies
included, are made once and cached, then any number of folds x seeds train on them, with the
average of the seeds' probabilities reported as the ensemble train.py --ensemble would ship.

  /usr/bin/python3 tools/explore_loso.py --data ../shared/data/fsdd \
      --frontend models/digits.frontend.json --folds nicolas,theo --seeds 3 [train.py options]

This is for trying ideas (a fold with three seeds costs minutes); tools/crossval.py remains the
reference measurement of a configuration. Training options are tools/train.py's own, with the
shipped digits model's settings as defaults; --copies augmented copies (of --max-copies made and
cached) take part in training.
Features still come from `cqtcnn features`, and training from train.py's own train_member.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402

SPEAKERS = ("george", "jackson", "nicolas", "theo", "yweweler")
# The shipped digits model's training options (README), the defaults here.
SHIPPED_DIGITS = dict(channels="8,16,24,32", dense=32, speed=0.15, colour=10.0, freq_mask=8, time_mask=10,
                      epochs=15, patience=5)


def cached_features(args, frontend):
    """(x, owner file, copy number 0 = original) for every FSDD file, cached by front end and
    augmentation settings."""
    paths = sorted(os.path.join(args.data, f) for f in os.listdir(args.data) if f.endswith(".wav"))
    key = hashlib.sha1(json.dumps([frontend, args.max_copies, args.speed, args.max_shift, args.noise_snr,
                                   paths], sort_keys=True).encode()).hexdigest()[:12]
    cache = os.path.join(args.cache, f"loso-{key}.npz")
    if not os.path.exists(cache):
        os.makedirs(args.cache, exist_ok=True)
        rng = np.random.default_rng(0)
        with tempfile.TemporaryDirectory() as work:
            fp = os.path.join(work, "frontend.json")
            with open(fp, "w") as f:
                json.dump(frontend, f)
            x, owner = train.features(args.cqtcnn, fp, paths, work, "orig", args.threads)
            xs, owners, copies = [x], [owner], [np.zeros(len(owner), int)]
            if args.max_copies:
                aug, source = train.augment_audio(paths, work, args.max_copies, rng, args.max_shift,
                                                  [float(v) for v in args.noise_snr.split(",")], args.speed)
                x, owner = train.features(args.cqtcnn, fp, aug, work, "aug", args.threads)
                xs.append(x)
                owners.append(source[owner])
                copies.append(1 + owner % args.max_copies)  # augment_audio writes file-major
        np.savez(cache + ".part.npz", x=np.concatenate(xs), owner=np.concatenate(owners),
                 copy=np.concatenate(copies))
        os.replace(cache + ".part.npz", cache)
    d = np.load(cache)
    names = [os.path.basename(p).split("_") for p in paths]
    return d["x"], d["owner"], d["copy"], np.array([int(n[0]) for n in names]), np.array([n[1] for n in names])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the FSDD recordings folder")
    ap.add_argument("--frontend", required=True)
    ap.add_argument("--cqtcnn", default="build/cqtcnn")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "cqtcnn-explore"))
    ap.add_argument("--folds", default=",".join(SPEAKERS))
    ap.add_argument("--seeds", type=int, default=1, help="networks per fold (seeds seed, seed+1, ...)")
    ap.add_argument("--max-copies", type=int, default=4, help="augmented copies made and cached")
    ap.add_argument("--copies", type=int, default=2, help="augmented copies trained on")
    train.add_training_options(ap)
    ap.set_defaults(**SHIPPED_DIGITS)
    args = ap.parse_args()
    if args.copies > args.max_copies:
        ap.error("--copies must not exceed --max-copies")
    torch.set_num_threads(args.threads)
    with open(args.frontend) as f:
        frontend = json.load(f)
    frontend = frontend.get("frontend", frontend)
    pad, std = train.frontend_scaling(frontend)

    x, owner, copy, labels, speaker = cached_features(args, frontend)
    results = {}
    for fold in args.folds.split(","):
        rng = np.random.default_rng(args.seed)
        train_files = np.where(speaker != fold)[0]
        val_files = np.concatenate([rng.permutation(train_files[labels[train_files] == c])[
            : int(round(np.sum(labels[train_files] == c) * 0.1))] for c in range(10)])
        fit = np.where((speaker[owner] != fold) & ~np.isin(owner, val_files) & (copy <= args.copies))[0]
        val = np.where(np.isin(owner, val_files) & (copy == 0))[0]
        test = np.where((speaker[owner] == fold) & (copy == 0))[0]
        test_files = np.unique(owner[test])
        row = {f: i for i, f in enumerate(test_files)}
        test_owner = np.array([row[o] for o in owner[test]])
        val_row = {f: i for i, f in enumerate(np.unique(owner[val]))}
        validation = (x[val], np.array([val_row[o] for o in owner[val]]), labels[np.unique(owner[val])])
        x_fit, y_fit = torch.from_numpy(x[fit]), torch.from_numpy(labels[owner[fit]]).long()
        total, singles = 0.0, []
        for k in range(args.seeds):
            model, _, epoch = train.train_member(args, args.seed + k, x.shape[2], x.shape[3], 10, x_fit, y_fit,
                                                 pad, std, validation)
            per_file = train.file_probabilities(model, x[test], test_owner, len(test_files))
            singles.append(float(np.mean(per_file.argmax(1) == labels[test_files])))
            total = total + per_file
            ensemble = float(np.mean(total.argmax(1) == labels[test_files]))
            print(f"RUN {fold} seed {args.seed + k}: {singles[-1]:.3f} (best epoch {epoch}); "
                  f"average of {k + 1}: {ensemble:.3f}", flush=True)
        results[fold] = ensemble
        confusion = np.zeros((10, 10), int)
        np.add.at(confusion, (labels[test_files], total.argmax(1)), 1)
        print(f"{fold}: rows true digit, columns predicted\n{confusion}", flush=True)
    values = list(results.values())
    print(f"RESULT mean {np.mean(values):.4f} worst {min(values):.3f} " + json.dumps(results))


if __name__ == "__main__":
    main()
