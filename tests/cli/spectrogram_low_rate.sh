#!/usr/bin/env bash
# cqtcnn spectrogram on 8 kHz audio (telephone speech): librosa's default 84 bins reach above the
# Nyquist frequency, so with the default --n-bins the spectrogram keeps the 83 whose bands fit and
# says so in one line on stderr; an explicit --n-bins that does not fit stays an error.
# Usage: spectrogram_low_rate.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
BIN=$1
PY=/usr/bin/python3  # the interpreter with numpy
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1 s of a 440 Hz tone (A4, bin round(12*log2(440/C1)) = 45) at 8000 Hz, 16-bit mono.
"$PY" - "$TMP/speech8k.wav" <<'PYEOF'
import math, struct, sys, wave
sr = 8000
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr)
    w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * 440 * i / sr))) for i in range(sr)))
PYEOF

# Default options: bins 0..82 fit (bin 82, 3729 Hz, has a band up to 3891 Hz; bin 83's reaches 4122 Hz).
"$BIN" spectrogram "$TMP/speech8k.wav" -o "$TMP/out.npy" 2>"$TMP/err" || fail "default options: $(cat "$TMP/err")"
grep -qx "cqtcnn spectrogram: $TMP/speech8k.wav: 8000 Hz: using 83 of 84 bins (the top bin's band must stay below 4000 Hz)" "$TMP/err" \
  || fail "no one-line note of the fitted bins: $(cat "$TMP/err")"
[[ $(grep -c 'bins' "$TMP/err") == 2 ]] || fail "expected the note and the summary: $(cat "$TMP/err")"
"$PY" - "$TMP/out.npy" <<'PYEOF' || fail "fitted npy content"
import sys, numpy as np
a = np.load(sys.argv[1])
assert a.shape == (83, 1 + 8000 // 512), a.shape
assert int(np.argmax(np.median(a, axis=1))) == 45
PYEOF

# The same fit with --sr: 44.1 kHz audio resampled to 8 kHz.
"$PY" - "$TMP/tone44k.wav" <<'PYEOF'
import math, struct, sys, wave
sr = 44100
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr)
    w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * 440 * i / sr))) for i in range(sr)))
PYEOF
"$BIN" spectrogram "$TMP/tone44k.wav" -o "$TMP/resampled.npy" --sr 8000 2>"$TMP/err" || fail "--sr 8000: $(cat "$TMP/err")"
grep -q "8000 Hz: using 83 of 84 bins" "$TMP/err" || fail "--sr 8000: no note: $(cat "$TMP/err")"

# An explicit --n-bins that does not fit: exit 2, one line naming the problem, no output.
set +e
"$BIN" spectrogram "$TMP/speech8k.wav" -o "$TMP/explicit.npy" --n-bins 84 2>"$TMP/err" >/dev/null
code=$?
set -e
[[ $code == 2 ]] || fail "explicit --n-bins 84 at 8 kHz: exit $code: $(cat "$TMP/err")"
[[ $(wc -l <"$TMP/err") == 1 ]] || fail "not one line: $(cat "$TMP/err")"
grep -q "Nyquist" "$TMP/err" || fail "message lacks Nyquist: $(cat "$TMP/err")"
[[ ! -e "$TMP/explicit.npy" ]] || fail "output written despite the error"

# A rate where all 84 fit says nothing extra.
"$BIN" spectrogram "$TMP/tone44k.wav" -o "$TMP/16k.npy" --sr 16000 2>"$TMP/err"
[[ $(wc -l <"$TMP/err") == 1 ]] || fail "16 kHz: unexpected note: $(cat "$TMP/err")"
echo "spectrogram at low rates: all checks passed"
