#!/usr/bin/env bash
# cqtcnn features against `cqtcnn spectrogram` of the same files: each row of the NPY is a window
# of the file's CQT magnitudes (the digits model's front end), converted to dB relative to the
# window's maximum, clipped top_db below it, padded with silence past the end, and normalised,
# computed here in numpy; the index says which file and span each row is. --window-hop is in
# seconds; a failed file leaves no output.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
model="$src/models/digits.json"
# The bundled recordings are shorter than a window (64 frames, 1 s): a 6 s one made of them, too.
/usr/bin/python3 - "$work/long.wav" "$src"/data/*.wav <<'PY'
import sys
import numpy as np, soundfile
soundfile.write(sys.argv[1], np.concatenate([soundfile.read(f, dtype="float32")[0] for f in sys.argv[2:]] * 3), 8000)
PY
files=("$src/data/3_jackson_0.wav" "$work/long.wav" "$src/data/7_theo_2.wav")

check() {  # check <features.npy> <index.csv> <hop frames>
  for f in "${files[@]}"; do
    # The digits front end: 8 kHz, hop 128, 70 bins from C2, filter_scale 0.4; dB: top_db 40;
    # normalise: mean -20, std 20; windows of 64 frames.
    "$cqtcnn" spectrogram "$f" -o "$work/$(basename "$f" .wav).npy" --sr 8000 --hop-length 128 --n-bins 70 \
      --fmin 65.40639132514966 --filter-scale 0.4 --values magnitude
  done
  /usr/bin/python3 - "$1" "$2" "$3" "$work" "${files[@]}" <<'PY' || fail "features differ from the spectrogram"
import csv, os, sys
import numpy as np
x, index, hop, work, files = np.load(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
rows = list(csv.DictReader(open(index)))
assert x.shape == (len(rows), 1, 70, 64), (x.shape, len(rows))
row = 0
for f in files:
    mag = np.load(os.path.join(work, os.path.basename(f)[:-4] + ".npy")).astype(np.float64)  # bins x frames
    frames = mag.shape[1]
    start = 0
    while True:
        part = mag[:, start:start + 64]
        db = 20 * np.log10(np.maximum(1e-5, part)) - 20 * np.log10(max(1e-5, part.max()))
        db = np.maximum(db, db.max() - 40)
        want = np.full((70, 64), -40.0)
        want[:, :part.shape[1]] = db
        want = (want + 20) / 20
        err = np.abs(x[row, 0] - want).max()
        assert err < 1e-4, (f, start, err)
        r = rows[row]
        assert (r["row"], r["path"], r["window"]) == (str(row), f, str(start // hop)), r
        assert abs(float(r["start_s"]) - start * 128 / 8000) < 1e-6, r
        row += 1
        if start + 64 >= frames:
            break
        start += hop
assert row == len(rows), (row, len(rows))
print(f"features: {row} windows of {len(files)} files match the spectrogram (hop {hop} frames)")
PY
}

# The model's own hop (32 frames), 2 threads; then --window-hop 0.256 s = 16 frames of 16 ms.
"$cqtcnn" features -j 2 --model "$model" -o "$work/x.npy" --index "$work/x.csv" "${files[@]}" 2> "$work/err" \
  || fail "features: $(cat "$work/err")"
grep -qx "cqtcnn features: [0-9]* windows from 3 files -> $work/x.npy" "$work/err" || fail "summary: $(cat "$work/err")"
check "$work/x.npy" "$work/x.csv" 32
"$cqtcnn" features --frontend "$src/models/digits.frontend.json" --window-hop 0.256 -o "$work/y.npy" \
  --index "$work/y.csv" "${files[@]}" 2> /dev/null || fail "features --window-hop"
check "$work/y.npy" "$work/y.csv" 16

# A file that is not audio: its error, exit 1, and the earlier output left as it was.
printf 'not audio' > "$work/junk.wav"
cp "$work/x.npy" "$work/before.npy"
set +e
"$cqtcnn" features --model "$model" -o "$work/x.npy" "${files[0]}" "$work/junk.wav" 2> "$work/err"
code=$?
set -e
[[ $code == 1 ]] || fail "exit $code for a failed file"
grep -q "^cqtcnn features: $work/junk.wav: " "$work/err" || fail "no error naming junk.wav: $(cat "$work/err")"
grep -q "1 of 2 files failed; no output written" "$work/err" || fail "summary: $(cat "$work/err")"
cmp -s "$work/x.npy" "$work/before.npy" || fail "the earlier output was changed"

# --frontend gets the model reader's limits and one-line errors.
printf '%*s' 100 '' | tr ' ' '[' > "$work/deep.json"
set +e
"$cqtcnn" features --frontend "$work/deep.json" -o "$work/z.npy" "${files[0]}" 2> "$work/err"
code=$?
set -e
[[ $code == 2 && $(wc -l < "$work/err") == 1 ]] || fail "deep JSON: exit $code: $(cat "$work/err")"
grep -q "$work/deep.json: JSON nested deeper than 64 levels" "$work/err" || fail "deep JSON: $(cat "$work/err")"
[[ ! -e "$work/z.npy" ]] || fail "output written for a bad front end"
echo "features: OK"
