#!/usr/bin/env bash
# cqtcnn spectrogram end to end: outputs exist with the right shape and content, the result
# matches librosa on a reference clip, and bad input gives a one-line error and a non-zero exit.
# Usage: spectrogram.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
BIN=$1
SRC=$2
PY=/usr/bin/python3  # the interpreter with numpy
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1 s of a 1760 Hz tone (A6, CQT bin round(12*log2(1760/C1)) = 69) at 22050 Hz, 16-bit mono.
"$PY" - "$TMP/tone.wav" <<'PYEOF'
import math, struct, sys, wave
sr, n = 22050, 22050
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr)
    w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * 1760 * i / sr))) for i in range(n)))
PYEOF

# NPY: float32 [84, 1 + 22050 // 512], the tone in bin 69, dB max 0 and floor -80.
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/tone.npy"
"$PY" - "$TMP/tone.npy" <<'PYEOF' || fail "npy content"
import sys, numpy as np
a = np.load(sys.argv[1])
assert a.dtype == np.float32 and a.shape == (84, 44), (a.dtype, a.shape)
peak = int(np.argmax(np.median(a, axis=1)))
assert peak == 69, peak
assert abs(a.max()) < 1e-5 and a.min() >= -80.0 - 1e-4, (a.max(), a.min())
PYEOF

# Threads change nothing: -j 1 and -j 2 write the same bytes (dB, complex, PCEN, CSV), and
# 2 is the default on a machine with two cores or more.
"$PY" - "$TMP/long.wav" <<'PYEOF'
import sys, wave
import numpy as np
rng = np.random.default_rng(3)
t = np.arange(22050 * 20) / 22050
x = 8000 * np.sin(2 * np.pi * 220 * t * (1 + t / 20)) + rng.normal(0, 2000, t.size)
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
    w.writeframes(x.clip(-32768, 32767).astype("<i2").tobytes())
PYEOF
for opts in "" "--complex" "--values pcen" "--sr 44100 --n-bins 96"; do
  for ext in npy csv; do
    [[ $ext == csv && $opts == --complex ]] && continue
    # shellcheck disable=SC2086
    "$BIN" spectrogram "$TMP/long.wav" -o "$TMP/j1.$ext" -j 1 $opts 2>/dev/null
    # shellcheck disable=SC2086
    "$BIN" spectrogram "$TMP/long.wav" -o "$TMP/j2.$ext" -j 2 $opts 2>/dev/null
    cmp -s "$TMP/j1.$ext" "$TMP/j2.$ext" || fail "-j 2 differs from -j 1 ($ext $opts)"
  done
done
"$BIN" spectrogram "$TMP/long.wav" -o "$TMP/j.npy" -j 0 2>/dev/null && fail "-j 0 accepted"

# --complex: complex64 of the same shape; --values magnitude is its modulus, correctly rounded
# (numpy's own float32 abs may differ by an ulp, so compare with the float64 modulus rounded).
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/c.npy" --complex
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/m.npy" --values magnitude
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/p.npy" --values power
"$PY" - "$TMP" <<'PYEOF' || fail "complex/magnitude/power"
import sys, numpy as np
c, m, p = (np.load(f"{sys.argv[1]}/{n}.npy") for n in ("c", "m", "p"))
assert c.dtype == np.complex64 and c.shape == (84, 44), (c.dtype, c.shape)
assert np.array_equal(np.abs(c.astype(np.complex128)).astype(np.float32), m)
assert np.array_equal(m * m, p)
PYEOF

# --sr resamples first: 16000 Hz gives 1 + 16000 // 512 frames. Parameters pass through.
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/sr.npy" --sr 16000 --hop-length 256 --n-bins 60 --bins-per-octave 12
"$PY" -c "import numpy as np, sys; a = np.load(sys.argv[1]); assert a.shape == (60, 63), a.shape" "$TMP/sr.npy" \
  || fail "--sr / --hop-length / --n-bins shape"
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/brown.npy" --preset brown1991 --fmin 55 --n-bins 150
"$PY" -c "import numpy as np, sys; a = np.load(sys.argv[1]); assert a.shape == (150, 44), a.shape" "$TMP/brown.npy" \
  || fail "--preset brown1991"

# CSV: 84 rows of 44 numbers, equal to the NPY (float32 round trip).
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/tone.csv"
"$PY" - "$TMP" <<'PYEOF' || fail "csv content"
import sys, numpy as np
a = np.loadtxt(f"{sys.argv[1]}/tone.csv", delimiter=",", dtype=np.float64).astype(np.float32)
assert a.shape == (84, 44), a.shape
assert np.array_equal(a, np.load(f"{sys.argv[1]}/tone.npy"))
PYEOF

# Raw PNG (--raw-image): natural size is frames x bins; --width/--height resize; --format
# overrides the extension. Without --raw-image a .png is the figure (tests/cli/figures.sh).
png_size() { "$PY" -c "import struct, sys; d = open(sys.argv[1], 'rb').read(24); assert d[:8] == b'\x89PNG\r\n\x1a\n'; print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1"; }
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/tone.png" --raw-image
[[ $(png_size "$TMP/tone.png") == 44x84 ]] || fail "png size $(png_size "$TMP/tone.png")"
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/big.png" --raw-image --width 300 --height 200 --resize nearest
[[ $(png_size "$TMP/big.png") == 300x200 ]] || fail "resized png size"
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/image.dat" --format png --raw-image
[[ $(png_size "$TMP/image.dat") == 44x84 ]] || fail "--format png"
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/figure.png"
[[ $(png_size "$TMP/figure.png") == 1000x500 ]] || fail "figure png size $(png_size "$TMP/figure.png")"

# Against librosa: C_digit_db.npy = amplitude_to_db(|librosa.cqt(digit, sr=8000, hop_length=64,
# n_bins=72)|, ref=np.max). Bins within 60 dB of the maximum must agree to 1e-3 dB, all bins to 1e-2 dB.
"$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/digit.npy" --hop-length 64 --n-bins 72
"$PY" - "$TMP/digit.npy" "$SRC/tests/data/io/C_digit_db.npy" <<'PYEOF' || fail "librosa digit"
import sys, numpy as np
mine, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
assert mine.shape == ref.shape, (mine.shape, ref.shape)
loud = ref > -60
err = np.abs(mine - ref)
print("digit vs librosa: max |dB error| %.2e (loud bins), %.2e (all)" % (err[loud].max(), err.max()))
assert err[loud].max() < 1e-3 and err.max() < 1e-2
PYEOF

# --values pcen against librosa: C_digit_pcen.npy = librosa.pcen(|librosa.cqt(digit, ...)| * 2**31,
# sr=8000, hop_length=64), end to end: the CQT's own float32 differences (above: up to 1.3e-3 dB)
# pass through, so 1e-4 relative (absolute below 1); tests/dsp/pcen_test.cpp checks PCEN
# itself to 2.5e-7 on librosa's magnitudes.
"$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/digit_pcen.npy" --hop-length 64 --n-bins 72 --values pcen
"$PY" - "$TMP/digit_pcen.npy" "$SRC/tests/data/io/C_digit_pcen.npy" <<'PYEOF' || fail "librosa digit pcen"
import sys, numpy as np
mine, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
assert mine.shape == ref.shape, (mine.shape, ref.shape)
err = np.abs(mine - ref)
print("digit pcen vs librosa: max |error| %.2e (values up to %.2f)" % (err.max(), ref.max()))
assert (err <= 1e-4 * np.maximum(np.abs(ref), 1)).all()
PYEOF
"$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/digit_pcen.csv" --hop-length 64 --n-bins 72 --values pcen
"$PY" - "$TMP/digit_pcen.npy" "$TMP/digit_pcen.csv" <<'PYEOF' || fail "pcen: npy and csv differ"
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
assert a.shape == b.shape and np.allclose(a, b, rtol=1e-6), (a.shape, b.shape)
PYEOF
"$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/digit_pcen.png" --hop-length 64 --n-bins 72 --values pcen
# The --pcen-* options reach PCEN (a faster smoother changes the values) and are checked.
"$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/digit_pcen_fast.npy" --hop-length 64 --n-bins 72 \
    --values pcen --pcen-time-constant 0.05 2>/dev/null
"$PY" -c "import sys, numpy as np; sys.exit(np.allclose(np.load(sys.argv[1]), np.load(sys.argv[2])))" \
    "$TMP/digit_pcen.npy" "$TMP/digit_pcen_fast.npy" || fail "--pcen-time-constant changed nothing"
if "$BIN" spectrogram "$SRC/tests/data/io/digit_8000.wav" -o "$TMP/x.npy" --values pcen --pcen-eps 0 2> "$TMP/err"; then
  fail "--pcen-eps 0 was accepted"
fi
grep -q -- "--pcen-eps: must be in (0, 1e9], got 0" "$TMP/err" || fail "--pcen-eps message: $(cat "$TMP/err")"
[[ $(png_size "$TMP/digit_pcen.png") == 1000x500 ]] || fail "pcen figure size $(png_size "$TMP/digit_pcen.png")"

# --help lists the defaults.
help=$("$BIN" spectrogram --help)
for want in "--hop-length" "512" "--fmin" "32.70" "--n-bins" "84" "--bins-per-octave" "--filter-scale" "--gamma" \
            "--window" "hann" "--norm" "--sparsity" "0.01" "--no-scale" "--pad-mode" "constant" "--tuning" "--sr" \
            "--preset" "librosa" "--values" "db" "--width" "--height"; do
  grep -q -- "$want" <<<"$help" || fail "--help lacks $want"
done

# Bad input: non-zero exit, exactly one line on stderr naming the problem, no output file.
expect_error() {  # expect_error <code> <text in message> <args...>
  local code=$1 text=$2; shift 2
  set +e
  "$BIN" spectrogram "$@" 2>"$TMP/err" >/dev/null
  local got=$?
  set -e
  [[ $got == "$code" ]] || fail "exit $got (want $code) for: $* ($(cat "$TMP/err"))"
  [[ $(wc -l <"$TMP/err") == 1 ]] || fail "not one line for: $*: $(cat "$TMP/err")"
  grep -qF -- "$text" "$TMP/err" || fail "message for '$*' lacks '$text': $(cat "$TMP/err")"
  [[ ! -e "$TMP/out.npy" ]] || fail "output written despite the error: $*"
}
echo "just text" >"$TMP/text.wav"
mkdir "$TMP/dir.wav"
expect_error 1 "$TMP/missing.wav: cannot open: No such file or directory" "$TMP/missing.wav" -o "$TMP/out.npy"
expect_error 1 "$TMP/dir.wav: is a directory" "$TMP/dir.wav" -o "$TMP/out.npy"
expect_error 1 "$TMP/text.wav: not a supported audio file" "$TMP/text.wav" -o "$TMP/out.npy"
expect_error 2 "--format" "$TMP/tone.wav" -o "$TMP/out.npy" --format jpeg
expect_error 2 "$TMP/out.xyz" "$TMP/tone.wav" -o "$TMP/out.xyz"
expect_error 2 "hop" "$TMP/tone.wav" -o "$TMP/out.npy" --hop-length 0
expect_error 2 "--values" "$TMP/tone.wav" -o "$TMP/out.npy" --values loud
expect_error 2 "--complex" "$TMP/tone.wav" -o "$TMP/out.png" --complex
expect_error 2 "--raw-image" "$TMP/tone.wav" -o "$TMP/out.pdf" --raw-image
expect_error 2 "too small" "$TMP/tone.wav" -o "$TMP/out.png" --width 100 --height 60
expect_error 1 "$TMP/nodir/out.npy" "$TMP/tone.wav" -o "$TMP/nodir/out.npy"

# "-" reads standard input, as classify - does: a WAV through a pipe, or headerless PCM with
# --raw, gives the array the file gives (NPY, written as it is computed, and CSV, held whole).
"$BIN" spectrogram "$TMP/tone.wav" -o "$TMP/file.csv" 2>/dev/null
cat "$TMP/tone.wav" | "$BIN" spectrogram - -o "$TMP/pipe.npy" 2>/dev/null
cat "$TMP/tone.wav" | "$BIN" spectrogram - -o "$TMP/pipe.csv" 2>/dev/null
tail -c +45 "$TMP/tone.wav" | "$BIN" spectrogram - --raw 22050:s16le:1 -o "$TMP/raw.npy" 2>/dev/null
cmp -s "$TMP/tone.npy" "$TMP/pipe.npy" || fail "spectrogram - (NPY) differs from the file's"
cmp -s "$TMP/tone.npy" "$TMP/raw.npy" || fail "spectrogram - --raw differs from the file's"
cmp -s "$TMP/file.csv" "$TMP/pipe.csv" || fail "spectrogram - (CSV) differs from the file's"
expect_error 2 "--raw: describes standard input" "$TMP/tone.wav" --raw 22050:s16le:1 -o "$TMP/out.npy"
set +e
: | "$BIN" spectrogram - -o "$TMP/out.npy" 2>"$TMP/err"; code=${PIPESTATUS[1]}
set -e
[[ $code -eq 1 && $(cat "$TMP/err") == *"stdin: empty"* && ! -e "$TMP/out.npy" ]] \
  || fail "empty stdin: exit $code: $(cat "$TMP/err")"
echo "spectrogram CLI: all checks passed"
