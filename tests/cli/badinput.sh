#!/usr/bin/env bash
# Bad input: generates the corpus of tests/badinput/make_corpus.py (empty, truncated, absurd
# headers, other formats behind audio extensions, odd names, extreme lengths, rates, channel
# counts and sample formats) into a temporary folder and checks that `cqtcnn classify` and
# `cqtcnn spectrogram` give each file exactly the outcome its manifest line expects.
# Usage: badinput.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
cqtcnn=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 "$src/tests/badinput/make_corpus.py" "$dir/corpus"
/usr/bin/python3 "$src/tests/badinput/check_outcomes.py" "$cqtcnn" "$dir/corpus"
