"""Audio that is no spoken digit, for the digits model's "_none_" class: noise, hum, tones and
chords, music and other English words, made from Debian's packages and post-processed like the
synthetic digits (8 kHz, a room, noise, level; audio_effects.py).

  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_nondigits OUT_DIR [--seed 0] [--scale 1.0]
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_nondigits --held-out TEST_DIR [--seed 1]

Kinds of sound (the `kind` column of labels.csv):
- silence: low white or pink noise, 65 to 40 dB below full scale (RMS), as a quiet room between words.
- noise: white, pink or brown noise at any level.
- hum: mains hum, 50 or 60 Hz with random harmonics, alone or under noise.
- tones: sine, square or sawtooth tones, sweeps and chords of 2-4 notes, with attacks and decays.
- music: random phrases of 1-3 General MIDI instruments (melody, chords, drums) rendered by
  fluidsynth from TimGM6mb (timgm6mb-soundfont, GPL-2).
- words: English words that are not digits, spoken by espeak-ng's English voices with random
  variants, pitch and speed (GPL-3), and by festival's ked voice (free licence) with sox pitch shifts.
  No word contains a digit's name ("someone", "often"), and none sounds like one ("won", "to",
  "for", "ate", "oh").

--held-out makes a test set from other sources wherever there are some: the words of another list
(TEST_WORDS, disjoint from the training list), spoken by flite's voices and festival's kal and slt
voices as well as espeak-ng; music from FluidR3 (fluid-soundfont-gm); the real recordings of
alsa-utils (/usr/share/sounds/alsa: a voice saying "Front Left" ..., and noise); and the same
generated kinds with another seed. flite, kal, slt and FluidR3 are reserved for such tests: they
never go into training data.

Output: 16-bit WAVs and labels.csv (path,label,kind,source), label "_none_". The same seed makes
the same files.
"""
import argparse
import os
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import soundfile

from . import audio_effects as fx
from . import synth_digits
from .cli import EXIT_FAILURE, HelpFormatter, fail
from .datasets import write
from .synth_instruments import midi_track_file, render_fluidsynth

RATE = synth_digits.RATE
LABEL = "_none_"
TRAIN_SOUNDFONT = "/usr/share/sounds/sf2/TimGM6mb.sf2"
TEST_SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"  # reserved: held-out tests only
ALSA_SOUNDS = "/usr/share/sounds/alsa"

# Words of everyday English; none names a digit, contains a digit's name or sounds like one.
TRAIN_WORDS = """
about above across after again against air all almost alone along already also always among and
animal answer any apple area arm around ask away baby back bad bag ball bank bar base bath bear
beautiful because bed been before began begin behind believe below best better between big bird
black blue board boat body book both bottom box boy bread break bring brother brown build burn
business busy but buy call came camp can car card care carry case cat catch cause center chair
change child city class clean clear close cloud cold color come common cook cool corner cost
could country course cover cross cry cup cut dance dark day dear deep did different dinner do
doctor dog door down draw dream dress drink drive dry during each early earth east easy eat edge
egg else end enough even evening every example eye face fact fall family far farm fast father
feel field fill find fire first fish floor flower fly follow food foot forest form friend from
front full game garden girl give glass go gold good got grass great green ground group grow had
half hand happen happy hard has hat have head hear heart heavy hello help here high hill him his
hold home hope horse hot hour house how hundred husband idea if important inch inside into iron
island it job join jump just keep key kind king kitchen knew know lady lake land large last late
laugh lead learn leave left leg less letter light like listen little live long look lost love low
machine made make man many map mark market may me mean measure meet men middle might mile milk
minute miss moon more morning most mother mountain mouth move much music must my name near need
never new next night north not note nothing notice now number ocean off office old on only open
or order other our out over page paper park part party pass path pay people picture piece place
plan plant play please point poor power pretty problem pull push put question quick quiet radio
rain reach read ready real red remember rest rich right river road rock room round rule run sad
said same sand save say school sea season second see seem sell send set shape she ship shoe shop
short should show side sign simple sing sister sit size skin sky sleep slow small smile snow so
soft soil song soon sound south space speak special speed spring square stand star start station
stay step still stone stop store story street strong study such sugar summer sun sure surface
swim table take talk tall teach team tell test than thank that the their them then there these
they thing think this those though thought through time today together told tomorrow took top
touch town toy track trade train travel true try turn under until up upon us use usual valley
very visit voice walk wall want war warm was wash watch water way we wear week well went were
west what wheel when where which while white who why wide wild will wind window winter wish with
woman wood word work world would write yard year yellow yes yet you young
""".split()
TEST_WORDS = """
account adventure afternoon airport alarm album angry apartment arrive autumn bakery balloon
banana basket battle beach bicycle blanket bottle bridge bucket butter cabin camera candle captain
carpet castle ceiling cheese chicken chocolate circle coffee computer cookie cotton cousin cream
curtain danger desert diamond dragon drawer elbow engine envelope escape factory feather festival
finger garage giant gift guitar hammer harbor helmet holiday honey hospital hungry jacket jungle
kettle ladder lemon library lizard magic marble mirror monkey museum needle orange package pencil
pepper pillow planet pocket potato puzzle rabbit rocket salad saddle scissors shadow shoulder
silver spider sweater thunder ticket tiger tomato tunnel umbrella village
violin wagon whistle yogurt zebra
""".split()
DIGIT_WORDS = synth_digits.WORDS + ("oh",)
# Words that sound like a digit (or "oh") without containing its spelling.
SOUND_ALIKES = {"won", "to", "too", "for", "fore", "ate", "oh", "owe", "o", "nein", "sicks", "heaven", "ten",
                "tree", "free", "fine", "nigh", "hate", "weight", "wait", "fife", "hive", "tin", "sex",
                "tow", "toe", "fort", "sicks", "zeros", "hero"}
KINDS = ("silence", "noise", "hum", "tones", "music", "words")


def allowed(word):
    """Not a digit, no digit's name inside it, and not one of the sound-alikes."""
    return word not in SOUND_ALIKES and not any(d in word for d in DIGIT_WORDS if d != "oh") \
        and word != "oh"


# ---- generated sounds -----------------------------------------------------------------------

def coloured_noise(rng, n, colour):
    """Unit-RMS white, pink (1/f power) or brown (1/f^2 power) noise."""
    if colour == "pink":
        return fx.pink_noise(rng, n)
    x = rng.normal(0.0, 1.0, n)
    if colour == "brown":
        spectrum = np.fft.rfft(x)
        f = np.arange(len(spectrum), dtype=float)
        f[0] = 1.0
        x = np.fft.irfft(spectrum / f, n)
    return x / (np.sqrt(np.mean(x ** 2)) + 1e-12)


def envelope(rng, n):
    """A random attack and decay (or none: a steady sound)."""
    if rng.random() < 0.3:
        return np.ones(n)
    t = np.arange(n) / RATE
    attack = rng.uniform(0.002, 0.2)
    decay = rng.uniform(0.1, 3.0)
    return np.minimum(1.0, t / attack) * np.exp(-t / decay)


def oscillator(rng, hz, n):
    t = np.arange(n) / RATE
    shape = rng.choice(["sine", "sine", "square", "saw"])
    phase = 2 * np.pi * hz * t + rng.uniform(0, 2 * np.pi)
    if shape == "sine":
        return np.sin(phase)
    harmonics = np.arange(1, int(RATE / 2 / hz) + 1)
    weights = 1.0 / harmonics if shape == "saw" else np.where(harmonics % 2 == 1, 1.0 / harmonics, 0.0)
    return sum(w * np.sin(k * phase) for k, w in zip(harmonics[:40], weights[:40]))


def tones(rng, n):
    """A tone, a chord of 2-4 notes or a sweep, with an envelope."""
    choice = rng.random()
    if choice < 0.2:  # a sweep
        t = np.arange(n) / RATE
        f0, f1 = rng.uniform(100, 3000, 2)
        f = f0 * (f1 / f0) ** (t / t[-1])
        y = np.sin(2 * np.pi * np.cumsum(f) / RATE)
    else:
        root = 110.0 * 2 ** rng.uniform(0, 4)
        notes = 1 if choice < 0.5 else rng.integers(2, 5)
        intervals = [0] + sorted(rng.choice([3, 4, 5, 7, 9, 10, 12, 16], size=notes - 1, replace=False).tolist())
        y = sum(oscillator(rng, root * 2 ** (i / 12), n) for i in intervals)
    return y * envelope(rng, n)


def hum(rng, n):
    t = np.arange(n) / RATE
    mains = rng.choice([50.0, 60.0])
    y = sum(rng.uniform(0, 1) / k * np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 6.3)) for k in range(1, 12))
    if rng.random() < 0.5:
        y = y + coloured_noise(rng, n, "pink") * rng.uniform(0.01, 0.3) * np.std(y)
    return y


def generated(kind, rng):
    """One generated sound of `kind` (silence, noise, hum, tones) at RATE, with its level set."""
    n = int(rng.uniform(0.4, 3.0) * RATE)
    if kind == "silence":
        y = coloured_noise(rng, n, rng.choice(["white", "pink"]))
        return y * 10 ** (rng.uniform(-65, -40) / 20)
    y = {"noise": lambda: coloured_noise(rng, n, rng.choice(["white", "pink", "brown"])),
         "hum": lambda: hum(rng, n), "tones": lambda: tones(rng, n)}[kind]()
    return record(y, rng, trim=False)


def record(y, rng, trim=True):
    """What a recording does: a room for a third, noise for half, trimming (words), a level."""
    if rng.random() < 1 / 3:
        y = fx.reverberate(y, fx.room_impulse_response(rng, RATE, rng.uniform(0.15, 0.8)), rng.uniform(0.1, 0.5))
    if rng.random() < 0.5:
        y = fx.add_noise(rng, y, rng.uniform(15, 50), "pink" if rng.random() < 0.5 else "white")
    if trim:
        y = fx.trim_silence(y, RATE, rng.uniform(15, 40), rng.uniform(0.0, 0.1))
    return np.clip(fx.set_peak(y, rng.uniform(-30, -1)), -1, 1)


# ---- music ----------------------------------------------------------------------------------

def music_midi(rng, seconds):
    """A random phrase: 1-3 melodic GM programs (a melody, held chords) and drums, 1 ms ticks."""
    events = [(0, b"\xff\x51\x03" + (1_000_000).to_bytes(3, "big"))]
    end = round(seconds * 1000)
    key = int(rng.integers(48, 66))
    scale = [0, 2, 4, 5, 7, 9, 11]
    for channel in range(int(rng.integers(1, 4))):
        program = int(rng.integers(0, 112))
        events.append((0, bytes([0xC0 | channel, program])))
        t = int(rng.integers(0, 200))
        chords = channel > 0 and rng.random() < 0.6
        while t < end:
            length = int(rng.choice([125, 250, 250, 500, 1000]) * (4 if chords else 1))
            degree = int(rng.integers(0, 14))
            root = key + 12 * (degree // 7) + scale[degree % 7] - (12 if chords else 0)
            notes = [root, root + 4, root + 7] if chords else [root]
            velocity = int(rng.integers(40, 127))
            for note in notes:
                events.append((t, bytes([0x90 | channel, note, velocity])))
                events.append((min(end, t + length), bytes([0x80 | channel, note, 64])))
            t += length
    if rng.random() < 0.4:  # drums on channel 10
        t = 0
        step = int(rng.choice([125, 250]))
        while t < end:
            note = int(rng.choice([35, 38, 42, 42, 46, 49]))
            events.append((t, bytes([0x99, note, int(rng.integers(50, 127))])))
            events.append((t + 50, bytes([0x89, note, 64])))
            t += step
    return midi_track_file(events, end + 300)


def music(rng, soundfont, work):
    midi, wav = os.path.join(work, "phrase.mid"), os.path.join(work, "phrase.wav")
    seconds = rng.uniform(0.8, 3.0)
    with open(midi, "wb") as f:
        f.write(music_midi(rng, seconds))
    render_fluidsynth(soundfont, midi, wav, 22050)
    y, rate = soundfile.read(wav, dtype="float64", always_2d=True)
    y = synth_digits.to_rate(y.mean(axis=1), rate)[: int((seconds + 0.3) * RATE)]  # not the long releases
    return y if len(y) and np.max(np.abs(y)) > 1e-4 else None


# ---- words ----------------------------------------------------------------------------------

def spoken(rng, voice, word, work):
    """The word from one voice: (engine, settings) as synth_digits.synthesise takes them."""
    engine, settings = voice
    y, rate = synth_digits.synthesise(engine, settings, word, rng, work)
    return synth_digits.to_rate(y, rate)


def word_voices(held_out):
    """(engine, settings) of every voice that may say the words."""
    variants = synth_digits.espeak_variants()
    espeak = [("espeak", {"voice": f"{v}+{variant}"}) for v in synth_digits.espeak_voices() for variant in variants]
    if not held_out:
        festival = [("festival", {"stretch": s, "cents": c}) for s in (0.8, 1.0, 1.3) for c in (-400, -200, 0, 200, 400)]
        return espeak, festival
    reserved = [(e, c) for _, e, c, _ in synth_digits.reserved_speakers()]
    return espeak, reserved


# ---- the set --------------------------------------------------------------------------------

def plan(held_out, scale):
    """(kind, source) of every file to make."""
    if held_out:
        counts = {"silence": 30, "noise": 50, "hum": 20, "tones": 50, "music": 100, "words": 200}
    else:
        counts = {"silence": 200, "noise": 300, "hum": 150, "tones": 300, "music": 400, "words": 650}
    jobs = []
    for kind in KINDS:
        jobs += [kind] * max(1, int(round(counts[kind] * scale)))
    return jobs


def make_one(job):
    """Writes one file; returns its label row, or None when a source made nothing."""
    index, kind, out, seed, held_out = job
    rng = np.random.default_rng([seed, index, 7])
    with tempfile.TemporaryDirectory() as work:
        source = "generated"
        if kind == "music":
            source = "fluidr3" if held_out else "timgm6mb"
            y = music(rng, TEST_SOUNDFONT if held_out else TRAIN_SOUNDFONT, work)
            if y is None:
                return None
            y = record(y, rng, trim=False)
        elif kind == "words":
            espeak, other = word_voices(held_out)
            words = [w for w in (TEST_WORDS if held_out else TRAIN_WORDS) if allowed(w)]
            word = str(rng.choice(words))
            engine, settings = espeak[rng.integers(len(espeak))] if rng.random() < 0.7 else other[rng.integers(len(other))]
            source = f"{engine}-{settings.get('voice', 'ked')}".replace("+", "-").replace(" ", "-") + f"-{word}"
            y = spoken(rng, (engine, settings), word, work)
            if not np.any(y):
                return None
            y = record(y, rng, trim=True)
        else:
            y = generated(kind, rng)
    name = f"none_{kind}_{index:05d}.wav"
    soundfile.write(os.path.join(out, name), y, RATE, subtype="PCM_16")
    return (name, LABEL, kind, source)


def alsa_rows(out):
    """The real recordings of alsa-utils, at 8 kHz (held-out only)."""
    rows = []
    if not os.path.isdir(ALSA_SOUNDS):
        return rows
    for name in sorted(os.listdir(ALSA_SOUNDS)):
        y, rate = soundfile.read(os.path.join(ALSA_SOUNDS, name), dtype="float64", always_2d=True)
        target = f"none_alsa_{os.path.splitext(name)[0].lower()}.wav"
        soundfile.write(os.path.join(out, target), np.clip(synth_digits.to_rate(y.mean(axis=1), rate), -1, 1),
                        RATE, subtype="PCM_16")
        rows.append((target, LABEL, "alsa", name))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("out", help="output folder (created)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default 0; --held-out: 1)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every kind's count (for tests)")
    ap.add_argument("--held-out", action="store_true", help="make the held-out test set (other words, voices, music)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="parallel processes")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else (1 if args.held_out else 0)
    if args.scale <= 0:
        fail("--scale must be above 0")
    for tool in ("espeak-ng", "fluidsynth", "text2wave", "sox") + (("flite",) if args.held_out else ()):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            fail(f"{tool} is not installed (tools/install-deps.sh --dev)", EXIT_FAILURE)
    soundfont = TEST_SOUNDFONT if args.held_out else TRAIN_SOUNDFONT
    if not os.path.exists(soundfont):
        fail(f"{soundfont} is missing (tools/install-deps.sh --dev)", EXIT_FAILURE)
    os.makedirs(args.out, exist_ok=True)
    jobs = [(i, kind, args.out, seed, args.held_out) for i, kind in enumerate(plan(args.held_out, args.scale))]
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        rows = [r for r in pool.map(make_one, jobs, chunksize=8) if r]
    if args.held_out:
        rows += alsa_rows(args.out)
    write(os.path.join(args.out, "labels.csv"), rows, ("path", "label", "kind", "source"))
    print(f"synth_nondigits.py: {len(rows)} files -> {args.out}")


if __name__ == "__main__":
    main()
