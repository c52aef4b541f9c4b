"""What explore_loso.py and explore_sources.py share: their common options, with a shipped
model's recorded recipe as the training options' defaults, and the features of every file, of its
augmented copies and of the files under test conditions, made once by `cqtcnn features` and
cached, so that any number of folds x seeds train on them.
"""
import hashlib
import json
import os
import tempfile

import numpy as np
import torch

import crossval
from cqtcnn_train import augment, data, fit

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models")


def add_options(ap, max_copies, copies):
    """The options of the front end, the cache and the augmented copies."""
    ap.add_argument("--frontend", required=True)
    ap.add_argument("--cqtcnn", default="build/cqtcnn")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "cqtcnn-explore"))
    ap.add_argument("--seeds", type=int, default=1, help="networks per fold (seeds seed, seed+1, ...)")
    ap.add_argument("--max-copies", type=int, default=max_copies, help="augmented copies made and cached")
    ap.add_argument("--copies", type=int, default=copies, help="augmented copies trained on")


def parse(ap, recipe_model):
    """Adds the training options (defaults: recipe_model's recipe, or --recipe's) and parses:
    (args, front end, (value of silence, value units per network unit))."""
    fit.add_training_options(ap)
    fit.add_recipe_option(ap, recipe_model)
    args = ap.parse_args()
    if args.copies > args.max_copies:
        ap.error("--copies must not exceed --max-copies")
    torch.set_num_threads(args.threads)
    frontend = data.read_front_end(args.frontend)
    return args, frontend, fit.frontend_scaling(frontend)


def cached_features(args, frontend, paths, tag, n_tested=0, conditions=()):
    """(x, owner file, copy number) for every path: copy 0 the file itself, 1.. its augmented
    copies, -1, -2, ... the first n_tested files under each of `conditions` in turn
    (crossval.degrade); cached by front end, augmentation settings, file list and conditions."""
    key = hashlib.sha1(json.dumps([frontend, args.max_copies, args.speed, args.max_shift, args.noise_snr, args.room,
                                   args.room_model, args.crop, paths, conditions, n_tested],
                                  sort_keys=True).encode()).hexdigest()[:12]
    cache = os.path.join(args.cache, f"{tag}-{key}.npz")
    if not os.path.exists(cache):
        os.makedirs(args.cache, exist_ok=True)
        with tempfile.TemporaryDirectory() as work:
            fp = os.path.join(work, "frontend.json")
            with open(fp, "w") as f:
                json.dump(frontend, f)
            x, owner = data.features(args.cqtcnn, fp, paths, work, "orig", args.threads)
            xs, owners, copies = [x], [owner], [np.zeros(len(owner), np.int8)]
            if args.max_copies:
                aug, source = augment.augment_audio(paths, work, args.max_copies, np.random.default_rng(0),
                                                    args.max_shift, [float(v) for v in args.noise_snr.split(",")],
                                                    args.speed, args.room, args.room_model, fit.crop_range(args))
                x, owner = data.features(args.cqtcnn, fp, aug, work, "aug", args.threads)
                xs.append(x)
                owners.append(source[owner])
                copies.append((1 + owner % args.max_copies).astype(np.int8))  # augment_audio writes file-major
            for code, condition in enumerate(conditions, start=1):
                degraded = crossval.degrade([{"path": p} for p in paths[:n_tested]], condition, work)
                x, owner = data.features(args.cqtcnn, fp, [r["path"] for r in degraded], work, condition,
                                         args.threads)
                xs.append(x)
                owners.append(owner)
                copies.append(np.full(len(owner), -code, np.int8))
        np.savez(cache + ".part.npz", x=np.concatenate(xs), owner=np.concatenate(owners),
                 copy=np.concatenate(copies))
        os.replace(cache + ".part.npz", cache)
    d = np.load(cache)
    return d["x"], d["owner"], d["copy"]
