"""Single orchestral instrument notes rendered from a General MIDI soundfont (fluidsynth) or a
GUS patch set (timidity).

  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_instruments --soundfont /usr/share/sounds/sf2/TimGM6mb.sf2 \\
      --source timgm6mb /tmp/synth-instruments/timgm6mb [--seed 0] [--jobs 2] ...
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_instruments --soundfont /etc/timidity/freepats.cfg \\
      --source freepats /tmp/synth-instruments/freepats

Extra training / evaluation notes for the 16-class instrument model, which is otherwise trained
on the University of Iowa (IMIS) samples (../shared/data/instruments). Writes
OUT_DIR/<label>/<source>-<program>-<midi>-v<velocity>-l<length>.wav (16-bit PCM, mono, --rate)
and OUT_DIR/labels.csv: path,label,group,midi_note,velocity,length_s,source (paths relative to
OUT_DIR). The same options, seed and soundfont give byte-identical files.

Class mapping (CLASSES below; GM programs 0-based):

  GM program           label               MIDI range rendered
  40 Violin            violin              violin's
  41 Viola             viola               viola's
  42 Cello             cello               cello's
  43 Contrabass        double-bass         double-bass's
  56 Trumpet           trumpet             trumpet's
  57 Trombone          tenor-trombone      tenor-trombone + bass-trombone
  60 French Horn       french-horn         french-horn's
  64 Soprano Sax       soprano-saxophone   soprano-saxophone's
  65 Alto Sax          alto-saxophone      alto-saxophone's
  68 Oboe              oboe                oboe's
  70 Bassoon           bassoon             bassoon's
  71 Clarinet          clarinet            clarinet + bass-clarinet
  73 Flute             alto-flute          alto-flute + bass-flute

GM has one program for each of three pairs of IMIS classes. Its instrument is the pair's standard
member (a concert flute is nearest the alto flute, GM's trombone is a tenor trombone, its clarinet
the B-flat clarinet), so the note gets that label; the rendered range is the union of the pair's
IMIS ranges (IMIS_RANGES, from the Iowa set's labels.csv). The column `group` (GROUP_OF: flute,
trombone, clarinet for the pairs, the class itself otherwise) lets an evaluation count either
member of a pair as right. bass-flute, bass-trombone and bass-clarinet get no notes of their own.

How: one standard MIDI file per program (notes separated by silence), rendered once by
`fluidsynth -F` (or `timidity -Ow`) with reverb and chorus off (room effects are ours), then
each note is cut at its known time: note length + a 0.5 s release tail, trailing near-silence
(< -60 dB of the note's peak) trimmed. Each note then gets, from a generator seeded by --seed and
the note itself (so a note does not change with --classes or --jobs): a leading silence of
0-50 ms, for about a third a synthetic room (audio_effects.py, RT60 0.2-1.0 s, random wet
mix), a peak level between -20 and -1 dBFS, and for half low-level noise (SNR 30-60 dB).

A patch set may lack programs (freepats has no viola or contrabass): those classes are skipped,
with a line saying so. timidity reads the system's own configuration too and would fill a missing
program from it (on Debian, possibly the reserved FluidR3 soundfont), so every render checks in
timidity's log that the program was played from the given set's patch.

Every pitch x velocity x length is 6,168 notes over the 13 programs with the defaults; --per-pitch
keeps that many (velocity, length) combinations per pitch (default 6: about 3,100 notes), chosen
from a seeded rotation of the grid so every pitch stays and the combinations are used evenly.
Errors: one line `synth_instruments.py: ...` on stderr, exit status 2.
"""
import argparse
import concurrent.futures
import csv
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from typing import NamedTuple

import numpy as np
import soundfile

from . import audio_effects as fx
from .cli import HelpFormatter, fail


class Voice(NamedTuple):
    program: int        # General MIDI program, 0-based
    gm_name: str
    covers: tuple       # IMIS classes whose pitch range the rendered notes span


# label -> the GM voice that plays it. The first class in `covers` is the label itself.
CLASSES = {
    "violin": Voice(40, "Violin", ("violin",)),
    "viola": Voice(41, "Viola", ("viola",)),
    "cello": Voice(42, "Cello", ("cello",)),
    "double-bass": Voice(43, "Contrabass", ("double-bass",)),
    "trumpet": Voice(56, "Trumpet", ("trumpet",)),
    "tenor-trombone": Voice(57, "Trombone", ("tenor-trombone", "bass-trombone")),
    "french-horn": Voice(60, "French Horn", ("french-horn",)),
    "soprano-saxophone": Voice(64, "Soprano Sax", ("soprano-saxophone",)),
    "alto-saxophone": Voice(65, "Alto Sax", ("alto-saxophone",)),
    "oboe": Voice(68, "Oboe", ("oboe",)),
    "bassoon": Voice(70, "Bassoon", ("bassoon",)),
    "clarinet": Voice(71, "Clarinet", ("clarinet", "bass-clarinet")),
    "alto-flute": Voice(73, "Flute", ("alto-flute", "bass-flute")),
}

# Lowest and highest MIDI note of each class in ../shared/data/instruments/labels.csv.
IMIS_RANGES = {
    "alto-flute": (55, 91), "alto-saxophone": (49, 79), "bass-clarinet": (50, 82),
    "bass-flute": (49, 85), "bass-trombone": (25, 67), "bassoon": (34, 74), "cello": (37, 82),
    "clarinet": (50, 87), "double-bass": (29, 67), "french-horn": (34, 77), "oboe": (58, 91),
    "soprano-saxophone": (59, 89), "tenor-trombone": (41, 71), "trumpet": (53, 86),
    "viola": (49, 93), "violin": (55, 95),
}

# All 16 IMIS classes -> group; a prediction of any class in the note's group counts as right.
GROUP_OF = {c: c for c in IMIS_RANGES} | {
    "alto-flute": "flute", "bass-flute": "flute",
    "tenor-trombone": "trombone", "bass-trombone": "trombone",
    "clarinet": "clarinet", "bass-clarinet": "clarinet",
}

HEADER = ["path", "label", "group", "midi_note", "velocity", "length_s", "source"]
TAIL_S = 0.5     # kept after note-off: the release
GAP_S = 1.5      # silence after the tail before the next note, so releases never overlap
LEAD_IN_S = 0.5  # before the first note, after the program change
TRIM_DB = -60.0  # trailing samples below this (re the note's peak) are trimmed
SILENT = 1e-4    # a cut whose peak is below this (-80 dBFS at fluidsynth's gain) has no sound


class Fail(Exception):
    """An error reported as one line and exit status 2."""


class Note(NamedTuple):
    midi: int
    velocity: int
    length: float


def note_range(label):
    """The MIDI notes rendered for a label: the union of the ranges of the classes it covers."""
    ranges = [IMIS_RANGES[c] for c in CLASSES[label].covers]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def length_tag(length):
    return f"{length:g}"


# ---- Which notes ------------------------------------------------------------------------------

def plan_notes(label, velocities, lengths, pitch_step, per_pitch, seed):
    """Every pitch of the label's range; per pitch `per_pitch` (velocity, length) combinations
    (0 = all). The combinations come from a seeded permutation of the grid, taken in a rotation
    (pitch i takes items i*k .. i*k+k-1), so each is used about equally often."""
    low, high = note_range(label)
    grid = [(v, l) for v in velocities for l in lengths]
    k = len(grid) if per_pitch <= 0 or per_pitch >= len(grid) else per_pitch
    order = np.random.default_rng([seed, CLASSES[label].program, 1]).permutation(len(grid))
    notes = []
    for i, midi in enumerate(range(low, high + 1, pitch_step)):
        picks = sorted(order[(i * k + j) % len(grid)] for j in range(k))
        notes += [Note(midi, *grid[p]) for p in picks]
    return notes


# ---- Standard MIDI file -----------------------------------------------------------------------

def varlen(n):
    """MIDI variable-length quantity: 7 bits a byte, high bit set on all but the last."""
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def schedule(notes):
    """Onset of each note in milliseconds (the MIDI file's tick) and the file's end."""
    onsets, t = [], round(LEAD_IN_S * 1000)
    for n in notes:
        onsets.append(t)
        t += round((n.length + TAIL_S + GAP_S) * 1000)
    return onsets, t


def midi_file(program, notes, onsets, end_ms):
    """Format 0, one track, 1000 ticks per quarter at 1,000,000 us per quarter: 1 tick = 1 ms."""
    events = [(0, b"\xff\x51\x03" + (1_000_000).to_bytes(3, "big")), (0, bytes([0xC0, program]))]
    for n, on in zip(notes, onsets):
        off = on + round(n.length * 1000)
        events.append((on, bytes([0x90, n.midi, n.velocity])))
        events.append((off, bytes([0x80, n.midi, 64])))
        # All sound off once the tail is cut, so a long release cannot reach the next note.
        events.append((off + round((TAIL_S + GAP_S / 2) * 1000), bytes([0xB0, 120, 0])))
    return midi_track_file(events, end_ms)


def midi_track_file(events, end_ms):
    """A format-0 MIDI file of (tick, event bytes) pairs, 1000 ticks per quarter, ending at end_ms.
    The sort is stable: of two events at one tick, the one listed first comes first (a note-off
    stays before a note-on)."""
    events = sorted(events + [(end_ms, b"\xff\x2f\x00")], key=lambda e: e[0])
    track, last = bytearray(), 0
    for tick, data in events:
        track += varlen(tick - last) + data
        last = tick
    return (b"MThd" + struct.pack(">IHHH", 6, 0, 1, 1000)
            + b"MTrk" + struct.pack(">I", len(track)) + bytes(track))


# ---- fluidsynth with a SoundFont --------------------------------------------------------------

def render_fluidsynth(soundfont, midi_path, wav_path, rate):
    """One fluidsynth run for a whole MIDI file: no reverb or chorus, float samples (the notes
    are rescaled afterwards, so no 16-bit quantisation of quiet notes here), only the samples
    the file uses loaded (an .sf3 otherwise decodes all of them first). A soundfont fluidsynth
    cannot load is an error: by default it would log that, exit 0 and render the system's
    default soundfont instead (synth.default-soundfont, emptied here)."""
    cmd = ["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-r", str(rate),
           "-o", "synth.default-soundfont=", "-o", "synth.dynamic-sample-loading=1",
           "-O", "float", "-T", "wav", "-F", wav_path, soundfont, midi_path]
    run = subprocess.run(cmd, capture_output=True, text=True)
    lines = (run.stderr + run.stdout).strip().splitlines()
    failed = [l for l in lines if "Failed to load" in l]
    if run.returncode != 0 or failed or not os.path.exists(wav_path):
        why = (failed or lines or [f"exit status {run.returncode}"])[-1]
        raise Fail(f"fluidsynth cannot render with {soundfont}: {why}")


# ---- TiMidity++ with a patch set (freepats) ---------------------------------------------------

def patch_map(cfg):
    """GM program -> patch file, from the lines of a TiMidity++ configuration that map bank 0
    (`bank 0`, then `<program> <file> [options]`). Only the file's own lines: a `source`d file
    is not followed."""
    try:
        with open(cfg, encoding="utf-8", errors="replace") as f:
            lines = f.read(1 << 20).splitlines()
    except OSError as e:
        raise Fail(f"{cfg}: cannot read the configuration ({e.strerror})")
    patches, bank = {}, None
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[0] in ("bank", "drumset"):
            bank = 0 if words == ["bank", "0"] else None
        elif bank == 0 and len(words) >= 2 and words[0].isdigit() and int(words[0]) < 128:
            patches[int(words[0])] = words[1]
    return patches


def render_timidity(cfg, patch, program, midi_path, wav_path, rate):
    """One timidity run for a whole MIDI file: no reverb or chorus, 24-bit mono. timidity
    always reads the system's configuration first (on Debian, /etc/timidity/timidity.cfg, which
    may name the reserved FluidR3 soundfont) and fills a program the given set lacks from it, so
    its log must show that the program's patch is the one `cfg` maps."""
    cmd = ["timidity", "-c", cfg, "-idvvv", "-Ow", "--output-24bit", "--output-mono",
           "-s", str(rate), "-EFreverb=0", "-EFchorus=0", "-o", wav_path, midi_path]
    run = subprocess.run(cmd, capture_output=True, text=True)
    lines = (run.stderr + run.stdout).strip().splitlines()
    loaded = [l.strip() for l in lines if re.match(rf"\s*(Loading SF )?Tonebank 0 {program}:", l)]
    if run.returncode != 0 or not os.path.exists(wav_path):
        why = (lines or [f"exit status {run.returncode}"])[-1]
        raise Fail(f"timidity cannot render with {cfg}: {why}")
    if loaded != [f"Tonebank 0 {program}: {patch}"]:
        raise Fail(f"timidity did not play {cfg}'s patch {patch} for GM program {program} "
                   f"(its log: {'; '.join(loaded) or 'no patch loaded'})")


class Renderer(NamedTuple):
    """Either a SoundFont played by fluidsynth or a TiMidity++ patch set played by timidity."""
    path: str
    patches: dict   # GM program -> patch file; None for a SoundFont (it has every program)

    @staticmethod
    def open(path):
        try:
            with open(path, "rb") as f:
                head = f.read(12)
        except OSError as e:
            raise Fail(f"{path}: cannot read the soundfont ({e.strerror})")
        if head[:4] == b"RIFF" and head[8:12] == b"sfbk":  # .sf2, and .sf3 (compressed samples)
            tool, patches = "fluidsynth", None
        else:
            patches = patch_map(path)
            if not patches:
                raise Fail(f"{path}: neither a SoundFont (no RIFF sfbk header) nor a TiMidity++ "
                           "configuration mapping bank 0 programs to patches")
            tool = "timidity"
        if shutil.which(tool) is None:
            raise Fail(f"{tool} is not installed (Debian package {tool})")
        return Renderer(os.path.abspath(path), patches)

    def has(self, program):
        return self.patches is None or program in self.patches

    def render(self, program, midi_path, wav_path, rate):
        if self.patches is None:
            render_fluidsynth(self.path, midi_path, wav_path, rate)
        else:
            render_timidity(self.path, self.patches[program], program, midi_path, wav_path, rate)


# ---- One note ---------------------------------------------------------------------------------

def cut(track, start, note, rate):
    """The note from its onset to its length + tail, mono (mean of the channels), with trailing
    near-silence trimmed but never into the held part of the note."""
    track.seek(min(start, track.frames))
    x = track.read(int(round((note.length + TAIL_S) * rate)), dtype="float64", always_2d=True)
    x = x.mean(axis=1)
    peak = np.abs(x).max(initial=0.0)
    if peak < SILENT:
        return None
    loud = np.nonzero(np.abs(x) > peak * 10 ** (TRIM_DB / 20))[0]
    end = max(loud[-1] + 1, min(len(x), int(round(note.length * rate))))
    return x[:end]


def finish(x, rate, rng):
    """Make a clean cut look like a recording: room (1/3), fade, leading silence, level, noise (1/2).
    All draws are made whether used or not, so one choice does not shift the others."""
    use_room, use_noise = rng.random() < 1 / 3, rng.random() < 0.5
    lead = int(rng.uniform(0.0, 0.05) * rate)
    peak_db, snr_db = rng.uniform(-20.0, -1.0), rng.uniform(30.0, 60.0)
    rt60, wet = rng.uniform(0.2, 1.0), rng.uniform(0.15, 0.6)
    if use_room:  # the reverberant tail stays inside the note's window
        x = fx.reverberate(x, fx.room_impulse_response(rng, rate, rt60), wet)[: len(x)]
    fade = min(len(x), int(0.01 * rate))  # the window may end on sound (release, room): no click
    x = x.copy()
    x[len(x) - fade:] *= np.linspace(1.0, 0.0, fade)
    x = fx.set_peak(np.concatenate([np.zeros(lead), x]), peak_db)
    if use_noise:
        x = fx.add_noise(rng, x, snr_db)
    return np.clip(x, -1.0, 1.0)


def note_rng(seed, source, program, note):
    """A generator for one note alone: its post-processing does not depend on the other notes."""
    return np.random.default_rng([seed, zlib.crc32(source.encode()), program, note.midi,
                                  note.velocity, int(round(note.length * 1000))])


# ---- One class --------------------------------------------------------------------------------

def render_class(label, args):
    """Plan, render and cut one label's notes; returns (label, csv rows, silent notes, seconds)."""
    began = time.monotonic()
    voice = CLASSES[label]
    notes = plan_notes(label, args.velocities, args.lengths, args.pitch_step, args.per_pitch,
                       args.seed)
    onsets, end_ms = schedule(notes)
    os.makedirs(os.path.join(args.out_dir, label), exist_ok=True)
    rows, silent = [], []
    with tempfile.TemporaryDirectory(prefix="synth_instruments.") as work:
        mid, wav = os.path.join(work, "notes.mid"), os.path.join(work, "notes.wav")
        with open(mid, "wb") as f:
            f.write(midi_file(voice.program, notes, onsets, end_ms))
        args.renderer.render(voice.program, mid, wav, args.rate)
        with soundfile.SoundFile(wav) as track:
            for note, on in zip(notes, onsets):
                x = cut(track, round(on * args.rate / 1000), note, args.rate)
                if x is None:
                    silent.append(note.midi)
                    continue
                y = finish(x, args.rate, note_rng(args.seed, args.source, voice.program, note))
                rows.append(write_note(args, label, voice.program, note, y))
    return label, rows, silent, time.monotonic() - began


def write_note(args, label, program, note, y):
    name = f"{args.source}-{program}-{note.midi}-v{note.velocity}-l{length_tag(note.length)}.wav"
    rel = os.path.join(label, name)
    soundfile.write(os.path.join(args.out_dir, rel), y, args.rate, subtype="PCM_16", format="WAV")
    return [rel, label, GROUP_OF[label], note.midi, note.velocity, length_tag(note.length),
            args.source]


def write_labels(out_dir, rows):
    """labels.csv, replaced whole (written aside, then renamed) so a reader never sees half."""
    path = os.path.join(out_dir, "labels.csv")
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(sorted(rows))
    os.replace(path + ".tmp", path)
    return path


# ---- Command line -----------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage + message
        raise Fail(message)


def number_list(kind, low, high):
    """Parser of a comma-separated list of distinct numbers in [low, high]."""
    def parse(text):
        try:
            values = [kind(v) for v in text.split(",")]
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a list of numbers")
        if not all(low <= v <= high for v in values):
            raise argparse.ArgumentTypeError(f"'{text}': values must be in {low}..{high}")
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError(f"'{text}': repeated value")
        return values
    return parse


def bounded_int(low, high):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not an integer")
        if not low <= v <= high:
            raise argparse.ArgumentTypeError(f"{v} is not in {low}..{high}")
        return v
    return parse


def class_list(text):
    labels = [c.strip() for c in text.split(",") if c.strip()]
    for c in labels:
        if c not in CLASSES:
            pair = [k for k, v in CLASSES.items() if c in v.covers]
            why = f"its notes are rendered as {pair[0]}" if pair else "not an instrument class"
            raise argparse.ArgumentTypeError(f"unknown class '{c}' ({why}; classes: {', '.join(CLASSES)})")
    if not labels or len(set(labels)) != len(labels):
        raise argparse.ArgumentTypeError(f"'{text}': empty or repeated class")
    return labels


def source_name(text):
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.]*", text):
        raise argparse.ArgumentTypeError(f"'{text}': a source name is letters, digits, '_' and '.'")
    return text


def parse_args(argv):
    p = Parser(description=__doc__, formatter_class=HelpFormatter)
    p.add_argument("out_dir", metavar="OUT_DIR", help="where <label>/*.wav and labels.csv go")
    p.add_argument("--soundfont", required=True, default=argparse.SUPPRESS,
                   help="General MIDI .sf2 or .sf3 (played by fluidsynth), or a TiMidity++ "
                        ".cfg of GUS patches such as /etc/timidity/freepats.cfg (played by timidity)")
    p.add_argument("--source", required=True, type=source_name, default=argparse.SUPPRESS,
                   help="name of the soundfont in file names and labels.csv (no '-' or ',')")
    p.add_argument("--seed", type=bounded_int(0, 2 ** 32 - 1), default=0,
                   help="seeds the choice of notes and their level, room and noise")
    p.add_argument("--rate", type=bounded_int(8000, 96000), default=22050, help="sample rate, Hz")
    p.add_argument("--velocities", type=number_list(int, 1, 127), default="45,75,105,127",
                   help="MIDI velocities")
    p.add_argument("--lengths", type=number_list(float, 0.05, 20.0), default="0.5,1.0,2.0",
                   help="held note lengths, seconds")
    p.add_argument("--pitch-step", type=bounded_int(1, 127), default=1, help="semitones between pitches")
    p.add_argument("--per-pitch", type=bounded_int(0, 10_000), default=6,
                   help="(velocity, length) combinations kept per pitch; 0 = all")
    p.add_argument("--classes", type=class_list, default=",".join(CLASSES),
                   help="comma-separated labels", metavar="LIST")
    p.add_argument("--jobs", type=bounded_int(1, 256), default=2, help="classes rendered at once")
    args = p.parse_args(argv)
    if len({length_tag(l) for l in args.lengths}) != len(args.lengths):
        raise Fail("--lengths: two lengths with the same name")
    return args


def ignore_interrupts():
    """Workers leave Ctrl-C to the parent (no traceback per process). A handler, not SIG_IGN:
    handlers are reset by exec, so the worker's fluidsynth still stops and the worker fails."""
    signal.signal(signal.SIGINT, lambda signum, frame: None)


def run(args):
    args.renderer = Renderer.open(args.soundfont)
    classes = []
    for c in args.classes:
        if args.renderer.has(CLASSES[c].program):
            classes.append(c)
        else:
            print(f"{c}: skipped, {args.soundfont} has no patch for GM {CLASSES[c].program} "
                  f"{CLASSES[c].gm_name}", file=sys.stderr, flush=True)
    if not classes:
        raise Fail(f"{args.soundfont} has no patch for any of the classes asked for")
    os.makedirs(args.out_dir, exist_ok=True)
    began, rows, silent_total = time.monotonic(), [], 0
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=min(args.jobs, len(classes)),
                                                  initializer=ignore_interrupts)
    try:
        futures = [pool.submit(render_class, c, args) for c in classes]
        for f in concurrent.futures.as_completed(futures):
            label, class_rows, silent, seconds = f.result()
            rows += class_rows
            silent_total += len(silent)
            low, high = note_range(label)
            note = f", {len(silent)} silent and skipped (MIDI {sorted(set(silent))})" if silent else ""
            print(f"{label}: {len(class_rows)} notes, GM {CLASSES[label].program} "
                  f"{CLASSES[label].gm_name}, MIDI {low}-{high}, {seconds:.1f} s{note}",
                  file=sys.stderr, flush=True)
    finally:  # on an error, do not render the classes still waiting
        pool.shutdown(wait=True, cancel_futures=True)
    if not rows:
        raise Fail(f"{args.soundfont}: every note rendered silent (is it a General MIDI soundfont?)")
    labels = write_labels(args.out_dir, rows)
    print(f"{len(rows)} notes ({silent_total} silent skipped) in {args.out_dir}, listed in {labels}; "
          f"{time.monotonic() - began:.0f} s", file=sys.stderr)


def main(argv=None):
    try:
        run(parse_args(sys.argv[1:] if argv is None else argv))
    except Fail as e:
        fail(str(e))
    except OSError as e:
        fail(f"{e.filename or ''}: {e.strerror or e}")
    except KeyboardInterrupt:
        fail("interrupted", 130)
    return 0


if __name__ == "__main__":
    sys.exit(main())
