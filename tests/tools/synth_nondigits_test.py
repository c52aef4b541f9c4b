#!/usr/bin/python3
"""tools/cqtcnn_train/synth_nondigits.py: a small run makes every kind of non-digit sound, labelled "_none_",
as 8 kHz mono 16-bit files of the planned lengths, none silent where it should sound; the same
seed makes the same bytes; no word of either list is a digit, contains one or sounds like one; the
held-out set takes its music from FluidR3 and the training set from TimGM6mb only (FluidR3, flite
and festival's kal and slt are reserved for tests).

  synth_nondigits_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when espeak-ng, festival, sox, fluidsynth or a soundfont is missing."""
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
tool = [sys.executable, "-m", "cqtcnn_train.synth_nondigits"]
if not all(shutil.which(t) for t in ("espeak-ng", "text2wave", "sox", "fluidsynth")) or \
        not os.path.exists("/usr/share/sounds/sf2/TimGM6mb.sf2"):
    print("espeak-ng, festival, sox, fluidsynth or TimGM6mb is not installed: skipped")
    sys.exit(77)
from cqtcnn_train import synth_nondigits  # noqa: E402

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(out, *options):
    return subprocess.run([*tool, out, "--jobs", "2", "--scale", "0.01", *options],
                          capture_output=True, text=True)


# The word lists: no digit, no digit's name inside, no sound-alike; the two lists are disjoint.
for word in synth_nondigits.TRAIN_WORDS + synth_nondigits.TEST_WORDS:
    if synth_nondigits.allowed(word):
        check(not any(d in word for d in ("zero", "one", "two", "three", "four", "five", "six", "seven",
                                          "eight", "nine")), f"'{word}' contains a digit")
check(not synth_nondigits.allowed("someone") and not synth_nondigits.allowed("won")
      and not synth_nondigits.allowed("eight") and synth_nondigits.allowed("table"), "allowed()")
check(not set(synth_nondigits.TRAIN_WORDS) & set(synth_nondigits.TEST_WORDS), "the word lists overlap")

with tempfile.TemporaryDirectory() as work:
    a, b = os.path.join(work, "a"), os.path.join(work, "b")
    for folder in (a, b):
        r = run(folder, "--seed", "3")
        check(r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()}")
    with open(os.path.join(a, "labels.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    files = sorted(n for n in os.listdir(a) if n.endswith(".wav"))
    check(sorted(r["path"] for r in rows) == files, "labels.csv and the files differ")
    check({r["label"] for r in rows} == {"_none_"}, f"labels {({r['label'] for r in rows})}")
    check({r["kind"] for r in rows} == set(synth_nondigits.KINDS), f"kinds {({r['kind'] for r in rows})}")
    check({r["source"] for r in rows if r["kind"] == "music"} == {"timgm6mb"}, "training music is TimGM6mb's")
    for row in rows:
        info = soundfile.info(os.path.join(a, row["path"]))
        check(info.samplerate == 8000 and info.channels == 1 and info.subtype == "PCM_16", f"{row['path']}: {info}")
        y, _ = soundfile.read(os.path.join(a, row["path"]))
        check(0.1 <= len(y) / 8000 <= 4.0, f"{row['path']}: {len(y) / 8000:.2f} s")
        rms_db = 20 * np.log10(np.sqrt(np.mean(y ** 2)) + 1e-12)
        low = -70 if row["kind"] == "silence" else -75  # words and tones peak at -30 dBFS or more
        check(rms_db > low and np.max(np.abs(y)) <= 1.0, f"{row['path']}: RMS {rms_db:.1f} dBFS")
        if row["kind"] == "silence":
            check(rms_db < -35, f"{row['path']}: 'silence' at {rms_db:.1f} dBFS")
        check(filecmp.cmp(os.path.join(a, row["path"]), os.path.join(b, row["path"]), shallow=False),
              f"{row['path']}: the same seed made other bytes")

    if os.path.exists(synth_nondigits.TEST_SOUNDFONT) and shutil.which("flite"):
        held = os.path.join(work, "held")
        r = run(held, "--held-out")
        check(r.returncode == 0, f"--held-out: exit {r.returncode}: {r.stderr.strip()}")
        with open(os.path.join(held, "labels.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        check({r["source"] for r in rows if r["kind"] == "music"} == {"fluidr3"}, "held-out music is FluidR3's")
        words = [r["source"].rsplit("-", 1)[-1] for r in rows if r["kind"] == "words"]
        check(words and all(w in synth_nondigits.TEST_WORDS for w in words), f"held-out words {words}")

if failures:
    sys.exit(1)
print("synth_nondigits: ok")
