#!/usr/bin/python3
"""tools/cqtcnn_train/datasets.py instruments on a small made-up tree of both real sources and a soundfont:
every source's labels become the 13 shipped classes (IMIS's alto and bass flutes are flutes, its
saxophones saxophones, its trombones and Philharmonia's tenor trombone trombones), Philharmonia's
note names become the right MIDI notes, each real source is split by pitch (the test pitches of a
class are every third of its distinct pitches, never its lowest or highest, and no test pitch is
trained on), soundfont notes only train, and a label outside the classes is a one-line error.

  datasets_test.py <path-to-cqtcnn> <source-dir>
"""
import csv
import os
import subprocess
import sys
import tempfile

import tool_harness

from cqtcnn_train import datasets  # noqa: E402

tool = [sys.executable, "-m", "cqtcnn_train.datasets"]


def check(condition, what):
    tool_harness.check(what, condition)


SYNTH_HEADER = ["path", "label", "group", "midi_note", "velocity", "length_s", "source"]


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


check(datasets.midi_of_note("C4") == 60 and datasets.midi_of_note("As4") == 70
      and datasets.midi_of_note("Gs2") == 44 and datasets.midi_of_note("B0") == 23, "note names -> MIDI")
check(len(datasets.INSTRUMENT_CLASSES) == 13 and "trombone" in datasets.INSTRUMENT_CLASSES
      and "alto-flute" not in datasets.INSTRUMENT_CLASSES, "13 classes")

with tempfile.TemporaryDirectory() as work:
    imis, phil, synth, out = (os.path.join(work, d) for d in ("imis", "phil", "synth", "out"))
    # IMIS: 7 pitches of alto flute (60..66), 2 of bass trombone, 1 tenor trombone.
    write_csv(os.path.join(imis, "labels.csv"), ["path", "class", "midi_note"],
              [[f"alto-flute/{m}.flac", "alto-flute", m] for m in range(60, 67)]
              + [["bass-trombone/40.flac", "bass-trombone", 40], ["tenor-trombone/50.flac", "tenor-trombone", 50],
                 ["soprano-saxophone/70.flac", "soprano-saxophone", 70]])
    # Philharmonia: violin at C4..F4 twice each (two dynamics), a tenor trombone.
    notes = ["C4", "Cs4", "D4", "Ds4", "E4", "F4"]
    write_csv(os.path.join(phil, "labels.csv"), ["path", "instrument", "note", "length", "dynamic", "technique"],
              [[f"violin/violin_{n}_05_{d}_normal.mp3", "violin", n, "05", d, "normal"]
               for n in notes for d in ("forte", "piano")]
              + [["tenor-trombone/t_A2_1_forte_normal.mp3", "tenor-trombone", "A2", "1", "forte", "normal"]])
    write_csv(os.path.join(synth, "labels.csv"), SYNTH_HEADER,
              [["alto-saxophone/a.wav", "alto-saxophone", "alto-saxophone", 60, 80, 1.0, "timgm6mb"],
               ["tenor-trombone/b.wav", "tenor-trombone", "trombone", 45, 80, 1.0, "timgm6mb"]])
    run = subprocess.run([*tool, "instruments", imis, out, synth, "--philharmonia", phil],
                         capture_output=True, text=True)
    check(run.returncode == 0, f"runs ({run.stderr.strip()})")
    everything = read_csv(os.path.join(out, "all.csv"))
    check(len(everything) == 10 + 13 + 2, f"all.csv has every note ({len(everything)})")
    label_of = {os.path.relpath(r["path"], work): r["label"] for r in everything}
    check(label_of["imis/alto-flute/60.flac"] == "flute" and label_of["imis/bass-trombone/40.flac"] == "trombone"
          and label_of["phil/tenor-trombone/t_A2_1_forte_normal.mp3"] == "trombone"
          and label_of["synth/alto-saxophone/a.wav"] == "saxophone"
          and label_of["imis/soprano-saxophone/70.flac"] == "saxophone", "source labels -> the shipped classes")
    check({r["source"] for r in everything} == {"imis", "philharmonia", "timgm6mb"}, "sources")
    midi = {os.path.relpath(r["path"], work): int(r["midi_note"]) for r in everything}
    check(midi["phil/violin/violin_Ds4_05_forte_normal.mp3"] == 63
          and midi["phil/tenor-trombone/t_A2_1_forte_normal.mp3"] == 45, "Philharmonia MIDI notes")
    test = {os.path.relpath(r["path"], work) for r in read_csv(os.path.join(out, "test.csv"))}
    train = {os.path.relpath(r["path"], work) for r in read_csv(os.path.join(out, "train.csv"))}
    # Flute pitches 60..66: test pitches are pitches[1:-1:3] = 61, 64; violin 60..65: 61, 64 (both dynamics).
    check({midi[p] for p in test if p.startswith("imis/alto-flute")} == {61, 64}, "IMIS flute test pitches 61, 64")
    check({midi[p] for p in test if p.startswith("phil/violin")} == {61, 64}
          and sum(p.startswith("phil/violin") for p in test) == 4,
          "Philharmonia violin test pitches 61, 64, both dynamics")
    check(not test & train and len(test) + len(train) == len(everything), "train and test split every note once")
    check(all(p in train for p in ("synth/alto-saxophone/a.wav", "synth/tenor-trombone/b.wav")),
          "soundfont notes only train")
    for source in ("imis", "philharmonia", "timgm6mb"):
        check(os.path.exists(os.path.join(out, f"train-{source}.csv")), f"train-{source}.csv")
    check(len(read_csv(os.path.join(out, "test-philharmonia.csv"))) == 4, "test-philharmonia.csv")

    relabelled = os.path.join(out, "relabelled.csv")
    run = subprocess.run([*tool, "relabel", synth, relabelled], capture_output=True, text=True)
    check(run.returncode == 0 and [r["label"] for r in read_csv(relabelled)] == ["saxophone", "trombone"],
          "relabel: a soundfont's notes under the shipped classes")

    write_csv(os.path.join(synth, "labels.csv"), SYNTH_HEADER,
              [["piano/a.wav", "piano", "piano", 60, 80, 1.0, "timgm6mb"]])
    run = subprocess.run([*tool, "instruments", imis, out, synth], capture_output=True, text=True)
    check(run.returncode != 0 and len(run.stderr.strip().splitlines()) == 1 and "piano" in run.stderr,
          f"a label outside the classes is one line ({run.stderr.strip()})")

tool_harness.finish()
