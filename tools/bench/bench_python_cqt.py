#!/usr/bin/python3
"""cqtcnn.cqt against librosa.cqt (0.10.1), one thread, in the same process (docs/performance.md).

    PYTHONPATH=build/python:tools:../shared/peers/python /usr/bin/python3 tools/bench/bench_python_cqt.py

PYTHONPATH holds the module cqtcnn (build/python), the tools' package cqtcnn_train (tools/) and
librosa 0.10.1 (../shared/peers/python).

Two signals at 22050 Hz with librosa's default arguments: a 30 s clip and a 10-minute signal (a
chirp under noise, so that every bin carries energy). Each call is timed in two ways:
- cold: the filters are designed in the call. librosa designs them on every call; cqtcnn keeps
  the last 8 parameter sets, so each cold call uses a tuning offset never seen before (1e-9 bin
  apart: the same work, a new design) for both;
- warm: cqtcnn's filters already designed, as in a loop over clips with the same arguments
  (librosa's calls are all cold).
The figure is the median of the repeats; the ratio is librosa's time over cqtcnn's. The results
are checked against each other (relative Frobenius error) before anything is timed. librosa's
numba code is compiled by a warm-up call first. Run it on a quiet machine (load < 0.5).

Then the training tools' feature extraction (tools/cqtcnn_train/data.py features(), one thread)
before and after the module: `cqtcnn features` in a subprocess against the module in-process, on
the first --files files of FSDD (--fsdd) with the digit model's front end, checked equal.
"""
import argparse
import glob
import os
import tempfile
import time

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[variable] = "1"  # before numpy is imported

import numpy as np  # noqa: E402

SR = 22050


def signal(seconds):
    n = int(seconds * SR)
    t = np.arange(n) / SR
    sweep = 0.3 * np.sin(2 * np.pi * 40 * (np.exp(t * np.log(200) / seconds) - 1) * seconds / np.log(200))
    noise = np.random.default_rng(int(seconds)).normal(0, 0.02, n)
    return (sweep + noise).astype(np.float32)


def median_time(call, repeats):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--repeats", type=int, default=7, help="timed calls per figure (the 10-minute librosa: 3)")
    parser.add_argument("--fsdd", default=os.path.join(here, "..", "..", "..", "shared", "data", "fsdd"),
                        help="a folder of FSDD recordings for the features benchmark")
    parser.add_argument("--files", type=int, default=500, help="recordings for the features benchmark")
    parser.add_argument("--cqtcnn", default=os.path.join(here, "..", "..", "build", "cqtcnn"),
                        help="the cqtcnn binary of the module's build")
    args = parser.parse_args()
    import cqtcnn
    import librosa

    load = os.getloadavg()[0]
    print(f"load average {load:.2f}{'  (not quiet: figures unreliable)' if load >= 0.5 else ''}")
    print(f"librosa {librosa.__version__}, cqtcnn {cqtcnn.__version__}, numpy {np.__version__}")
    librosa.cqt(signal(1), sr=SR)  # numba's compilation
    cqtcnn.cqt(signal(1), sr=SR)

    print("| signal | librosa.cqt | cqtcnn.cqt cold | cqtcnn.cqt warm | ratio cold | ratio warm | rel. error |")
    print("|---|---|---|---|---|---|---|")
    for seconds, name in ((30, "30 s clip"), (600, "10-minute signal")):
        y = signal(seconds)
        ours, theirs = cqtcnn.cqt(y, sr=SR), librosa.cqt(y, sr=SR)
        error = np.linalg.norm(ours - theirs) / np.linalg.norm(theirs)
        repeats = args.repeats if seconds < 60 else 3
        first = 1e-9 * seconds  # tuning offsets of this signal, never used before
        t_librosa = median_time(lambda i: librosa.cqt(y, sr=SR, tuning=first + 1e-9 * i), repeats)
        t_cold = median_time(lambda i: cqtcnn.cqt(y, sr=SR, tuning=first + 1e-9 * (i + 100)), repeats)
        t_warm = median_time(lambda i: cqtcnn.cqt(y, sr=SR), args.repeats)
        print(f"| {name} | {t_librosa * 1e3:.1f} ms | {t_cold * 1e3:.1f} ms | {t_warm * 1e3:.1f} ms | "
              f"{t_librosa / t_cold:.1f}x | {t_librosa / t_warm:.1f}x | {error:.1e} |", flush=True)
    bench_features(args, cqtcnn, here)


def bench_features(args, cqtcnn, here):
    files = sorted(glob.glob(os.path.join(args.fsdd, "*.wav")))[:args.files]
    if not files:
        print(f"no recordings in {args.fsdd}: the features benchmark is skipped")
        return
    from cqtcnn_train import data
    frontend = os.path.join(here, "..", "..", "models", "digits.frontend.json")
    with tempfile.TemporaryDirectory() as work:
        before = median_time(lambda i: data.features_by_subprocess(args.cqtcnn, frontend, files, work, "b", 1), 3)
        after = median_time(lambda i: data.features_in_process(cqtcnn, frontend, files, 1), 3)
        x_before = data.features_by_subprocess(args.cqtcnn, frontend, files, work, "b", 1)[0]
    same = np.array_equal(x_before, data.features_in_process(cqtcnn, frontend, files, 1)[0])
    print(f"\n| training features, {len(files)} FSDD files, 1 thread | cqtcnn features (subprocess) | "
          "module in-process | ratio | equal |")
    print("|---|---|---|---|---|")
    print(f"| {len(x_before)} windows | {before * 1e3:.0f} ms | {after * 1e3:.0f} ms | {before / after:.2f}x | {same} |")


if __name__ == "__main__":
    main()
