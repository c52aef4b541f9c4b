#!/usr/bin/env python3
"""Batch throughput: files per second classifying a folder, cqtcnn vs the equivalent Python pipeline.

  /usr/bin/python3 tools/bench/bench_batch.py --data ../shared/data/fsdd --cqtcnn build/cqtcnn

Ours: `cqtcnn classify -j N` (built-in digits model) over every file, N = 1 and 2, whole process
(start-up, model load, decoding, CQT, CNN, output), best of --repeats runs.
Peer: what a user's Python script does per file, in a multiprocessing pool of N workers: read the
file with soundfile (as librosa.load), the librosa CQT (tools/bench/bench_cqt_peer.py, a NumPy/SciPy
re-implementation that matches librosa's reference vectors exactly) with the model's front-end
parameters, amplitude_to_db, padding to the window, and a torch CNN of the model's architecture
(one thread per worker). Run on the first --peer-files files (it is slow), as files per second.
"""
import argparse
import glob
import json
import multiprocessing
import os
import subprocess
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

_worker = {}


def _init_worker(model_path):
    import torch
    from torch import nn
    torch.set_num_threads(1)
    with open(model_path) as f:
        model = json.load(f)
    fe = model["frontend"]
    layers = []
    for spec in model["layers"]:  # the same architecture as the model (weights do not matter for speed)
        t = spec["type"]
        if t == "conv2d":
            layers.append(nn.Conv2d(spec["in_channels"], spec["out_channels"], tuple(spec["kernel_size"]),
                                    padding=tuple(spec["padding"]), groups=spec.get("groups", 1)))
        elif t == "batch_norm":
            layers.append(nn.BatchNorm2d(spec["num_features"]) if "num_features" in spec else nn.Identity())
        elif t == "relu":
            layers.append(nn.ReLU())
        elif t == "max_pool2d":
            layers.append(nn.MaxPool2d(tuple(spec["kernel_size"])))
        elif t == "flatten":
            layers.append(nn.Flatten())
        elif t == "dense":
            layers.append(nn.Linear(spec["in_features"], spec["out_features"]))
    _worker["net"] = nn.Sequential(*layers).eval()
    _worker["fe"] = fe
    _worker["torch"] = torch


def _classify(path):
    import soundfile
    from bench_cqt_peer import cqt, resample
    torch, fe, net = _worker["torch"], _worker["fe"], _worker["net"]
    y, sr = soundfile.read(path, dtype="float32", always_2d=True)
    y = y.mean(axis=1)
    if sr != fe["sample_rate"]:
        y = resample(y, sr, fe["sample_rate"])
    c = fe["cqt"]
    C = np.abs(cqt(y, sr=fe["sample_rate"], hop_length=c["hop_length"], fmin=c["fmin"], n_bins=c["n_bins"],
                   bins_per_octave=c["bins_per_octave"], filter_scale=c.get("filter_scale", 1.0),
                   norm=c.get("norm", 1), sparsity=c.get("sparsity", 0.01), window=c.get("window", "hann"),
                   scale=c.get("scale", True), gamma=c.get("gamma", 0.0)))
    scaling, norm = fe.get("db", {}), fe.get("normalize", {})
    amin, top_db = scaling.get("amin", 1e-5), scaling.get("top_db", 80)
    db = 20 * np.log10(np.maximum(amin, C)) - 20 * np.log10(max(amin, C.max()))
    mean, std = norm.get("mean", -40), norm.get("std", 40)
    db = (np.maximum(db, -top_db) - mean) / std
    w = fe["window_frames"]
    x = np.full((1, 1, db.shape[0], w), (-top_db - mean) / std, dtype=np.float32)
    x[0, 0, :, : min(w, db.shape[1])] = db[:, :w]
    with torch.no_grad():
        p = torch.softmax(net(torch.from_numpy(x)), dim=1)
    return int(p.argmax())


def peer_rate(files, workers, model_path):
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (model_path,)) as pool:
        pool.map(_classify, files[:workers])  # start-up (torch import) is not counted
        start = time.perf_counter()
        pool.map(_classify, files, chunksize=8)
        return len(files) / (time.perf_counter() - start)


def ours_rate(cqtcnn, files, workers, repeats):
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("".join(f + "\n" for f in files))
        listing.flush()
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([cqtcnn, "classify", "-q", "-j", str(workers), "--format", "csv", "-o", os.devnull,
                            "--files-from", listing.name], check=True)
            best = min(best, time.perf_counter() - start)
    return len(files) / best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data", "fsdd"))
    ap.add_argument("--cqtcnn", default=os.path.join(HERE, "..", "..", "build", "cqtcnn"))
    ap.add_argument("--model", default=os.path.join(HERE, "..", "..", "models", "digits.json"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--peer-files", type=int, default=400)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.data, "*.wav")))
    print(f"{len(files)} files in {args.data}")
    ours = {w: ours_rate(args.cqtcnn, files, w, args.repeats) for w in (1, 2)}
    peer = {w: peer_rate(files[: args.peer_files], w, args.model) for w in (1, 2)}
    for w in (1, 2):
        print(f"{w} worker(s): cqtcnn {ours[w]:8.1f} files/s   python peer {peer[w]:6.1f} files/s   "
              f"ratio {ours[w] / peer[w]:6.1f}x")
    print(f"cqtcnn scaling 2 workers / 1 worker: {ours[2] / ours[1]:.2f}x   "
          f"(peer: {peer[2] / peer[1]:.2f}x)")


if __name__ == "__main__":
    main()
