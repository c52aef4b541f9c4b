"""Spoken digits from speech synthesisers, post-processed like FSDD's recordings: extra voices for
training the digits model (nothing is downloaded; everything comes from Debian's packages).

  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_digits OUT_DIR [--seed 0] [--renditions 1] \
      [--engines espeak,festival]
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_digits OUT_DIR --engines accent [--accent-variants 4]
  PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.synth_digits --reserved TEST_DIR

- espeak-ng (package espeak-ng, GPL-3): every English voice that ships with it (en-gb, en-us,
  en-029, Scottish, Lancaster, RP, West Midlands, New York; the mbrola voices need the non-free
  mbrola package and are left out) combined with every voice variant (`espeak-ng --voices=variant`,
  about 100: male, female, whisper, croak, klatt, ...), each digit with a random pitch (-p 10-90),
  speed (-s 110-240 words per minute) and word gap. One voice + variant is one "speaker".
- accent (espeak-ng, not in the default engines): English digits with a foreign accent. Each
  word's English phonemes (espeak-ng's en-us transcription) are spoken by the voice of one of
  espeak-ng's other languages, which realises them with its own phoneme set (its r, its vowels,
  its timing). A word is kept only if the voice's phoneme list takes every phoneme: where a
  language lacks one, espeak-ng stops the word short, and such words are left out. Each language
  with --accent-variants random voice variants; one language + variant is one "speaker".
- festival (package festival, with festvox-kdlpc16k, the ked diphone voice, free licence): each
  digit at several duration stretches, pitch-shifted by sox (-400 to +400 cents) to make speakers.
  Festival's kal and slt voices and every flite voice are reserved for independent tests: they are
  made only with --reserved, into a test set that no training or tuning may read.

Every word then goes through what a recording goes through: resampling to 8 kHz, a simulated room
for a third of the words (audio_effects.py), white or pink noise for half of them (15-50 dB
SNR), trimming of leading and trailing silence at a random threshold 15-40 dB below the peak (FSDD
trims tightly, some speakers at 13 dB), and a random peak level (-30 to -1 dBFS). Output: 16-bit
WAVs named {digit}_{speaker}_{n}.wav as in FSDD, and labels.csv (path,label,speaker,engine).
The same seed makes the same files.

--reserved makes the independent test set instead: every flite voice (kal, kal16, awb, rms, slt)
and festival's kal (festvox-kallpc16k) and slt (festvox-us-slt-hts) voices, each digit at three
duration stretches, resampled to 8 kHz, trimmed 30 dB below the peak and peaking at -6 dBFS, with
no room and no noise (those are crossval.py's test conditions).
"""
import argparse
import functools
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import soundfile
from scipy.signal import resample_poly

from . import audio_effects as fx
from .cli import EXIT_FAILURE, HelpFormatter, fail
from .datasets import write

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
RATE = 8000
FLITE_VOICES = ("kal", "kal16", "awb", "rms", "slt")
FESTIVAL_RESERVED = {"kal": "voice_kal_diphone", "slt": "voice_cmu_us_slt_arctic_hts"}



def espeak_languages(listing):
    """The languages of the espeak-ng voices that `espeak-ng LISTING` shows (--voices, or
    --voices=en for the English ones), in its order, without the mbrola voices (they need the
    non-free mbrola package) and the variants that the list also shows."""
    out = subprocess.run(["espeak-ng", listing], capture_output=True, text=True, check=True).stdout
    languages = []
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 5 and not cols[4].startswith(("mb/", "!v/")) and cols[1] not in languages:
            languages.append(cols[1])
    return languages


def espeak_voices():
    """The English espeak-ng voices that need no extra package."""
    return espeak_languages("--voices=en")


def espeak_variants():
    out = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True, check=True).stdout
    return sorted({line.split()[4][len("!v/"):] for line in out.splitlines()[1:] if "!v/" in line})


def espeak_phonemes(voice, text):
    """espeak-ng's phoneme mnemonics for text (a word, or [[phonemes]]) in voice ("" if the voice
    does not load)."""
    out = subprocess.run(["espeak-ng", "-q", "-v", voice, "-x", text], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


@functools.cache
def english_phonemes():
    """Each digit word's phonemes in espeak-ng's en-us voice."""
    return tuple(espeak_phonemes("en-us", word).replace(" ", "") for word in WORDS)


def accent_words(language):
    """{digit: English phonemes} for the digits that language's voice speaks whole: espeak-ng
    echoes the phonemes it will speak, and stops at one its language lacks."""
    def letters(phonemes):  # the phoneme symbols, without stress and length marks
        return "".join(c for c in phonemes if c not in "',;: ")

    words = {}
    for digit, english in enumerate(english_phonemes()):
        spoken = espeak_phonemes(language, f"[[{english}]]")
        if len(letters(spoken)) >= len(letters(english)):
            words[digit] = english
    return words


def accent_languages():
    """espeak-ng's languages other than English (and not the mbrola voices)."""
    return [language for language in espeak_languages("--voices") if not language.startswith("en")]


def speakers(engines, renditions, seed=0, accent_variants=4, limit=0):
    """(speaker name, engine, settings) for every synthetic speaker."""
    result = []
    if "espeak" in engines:
        for voice in espeak_voices():
            for variant in espeak_variants():
                name = f"espeak-{voice}-{variant}".lower().replace("_", "-").replace(" ", "-")
                result.append((name, "espeak", {"voice": f"{voice}+{variant}"}))
    if "festival" in engines:
        settings = [(s, c) for s in (0.8, 0.9, 1.0, 1.15, 1.3) for c in (-400, -200, 0, 200, 400)]
        for i, (stretch, cents) in enumerate(settings):
            result.append((f"festival-ked-{i}", "festival", {"stretch": stretch, "cents": cents}))
    if "accent" in engines:
        rng = np.random.default_rng([seed, 1])
        variants = espeak_variants()
        for language in accent_languages():
            if limit and len(result) >= limit:  # the words of each language take 10 espeak-ng runs to check
                break
            words = accent_words(language)
            if len(words) < 5:  # a voice that cannot say half the digits is no speaker of English
                continue
            for variant in rng.choice(variants, size=min(accent_variants, len(variants)), replace=False):
                name = f"accent-{language}-{variant}".lower().replace("_", "-").replace(" ", "-")
                result.append((name, "accent", {"voice": f"{language}+{variant}", "words": words}))
    return [(s, e, c, r) for s, e, c in result for r in range(renditions)]


def reserved_speakers():
    """The independent test voices, at three duration stretches each."""
    result = []
    for stretch in (0.85, 1.0, 1.2):
        result += [(f"flite-{v}", "flite", {"voice": v, "stretch": stretch}) for v in FLITE_VOICES]
        result += [(f"festival-{v}", "festival", {"voice": scheme, "stretch": stretch, "cents": 0})
                   for v, scheme in FESTIVAL_RESERVED.items()]
    return [(s, e, c, int(c["stretch"] * 100)) for s, e, c in result]


def synthesise(engine, settings, word, rng, work):
    """The word as float samples and their rate."""
    wav = os.path.join(work, "word.wav")
    if engine in ("espeak", "accent"):
        text = f"[[{settings['words'][WORDS.index(word)]}]]" if engine == "accent" else word
        cmd = ["espeak-ng", "-v", settings["voice"], "-p", str(int(rng.integers(10, 91))),
               "-s", str(int(rng.integers(110, 241))), "-g", str(int(rng.integers(0, 20))), "-w", wav, text]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elif engine == "flite":
        subprocess.run(["flite", "-voice", settings["voice"], "--setf", f"duration_stretch={settings['stretch']}",
                        "-t", word, "-o", wav], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        raw = os.path.join(work, "raw.wav")
        voice = settings.get("voice", "voice_ked_diphone")
        scheme = f"(begin ({voice}) (Parameter.set 'Duration_Stretch {settings['stretch']}))"
        subprocess.run(["text2wave", "-eval", scheme, "-o", raw], input=word, text=True, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["sox", "-D", raw, wav, "pitch", str(settings["cents"] + int(rng.integers(-50, 51)))],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    y, rate = soundfile.read(wav, dtype="float64", always_2d=True)
    return y.mean(axis=1), rate


def to_rate(y, rate):
    g = np.gcd(RATE, rate)
    return resample_poly(y, RATE // g, rate // g)


def record_clean(y, rate, rng):
    """The reserved test words: 8 kHz, trimmed 30 dB below the peak, peak at -6 dBFS."""
    return fx.set_peak(fx.trim_silence(to_rate(y, rate), RATE, 30.0), -6.0)


def record(y, rate, rng):
    """What a recording does to the word: 8 kHz, a room, noise, trimming, level."""
    y = to_rate(y, rate)
    if rng.random() < 1 / 3:
        y = fx.reverberate(y, fx.room_impulse_response(rng, RATE, rng.uniform(0.15, 0.8)), rng.uniform(0.1, 0.5))
    if rng.random() < 0.5:
        y = fx.add_noise(rng, y, rng.uniform(15, 50), "pink" if rng.random() < 0.5 else "white")
    y = fx.trim_silence(y, RATE, rng.uniform(15, 40), rng.uniform(0.0, 0.03))
    return np.clip(fx.set_peak(y, rng.uniform(-30, -1)), -1, 1)


def make_speaker(job):
    """Writes the ten digits of one speaker; returns their label rows."""
    (name, engine, settings, rendition), out, seed, index, post = job
    rng = np.random.default_rng([seed, index])
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for digit, word in enumerate(WORDS):
            if engine == "accent" and digit not in settings["words"]:
                continue
            y, rate = synthesise(engine, settings, word, rng, work)
            if not np.any(y):
                raise RuntimeError(f"{engine} {settings} made silence for '{word}'")
            path = f"{digit}_{name}_{rendition}.wav"
            soundfile.write(os.path.join(out, path), post(y, rate, rng), RATE, subtype="PCM_16")
            rows.append((path, str(digit), name, engine))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    ap.add_argument("out", help="output folder (created)")
    ap.add_argument("--seed", type=int, default=0, help="random seed")
    ap.add_argument("--renditions", type=int, default=1, help="words per digit and speaker")
    ap.add_argument("--engines", default="espeak,festival",
                    help="synthesisers: espeak, festival, accent")
    ap.add_argument("--accent-variants", type=int, default=4,
                    help="accent: random voice variants of each language")
    ap.add_argument("--reserved", action="store_true",
                    help="make the independent test set (flite, festival kal and slt) instead")
    ap.add_argument("--limit", type=int, default=0, help="make only the first N speakers (0: all; for tests)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="parallel processes")
    args = ap.parse_args()
    engines = set(args.engines.split(","))
    if not engines <= {"espeak", "festival", "accent"}:
        fail(f"--engines: unknown engine in '{args.engines}' (espeak, festival, accent)")
    if args.renditions < 1:
        fail("--renditions must be at least 1")
    if args.reserved:
        engines = {"flite", "festival"}
    needed = {"espeak": ["espeak-ng"], "accent": ["espeak-ng"], "festival": ["text2wave", "sox"], "flite": ["flite"]}
    for tool in sorted({t for e in engines for t in needed[e]}):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (apt-get install espeak-ng festival festvox-kdlpc16k sox; "
                 "for --reserved also flite festvox-kallpc16k festvox-us-slt-hts)", EXIT_FAILURE)
    todo = reserved_speakers() if args.reserved else \
        speakers(engines, args.renditions, args.seed, args.accent_variants, args.limit)
    if args.limit:
        todo = todo[: args.limit]
    os.makedirs(args.out, exist_ok=True)
    post = record_clean if args.reserved else record
    jobs = [(s, args.out, args.seed, i, post) for i, s in enumerate(todo)]
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        rows = [r for rs in pool.map(make_speaker, jobs, chunksize=4) for r in rs]
    write(os.path.join(args.out, "labels.csv"), rows, ("path", "label", "speaker", "engine"))
    print(f"synth_digits.py: {len(rows)} words of {len(todo)} speakers -> {args.out}")


if __name__ == "__main__":
    main()
