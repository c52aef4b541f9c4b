#!/usr/bin/python3
"""A user's mistake in tools/train.py or tools/export_pytorch.py is one line on stderr naming the
file and the problem, exit 2, never a traceback; cqtcnn's own message when `cqtcnn features`
refuses the input (with cqtcnn's exit code). Each case stops before any training.

  tool_errors_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("torch is not installed: skipped")
    sys.exit(77)
import numpy as np
import soundfile

cqtcnn, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
train_py, export_py = (os.path.join(src, "tools", name) for name in ("train.py", "export_pytorch.py"))
failures = []


def report(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        failures.append(what)


def run_tool(command):
    return subprocess.run(["/usr/bin/python3"] + command, capture_output=True, text=True)


def expect(command, code, *texts):
    """Runs a tool; expects exit `code`, one stderr line holding every text, and no traceback."""
    run = run_tool(command)
    ok = run.returncode == code and len(run.stderr.splitlines()) == 1 and all(t in run.stderr for t in texts) \
        and "Traceback" not in run.stderr
    report(ok, f"{' '.join(os.path.basename(c) for c in command)}: exit {run.returncode}: {run.stderr.strip()}")


with tempfile.TemporaryDirectory() as work:
    os.chdir(work)
    t = np.arange(8000) / 8000
    for label, hz in (("a", 200), ("b", 400), ("c", 800)):
        os.makedirs(os.path.join("train", label))
        for i in range(2):
            soundfile.write(os.path.join("train", label, f"{i}.wav"), np.sin(2 * np.pi * hz * (1 + i / 10) * t), 8000)
    with open("test.csv", "w") as f:
        f.write("path,label\ntrain/a/0.wav,a\ntrain/b/0.wav,oboe\n")
    with open("header-only.csv", "w") as f:
        f.write("path,label\n")
    open("empty.csv", "w").close()
    with open("missing.csv", "w") as f:
        f.write("path,label\ntrain/a/0.wav,a\nnot-recorded.wav,b\n")
    with open(os.path.join(src, "models", "digits.frontend.json")) as f:
        frontend = json.load(f)
    with open("frontend.json", "w") as f:
        json.dump(frontend, f)
    frontend["cqt"]["filter_scal"] = frontend["cqt"].pop("filter_scale")
    with open("typo.frontend.json", "w") as f:
        json.dump(frontend, f)
    with open("broken.csv", "w") as f:
        f.write("path,label\n" + "".join(f"train/{c}/{i}.wav,{c}\n" for c in "abc" for i in range(2)) + "broken.wav,c\n")
    with open("broken.wav", "wb") as f:
        f.write(b"RIFF\x24\x00\x00\x00WAVEjunk")

    def train(*options):
        return [train_py, "--cqtcnn", cqtcnn, "--out", "model.json", "--epochs", "1"] + list(options)

    expect(train("--train", "train", "--test", "test.csv", "--frontend", "frontend.json"), 2,
           "test.csv: label 'oboe' is not among the training labels (a, b, c)")
    expect(train("--train", "train", "--frontend", "typo.frontend.json"), 2, "typo.frontend.json", "filter_scal")
    expect(train("--train", "header-only.csv", "--frontend", "frontend.json"), 2, "header-only.csv: no rows")
    expect(train("--train", "empty.csv", "--frontend", "frontend.json"), 2, "empty.csv: no rows")
    expect(train("--train", "missing.csv", "--frontend", "frontend.json"), 2,
           "missing.csv: line 3: no such file:", "not-recorded.wav")
    expect(train("--train", "train", "--frontend", "nope.frontend.json"), 2,
           "nope.frontend.json: cannot read the front end: No such file or directory")
    expect(train("--train", "no-such-folder", "--frontend", "frontend.json"), 2,
           "no-such-folder: No such file or directory")
    expect(train("--train", "train/a", "--frontend", "frontend.json"), 2, "train/a: no audio files in label folders")
    with open("one-file.csv", "w") as f:
        f.write("train/a/0.wav,a\ntrain/a/1.wav,a\ntrain/b/0.wav,b\n")
    expect(train("--train", "one-file.csv", "--frontend", "frontend.json"), 2,
           "one-file.csv: label 'b' has 1 file: each label needs two or more")
    expect(train("--train", "train", "--frontend", "frontend.json", "--channels", "8,x"), 2, "--channels 8,x")
    expect(train("--train", "train", "--frontend", "frontend.json", "--out", "no-folder/model.json"), 2,
           "no-folder/model.json: no folder")
    # cqtcnn features cannot decode broken.wav: its message, its exit code (1: unreadable audio).
    run = run_tool(train("--train", "broken.csv", "--frontend", "frontend.json"))
    report(run.returncode == 1 and "broken.wav" in run.stderr and "Traceback" not in run.stderr,
           f"train.py on a broken WAV: exit {run.returncode}: {run.stderr.strip()}")

    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(2 * 82 * 62, 3))
    torch.save(net, "tiny.pt")
    torch.save(net.state_dict(), "state.pt")
    with open("notes.pt", "w") as f:
        f.write("not a torch file\n")
    # The documented example (--labels used to take the output path as a fourth label).
    run = run_tool([export_py, "--module", "tiny.pt", "--input-shape", "1", "84", "64", "--labels", "a", "b", "c",
                    "-o", "tiny.json"])
    # Without --frontend the model is for predict only: said at export, in one line, not first by classify.
    report(run.returncode == 0 and "3 test vectors" in run.stdout
           and run.stdout.startswith("wrote tiny.json: 3 layers, input 1x84x64, 3 labels, ")
           and run.stderr.count("\n") == 1 and run.stderr.startswith("warning: tiny.json has no front end (--frontend)"),
           f"the documented export: exit {run.returncode}: {run.stdout.strip()}{run.stderr.strip()}")
    run = run_tool([export_py, "--module", "tiny.pt", "--input-shape", "1", "84", "64", "--frontend",
                    os.path.join(src, "models", "digits.frontend.json"), "-o", "with-frontend.json"])
    report(run.returncode == 0 and not run.stderr, f"export with --frontend: exit {run.returncode}: {run.stderr.strip()}")
    expect([export_py, "--module", "state.pt", "-o", "out.json"], 2,
           "state.pt: holds a state dict, not a module: save the model with torch.save(model)")
    expect([export_py, "--module", "tiny.pt", "--input-shape", "1", "70", "64", "-o", "out.json"], 2,
           "tiny.pt: input shape 1x70x64 does not fit layer 2 (Linear")
    expect([export_py, "--module", "tiny.pt", "--labels", "a", "b", "-o", "out.json"], 2,
           "tiny.pt: 2 labels for a network with 3 outputs")
    expect([export_py, "--module", "notes.pt", "-o", "out.json"], 2, "notes.pt: torch.load cannot read it")
    expect([export_py, "--module", "absent.pt", "-o", "out.json"], 2, "absent.pt: No such file or directory")
sys.exit(1 if failures else 0)
