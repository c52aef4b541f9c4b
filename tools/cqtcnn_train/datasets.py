"""Labelled file lists (CSV: path,label) for the shipped models' datasets and their splits.

  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.datasets fsdd ../shared/data/fsdd OUT_DIR
      train.csv / test.csv: the dataset's official split (recordings 0-4 of every digit and
      speaker are the test set); all.csv: every file with its speaker, for
      tools/research/crossval.py --by speaker.
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.datasets instruments ../shared/data/instruments OUT_DIR \
          [SYNTH_DIR ...] [--philharmonia ../shared/data/philharmonia]
      The 13 instrument classes that both real sources have (CLASS_OF: IMIS's alto and bass
      flutes are flutes, and so on). train.csv / test.csv split each real source by pitch: every
      instrument's test notes are at pitches (MIDI notes) that none of its training notes of that
      source has. Each SYNTH_DIR (synth_instruments.py's output) adds all its notes to
      train.csv. train-SOURCE.csv / test-SOURCE.csv: the same per source. all.csv: every note
      with its source (imis, philharmonia, or the soundfont's name) and MIDI note, for
      tools/research/crossval.py --by source and tools/research/explore_sources.py.
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.datasets relabel SYNTH_DIR OUT.csv
      Every note of a synth_instruments.py output (e.g. the reserved FluidR3 notes) as
      path,label with the 13 shipped classes, for `cqtcnn evaluate`; nothing is split or trained.
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.datasets sample IN.csv N OUT.csv
      N rows of IN.csv (all its columns), the same number of each label, chosen with seed 0:
      a smaller training set of synthetic files.
"""
import csv
import os
import random
import re
import sys

from .cli import fail


def write(path, rows, header=("path", "label")):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def fsdd(root, out):
    root = os.path.abspath(root)
    rows = []
    for name in sorted(os.listdir(root)):
        m = re.fullmatch(r"(\d)_([a-z]+)_(\d+)\.wav", name)
        if m:
            rows.append((os.path.join(root, name), m.group(1), m.group(2), int(m.group(3))))
    write(os.path.join(out, "train.csv"), [(p, d) for p, d, s, i in rows if i >= 5])
    write(os.path.join(out, "test.csv"), [(p, d) for p, d, s, i in rows if i < 5])
    write(os.path.join(out, "all.csv"), [(p, d, s) for p, d, s, _ in rows], ("path", "label", "speaker"))
    print(f"fsdd: {len(rows)} files -> {out}")


# The shipped instrument classes: those that at least two real recorded sources have (IMIS and
# the Philharmonia Orchestra's samples), named as a player would. Each source's own label -> class.
# IMIS's alto and bass flutes are flutes, its alto and soprano saxophones saxophones and its tenor
# and bass trombones trombones; General MIDI's programs (the soundfont notes) are the standard
# member of each family.
CLASS_OF = {
    "alto-flute": "flute", "bass-flute": "flute",
    "alto-saxophone": "saxophone", "soprano-saxophone": "saxophone",
    "tenor-trombone": "trombone", "bass-trombone": "trombone",
}
INSTRUMENT_CLASSES = ("bass-clarinet", "bassoon", "cello", "clarinet", "double-bass", "flute", "french-horn",
                      "oboe", "saxophone", "trombone", "trumpet", "viola", "violin")
NOTE_NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def instrument_class(label):
    """The shipped class of a source's own instrument label (CLASS_OF; the rest keep their name)."""
    return CLASS_OF.get(label, label)


def midi_of_note(name):
    """MIDI note of a Philharmonia note name: `As4` (A sharp 4) -> 70, `C4` -> 60."""
    m = re.fullmatch(r"([A-G])(s?)(-?\d)", name)
    if not m:
        raise ValueError(f"not a note name: {name}")
    return 12 * (int(m.group(3)) + 1) + NOTE_NAMES[m.group(1)] + (1 if m.group(2) else 0)


def imis_notes(root):
    """(path, class, midi note, source) of every IMIS note (../shared/data/instruments)."""
    with open(os.path.join(root, "labels.csv")) as f:
        return [(os.path.join(root, r["path"]), instrument_class(r["class"]), int(r["midi_note"]), "imis")
                for r in csv.DictReader(f)]


def philharmonia_notes(root):
    """(path, class, midi note, source) of every Philharmonia note (../shared/data/philharmonia)."""
    with open(os.path.join(root, "labels.csv")) as f:
        return [(os.path.join(root, r["path"]), instrument_class(r["instrument"]), midi_of_note(r["note"]),
                 "philharmonia") for r in csv.DictReader(f)]


# The real recorded sources of the instrument notes and their readers; the other sources are
# soundfonts (synth_instruments.py).
REAL_SOURCES = {"imis": imis_notes, "philharmonia": philharmonia_notes}


def pitch_split(notes):
    """(train, test) of one source's notes: every third distinct pitch of each class is a test
    pitch (offset 1, so the lowest and highest notes stay in training and the test pitches lie
    inside the trained range)."""
    by_class = {}
    for note in notes:
        by_class.setdefault(note[1], []).append(note)
    train, test = [], []
    for _, group in sorted(by_class.items()):
        pitches = sorted({n[2] for n in group})
        test_pitches = set(pitches[1:-1:3])
        for note in group:
            (test if note[2] in test_pitches else train).append(note)
    return train, test


def instruments(real_roots, out, synth_dirs):
    """real_roots: {"imis": folder, "philharmonia": folder or None}. Each real source is split by
    pitch (pitch_split); each SYNTH_DIR (synth_instruments.py's output) adds all its notes
    to training. Writes train.csv and test.csv (path,label), all.csv (path,label,source,midi_note:
    every note, for tools/research/crossval.py --by source and tools/research/explore_sources.py)
    and one train-SOURCE.csv / test-SOURCE.csv per source."""
    per_source = {}
    for source, root in real_roots.items():
        if root:
            per_source[source] = pitch_split(REAL_SOURCES[source](os.path.abspath(root)))
    for folder in synth_dirs:
        with open(os.path.join(folder, "labels.csv")) as f:
            for r in csv.DictReader(f):
                note = (os.path.abspath(os.path.join(folder, r["path"])), instrument_class(r["label"]),
                        int(r["midi_note"]), r["source"])
                per_source.setdefault(r["source"], ([], []))[0].append(note)
    for source, (train, test) in per_source.items():
        unknown = sorted({n[1] for n in train + test} - set(INSTRUMENT_CLASSES))
        if unknown:
            fail(f"{source}: labels outside the instrument classes: {', '.join(unknown)}")
        write(os.path.join(out, f"train-{source}.csv"), [n[:2] for n in train])
        if test:
            write(os.path.join(out, f"test-{source}.csv"), [n[:2] for n in test])
    train = [n for split in per_source.values() for n in split[0]]
    test = [n for split in per_source.values() for n in split[1]]
    write(os.path.join(out, "train.csv"), [n[:2] for n in train])
    write(os.path.join(out, "test.csv"), [n[:2] for n in test])
    write(os.path.join(out, "all.csv"), [(p, l, s, m) for p, l, m, s in train + test],
          ("path", "label", "source", "midi_note"))
    counts = ", ".join(f"{s} {len(a)} + {len(b)}" for s, (a, b) in per_source.items())
    print(f"instruments: {len(train)} train, {len(test)} test notes ({counts}) -> {out}")


def relabel(folder, out):
    with open(os.path.join(folder, "labels.csv")) as f:
        rows = [(os.path.abspath(os.path.join(folder, r["path"])), instrument_class(r["label"]))
                for r in csv.DictReader(f)]
    write(out, rows)
    print(f"relabel: {len(rows)} notes -> {out}")


def sample(source, n, out):
    with open(source, newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    by_label = {}
    for r in rows:
        by_label.setdefault(r["label"], []).append(r)
    rng, picked = random.Random(0), []
    for label in sorted(by_label):
        picked += rng.sample(by_label[label], min(len(by_label[label]), n // len(by_label)))
    base = os.path.dirname(os.path.abspath(source))
    write(out, [[os.path.join(base, r["path"]) if c == "path" else r[c] for c in header] for r in picked], header)
    print(f"sample: {len(picked)} of {len(rows)} rows -> {out}")


def main(argv):
    if len(argv) == 4 and argv[0] == "sample":
        return sample(argv[1], int(argv[2]), argv[3])
    if len(argv) == 3 and argv[0] == "relabel":
        return relabel(argv[1], argv[2])
    philharmonia = None
    if "--philharmonia" in argv:
        i = argv.index("--philharmonia")
        if i + 1 >= len(argv):
            sys.exit(__doc__)
        philharmonia = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if (len(argv) < 3 or argv[0] not in ("fsdd", "instruments")
            or (argv[0] == "fsdd" and (len(argv) > 3 or philharmonia))):
        sys.exit(__doc__)
    os.makedirs(argv[2], exist_ok=True)
    if argv[0] == "fsdd":
        fsdd(argv[1], argv[2])
    else:
        instruments({"imis": argv[1], "philharmonia": philharmonia}, argv[2], argv[3:])


if __name__ == "__main__":
    main(sys.argv[1:])
