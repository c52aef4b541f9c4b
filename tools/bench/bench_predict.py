#!/usr/bin/python3
"""Whole-process `cqtcnn predict` against ONNX Runtime (npm onnxruntime-node) at batch 1, side by side.

The goal: `cqtcnn predict` images/s >= 0.9x ONNX Runtime's at every N, and its peak RSS at most the
input's size plus 64 MB. For each N, a float32 NPY [N, C, H, W] of random inputs of the model's
shape (normal, seed 0) is fed to two whole processes:

  cqtcnn  build/cqtcnn predict --model MODEL.json --input x.npy --output y.npy   (1 thread)
  ORT     node tools/bench/bench_predict_onnx.js MODEL.onnx x.npy y.bin   (1 thread, the N inputs one
          at a time; MODEL.onnx is MODEL.json rebuilt in PyTorch, checked against the JSON's test
          vectors, exported with a final softmax, since `cqtcnn predict` writes probabilities)

Their outputs must agree (max abs difference <= 1e-4) before anything is timed. Then rounds alternate
the two (which goes first alternates too); the figures are medians over rounds: wall-clock
images/s, the ratio cqtcnn/ORT of wall and of CPU time rates, peak RSS (MB = 10^6 bytes).

Each process is started by a small fresh Python that forks it and reads its os.wait4 rusage: a
child started from this process (torch loaded) would report this process's peak RSS as its own,
since Linux carries the peak of the memory image an exec replaces (the launcher's: about 6 MB).

    (mkdir -p /tmp/ort && cd /tmp/ort && ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node)
    /usr/bin/python3 tools/bench/bench_predict.py --cqtcnn build/cqtcnn --ort /tmp/ort/node_modules
    /usr/bin/python3 tools/bench/bench_predict.py --model models/digits.json --n 1,16 --rounds 1 --json
"""
import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-4
# Runs argv[1:] as a child of a small process; prints its wall s, CPU s, peak RSS KiB, exit code.
LAUNCHER = """import os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def array(t):
    """A cqtcnn model tensor (docs/model-format.md) as a torch tensor."""
    return torch.tensor(np.frombuffer(base64.b64decode(t["data_b64"]), "<f4").reshape(t["shape"]))


def network(model, path):
    """The model's layers as an nn.Sequential in eval mode (the layer types of the shipped models)."""
    layers, flat = [], False
    for i, layer in enumerate(model["layers"]):
        kind = layer["type"]
        if kind == "conv2d":
            m = nn.Conv2d(layer["in_channels"], layer["out_channels"], layer["kernel_size"], layer["stride"],
                          layer["padding"], layer["dilation"], layer["groups"], layer["bias"])
        elif kind == "batch_norm":
            m = (nn.BatchNorm1d if flat else nn.BatchNorm2d)(layer["num_features"], layer["eps"])
        elif kind == "max_pool2d":
            m = nn.MaxPool2d(layer["kernel_size"], layer["stride"], layer["padding"], layer["dilation"],
                             ceil_mode=layer["ceil_mode"])
        elif kind == "dense":
            m = nn.Linear(layer["in_features"], layer["out_features"], layer["bias"])
        elif kind == "relu":
            m = nn.ReLU()
        elif kind == "flatten":
            m, flat = nn.Flatten(), True
        elif kind == "dropout":
            m = nn.Dropout(layer["rate"])
        else:
            sys.exit(f"bench_predict: {path}: layer {i} is {kind!r}; this benchmark rebuilds only conv2d, "
                     "batch_norm, relu, max_pool2d, flatten, dropout and dense")
        m.load_state_dict({k: array(t) for k, t in layer.get("weights", {}).items()}, strict=False)
        layers.append(m)
    return nn.Sequential(*layers).eval()


def check_test_vectors(net, model, path):
    with torch.no_grad():
        for i, v in enumerate(model["test_vectors"]):
            diff = (net(array(v["input"])[None])[0] - array(v["output"])).abs().max().item()
            if not diff <= TOLERANCE:
                sys.exit(f"bench_predict: {path}: the PyTorch rebuild differs from test vector {i} by {diff:.3g}")


def run(cmd, env=None):
    """Runs cmd to completion: (wall s, CPU s, peak RSS MB) of its process."""
    out = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, *cmd], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    if out[3] != "0":
        sys.exit(f"bench_predict: {' '.join(cmd)} exited with status {out[3]}")
    return float(out[0]), float(out[1]), int(out[2]) * 1024 / 1e6


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cqtcnn", default="build/cqtcnn", help="the cqtcnn binary")
    p.add_argument("--model", default="models/instruments.json", help="cqtcnn model (JSON)")
    p.add_argument("--ort", default="/tmp/ort/node_modules", help="a node_modules folder holding onnxruntime-node")
    p.add_argument("--n", default="1,16,256,2049", help="comma-separated input counts")
    p.add_argument("--rounds", type=int, default=5, help="timed runs of each peer per N (medians are reported)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = p.parse_args()
    counts = [int(n) for n in args.n.split(",")]
    for path, what in ((args.cqtcnn, "cqtcnn binary"), (args.model, "model"),
                       (os.path.join(args.ort, "onnxruntime-node"), "onnxruntime-node install (--ort)")):
        if not os.path.exists(path):
            sys.exit(f"bench_predict: {path}: no such {what}")
    with open(args.model) as f:
        model = json.load(f)
    net = network(model, args.model)
    check_test_vectors(net, model, args.model)
    with open(os.path.join(args.ort, "onnxruntime-node", "package.json")) as f:
        ort_version = json.load(f)["version"]
    env = dict(os.environ, NODE_PATH=args.ort)
    shape = tuple(model["input_shape"])
    results = []
    if not args.json:
        print(f"{args.model} ({'x'.join(map(str, shape))}), cqtcnn predict vs ONNX Runtime {ort_version} (node) "
              f"at batch 1, 1 thread, whole processes, medians of {args.rounds} rounds")
    with tempfile.TemporaryDirectory() as tmp:
        onnx_path, x_path, y_cqtcnn, y_ort = (os.path.join(tmp, f) for f in ("model.onnx", "x.npy", "y.npy", "y.bin"))
        torch.onnx.export(nn.Sequential(net, nn.Softmax(dim=1)), torch.zeros((1,) + shape), onnx_path,
                          input_names=["x"], output_names=["y"], opset_version=13)
        peers = {"cqtcnn": [args.cqtcnn, "predict", "--model", args.model, "--input", x_path, "--output", y_cqtcnn],
                 "ort": ["node", os.path.join(HERE, "bench_predict_onnx.js"), onnx_path, x_path, y_ort]}
        for n in counts:
            np.save(x_path, np.random.default_rng(0).standard_normal((n,) + shape, dtype=np.float32))
            for name in peers:  # untimed: the outputs must agree
                run(peers[name], env)
            diff = np.abs(np.load(y_cqtcnn) - np.fromfile(y_ort, "<f4").reshape(n, -1)).max()
            if not diff <= TOLERANCE:
                sys.exit(f"bench_predict: N={n}: cqtcnn and ONNX Runtime outputs differ by {diff:.3g}")
            runs = {name: [] for name in peers}
            for r in range(args.rounds):
                for name in (peers if r % 2 == 0 else reversed(peers)):
                    runs[name].append(run(peers[name], env))
            wall, cpu, rss = ({k: statistics.median(v[j] for v in runs[k]) for k in peers} for j in range(3))
            res = {"n": n, "input_mb": os.path.getsize(x_path) / 1e6, "max_abs_diff": float(diff),
                   **{f"{k}_images_per_s": n / wall[k] for k in peers},
                   **{f"{k}_cpu_s": cpu[k] for k in peers}, **{f"{k}_rss_mb": rss[k] for k in peers},
                   "ratio_wall": wall["ort"] / wall["cqtcnn"], "ratio_cpu": cpu["ort"] / cpu["cqtcnn"]}
            res["cqtcnn_rss_minus_input_mb"] = rss["cqtcnn"] - res["input_mb"]
            results.append(res)
            if not args.json:
                print(f"N {n:>5}: images/s cqtcnn {res['cqtcnn_images_per_s']:8.1f}  ORT {res['ort_images_per_s']:8.1f}"
                      f"  cqtcnn/ORT wall {res['ratio_wall']:.2f} cpu {res['ratio_cpu']:.2f}  peak RSS cqtcnn "
                      f"{rss['cqtcnn']:.1f} MB  ORT {rss['ort']:.1f} MB  input {res['input_mb']:.1f} MB"
                      f"  cqtcnn RSS - input {res['cqtcnn_rss_minus_input_mb']:.1f} MB", flush=True)
    if args.json:
        print(json.dumps({"model": args.model, "onnxruntime": ort_version, "rounds": args.rounds,
                          "results": results}, indent=1))


if __name__ == "__main__":
    main()
