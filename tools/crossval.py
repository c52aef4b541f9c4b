#!/usr/bin/env python3
"""Leave-one-speaker-out cross-validation of the digits model on FSDD.

  /usr/bin/python3 tools/crossval.py ../shared/data/fsdd [--jobs N] [--record MODEL.json] [train.py options...]

Splits the dataset by speaker (tools/datasets.py), trains one model per left-out speaker with
tools/train.py and the same options as the shipped model, and prints each fold's file-level
accuracy on the unseen speaker, the mean and the worst fold. With --record, the figures and the
options that produced them are also written into MODEL.json's metadata
(metrics.leave_one_speaker_out), so a shipped model carries its own cross-validation.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root, extra = sys.argv[1], sys.argv[2:]
    jobs, record = 1, None
    while extra[:1] in (["--jobs"], ["--record"]):
        if extra[0] == "--jobs":
            jobs = int(extra[1])
        else:
            record = extra[1]
        extra = extra[2:]
    if record:  # refuse a bad --record file now, not after an hour of training
        try:
            with open(record) as f:
                json.load(f)
        except (OSError, ValueError) as e:
            sys.exit(f"crossval.py: {record}: cannot be read as a model file ({e})")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, os.path.join(here, "datasets.py"), "fsdd", root, work], check=True)
        speakers = sorted(f[len("loso_"):-len("_test.csv")] for f in os.listdir(work) if f.endswith("_test.csv"))
        results = {}

        def fold(speaker):
            out = os.path.join(work, f"{speaker}.json")
            subprocess.run([sys.executable, os.path.join(here, "train.py"),
                            "--train", os.path.join(work, f"loso_{speaker}_train.csv"),
                            "--test", os.path.join(work, f"loso_{speaker}_test.csv"),
                            "--out", out, "--name", f"digits-without-{speaker}"] + extra,
                           check=True, stdout=subprocess.DEVNULL)
            with open(out) as f:
                results[speaker] = json.load(f)["metadata"]["metrics"]["test_accuracy"]
            print(f"{speaker:10s} {results[speaker]:.4f}", flush=True)

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            list(pool.map(fold, speakers))
    accuracies = list(results.values())
    summary = {s: results[s] for s in sorted(results)}
    summary.update(mean=round(sum(accuracies) / len(accuracies), 4), worst=min(accuracies),
                   how="tools/crossval.py: tools/train.py on tools/datasets.py's loso_<speaker>_{train,test}.csv "
                       "with: " + " ".join(extra))
    if record:
        with open(record) as f:
            model = json.load(f)
        model.setdefault("metadata", {}).setdefault("metrics", {})["leave_one_speaker_out"] = summary
        with open(record, "w") as f:
            json.dump(model, f, indent=1)
            f.write("\n")
    print(f"mean {summary['mean']:.4f}  worst {summary['worst']:.4f} ({min(results, key=results.get)})")
    print(json.dumps({"leave_one_speaker_out": results, "mean": summary["mean"], "worst": summary["worst"]}))


if __name__ == "__main__":
    main()
