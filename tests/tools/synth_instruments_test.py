#!/usr/bin/python3
"""tools/cqtcnn_train/synth_instruments.py on a small config (violin and clarinet an octave apart, one velocity,
one length, TimGM6mb): labels.csv lists exactly the files written, with the right labels and
groups; every file is 16-bit mono at the requested rate, as long as the note (plus at most the
release tail and the leading silence), not silent, and at the note's pitch (an octave error is
tolerated, not more); the same seed gives byte-identical files, another seed other files; an
unknown class, a missing soundfont and one fluidsynth cannot load are one-line errors, exit 2.
The same through timidity with freepats: its violin and clarinet, and its missing viola skipped with
a line saying so; a patch timidity cannot load is a one-line error (timidity would otherwise play
the program from the system's configuration, which may be the reserved FluidR3).

  synth_instruments_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when fluidsynth, timidity, /usr/share/sounds/sf2/TimGM6mb.sf2 or
/etc/timidity/freepats.cfg is missing (Debian packages fluidsynth, timgm6mb-soundfont, timidity,
freepats)."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

SOUNDFONT = "/usr/share/sounds/sf2/TimGM6mb.sf2"
PATCHES = "/etc/timidity/freepats.cfg"
if (shutil.which("fluidsynth") is None or shutil.which("timidity") is None
        or not os.path.exists(SOUNDFONT) or not os.path.exists(PATCHES)):
    print("fluidsynth, timidity, TimGM6mb.sf2 or freepats is not installed: skipped")
    sys.exit(77)

src = sys.argv[2]
tool = ["/usr/bin/python3", "-m", "cqtcnn_train.synth_instruments"]
from cqtcnn_train import synth_instruments as si  # noqa: E402

RATE, LENGTH, LEAD = 16000, 0.5, 0.05
# Ranges from the brief: violin 55-95; clarinet is clarinet + bass clarinet, 50-87.
EXPECTED = {("violin", m) for m in (55, 67, 79, 91)} | {("clarinet", m) for m in (50, 62, 74, 86)}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def generate(out, seed, soundfont=SOUNDFONT, source="tim", classes="violin,clarinet"):
    cmd = [*tool, "--soundfont", soundfont, "--source", source, out,
           "--seed", str(seed), "--rate", str(RATE), "--velocities", "100",
           "--lengths", str(LENGTH), "--pitch-step", "12", "--classes", classes]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    check(run.returncode == 0, f"seed {seed}: exit {run.returncode}: {run.stderr}")
    return run


def f0_midi(x, rate):
    """The fundamental as a MIDI note: harmonic summation (harmonics 1-8, weighted 1/sqrt(k)) over
    candidates 10 cents apart, on the held part's magnitude spectrum (square-rooted, so a few
    strong partials do not decide alone)."""
    seg = x[int(0.1 * rate):]
    n = 1 << (int(np.ceil(np.log2(len(seg)))) + 2)
    mag = np.sqrt(np.abs(np.fft.rfft(seg * np.hanning(len(seg)), n)))
    candidates = np.arange(2400, 10800, 10) / 100  # MIDI 24-108
    f0 = 440 * 2 ** ((candidates - 69) / 12)
    score = np.zeros(len(f0))
    for k in range(1, 9):
        bins = np.round(k * f0 * n / rate).astype(int)
        ok = bins < len(mag) - 2
        # the largest of 5 bins around each harmonic, so a slightly detuned partial still counts
        near = np.max([mag[np.minimum(bins + d, len(mag) - 1)] for d in range(-2, 3)], axis=0)
        score += np.where(ok, near, 0) / np.sqrt(k)
    return candidates[np.argmax(score)]


def check_tables():
    check(set(si.GROUP_OF) == set(si.IMIS_RANGES) and len(si.GROUP_OF) == 16,
          "GROUP_OF covers the 16 classes")
    check(si.GROUP_OF["bass-flute"] == si.GROUP_OF["alto-flute"] == "flute"
          and si.GROUP_OF["bass-trombone"] == "trombone" and si.GROUP_OF["bass-clarinet"] == "clarinet"
          and si.GROUP_OF["oboe"] == "oboe", "groups of the pairs")
    check(si.note_range("alto-flute") == (49, 91) and si.note_range("tenor-trombone") == (25, 71),
          "pairs render the union of their ranges")
    # The Iowa set's own labels, where this checkout sits beside ../shared/data.
    iowa = os.path.join(src, "..", "shared", "data", "instruments", "labels.csv")
    if os.path.exists(iowa):
        notes = {}
        for row in csv.DictReader(open(iowa)):
            notes.setdefault(row["class"], []).append(int(row["midi_note"]))
        found = {c: (min(m), max(m)) for c, m in notes.items()}
        check(found == si.IMIS_RANGES, f"IMIS_RANGES matches {iowa}: {found}")


def check_output(out, source="tim"):
    """labels.csv against the files, and every file's format, length, level and pitch."""
    with open(os.path.join(out, "labels.csv"), newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == si.HEADER, f"header {rows[0]}")
    rows = [dict(zip(rows[0], r)) for r in rows[1:]]
    on_disk = {os.path.relpath(os.path.join(d, name), out)
               for d, _, names in os.walk(out) for name in names if name.endswith(".wav")}
    check({r["path"] for r in rows} == on_disk and len(rows) == len(on_disk), "labels.csv lists the files")
    check({(r["label"], int(r["midi_note"])) for r in rows} == EXPECTED, "labels and pitches")
    for r in rows:
        where = r["path"]
        check(r["path"].startswith(r["label"] + "/") and r["group"] == si.GROUP_OF[r["label"]]
              and r["velocity"] == "100" and float(r["length_s"]) == LENGTH and r["source"] == source,
              f"{where}: row {r}")
        info = soundfile.info(os.path.join(out, where))
        check(info.channels == 1 and info.samplerate == RATE and info.subtype == "PCM_16",
              f"{where}: {info.channels} channels, {info.samplerate} Hz, {info.subtype}")
        x, rate = soundfile.read(os.path.join(out, where))
        seconds = len(x) / rate
        check(LENGTH <= seconds <= LENGTH + si.TAIL_S + LEAD + 1 / rate, f"{where}: {seconds:.3f} s")
        peak = np.abs(x).max()
        check(peak > 10 ** (-21 / 20), f"{where}: peak {20 * np.log10(peak + 1e-12):.1f} dBFS")
        got = f0_midi(x, rate)
        semitones = got - int(r["midi_note"])
        check(abs(semitones - 12 * round(semitones / 12)) <= 1, f"{where}: pitch {got:.1f}")
        print(f"{where}: {seconds:.3f} s, peak {20 * np.log10(peak):.1f} dBFS, pitch {got:.1f}")
    return sorted(on_disk)


def same_files(a, b, names):
    return [open(os.path.join(a, n), "rb").read() == open(os.path.join(b, n), "rb").read() for n in names]


def check_errors(work):
    # A soundfont fluidsynth fails to load: it would fall back to the system's default one.
    broken = os.path.join(work, "broken.sf2")
    with open(SOUNDFONT, "rb") as f, open(broken, "wb") as out:
        out.write(f.read(1 << 20))
    # A patch timidity cannot load: its log names the patch but nothing plays it (timidity would
    # fill the program from the system's configuration).
    missing_patch = os.path.join(work, "missing-patch.cfg")
    with open(missing_patch, "w") as f:
        f.write("dir /usr/share/midi/freepats\nbank 0\n 40 Tone_000/no_such_patch.pat\n")
    for extra, what, says in (
            (["--classes", "violin,kazoo"], "unknown class", ""),
            (["--soundfont", os.path.join(work, "none.sf2")], "missing soundfont", ""),
            (["--soundfont", broken, "--classes", "oboe"], "truncated soundfont", ""),
            (["--soundfont", missing_patch, "--classes", "violin", "--pitch-step", "12", "--per-pitch", "1"],
             "missing patch", "did not play " + missing_patch + "'s patch Tone_000/no_such_patch.pat")):
        cmd = [*tool, "--soundfont", SOUNDFONT, "--source", "tim",
               os.path.join(work, "err")] + extra
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        lines = run.stderr.splitlines()
        check(run.returncode == 2 and len(lines) == 1 and lines[0].startswith("synth_instruments.py: ")
              and says in lines[0], f"{what}: exit {run.returncode}, stderr {run.stderr!r}")
        print(f"{what}: exit {run.returncode}: {run.stderr.strip()}")


def check_patch_set(work):
    """freepats through timidity: the notes it has, the class it lacks skipped and said so."""
    out = os.path.join(work, "freepats")
    run = generate(out, 0, PATCHES, "freepats", "violin,viola,clarinet")
    check(f"viola: skipped, {PATCHES} has no patch for GM 41 Viola" in run.stderr.splitlines(),
          f"freepats: the missing viola is named: {run.stderr!r}")
    if run.returncode == 0:
        check_output(out, "freepats")


check_tables()
with tempfile.TemporaryDirectory() as work:
    a, b, c = (os.path.join(work, d) for d in "abc")
    generate(a, 0)
    if not failures:
        names = check_output(a)
        generate(b, 0)
        generate(c, 1)
        check(all(same_files(a, b, names + ["labels.csv"])), "same seed: byte-identical files")
        check(not any(same_files(a, c, names)), "another seed: every file differs")
    check_errors(work)
    check_patch_set(work)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
