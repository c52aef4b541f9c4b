#!/usr/bin/env bash
# The shipped instruments model names the two bundled IMIS notes (pitches none of IMIS's training
# notes of that instrument has), and its embedded PyTorch test vectors hold.
set -euo pipefail
cqtcnn=$1
src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
model="$src/models/instruments.json"
"$cqtcnn" inspect "$model" > /dev/null || fail "inspect: test vectors"
out=$("$cqtcnn" classify --model "$model" --format csv "$src/data/cello-a-note-62.flac" "$src/data/trumpet-ff-ais4.flac")
echo "$out" | grep -q '^.*cello-a-note-62.flac,cello,' || fail "cello: $out"
echo "$out" | grep -q '^.*trumpet-ff-ais4.flac,trumpet,' || fail "trumpet: $out"
echo "instruments: all checks passed"
