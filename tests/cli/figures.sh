#!/usr/bin/env bash
# The figures end to end: `spectrogram -o X.{png,svg,pdf}`, `evaluate --confusion`, `explain`.
# Every format is written; the text of each PDF (pdftotext, poppler-utils) holds the axis labels,
# class names and accuracy; bad requests give one line on stderr and exit 2.
# Usage: figures.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
source "$(dirname "$0")/common.bash"
command -v pdftotext >/dev/null || fail "pdftotext not found (poppler-utils: tools/install-deps.sh)"

is_png() { [[ $(head -c 8 "$1" | od -An -c | tr -d ' ') == '211PNG\r\n032\n' ]]; }
is_svg() { grep -q "<svg" "$1"; }
is_pdf() { [[ $(head -c 5 "$1") == "%PDF-" ]]; }
has_text() {  # has_text FILE.pdf TEXT...
  local pdf=$1 text
  shift
  text=$(pdftotext -q "$pdf" -)
  for want in "$@"; do grep -qF -- "$want" <<<"$text" || fail "$pdf: the PDF's text lacks \"$want\": $text"; done
}

# spectrogram: a figure in each format, the file name, parameters and axes in the PDF.
trumpet="$src/data/trumpet-ff-ais4.flac"
for ext in png svg pdf; do "$cqtcnn" spectrogram "$trumpet" -o "$work/s.$ext" 2>/dev/null; done
is_png "$work/s.png" || fail "s.png is not a PNG"
is_svg "$work/s.svg" || fail "s.svg is not an SVG"
is_pdf "$work/s.pdf" || fail "s.pdf is not a PDF"
has_text "$work/s.pdf" "trumpet-ff-ais4.flac" "84 bins from 32.7 Hz (C1), 12 per octave, hop 512" "Time (s)" "Note" \
  "C2" "C5" "dB (re maximum)" "-80"
"$cqtcnn" spectrogram "$trumpet" -o "$work/hz.pdf" --frequency-axis hz --width 800 --height 400 2>/dev/null
has_text "$work/hz.pdf" "Frequency (Hz)" "100" "1000"
"$cqtcnn" spectrogram "$trumpet" -o "$work/size.svg" --width 800 --height 400 2>/dev/null
grep -q 'width="800pt"' "$work/size.svg" && grep -q 'height="400pt"' "$work/size.svg" || fail "--width/--height in the SVG"

# evaluate --confusion: the class names, the accuracy of the text report, and the file count.
{
  echo "path,label"
  for f in "$src"/data/*_*_*.wav; do b=$(basename "$f"); echo "$f,${b%%_*}"; done
} >"$work/digits.csv"
"$cqtcnn" evaluate --model "$src/models/digits.json" "$work/digits.csv" --confusion "$work/c.pdf" >"$work/report.txt"
accuracy=$(sed -n 's/^accuracy: \([0-9.]*%\) (\([0-9]*\)\/\([0-9]*\))$/accuracy \1 (\2 of \3 files)/p' "$work/report.txt")
[[ -n $accuracy ]] || fail "no accuracy line in the report: $(cat "$work/report.txt")"
has_text "$work/c.pdf" "$accuracy" "True class" "Predicted class" 0 1 2 3 4 5 6 7 8 9
for ext in png svg; do
  "$cqtcnn" evaluate --model "$src/models/digits.json" "$work/digits.csv" --confusion "$work/c.$ext" >/dev/null
done
is_png "$work/c.png" && is_svg "$work/c.svg" || fail "confusion png/svg"
"$cqtcnn" evaluate --model "$src/models/digits.json" "$work/digits.csv" --confusion-png "$work/old.png" >/dev/null
is_png "$work/old.png" || fail "--confusion-png still works"

# explain: the built-in digit model on a spoken 3, the instrument model on a trumpet.
"$cqtcnn" explain "$src/data/3_jackson_0.wav" -o "$work/e.pdf" 2>"$work/err"
grep -q '"3"' "$work/err" || fail "explain's summary: $(cat "$work/err")"
has_text "$work/e.pdf" "3_jackson_0.wav" "why \"3\"" "Top classes" "drop in p(3)" "Time (s)" "Note"
"$cqtcnn" explain "$trumpet" --model "$src/models/instruments.json" -o "$work/t.png" 2>/dev/null
is_png "$work/t.png" || fail "explain png"
"$cqtcnn" explain "$trumpet" --model "$src/models/instruments.json" --class violin --at 1.0 -k 3 \
  --frequency-axis hz -o "$work/t.svg" 2>"$work/err"
is_svg "$work/t.svg" || fail "explain svg"
grep -q '"violin"' "$work/err" || fail "--class violin: $(cat "$work/err")"

# Bad requests: exit 2, one line naming the problem, no output.
expect_error() {  # expect_error <code> <text in message> <args...>
  local code=$1 text=$2 got
  shift 2
  set +e
  "$cqtcnn" "$@" 2>"$work/err" >/dev/null
  got=$?
  set -e
  [[ $got == "$code" ]] || fail "exit $got (want $code) for: $* ($(cat "$work/err"))"
  [[ $(wc -l <"$work/err") == 1 ]] || fail "not one line for: $*: $(cat "$work/err")"
  grep -qF -- "$text" "$work/err" || fail "message for '$*' lacks '$text': $(cat "$work/err")"
  [[ ! -e "$work/bad.jpg" && ! -e "$work/bad.pdf" ]] || fail "output written despite the error: $*"
}
expect_error 2 "bad.jpg" explain "$trumpet" -o "$work/bad.jpg"
expect_error 2 "--class" explain "$trumpet" --model "$src/models/instruments.json" --class kazoo -o "$work/bad.pdf"
expect_error 2 "--at" explain "$trumpet" --model "$src/models/instruments.json" --at 60 -o "$work/bad.pdf"
expect_error 1 "missing.wav" explain "$work/missing.wav" -o "$work/bad.pdf"
expect_error 2 "bad.jpg" evaluate --model "$src/models/digits.json" "$work/digits.csv" --confusion "$work/bad.jpg"
echo "figures CLI: all checks passed"
