#!/usr/bin/python3
"""docs/training.md ("Train on your own sounds"), run as written: its ```sh blocks in order with
bash, its ```python block as the script its first line names, in a folder of three classes of
synthetic sounds (a hum, a whistle, a hiss: a few made here with numpy) with a README.txt and a
.DS_Store in one class folder, against cqtcnn installed into a temporary prefix (cmake --install
of the build folder the binary is in). Two changes to the commands: the page's /usr/local is the
test's prefix, and cqtcnn-train gets a tiny network and 3 epochs (QUICK) to take seconds.
Checks: the skipped files are said once, the held-out accuracy is well above chance (1/3), the
trained model and the exported PyTorch network both classify a new whistle as a whistle.

  walkthrough_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import os
import re
import subprocess
import sys
import tempfile

try:
    import torch  # noqa: F401
except ImportError:
    print("torch is not installed: skipped")
    sys.exit(77)
import numpy as np
import soundfile

QUICK = "--epochs 3 --channels 4,8 --dense 16 --batch 16 --threads 1"
RATE = 22050
cqtcnn, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        failures.append(what)


def sound(kind, rng):
    """One second of a class: a hum (100-130 Hz and three harmonics), a whistle (1.2-1.8 kHz with
    vibrato) or a hiss (white noise), at a random level with a little noise."""
    t = np.arange(RATE) / RATE
    if kind == "hum":
        f = rng.uniform(100, 130)
        y = sum(np.sin(2 * np.pi * f * k * t) / k for k in range(1, 5))
    elif kind == "whistle":
        f = rng.uniform(1200, 1800)
        y = np.sin(2 * np.pi * f * t + 3 * np.sin(2 * np.pi * rng.uniform(4, 7) * t))
    else:
        y = rng.normal(0, 1, RATE)
    y = y / np.abs(y).max() * rng.uniform(0.2, 0.8) + rng.normal(0, 0.003, RATE)
    return y.astype(np.float32)


def blocks(markdown):
    """The page's ```sh and ```python blocks, in order: (language, text)."""
    return re.findall(r"^```(sh|python)\n(.*?)^```$", markdown, re.S | re.M)


with tempfile.TemporaryDirectory() as work:
    prefix = os.path.join(work, "prefix")
    install = subprocess.run(["cmake", "--install", os.path.dirname(os.path.abspath(cqtcnn)), "--prefix", prefix],
                             capture_output=True, text=True)
    if install.returncode:
        sys.exit(f"cmake --install failed: {install.stdout}{install.stderr}")
    env = dict(os.environ, PATH=os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"])

    os.chdir(work)
    rng = np.random.default_rng(14)
    for kind in ("hum", "whistle", "hiss"):
        os.makedirs(os.path.join("sounds", kind))
        for i in range(15):
            soundfile.write(os.path.join("sounds", kind, f"{kind}-{i:02d}.wav"), sound(kind, rng), RATE)
    for junk in ("README.txt", ".DS_Store"):
        with open(os.path.join("sounds", "hum", junk), "w") as f:
            f.write("not audio\n")
    soundfile.write("recording.wav", sound("whistle", rng), RATE)

    with open(os.path.join(src, "docs", "training.md")) as f:
        page = f.read()
    outputs = []  # (command block, stdout, stderr)
    for language, text in blocks(page):
        if language == "python":
            name = re.match(r"# (\S+\.py)", text).group(1)
            with open(name, "w") as f:
                f.write(text)
            continue
        text = text.replace("/usr/local", prefix).replace("cqtcnn-train ", f"cqtcnn-train {QUICK} ")
        run = subprocess.run(["bash", "-euo", "pipefail", "-c", text], env=env, capture_output=True, text=True)
        print(f"$ {text.strip()}\n{run.stdout}{run.stderr}", end="")
        check(run.returncode == 0, f"exit {run.returncode}: {text.strip().splitlines()[0]}")
        if run.returncode:
            break
        outputs.append((text, run.stdout, run.stderr))

    def output_of(command):
        return "".join(out + err for text, out, err in outputs if command in text)

    train = [err for text, _, err in outputs if "cqtcnn-train" in text]
    skipped = "cqtcnn-train: skipped 2 files that are not audio (.DS_Store, README.txt)"
    check(bool(train) and train[0].splitlines().count(skipped) == 1 and train[0].count("skipped") == 1,
          f"cqtcnn-train says once: {skipped}")
    held_out = sum(len(os.listdir(os.path.join("held-out", kind))) for kind in ("hum", "whistle", "hiss"))
    check(held_out == 9, f"the split held out 3 files of each class ({held_out})")
    accuracy = re.search(r"^accuracy: .*\((\d+)/(\d+)\)", output_of("cqtcnn evaluate"), re.M)
    check(accuracy is not None and int(accuracy.group(2)) == 9 and int(accuracy.group(1)) >= 8,
          f"evaluate on held-out: {accuracy.group(0) if accuracy else 'no accuracy line'} (chance: 3/9)")
    for model in ("my-sounds.json", "my-net.json"):
        rows = [line for line in output_of(f"--model {model}").splitlines() if line.startswith("recording.wav")]
        check(len(rows) == 1 and rows[0].split()[1] == "whistle", f"classify --model {model}: {rows}")
    check("0 failed" in output_of("cqtcnn inspect my-net.json"), "inspect my-net.json: test vectors pass")
sys.exit(1 if failures else 0)
