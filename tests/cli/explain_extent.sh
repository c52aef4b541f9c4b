#!/usr/bin/env bash
# explain draws the audio's extent: a clip shorter than a window (the digits model's is 64 frames,
# 1.024 s) is drawn over its own frames, not the padded window. The SVG embeds the image and the
# saliency with one texel per bin and frame, so their width is the frames drawn: the clip's frame
# count at the model's hop (spectrogram --model gives it), and the whole window for a longer file.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

# Widths of the images of bins x frames (the colour bars are 1 wide).
image_widths() { grep -o '<image [^>]*width="[0-9]*" height="[0-9]*"' "$1" | grep -v 'width="1"' \
                 | sed 's/.*width="\([0-9]*\)" height="\([0-9]*\)"/\1x\2/' | sort -u; }

clip=$src/data/3_jackson_0.wav  # 0.49 s at 8 kHz
"$cqtcnn" spectrogram --model built-in "$clip" -o "$work/clip.npy" 2> /dev/null
frames=$(/usr/bin/python3 -c 'import numpy, sys; print(numpy.load(sys.argv[1]).shape[1])' "$work/clip.npy")
(( frames < 64 )) || fail "the clip is $frames frames, not shorter than a window"
"$cqtcnn" explain "$clip" -o "$work/clip.svg" 2> /dev/null
[[ $(image_widths "$work/clip.svg") == "${frames}x70" ]] \
  || fail "explain of a ${frames}-frame clip draws $(image_widths "$work/clip.svg") (want ${frames}x70)"

# 1.5 s: the first window is all audio, 64 frames.
/usr/bin/python3 - "$work/long.wav" <<'PY'
import math, struct, sys, wave
sr = 8000
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / sr))) for i in range(3 * sr // 2)))
PY
"$cqtcnn" explain "$work/long.wav" --at 0.5 -o "$work/long.svg" 2> /dev/null
[[ $(image_widths "$work/long.svg") == "64x70" ]] || fail "explain of a whole window draws $(image_widths "$work/long.svg")"
echo ok
