#!/usr/bin/env bash
# Which files classify, features and evaluate take: a folder with nothing to take is an error
# (exit 2, one line naming the folder, -r suggested when its sub-folders have audio), and files
# in folders that are not audio are skipped with one notice on stderr, the same in every command.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
model="$src/models/digits.json"

# expect_error CODE TEXT CMD...: the command exits CODE with one stderr line containing TEXT.
expect_error() {
  local want=$1 text=$2 code
  shift 2
  set +e
  "$cqtcnn" "$@" > "$work/out" 2> "$work/err"; code=$?
  set -e
  [[ $code -eq $want ]] || fail "$*: exit $code, expected $want: $(cat "$work/err")"
  [[ $(wc -l < "$work/err") -eq 1 ]] || fail "$*: expected one line: $(cat "$work/err")"
  grep -qF -- "$text" "$work/err" || fail "$*: expected '$text' in: $(cat "$work/err")"
}

# 1. No input files: an empty folder, a folder whose audio is only in sub-folders, an empty list.
mkdir -p "$work/empty" "$work/nested/a" "$work/nested/b"
cp "$src/data/3_jackson_0.wav" "$work/nested/a/"
cp "$src/data/7_theo_2.wav" "$work/nested/b/"
expect_error 2 "classify: no input files: $work/empty has no audio files" classify "$work/empty"
expect_error 2 "$work/nested has no audio files (its sub-folders have 2: add -r to include them)" \
  classify "$work/nested"
expect_error 2 "$work/empty and its sub-folders have no audio files" classify -r "$work/empty"
expect_error 2 "features: no input files: $work/nested has no audio files (its sub-folders have 2" \
  features --model "$model" -o "$work/x.npy" "$work/nested"
[[ ! -e "$work/x.npy" ]] || fail "features wrote an output without inputs"
: > "$work/list.txt"
expect_error 2 "classify: no input files: $work/list.txt lists no files" classify --files-from "$work/list.txt"
expect_error 2 "files ending in .flac" classify --ext flac "$work/nested/a"
mkdir -p "$work/unlabelled/3" "$work/unlabelled/7/deeper"
echo notes > "$work/unlabelled/3/README.txt"
cp "$src/data/7_theo_2.wav" "$work/unlabelled/7/deeper/"
expect_error 2 "evaluate: no input files: $work/unlabelled has no audio files in its label folders" \
  evaluate --model "$model" "$work/unlabelled"
expect_error 2 "evaluate: no input files: $work/empty has no label folders" evaluate --model "$model" "$work/empty"
"$cqtcnn" classify -r --format csv "$work/nested" > "$work/nested.csv" || fail "classify -r"
[[ $(wc -l < "$work/nested.csv") -eq 3 ]] || fail "classify -r rows: $(cat "$work/nested.csv")"

# 2. Non-audio files in folders are skipped, said once; the audio is processed, exit 0.
mkdir -p "$work/mixed"
cp "$src/data/3_jackson_0.wav" "$src/data/7_theo_2.wav" "$work/mixed/"
echo notes > "$work/mixed/README.txt"
echo junk > "$work/mixed/.DS_Store"
skipped="skipped 2 files that are not audio (.DS_Store, README.txt)"
"$cqtcnn" classify --format csv "$work/mixed" > "$work/mixed.csv" 2> "$work/err" || fail "classify: $(cat "$work/err")"
[[ $(cat "$work/err") == "cqtcnn classify: $skipped" ]] || fail "classify notice: $(cat "$work/err")"
[[ $(wc -l < "$work/mixed.csv") -eq 3 ]] || fail "classify rows: $(cat "$work/mixed.csv")"
"$cqtcnn" classify -q "$work/mixed" > /dev/null 2> "$work/err" && [[ ! -s "$work/err" ]] || fail "-q: $(cat "$work/err")"
# Sub-folders without -r are skipped, and counted (per folder given), not passed over in silence.
mkdir -p "$work/mixed/old" "$work/mixed/new" "$work/nested/a/more"
"$cqtcnn" classify --format csv "$work/mixed" "$work/nested/a" > /dev/null 2> "$work/err" || fail "classify: $(cat "$work/err")"
grep -qx "cqtcnn classify: skipped 2 sub-folders of $work/mixed, 1 of $work/nested/a (-r includes them)" "$work/err" \
  || fail "sub-folders notice: $(cat "$work/err")"
"$cqtcnn" classify -r --format csv "$work/mixed" > /dev/null 2> "$work/err"
! grep -q "sub-folder" "$work/err" || fail "-r: $(cat "$work/err")"
rmdir "$work/mixed/old" "$work/mixed/new" "$work/nested/a/more"
"$cqtcnn" features --model "$model" -o "$work/x.npy" "$work/mixed" 2> "$work/err" || fail "features: $(cat "$work/err")"
grep -qx "cqtcnn features: $skipped" "$work/err" || fail "features notice: $(cat "$work/err")"
[[ $(grep -c skipped "$work/err") -eq 1 ]] || fail "features: notice repeated"

# evaluate on a folder of label folders: the README in a label folder is skipped, not a failure.
mkdir -p "$work/labelled/3" "$work/labelled/7"
cp "$src/data/3_jackson_0.wav" "$work/labelled/3/"
cp "$src/data/7_theo_2.wav" "$work/labelled/7/"
echo notes > "$work/labelled/3/README.txt"
echo junk > "$work/labelled/7/.DS_Store"
"$cqtcnn" evaluate --model "$model" "$work/labelled" > "$work/report" 2> "$work/err" || fail "evaluate exit $?: $(cat "$work/err")"
grep -qx "cqtcnn evaluate: skipped 2 files that are not audio (README.txt, .DS_Store)" "$work/err" || fail "evaluate notice: $(cat "$work/err")"
grep -q '^files: 2 (0 failed)' "$work/report" || fail "evaluate files: $(cat "$work/report")"

# 3. A file named explicitly (on the command line or in a CSV) that is not audio stays an error.
set +e
"$cqtcnn" classify -q --format csv "$work/mixed/README.txt" "$work/mixed/7_theo_2.wav" > "$work/explicit.csv"; code=$?
set -e
[[ $code -eq 1 ]] || fail "explicit README.txt: exit $code"
grep -q '^.*README.txt,,,,,.' "$work/explicit.csv" || fail "explicit README.txt row: $(cat "$work/explicit.csv")"
printf 'path,label\n%s,3\n%s,7\n' "$work/mixed/README.txt" "$work/mixed/7_theo_2.wav" > "$work/labels.csv"
set +e
"$cqtcnn" evaluate --model "$model" "$work/labels.csv" > /dev/null 2> "$work/err"; code=$?
set -e
[[ $code -eq 1 ]] && grep -q 'README.txt' "$work/err" || fail "README.txt in a CSV: exit $code $(cat "$work/err")"
echo "inputs: all checks passed"
