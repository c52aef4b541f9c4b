#!/usr/bin/python3
"""cqtcnn's CQT against the real librosa 0.10.1 (../shared/peers, see its README), side by side in
one run: rounds alternate the two, and the figures are medians over the rounds, so that both see
the same load on a shared machine.

  cqt          build/bench_cqt's BM_CqtTransform (30 s at 22050 Hz, hop 512, 84 bins / 12 per
               octave and 168 / 24; filter banks built once) against librosa.cqt() on the same
               signal with the same parameters (librosa builds its filters in every call, as a
               user's script does; the first, numba-compiling call is not timed);
  spectrogram  the whole process `cqtcnn spectrogram FILE -o OUT.npy -j N` (decode, CQT, dB,
               write) for each N of --threads, against librosa.cqt() alone on the file's samples
               (already decoded, no dB, no writing; one thread), at both layouts; and the floor under both, the octave halvings alone:
               libsoxr's HQ 2:1 resampling (the soxr module of ../shared/peers, which calls
               Debian's libsoxr as python-soxr does) of the file's samples, one call per octave
               below the top (6 for both layouts), as librosa's cqt() runs them.

    PYTHONPATH=../shared/peers/python /usr/bin/python3 tools/bench/bench_vs_librosa.py cqt --bench build/bench_cqt
    PYTHONPATH=../shared/peers/python /usr/bin/python3 tools/bench/bench_vs_librosa.py spectrogram \\
        --cqtcnn build/cqtcnn --file ten-minutes.wav
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

LAYOUTS = [(84, 12), (168, 24)]


def signal(sr=22050, seconds=30.0):
    """bench_cqt's signal: an exponential sweep 40 Hz -> 8 kHz plus noise (speed does not depend on it)."""
    t = np.arange(int(sr * seconds)) / sr
    k = np.log(8000.0 / 40.0) / seconds
    rng = np.random.default_rng(1)
    x = 0.5 * np.sin(2 * np.pi * 40.0 * (np.exp(k * t) - 1.0) / k) + rng.normal(0, 0.05, t.size)
    return x.astype(np.float32)


def time_librosa(y, sr, n_bins, bpo, repeats):
    """Best of `repeats` calls: (wall seconds, CPU seconds of this process)."""
    import librosa
    times = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        librosa.cqt(y, sr=sr, hop_length=512, n_bins=n_bins, bins_per_octave=bpo)
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(times)


def time_halvings(y, sr, octaves, repeats):
    """Best of `repeats` chains of `octaves - 1` HQ halvings, one soxr call each: (wall, CPU) seconds."""
    import soxr
    times = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        x = y
        for _ in range(octaves - 1):
            x = soxr.resample(x, sr, sr // 2, "soxr_hq")
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(times)


def time_bench_cqt(bench):
    out = subprocess.run([bench, "--benchmark_filter=BM_CqtTransform", "--benchmark_format=json",
                          "--benchmark_min_time=1"], check=True, capture_output=True, text=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        bpo = int(b["name"].split("bpo:")[1].split("/")[0])
        result[bpo] = (b["real_time"] / 1e3, b["cpu_time"] / 1e3)  # ms -> s
    return result


def time_process(cmd, repeats):
    """Best of `repeats` runs: (wall seconds, CPU seconds of the child)."""
    times = []
    for _ in range(repeats):
        start, before = time.perf_counter(), os.times()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        times.append((time.perf_counter() - start, cpu))
    return min(times)


def report(rows, ours_name="cqtcnn"):
    """Wall-clock and CPU-time medians and the median of the per-round ratios (peer / ours)."""
    for name, ours, peer in rows:
        for i, kind in enumerate(["wall", "CPU"]):
            o = [t[i] for t in ours]
            p = [t[i] for t in peer]
            ratios = [b / a for a, b in zip(o, p)]
            print(f"{name}, {kind}: {ours_name} median {statistics.median(o) * 1e3:.1f} ms, librosa median "
                  f"{statistics.median(p) * 1e3:.1f} ms; ratios {', '.join(f'{r:.1f}' for r in ratios)}; "
                  f"median {statistics.median(ratios):.2f}x")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["cqt", "spectrogram"])
    ap.add_argument("--bench", default="build/bench_cqt")
    ap.add_argument("--cqtcnn", default="build/cqtcnn")
    ap.add_argument("--file", help="the audio file for `spectrogram` (22050 Hz)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3, help="calls per round; the best counts")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="spectrogram: -j values to run")
    args = ap.parse_args()
    import librosa
    sr = 22050
    if args.what == "cqt":
        y = signal(sr)
    else:
        import soundfile
        y, sr = soundfile.read(args.file, dtype="float32")
        if y.ndim > 1:
            y = y.mean(axis=1)
    librosa.cqt(y[: sr * 2], sr=sr, hop_length=512)  # numba compilation, not timed
    threads = args.threads if args.what == "spectrogram" else [None]
    ours = {(layout, j): [] for layout in LAYOUTS for j in threads}
    peer = {layout: [] for layout in LAYOUTS}
    floor = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            if args.what == "cqt":
                bench = time_bench_cqt(args.bench)
                for layout in LAYOUTS:
                    ours[(layout, None)].append(bench[layout[1]])
            for layout in LAYOUTS:
                for j in threads if args.what == "spectrogram" else []:
                    cmd = [args.cqtcnn, "spectrogram", args.file, "-o", os.path.join(tmp, "out.npy"),
                           "--n-bins", str(layout[0]), "--bins-per-octave", str(layout[1]), "-j", str(j)]
                    ours[(layout, j)].append(time_process(cmd, args.repeats))
                peer[layout].append(time_librosa(y, sr, layout[0], layout[1], args.repeats))
            if args.what == "spectrogram":
                floor.append(time_halvings(y, sr, -(-LAYOUTS[0][0] // LAYOUTS[0][1]), args.repeats))
    report([(f"{args.what} {n} bins / {b} per octave" + (f", -j {j}" if j else ""), ours[((n, b), j)], peer[(n, b)])
            for n, b in LAYOUTS for j in threads])
    if floor:  # the halvings against librosa: how far any exact CQT process could get
        report([(f"the halvings alone against librosa, {n} bins / {b} per octave", floor, peer[(n, b)])
                for n, b in LAYOUTS], ours_name="halvings")


if __name__ == "__main__":
    sys.exit(main())
