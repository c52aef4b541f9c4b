#!/usr/bin/env bash
# cqtcnn spectrogram --model draws what the network sees: the front end's rate, CQT and dB, not
# librosa's defaults (which give a 1 s spoken digit at 8 kHz 83 bins x 8 frames). For each shipped
# model the NPY is compared with `cqtcnn features` of the same clip (one window: the clip is
# shorter than it): the same bins, one frame per hop of the model's rate, and the same dB image
# (features' normalised values, mean and std undone; its columns past the clip are padding).
# --model built-in is the built-in model; an option that --model sets is refused with it.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

clip=$src/data/3_jackson_0.wav  # 8 kHz
for model in digits instruments; do
  json=$src/models/$model.json
  "$cqtcnn" spectrogram --model "$json" "$clip" -o "$work/$model.npy" 2> "$work/err" || fail "$model: $(cat "$work/err")"
  "$cqtcnn" features --model "$json" "$clip" -o "$work/$model.features.npy" 2> /dev/null
  /usr/bin/python3 - "$work/$model.npy" "$work/$model.features.npy" "$src/models/$model.frontend.json" "$clip" <<'PY' \
    || fail "$model: the spectrogram is not the front end's image"
import json, sys, wave
import numpy as np
s, f = np.load(sys.argv[1]), np.load(sys.argv[2])
fe = json.load(open(sys.argv[3]))
with wave.open(sys.argv[4]) as w:
    seconds = w.getnframes() / w.getframerate()
samples = round(seconds * fe["sample_rate"])  # the clip at the model's rate
bins, hop = fe["cqt"]["n_bins"], fe["cqt"]["hop_length"]
assert f.shape == (1, 1, bins, fe["window_frames"]), f.shape
assert s.shape == (bins, 1 + samples // hop), (s.shape, bins, samples, hop)
db = f[0, 0] * fe["normalize"]["std"] + fe["normalize"]["mean"]
frames = s.shape[1]
assert frames < fe["window_frames"]
error = np.abs(s - db[:, :frames]).max()
assert error < 1e-3, error
top_db = fe["db"]["top_db"]
assert abs(s.max()) < 1e-4 and abs(s.min() + top_db) < 1e-4, (s.max(), s.min(), top_db)
PY
done

# --model built-in: the built-in model, the digits one.
"$cqtcnn" spectrogram --model built-in "$clip" -o "$work/builtin.npy" 2> /dev/null
cmp -s "$work/builtin.npy" "$work/digits.npy" || fail "--model built-in differs from models/digits.json"

# A figure of it draws (the same settings through the figure path).
"$cqtcnn" spectrogram -m built-in "$clip" -o "$work/builtin.png" 2> /dev/null && [[ -s $work/builtin.png ]] \
  || fail "--model built-in to PNG"

# Options that --model sets are refused, each by name: one line, exit 2, nothing written.
for option in "--hop-length 256" "--sr 16000" "--preset brown1991" "--values pcen" "--top-db 60" "--n-bins 60"; do
  status=0
  # shellcheck disable=SC2086 # the option and its value are two words
  "$cqtcnn" spectrogram --model built-in $option "$clip" -o "$work/conflict.npy" 2> "$work/err" || status=$?
  [[ $status == 2 && $(wc -l < "$work/err") == 1 && ! -e $work/conflict.npy ]] \
    && grep -q "^cqtcnn spectrogram: error: ${option%% *}: --model sets" "$work/err" \
    || fail "--model with $option: exit $status, stderr: $(cat "$work/err")"
done
echo ok
