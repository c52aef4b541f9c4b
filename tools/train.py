#!/usr/bin/python3
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
speed (--speed: tempo and all frequencies scaled together, as a different vocal tract would).
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
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tool_cli import HelpFormatter, fail, missing_package, program, read_json  # noqa: E402
try:
    import numpy as np
    import soundfile
    import torch
    from torch import nn
    import audio_effects
    from export_pytorch import export
    from cqtcnn_layers import GRULayer, MapToSequence, TimePool
except ImportError as e:
    missing_package(e)


AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf")


def read_table(path, required=("path", "label"), skipped=None):
    """Rows (dicts) of a labelled file list: a CSV whose header names a path column and a label
    (or class) column, a header-less path,label CSV, or a folder whose sub-folders are the labels
    (files that are not audio are skipped; their names are appended to `skipped` if it is a list).
    A relative path is taken from the working directory if it exists there, else from the CSV's
    folder, as `cqtcnn evaluate` does. No rows, a row without a path or label, or a listed file
    that does not exist ends the program with one line naming the file (tool_cli.fail)."""
    if os.path.isdir(path):
        rows = []
        for label in sorted(os.listdir(path)):
            sub = os.path.join(path, label)
            if os.path.isdir(sub):
                for f in sorted(os.listdir(sub)):
                    if f.lower().endswith(AUDIO_EXTENSIONS):
                        rows.append({"path": os.path.join(sub, f), "label": label})
                    elif skipped is not None and os.path.isfile(os.path.join(sub, f)):
                        skipped.append(f)
        if not rows:
            fail(f"{path}: no audio files in label folders (one sub-folder of recordings per label)")
        return rows
    try:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            table = [(reader.line_num, r) for r in reader if r]
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except (UnicodeDecodeError, csv.Error) as e:
        fail(f"{path}: not a CSV file ({e})")
    header = [h.strip().lower() for h in table[0][1]] if table else []
    if "path" in header:
        header = ["label" if h == "class" and "label" not in header else h for h in header]
        table = table[1:]
    else:
        header = ["path", "label"] + [f"column_{i}" for i in range(2, max((len(r) for _, r in table), default=2))]
    missing = [c for c in required if c not in header]
    if missing:
        fail(f"{path}: no '{missing[0]}' column in the header")
    if not table:
        fail(f"{path}: no rows")
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    for line, values in table:
        r = dict(zip(header, values))
        empty = [c for c in ("path", "label") if not r.get(c, "").strip()]
        if empty:
            fail(f"{path}: line {line}: no {empty[0]}")
        if not os.path.isabs(r["path"]) and not os.path.exists(r["path"]):  # as cqtcnn evaluate reads it
            r["path"] = os.path.join(base, r["path"])
        if not os.path.exists(r["path"]):
            fail(f"{path}: line {line}: no such file: {r['path']}")
        rows.append(r)
    return rows


def report_skipped(names):
    """One line on stderr for the files in label folders that are not audio, as cqtcnn says it:
    "skipped 2 files that are not audio (.DS_Store, README.txt)"."""
    if names:
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        what = "file that is" if len(names) == 1 else "files that are"
        print(f"{program()}: skipped {len(names)} {what} not audio ({listed})", file=sys.stderr)


def read_labelled(path, skipped=None):
    """(path, label) pairs of a labelled file list (read_table)."""
    return [(r["path"], r["label"]) for r in read_table(path, skipped=skipped)]


def find_cqtcnn():
    """The cqtcnn binary: beside this script, in the source tree's build/, installed (PREFIX/bin,
    this script being in PREFIX/share/cqtcnn/tools/), or on PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "cqtcnn"), os.path.join(here, "..", "build", "cqtcnn"),
                      os.path.join(here, "..", "..", "..", "bin", "cqtcnn")):
        if os.access(candidate, os.X_OK):
            return os.path.normpath(candidate)
    found = shutil.which("cqtcnn")
    if not found:
        fail("cannot find cqtcnn (build it, or give --cqtcnn)")
    return found


def features(cqtcnn, frontend_json, paths, workdir, tag, threads):
    """Runs `cqtcnn features` on paths with `threads` threads; returns (windows [N,1,H,W], file
    index of each window). When it fails, the program ends with cqtcnn's exit code: cqtcnn has
    said why on stderr."""
    listing = os.path.join(workdir, f"{tag}.txt")
    with open(listing, "w") as f:
        f.write("".join(p + "\n" for p in paths))
    npy, index = os.path.join(workdir, f"{tag}.npy"), os.path.join(workdir, f"{tag}.csv")
    run = subprocess.run([cqtcnn, "features", "--frontend", frontend_json, "--files-from", listing,
                          "-o", npy, "--index", index, "--threads", str(threads)])
    if run.returncode:
        sys.exit(run.returncode if run.returncode > 0 else 1)
    row_of_path = {p: i for i, p in enumerate(paths)}
    with open(index, newline="") as f:
        owner = np.array([row_of_path[r["path"]] for r in csv.DictReader(f)])
    return np.load(npy), owner


def augment_audio(paths, workdir, copies, rng, max_shift_s, noise_snr_db, max_speed, room=0.0):
    """Writes `copies` augmented versions of every file as float WAVs; returns (paths, source index).

    Speed perturbation (Ko et al. 2015, Kaldi's speed perturbation): a copy's WAV header states a
    sample rate up to `max_speed` (a fraction) above or below the true one, so the front end's
    resampler plays it faster or slower, scaling tempo and every frequency (pitch and formants)
    by the same factor. A fraction `room` of the copies first pass through a simulated room
    (tools/audio_effects.py: RT60 0.15-0.8 s, 10-50% wet)."""
    out, source = [], []
    for i, path in enumerate(paths):
        y, sr = soundfile.read(path, dtype="float32", always_2d=True)
        y = y.mean(axis=1)
        for c in range(copies):
            z = y.copy()
            if room and rng.random() < room:
                ir = audio_effects.room_impulse_response(rng, sr, rng.uniform(0.15, 0.8))
                z = audio_effects.reverberate(z.astype(np.float64), ir, rng.uniform(0.1, 0.5)).astype(np.float32)
            shift = int(rng.uniform(-max_shift_s, max_shift_s) * sr)
            z = np.concatenate([np.zeros(shift, np.float32), z]) if shift > 0 else z[min(-shift, len(z) // 4):]
            z = z * np.float32(10 ** (rng.uniform(-10, 10) / 20))
            if rng.random() < 0.7:
                rms = float(np.sqrt(np.mean(z ** 2))) + 1e-9
                snr = rng.uniform(*noise_snr_db)
                z = z + rng.normal(0, rms / 10 ** (snr / 20), len(z)).astype(np.float32)
            z = np.clip(z, -1, 1)
            name = os.path.join(workdir, f"aug_{i}_{c}.wav")
            speed = rng.uniform(1 - max_speed, 1 + max_speed) if max_speed else 1.0
            soundfile.write(name, z, int(round(sr * speed)), subtype="FLOAT")
            out.append(name)
            source.append(i)
    return out, np.array(source)


def build_network(height, width, n_classes, channels, dense, dropout, arch="cnn", gru_hidden=64):
    """arch "cnn": blocks of conv 3x3, batch norm, ReLU and 2x2 max pooling, then two dense layers.
    arch "crnn": the same blocks pooling 2x1 (frequency only, so every frame stays a step), then a
    bidirectional GRU of gru_hidden units over the frames, the maximum of its outputs over time and
    one dense layer (tools/cqtcnn_layers.py: the modules export_pytorch.py exports)."""
    layers, c_in, h, w = [], 1, height, width
    pool = (2, 1) if arch == "crnn" else (2, 2)
    for c in channels:
        layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(pool)]
        c_in, h, w = c, h // pool[0], w // pool[1]
    if arch == "crnn":
        layers += [MapToSequence(), GRULayer(c_in * h, gru_hidden, bidirectional=True, returns="sequence"),
                   TimePool("max"), nn.Dropout(dropout), nn.Linear(2 * gru_hidden, n_classes)]
        return nn.Sequential(*layers)
    layers += [nn.Flatten(), nn.Dropout(dropout), nn.Linear(c_in * h * w, dense), nn.ReLU(),
               nn.Dropout(dropout), nn.Linear(dense, n_classes)]
    return nn.Sequential(*layers)


def frequency_shift(x, max_bins, pad_value, generator):
    """Shifts each example along the frequency axis by up to max_bins (a small pitch shift); the
    bins shifted in take pad_value."""
    if max_bins == 0:
        return x
    n, c, height, width = x.shape
    shifts = torch.randint(-max_bins, max_bins + 1, (n, 1), generator=generator)
    source = torch.arange(height)[None, :] - shifts  # output bin h comes from bin h - shift
    inside = (source >= 0) & (source < height)
    index = source.clamp(0, height - 1)[:, None, :, None].expand(n, c, height, width)
    return torch.where(inside[:, None, :, None], x.gather(2, index), torch.tensor(pad_value, dtype=x.dtype))


def random_span_mask(n, length, max_size, generator):
    """For each of n examples, a boolean row of `length` that is true on one random span of
    0..max_size consecutive positions (drawn uniformly in size, then in start)."""
    size = torch.randint(0, max_size + 1, (n, 1), generator=generator).clamp(max=length)
    start = (torch.rand(n, 1, generator=generator) * (length - size + 1)).floor().long()
    position = torch.arange(length)[None, :]
    return (position >= start) & (position < start + size)


def spec_augment(x, max_bins, max_frames, pad_value, generator):
    """SpecAugment (Park et al. 2019): silences one random band of up to max_bins bins and one
    random stretch of up to max_frames frames of each example."""
    if max_bins == 0 and max_frames == 0:
        return x
    n, _, height, width = x.shape
    masked = torch.zeros(n, 1, height, width, dtype=torch.bool)
    if max_bins:
        masked |= random_span_mask(n, height, max_bins, generator)[:, None, :, None]
    if max_frames:
        masked |= random_span_mask(n, width, max_frames, generator)[:, None, None, :]
    return x.masked_fill(masked, pad_value)


def colour(x, max_db, std, pad_value, generator):
    """Adds to each example a random smooth spectral colouring: a tilt of up to +-max_db across the
    bins plus two cosine ripples of up to +-max_db/2 (a different microphone or room), leaving
    silent (padding-valued) cells alone. `std` converts dB to network units."""
    if max_db == 0:
        return x
    n, _, height, _ = x.shape
    k = torch.linspace(0, 1, height)
    a = (torch.rand(n, 3, generator=generator) * 2 - 1) * max_db
    ripple = a[:, 1:2] * torch.cos(torch.pi * k) + a[:, 2:3] * torch.cos(2 * torch.pi * k)
    curve = a[:, :1] * (k - 0.5) + 0.5 * ripple
    return torch.where(x > pad_value + 1e-6, x + (curve / std)[:, None, :, None], x)


def file_probabilities(model, x, owner, n_files):
    """Each file's class probabilities as classify computes them: the mean over its windows
    (owner[i] is the file of window x[i])."""
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(x)), dim=1).numpy()
    total = np.zeros((n_files, p.shape[1]))
    np.add.at(total, owner, p)
    return total / np.bincount(owner, minlength=n_files).clip(min=1)[:, None]


def file_accuracy(model, x, owner, labels_of_files):
    """File-level accuracy and predictions (file_probabilities' argmax)."""
    predicted = file_probabilities(model, x, owner, len(labels_of_files)).argmax(1)
    return float(np.mean(predicted == labels_of_files)), predicted


def balanced_accuracy(model, x, owner, labels_of_files, set_of_files):
    """The mean over training sets (set_of_files[i]: the --train set of file i) of file_accuracy
    on each set's files, so a small set counts as much as a large one."""
    _, predicted = file_accuracy(model, x, owner, labels_of_files)
    right = predicted == labels_of_files
    return float(np.mean([right[set_of_files == s].mean() for s in np.unique(set_of_files)]))


def validation_accuracy(model, validation):
    """train_member's validation score: balanced_accuracy when `validation` also holds each file's
    training set (--balance), else file_accuracy."""
    return balanced_accuracy(model, *validation) if len(validation) == 4 else file_accuracy(model, *validation)[0]


def balance_weights(set_of_windows):
    """Sampling weights that give every training set (set_of_windows[i]: the set of window i) the
    same total: 1 / (windows in the window's set)."""
    return torch.from_numpy(1.0 / np.bincount(set_of_windows)[set_of_windows])


def train_member(args, seed, height, width, n_classes, x_fit_t, y_fit_t, pad_value, norm_std, validation,
                 weights=None):
    """Trains one network with its own seed (initial weights, batch order, feature-domain
    augmentation); returns (model at the best validation epoch, its validation accuracy, epoch).
    With `weights` (one per training window), each epoch draws as many windows as there are, with
    replacement, in proportion to them; a fourth member of `validation` (the training set of each
    validation file) makes the validation accuracy balanced_accuracy's."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = build_network(height, width, n_classes, [int(c) for c in args.channels.split(",")],
                          args.dense, args.dropout, args.arch, args.gru_hidden)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, args.epochs)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    best = (-1.0, None, 0)
    for epoch in range(args.epochs):
        model.train()
        if weights is None:
            order = torch.randperm(len(x_fit_t), generator=generator)
        else:
            order = torch.multinomial(weights, len(x_fit_t), replacement=True, generator=generator)
        total = 0.0
        for b in range(0, len(order), args.batch):
            idx = order[b: b + args.batch]
            xb = frequency_shift(x_fit_t[idx], args.pitch_shift, pad_value, generator)
            xb = colour(xb, args.colour, norm_std, pad_value, generator)
            xb = spec_augment(xb, args.freq_mask, args.time_mask, pad_value, generator)
            optimiser.zero_grad()
            if args.mixup:  # mixup (Zhang et al. 2018): convex mixtures of pairs of examples
                lam = float(torch.distributions.Beta(args.mixup, args.mixup).sample())
                pair = torch.randperm(len(idx), generator=generator)
                out = model(lam * xb + (1 - lam) * xb[pair])
                loss = lam * loss_fn(out, y_fit_t[idx]) + (1 - lam) * loss_fn(out, y_fit_t[idx][pair])
            else:
                loss = loss_fn(model(xb), y_fit_t[idx])
            loss.backward()
            optimiser.step()
            total += float(loss) * len(idx)
        scheduler.step()
        val_acc = validation_accuracy(model, validation)
        print(f"epoch {epoch + 1:3d}  loss {total / len(order):.4f}  validation accuracy {val_acc:.4f}", flush=True)
        if val_acc > best[0]:
            best = (val_acc, {k: v.clone() for k, v in model.state_dict().items()}, epoch + 1)
        elif epoch + 1 - best[2] >= args.patience:
            print(f"early stop: no better validation accuracy since epoch {best[2]}")
            break
    model.load_state_dict(best[1])
    return model.eval(), best[0], best[2]


def pack_ensemble(members, input_shape):
    """Packs K networks of build_network's shape into one nn.Sequential whose logits are the mean of
    the members' logits, so the ensemble is an ordinary model file:
    - the first convolution stacks the members' filters (all read the same input);
    - later convolutions are grouped (groups=K), member k reading and writing only its own channels;
    - batch norms and pools work per channel, so they just stack;
    - each member's Flatten + Linear becomes a convolution with a kernel covering the whole feature map
      (the same dot products), grouped by member;
    - the last Linear concatenates the members' weights, divided by K, and averages their biases.
    Dropout is left out (it does nothing at inference)."""
    members = [member.eval() for member in members]  # inference only: batch norms keep their statistics
    if len(members) == 1:
        return members[0]
    k = len(members)
    layers = [[m for m in member if not isinstance(m, nn.Dropout)] for member in members]
    packed, first_conv = [], True
    ref = layers[0]
    with torch.no_grad():
        for i, m in enumerate(ref):
            group = [member[i] for member in layers]
            if isinstance(m, nn.Conv2d):
                conv = nn.Conv2d(m.in_channels * (1 if first_conv else k), m.out_channels * k, m.kernel_size,
                                 m.stride, m.padding, groups=1 if first_conv else k)
                conv.weight.copy_(torch.cat([g.weight for g in group]))
                conv.bias.copy_(torch.cat([g.bias for g in group]))
                packed.append(conv)
                first_conv = False
            elif isinstance(m, nn.BatchNorm2d):
                bn = nn.BatchNorm2d(m.num_features * k, eps=m.eps)
                for name in ("weight", "bias", "running_mean", "running_var"):
                    getattr(bn, name).copy_(torch.cat([getattr(g, name) for g in group]))
                packed.append(bn)
            elif isinstance(m, (nn.ReLU, nn.MaxPool2d)):
                packed.append(m)
            elif isinstance(m, nn.Flatten):
                continue
            elif isinstance(m, nn.Linear) and isinstance(ref[i - 1], nn.Flatten):
                _, c, h, w = nn.Sequential(*ref[:i - 1])(torch.zeros((1,) + tuple(input_shape))).shape
                conv = nn.Conv2d(c * k, m.out_features * k, (h, w), groups=k)
                conv.weight.copy_(torch.cat([g.weight.reshape(m.out_features, c, h, w) for g in group]))
                conv.bias.copy_(torch.cat([g.bias for g in group]))
                packed.append(conv)
            elif isinstance(m, nn.Linear) and i == len(ref) - 1:
                dense = nn.Linear(m.in_features * k, m.out_features)
                dense.weight.copy_(torch.cat([g.weight for g in group], dim=1) / k)
                dense.bias.copy_(torch.stack([g.bias for g in group]).mean(0))
                packed += [nn.Flatten(), dense]
            else:
                raise ValueError(f"pack_ensemble: unexpected layer {i}: {m}")
    model = nn.Sequential(*packed).eval()
    probe = torch.randn((8,) + tuple(input_shape), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        want = torch.stack([member(probe) for member in members]).mean(0)
        got = model(probe)
    if not torch.allclose(got, want, rtol=1e-4, atol=1e-4):
        raise AssertionError(f"pack_ensemble: packed logits differ from the members' mean by "
                             f"{float((got - want).abs().max())}")
    return model


def add_training_options(ap):
    """The options of the audio augmentation (augment_audio) and of train_member, shared with
    tools/explore_loso.py so both train the same way."""
    ap.add_argument("--arch", choices=("cnn", "crnn"), default="cnn",
                    help="cnn: conv blocks and dense layers; crnn: conv blocks pooling along frequency only, "
                         "then a bidirectional GRU over the frames (--ensemble 1 only)")
    ap.add_argument("--gru-hidden", type=int, default=64, help="crnn: units of each GRU direction")
    ap.add_argument("--channels", default="16,32,64",
                    help="channels of each convolution block (conv, batch norm, ReLU, 2x2 max pool)")
    ap.add_argument("--dense", type=int, default=64, help="units of the hidden dense layer")
    ap.add_argument("--dropout", type=float, default=0.3, help="dropout before each dense layer")
    ap.add_argument("--max-shift", type=float, default=0.2, help="seconds of random time shift")
    ap.add_argument("--noise-snr", default="10,40", help="SNR range of added noise, dB")
    ap.add_argument("--room", type=float, default=0.0, help="fraction of augmented copies put through a simulated room")
    ap.add_argument("--pitch-shift", type=int, default=0, help="max random shift along frequency, bins")
    ap.add_argument("--speed", type=float, default=0.0,
                    help="speed perturbation of the augmented copies: factor in 1 +- this")
    ap.add_argument("--freq-mask", type=int, default=0, help="SpecAugment: max masked bins")
    ap.add_argument("--time-mask", type=int, default=0, help="SpecAugment: max masked frames")
    ap.add_argument("--colour", type=float, default=0.0, help="max dB of random spectral colouring")
    ap.add_argument("--mixup", type=float, default=0.0, help="mixup's Beta(a, a) parameter a (0: off)")
    ap.add_argument("--epochs", type=int, default=60, help="most epochs to train")
    ap.add_argument("--patience", type=int, default=10,
                    help="stop after this many epochs without a better validation accuracy")
    ap.add_argument("--batch", type=int, default=64, help="windows per batch")
    ap.add_argument("--lr", type=float, default=2e-3, help="AdamW learning rate (cosine schedule)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the split, augmentation and weights")
    ap.add_argument("--threads", type=int, default=2, help="torch threads and `cqtcnn features` threads")


def frontend_scaling(frontend):
    """(value of silence in network units, dB per network unit) of a front end's normalised dB:
    silence is -top_db dB, normalised as (dB - mean) / std."""
    std = frontend.get("normalize", {}).get("std", 40.0)
    return (-frontend.get("db", {}).get("top_db", 80.0) - frontend.get("normalize", {}).get("mean", -40.0)) / std, std


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
    out_folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_folder):
        fail(f"{args.out}: no folder {out_folder} to write it in")
    if args.cqtcnn and not (os.path.isfile(args.cqtcnn) and os.access(args.cqtcnn, os.X_OK)):
        fail(f"{args.cqtcnn}: not an executable (--cqtcnn)")


def main():
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

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    # Every input is checked here, before the slow part; `cqtcnn features` checks the front end.
    frontend = read_json(args.frontend, "front end")
    frontend = frontend.get("frontend", frontend) if isinstance(frontend, dict) else frontend
    if not isinstance(frontend, dict):
        fail(f"{args.frontend}: not a front-end object (see models/*.frontend.json)")
    args.cqtcnn = args.cqtcnn or find_cqtcnn()
    skipped = []
    train_sets = [read_labelled(source, skipped) for source in args.train]
    train_rows = [row for rows in train_sets for row in rows]
    set_of_row = np.repeat(np.arange(len(train_sets)), [len(rows) for rows in train_sets])
    labels = sorted({l for _, l in train_rows})
    label_index = {l: i for i, l in enumerate(labels)}
    sources = ", ".join(args.train)
    if len(labels) < 2:
        fail(f"{sources}: one label only ({labels[0]}): a classifier needs two or more")
    for label in labels:  # one file would go to validation (below) and leave none to train on
        count = sum(l == label for _, l in train_rows)
        if count < 2:
            fail(f"{sources}: label '{label}' has 1 file: each label needs two or more")
    test_rows = read_labelled(args.test, skipped) if args.test else []
    for _, l in test_rows:
        if l not in label_index:
            fail(f"{args.test}: label '{l}' is not among the training labels ({', '.join(labels)})")
    report_skipped(skipped)

    # Stratified validation split by file, before augmentation (no copy of a validation file trains).
    by_label = {}
    for i, (_, l) in enumerate(train_rows):
        by_label.setdefault(l, []).append(i)
    val_files = set()
    for ids in by_label.values():
        ids = list(ids)
        rng.shuffle(ids)
        val_files.update(ids[: max(1, int(round(len(ids) * args.val_fraction)))])
    fit_ids = [i for i in range(len(train_rows)) if i not in val_files]
    val_ids = [i for i in range(len(train_rows)) if i in val_files]
    fit_rows, val_rows = [train_rows[i] for i in fit_ids], [train_rows[i] for i in val_ids]

    start = time.time()
    with tempfile.TemporaryDirectory() as work:
        fit_paths = [p for p, _ in fit_rows]
        x_fit, o_fit = features(args.cqtcnn, args.frontend, fit_paths, work, "fit", args.threads)
        y_fit = np.array([label_index[fit_rows[i][1]] for i in o_fit])
        set_fit = set_of_row[fit_ids][o_fit]
        if args.augment:
            aug_paths, source = augment_audio(fit_paths, work, args.augment, rng, args.max_shift,
                                              [float(v) for v in args.noise_snr.split(",")], args.speed, args.room)
            x_aug, o_aug = features(args.cqtcnn, args.frontend, aug_paths, work, "aug", args.threads)
            x_fit = np.concatenate([x_fit, x_aug])
            y_fit = np.concatenate([y_fit, np.array([label_index[fit_rows[source[i]][1]] for i in o_aug])])
            set_fit = np.concatenate([set_fit, set_of_row[fit_ids][source[o_aug]]])
        x_val, o_val = features(args.cqtcnn, args.frontend, [p for p, _ in val_rows], work, "val",
                                args.threads)
        y_val_files = np.array([label_index[l] for _, l in val_rows])
        test = None
        if args.test:
            x_test, o_test = features(args.cqtcnn, args.frontend, [p for p, _ in test_rows], work, "test",
                                      args.threads)
            test = (x_test, o_test, np.array([label_index[l] for _, l in test_rows]))
    print(f"features: {len(x_fit)} training windows, {len(x_val)} validation windows "
          f"({time.time() - start:.1f} s)", flush=True)
    pad_value, norm_std = frontend_scaling(frontend)

    _, _, height, width = x_fit.shape
    x_fit_t, y_fit_t = torch.from_numpy(x_fit), torch.from_numpy(y_fit).long()
    validation = (x_val, o_val, y_val_files)
    weights = None
    if args.balance and len(train_sets) > 1:
        weights = balance_weights(set_fit)
        validation += (set_of_row[val_ids],)
        print("balanced: " + ", ".join(f"{name} {n} windows" for name, n in zip(args.train, np.bincount(set_fit))),
              flush=True)
    members = []
    for k in range(args.ensemble):
        seed = args.seed + k
        if args.ensemble > 1:
            print(f"member {k + 1} of {args.ensemble} (seed {seed})", flush=True)
        members.append(train_member(args, seed, height, width, len(labels), x_fit_t, y_fit_t, pad_value, norm_std,
                                    validation, weights))
    model = members[0][0] if args.arch == "crnn" else pack_ensemble([m for m, _, _ in members], (1, height, width))
    val_acc = validation_accuracy(model, validation)

    best_epochs = [e for _, _, e in members]
    metrics = {"validation_accuracy": round(val_acc, 4),
               "best_epoch": best_epochs if args.ensemble > 1 else best_epochs[0],
               "training_files": len(fit_rows), "validation_files": len(val_rows),
               "augmented_copies": args.augment, "seed": args.seed}
    if args.ensemble > 1:
        metrics["ensemble"] = args.ensemble
        metrics["member_validation_accuracy"] = [round(v, 4) for _, v, _ in members]
    if test is not None:
        acc, predicted = file_accuracy(model, *test)
        metrics["test_accuracy"] = round(acc, 4)
        metrics["test_files"] = len(test[2])
        print(f"test accuracy (file level) {acc:.4f} on {len(test[2])} files")
    metadata = {"name": args.name, "description": args.description, "training_data": args.training_data,
                "licence": args.licence, "metrics": metrics,
                "training": {"tool": "tools/train.py", "arguments": {k: v for k, v in vars(args).items()
                                                                      if k not in ("cqtcnn", "threads")}}}
    export(model, args.out, (1, height, width), labels, frontend=frontend, metadata=metadata)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes, {time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
