#!/usr/bin/python3
"""cqtcnn's CNN engine vs PyTorch (TorchScript, frozen) and ONNX Runtime (npm onnxruntime-node),
all on one thread, on the same networks with the same weights, run side by side:

  cnn   Conv2d(1->16,3x3,pad 1)-ReLU-MaxPool(2) -> Conv2d(16->32)-ReLU-MaxPool(2)
        -> Conv2d(32->64)-ReLU-MaxPool(2) -> Flatten -> Dense(64)-ReLU -> Dense(10) -> Softmax,
        inputs 1x84x64 and 1x168x128, batch 1 and 64 (the default);
  crnn  a CRNN the size of the digits model on 1x70x64: four blocks Conv2d(3x3, pad 1)-ReLU-
        MaxPool((2, 1)) of 8, 16, 32, 32 channels (pooling along frequency only, so 64 steps
        remain) -> MapToSequence -> GRU(128 -> 64), final state -> Dense(10); 53 K parameters,
        15.0 M multiply-adds (the digits model: 86 K, 9.0 M); batch 1;
  gru   the CRNN's GRU alone on its 64 steps of 128 features (input 128x1x64); batch 1.

Rates are inferences per second of wall-clock time and of process CPU time (the CPU figure is
steadier on a shared machine); with --rounds N the engines are measured N times, alternating, and
the ratios are the medians of the rounds' ratios.

    cmake -B build -DCQTCNN_BUILD_BENCHMARKS=ON && cmake --build build --target bench_cnn
    (mkdir -p /tmp/ort && cd /tmp/ort && ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node)
    PYTHONPATH=tools /usr/bin/python3 tools/bench/bench_cnn_peers.py --bench build/bench_cnn --ort /tmp/ort/node_modules
    PYTHONPATH=tools /usr/bin/python3 tools/bench/bench_cnn_peers.py --bench build/bench_cnn \
        --ort /tmp/ort/node_modules --networks crnn gru
    PYTHONPATH=tools /usr/bin/python3 tools/bench/bench_cnn_peers.py --bench build/bench_cnn \
        --ort /tmp/ort/node_modules --networks cnn crnn --rounds 5 --no-torch --seconds 2
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import warnings

import torch
from torch import nn

from cqtcnn_train.export import export, reference_network
from cqtcnn_train.layers import GRULayer, MapToSequence

HERE = os.path.dirname(os.path.abspath(__file__))


def reference_crnn(height=70, width=64, classes=10, hidden=64):
    """The CRNN of tools/bench/bench_cnn.cpp (BM_Forward_CRNN_70x64); width is the steps."""
    layers, c, h = [], 1, height
    for out in (8, 16, 32, 32):
        layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1))]
        c, h = out, h // 2
    return nn.Sequential(*layers, MapToSequence(), GRULayer(c * h, hidden, returns="last"), nn.Linear(hidden, classes))


def reference_gru(features=128, classes=10, hidden=64):
    """The CRNN's recurrent part (BM_Forward_GRU_128x64), for an input of features x 1 x steps."""
    return nn.Sequential(MapToSequence(), GRULayer(features, hidden, returns="last"), nn.Linear(hidden, classes))


# name -> [(network, input shape, batch sizes)]
NETWORKS = {
    "cnn": [(lambda: reference_network(84, 64), (1, 84, 64), (1, 64)),
            (lambda: reference_network(168, 128), (1, 168, 128), (1, 64))],
    "crnn": [(reference_crnn, (1, 70, 64), (1,))],
    "gru": [(reference_gru, (128, 1, 64), (1,))],
}


def rate_torch(module, shape, batch, seconds):
    x = torch.randn((batch,) + shape)
    with torch.no_grad():
        for _ in range(20):
            module(x)
        runs, w0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - w0 < seconds:
            module(x)
            runs += 1
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return runs * batch / wall, runs * batch / cpu


def rate_cqtcnn(bench, model, batch, seconds):
    out = subprocess.run([bench, f"--benchmark_filter=BM_ForwardFile/{batch}$", "--benchmark_format=json",
                          f"--benchmark_min_time={seconds}"], env=dict(os.environ, CQTCNN_BENCH_MODEL=model),
                         check=True, capture_output=True, text=True).stdout
    b = json.loads(out)["benchmarks"][0]
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return batch / (b["real_time"] * scale), batch / (b["cpu_time"] * scale)


def rate_ort(ort_modules, onnx_path, shape, batch, seconds):
    out = subprocess.run(["node", os.path.join(HERE, "bench_cnn_onnx.js"), onnx_path, *map(str, shape), str(batch),
                          str(seconds)], env=dict(os.environ, NODE_PATH=ort_modules), check=True,
                         capture_output=True, text=True).stdout
    r = json.loads(out)
    return r["inf_per_s_wall"], r["inf_per_s_cpu"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", required=True, help="the bench_cnn binary")
    p.add_argument("--ort", help="a node_modules folder holding onnxruntime-node (omit to skip ONNX Runtime)")
    p.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    p.add_argument("--networks", nargs="+", choices=sorted(NETWORKS), default=["cnn"], help="networks to time")
    p.add_argument("--rounds", type=int, default=1,
                   help="measure each engine this many times, alternating, and give the median of the per-round"
                        " ratios with their range (a shared machine's load moves between measurements)")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out (ONNX Runtime is the peer to beat)")
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, 1 thread; rates in inferences/s (wall | cpu)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make, shape, batches in [(n, *b) for n in args.networks for b in NETWORKS[n]]:
            label = f"{name} {shape[1]}x{shape[2]}" if shape[0] == 1 else f"{name} {'x'.join(map(str, shape))}"
            net = make().eval()
            stem = os.path.join(tmp, label.replace(" ", "_"))
            model = stem + ".json"
            export(net, model, shape, [f"c{i}" for i in range(10)], test_vectors=1)
            onnx_path = stem + ".onnx"
            with warnings.catch_warnings():  # the GRU's about other batch sizes (only batch 1 is timed)
                warnings.simplefilter("ignore")
                torch.onnx.export(net, torch.zeros((1,) + shape), onnx_path, input_names=["x"], output_names=["y"],
                                  dynamic_axes={"x": {0: "n"}, "y": {0: "n"}}, opset_version=13)
            scripted = torch.jit.freeze(torch.jit.script(net))
            for batch in batches:
                rounds = []
                for _ in range(args.rounds):
                    r = {"cqtcnn": rate_cqtcnn(args.bench, model, batch, args.seconds)}
                    if not args.no_torch:
                        r["pytorch"] = rate_torch(scripted, shape, batch, args.seconds)
                    if args.ort:
                        r["onnxruntime"] = rate_ort(args.ort, onnx_path, shape, batch, args.seconds)
                    rounds.append(r)
                line = f"{label:>14} batch {batch:>2}:"
                for k in ("cqtcnn", "pytorch", "onnxruntime"):
                    if k in rounds[0]:
                        line += (f"  {k} {statistics.median(r[k][0] for r in rounds):8.0f}"
                                 f" | {statistics.median(r[k][1] for r in rounds):8.0f}")
                for k in ("pytorch", "onnxruntime"):
                    if k in rounds[0]:
                        wall = sorted(r["cqtcnn"][0] / r[k][0] for r in rounds)
                        cpu = statistics.median(r["cqtcnn"][1] / r[k][1] for r in rounds)
                        line += f"  cqtcnn/{k} {statistics.median(wall):.2f} | {cpu:.2f}"
                        if len(wall) > 1:
                            line += f" (wall {wall[0]:.2f}-{wall[-1]:.2f})"
                print(line, flush=True)

if __name__ == "__main__":
    main()
