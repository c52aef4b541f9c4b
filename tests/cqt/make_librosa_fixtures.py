#!/usr/bin/python3
"""Regenerates the librosa reference fixtures in tests/ from their inputs, with the real
librosa 0.10.1 in ../shared/peers (set up once with ../shared/peers/setup.sh):

- tests/data/cqt/<case>_mag.npy and <case>_complex.npy: librosa.cqt or librosa.vqt of the
  case's input WAV with the case's parameters, as listed in tests/data/cqt/cases.json (|C| as
  float32, C as complex64, Fortran-ordered as librosa returns them). tests/cqt/
  librosa_reference_test.cpp compares cqtcnn's CQT with them.
- tests/data/io/A_chirp_*.npy and C_digit_*.npy: the same magnitudes,
  librosa.amplitude_to_db(|C|, ref=np.max, amin=1e-5, top_db=80) of them, for
  tests/pipeline/decibels_test.cpp and tests/cli/spectrogram.sh, and (_pcen.npy, float64 as
  librosa returns it) librosa.pcen(|C| * 2**31, sr=sr, hop_length=hop_length) with pcen's
  defaults, for tests/pipeline/pcen_test.cpp.

The inputs are read as soundfile reads them (16-bit PCM -> int16 / 32768 as float32), resampling
is librosa's default res_type 'soxr_hq' (the peers' soxr module, Debian's libsoxr).

    PYTHONPATH=tools:../shared/peers/python /usr/bin/python3 tests/cqt/make_librosa_fixtures.py --check
        # computes every fixture and compares it with the committed file; exit 1 if any differs
        # (the CQTs bit for bit, the dB values to 1.5e-5 dB: see compare())
    PYTHONPATH=tools:../shared/peers/python /usr/bin/python3 tests/cqt/make_librosa_fixtures.py
        # writes the fixtures that are missing or not reproduced (the others stay as committed)
"""
import argparse
import json
import os
import sys
import warnings

from cqtcnn_train import cli

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CQT_DIR = os.path.join(ROOT, "tests", "data", "cqt")
IO_DIR = os.path.join(ROOT, "tests", "data", "io")
DB_CASES = ("A_chirp", "C_digit")  # the cases whose magnitudes and dB values tests/data/io holds


def magnitude(c, np):
    """|c| as float32, computed as numpy 1.24's AVX-512 loop computes np.abs of complex64:
    max(|re|, |im|) * sqrt(fma(r, r, 1)), r = min / max. The committed fixtures were made on an
    AVX-512 machine; without AVX-512, np.abs uses hypotf, which differs in the last bit for a third
    of the values, so the formula is written out here to give the same file on every machine."""
    re, im = np.abs(c.real), np.abs(c.imag)
    larger, smaller = np.maximum(re, im), np.minimum(re, im)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (smaller / larger).astype(np.float32)
        one_plus_r2 = (r.astype(np.float64) ** 2 + 1.0).astype(np.float32)  # fma: one rounding
        out = (np.sqrt(one_plus_r2) * larger).astype(np.float32)  # keeps librosa's Fortran order
    out[larger == 0] = 0
    return out


def transform(case, librosa, np, soundfile):
    """The case's complex CQT (or VQT) of its input, as librosa computes it."""
    y, sr = soundfile.read(os.path.join(CQT_DIR, case["input"]), dtype="float32")
    params = dict(case["params"])
    if params.pop("sr") != sr:
        cli.fail(f"{case['input']}: sampled at {sr} Hz, but case {case['id']} says otherwise")
    function = {"librosa.cqt": librosa.cqt, "librosa.vqt": librosa.vqt}[case["function"]]
    return function(y, sr=sr, **params)


def fixtures(librosa, np, soundfile):
    """(path, array) for every fixture, computed now."""
    cases = json.load(open(os.path.join(CQT_DIR, "cases.json")))["cases"]
    out = []
    for case in cases:
        c = transform(case, librosa, np, soundfile)
        mag = magnitude(c, np)
        for f in case["files"]:
            out.append((os.path.join(CQT_DIR, f["file"]), mag if f["kind"] == "mag" else c.astype(np.complex64)))
        if case["id"] in DB_CASES:
            out.append((os.path.join(IO_DIR, case["id"] + "_mag.npy"), mag))
            db = librosa.amplitude_to_db(mag, ref=np.max, amin=1e-5, top_db=80)
            out.append((os.path.join(IO_DIR, case["id"] + "_db.npy"), db))
            pcen = librosa.pcen(mag * 2**31, sr=case["params"]["sr"], hop_length=case["params"]["hop_length"])
            out.append((os.path.join(IO_DIR, case["id"] + "_pcen.npy"), pcen))
    return out


def compare(path, new, np):
    """(reproduced, one line saying how): the CQTs must come out bit for bit; the dB values to
    two float32 steps at 64-128 dB (1.5e-5 dB), because numpy's float32 log10 differs in its
    last bits between CPUs (an AVX-512 loop, or libm), as the committed files were made with the
    former; PCEN's float64 values to 1e-13 relative, for the same reason."""
    old = np.load(path)
    name = os.path.relpath(path, ROOT)
    if old.shape != new.shape or old.dtype != new.dtype:
        return False, f"{name}: {old.dtype}{list(old.shape)} committed, {new.dtype}{list(new.shape)} now"
    if np.array_equal(old, new):
        return True, f"{name}: identical"
    diff = np.abs(old.astype(np.complex128) - new.astype(np.complex128))
    if name.endswith("_db.npy") and diff.max() <= 2 * np.spacing(np.float32(64)):
        return True, f"{name}: within {diff.max():.2e} dB ({np.count_nonzero(diff)} of {diff.size} values not identical)"
    if name.endswith("_pcen.npy") and (diff <= 1e-13 * np.abs(old)).all():  # float64 exp and log1p, by CPU
        return True, f"{name}: within 1e-13 relative ({np.count_nonzero(diff)} of {diff.size} values not identical)"
    rel = np.linalg.norm(diff) / max(np.linalg.norm(np.abs(old.astype(np.complex128))), 1e-300)
    return False, f"{name}: differs: max |diff| {diff.max():.3e}, rel_frob {rel:.3e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=cli.HelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed fixtures instead of writing them; exit 1 if any differs")
    args = ap.parse_args()
    try:
        import numpy as np
        import soundfile
    except ImportError as e:
        cli.missing_package(e)
    try:
        import librosa
    except ImportError as e:
        cli.fail(f"cannot import librosa ({e}): run ../shared/peers/setup.sh once, and this with "
                      "PYTHONPATH=tools:../shared/peers/python")
    if librosa.__version__ != "0.10.1":
        cli.fail(f"librosa {librosa.__version__} found; the fixtures are librosa 0.10.1's (../shared/peers)")

    warnings.filterwarnings("ignore", message="n_fft=.* is too large")  # librosa's, on short octaves
    same = True
    for path, array in fixtures(librosa, np, soundfile):
        if args.check:
            ok, line = compare(path, array, np)
            same &= ok
            print(line)
        elif os.path.exists(path) and compare(path, array, np)[0]:
            print(f"kept {os.path.relpath(path, ROOT)}: reproduced")  # within the tolerances above
        else:
            np.save(path, array)
            print(f"wrote {os.path.relpath(path, ROOT)}")
    if args.check:
        print("all fixtures reproduced" if same else "some fixtures differ (above)")
        sys.exit(0 if same else cli.EXIT_FAILURE)


if __name__ == "__main__":
    main()
