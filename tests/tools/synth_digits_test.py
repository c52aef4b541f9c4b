#!/usr/bin/python3
"""tools/cqtcnn_train/synth_digits.py: a small run makes labelled spoken digits as FSDD has them (8 kHz, mono,
16-bit, a word's length, not silent, trimmed), named and labelled alike; the same seed makes the
same bytes and another seed other ones; the reserved test voices appear only with --reserved; the
accent engine keeps only the words a language's voice speaks whole.

  synth_digits_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when espeak-ng, festival or sox is missing (tools/install-deps.sh)."""
import csv
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

src = sys.argv[2]
tool = [sys.executable, "-m", "cqtcnn_train.synth_digits"]
if not all(shutil.which(t) for t in ("espeak-ng", "text2wave", "sox")) or \
        not os.path.isdir("/usr/share/festival/voices/english/ked_diphone"):
    print("espeak-ng, festival (ked voice) or sox is not installed: skipped")
    sys.exit(77)

failures = []
ENGINES = ("espeak", "festival", "accent")


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(out, *options):
    return subprocess.run([*tool, out, "--jobs", "2", *options], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as work:
    a, b, c = (os.path.join(work, n) for n in "abc")
    for folder, seed in ((a, "0"), (b, "0"), (c, "1")):
        for engine in ENGINES:
            r = run(os.path.join(folder, engine), "--engines", engine, "--limit", "2", "--seed", seed)
            check(r.returncode == 0, f"{engine} seed {seed}: exit {r.returncode}: {r.stderr.strip()}")

    for engine in ENGINES:
        folder = os.path.join(a, engine)
        with open(os.path.join(folder, "labels.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        files = sorted(n for n in os.listdir(folder) if n.endswith(".wav"))
        if engine == "accent":  # each speaker says the digits its language can: at least five
            per_speaker = [sum(r["speaker"] == s for r in rows) for s in {r["speaker"] for r in rows}]
            check(all(5 <= n <= 10 for n in per_speaker), f"accent: words per speaker {per_speaker}")
        else:
            check(len(rows) == 20, f"{engine}: {len(rows)} rows, want 20 (2 speakers x 10 digits)")
        check(sorted(r["path"] for r in rows) == files, f"{engine}: labels.csv and the files differ")
        check(len({r["speaker"] for r in rows}) == 2, f"{engine}: want 2 speakers")
        for r in rows:
            digit, speaker, _ = r["path"][:-4].split("_")
            check(digit == r["label"] and speaker == r["speaker"] and r["engine"] == engine,
                  f"{r['path']}: name and labels disagree ({r})")
            check(not any(v in speaker for v in ("kal", "slt", "flite")), f"{speaker}: a reserved voice")
            info = soundfile.info(os.path.join(folder, r["path"]))
            check(info.samplerate == 8000 and info.channels == 1 and info.subtype == "PCM_16",
                  f"{r['path']}: {info.samplerate} Hz, {info.channels} channels, {info.subtype}")
            check(0.08 <= info.duration <= 2.5, f"{r['path']}: {info.duration:.2f} s is not a word's length")
            y, _ = soundfile.read(os.path.join(folder, r["path"]))
            peak = np.max(np.abs(y))
            check(10 ** (-31 / 20) <= peak <= 10 ** (-0.9 / 20), f"{r['path']}: peak {peak:.4f} outside -30..-1 dBFS")
            # Trimmed (FSDD trims 13-35 dB below the peak): within 50 ms of either end the word is
            # less than 45 dB below its loudest 10 ms.
            frames = np.sqrt(np.mean(y[: len(y) // 80 * 80].reshape(-1, 80) ** 2, axis=1))
            for end in (frames[:5], frames[-5:]):
                check(end.max() > frames.max() * 10 ** (-45 / 20), f"{r['path']}: untrimmed silence at an end")
        same = filecmp.cmpfiles(folder, os.path.join(b, engine), files, shallow=False)[0]
        check(len(same) == len(files), f"{engine}: seed 0 twice gave {len(files) - len(same)} different files")
        _, differ, missing = filecmp.cmpfiles(folder, os.path.join(c, engine), files, shallow=False)
        check(len(differ) + len(missing) >= len(files) // 2, f"{engine}: seed 1 gave the same files as seed 0")

    # A language's voice stops a word at a phoneme it lacks: German has no English "one" (its
    # vowel V), French speaks all ten.
    from cqtcnn_train import synth_digits
    german, french = synth_digits.accent_words("de"), synth_digits.accent_words("fr-fr")
    check(1 not in german and 2 in german and german[2] == "t'u:", f"accent_words('de') = {german}")
    check(sorted(french) == list(range(10)), f"accent_words('fr-fr') keeps {sorted(french)}, want all ten")
    check(synth_digits.accent_words("zz") == {}, "a voice espeak-ng cannot load keeps a word")

    r = run(os.path.join(work, "bad"), "--engines", "espeak,mbrola")
    check(r.returncode != 0 and r.stderr.strip().count("\n") == 0 and "unknown engine" in r.stderr,
          f"a bad --engines: exit {r.returncode}, stderr {r.stderr!r}")

    if shutil.which("flite"):
        r = run(os.path.join(work, "reserved"), "--reserved", "--limit", "3")
        check(r.returncode == 0, f"--reserved: exit {r.returncode}: {r.stderr.strip()}")
        with open(os.path.join(work, "reserved", "labels.csv"), newline="") as f:
            engines = {row["engine"] for row in csv.DictReader(f)}
        check(engines == {"flite"}, f"--reserved --limit 3 made {engines}, want flite voices first")

print(f"synth_digits_test: {len(failures)} failed checks")
sys.exit(1 if failures else 0)
