#!/usr/bin/env bash
# spectrogram writes NPY as it computes it: an hour of audio peaks at the same resident size as
# six minutes, and the file holds the same array as the in-memory path (CSV) gives.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
# Under AddressSanitizer (CQTCNN_SANITIZE), freed memory waits in a quarantine of up to 256 MB
# before reuse: no quarantine here, so RSS measures the program's own use.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"

/usr/bin/python3 - "$work" <<'PY'
import sys, wave
import numpy as np
rng = np.random.default_rng(0)
for minutes in (6, 60):
    with wave.open(f"{sys.argv[1]}/{minutes}.wav", "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        for _ in range(minutes):
            w.writeframes((rng.normal(0, 3000, 8000 * 60)).clip(-32768, 32767).astype("<i2").tobytes())
PY

peak_kib() {  # peak RSS of `cqtcnn spectrogram $1.wav -o $1.npy -j $2`, from a small launcher (peak_rss.py)
  /usr/bin/python3 -I -S "$(dirname "$0")/peak_rss.py" "$cqtcnn" spectrogram "$work/$1.wav" -o "$work/$1.npy" -j "$2" \
    2> "$work/$1.err" || { cat "$work/$1.err" >&2; fail "spectrogram of $1 minutes failed"; }
  sed -n 's/^peak_rss_kib //p' "$work/$1.err"
}
# An hour of 8 kHz audio is about 80 bins x 56,000 frames (18 MB of float32): held in memory it
# would show; streamed, not even 2 MiB more for ten times the audio. With threads the blocks
# waiting between them, and each thread's allocator, vary from run to run by about a MiB:
# 4 MiB, still far below the array.
for threads in 1 2; do
  short=$(peak_kib 6 "$threads")
  long=$(peak_kib 60 "$threads")
  echo "peak RSS, -j $threads: 6 min $short KiB, 60 min $long KiB"
  [ "$long" -le $((short + 2048 * threads)) ] ||
    fail "memory grows with the file's length (-j $threads): $short KiB for 6 min, $long KiB for 60"
done

# The streamed file (Fortran order) holds the array the in-memory path writes as CSV.
"$cqtcnn" spectrogram "$work/6.wav" -o "$work/6.csv" 2>/dev/null
/usr/bin/python3 - "$work" <<'PY' || fail "the streamed NPY differs from the in-memory spectrogram"
import sys
import numpy as np
w = sys.argv[1]
a = np.load(f"{w}/6.npy")
b = np.loadtxt(f"{w}/6.csv", delimiter=",", dtype=np.float32, ndmin=2)
assert a.dtype == np.float32 and a.flags["F_CONTIGUOUS"], (a.dtype, a.flags)
assert a.shape == b.shape and a.shape[1] == 6 * 60 * 8000 // 512 + 1, (a.shape, b.shape)
assert np.array_equal(a, b), np.abs(a - b).max()  # CSV keeps 9 significant digits: float32 exactly
assert abs(a.max()) < 1e-5 and a.min() >= a.max() - 80.001, (a.min(), a.max())  # dB re the maximum, top_db 80
PY
