#!/usr/bin/env bash
# What a user gets wrong is answered in one line that starts with the command and says what to do:
# an unknown option gets the nearest one, an unknown class the valid ones, a file that does not
# open the reason, empty input "empty", headerless samples on a pipe --raw, a CSV without a path
# column says so, a negative --window-hop is refused.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
wav="$src/data/3_jackson_0.wav"

# expect CODE TEXT ARGS...: exit CODE and one line on stderr that is TEXT, or holds it (TEXT
# starting with "~"), and starts with "cqtcnn COMMAND:" either way.
expect() {
  local want=$1 text=$2 code
  shift 2
  set +e
  "$cqtcnn" "$@" > /dev/null 2> "$work/err"; code=$?
  set -e
  local err
  err=$(cat "$work/err")
  [[ $code -eq $want && $(wc -l < "$work/err") -eq 1 ]] || fail "$*: exit $code (want $want): $err"
  [[ $err == "cqtcnn $1: "* ]] || fail "$*: does not start with 'cqtcnn $1:': $err"
  if [[ $text == "~"* ]]; then
    grep -qF -- "${text:1}" "$work/err" || fail "$*: no '${text:1}' in: $err"
  else
    [[ $err == "$text" ]] || fail "$*: got:  $err
want: $text"
  fi
}

# Options: the nearest of the command's own, or where to look.
expect 2 "cqtcnn classify: unknown option '--fromat'; did you mean '--format'?" classify --fromat json "$wav"
expect 2 "cqtcnn spectrogram: unknown option '--n-binz'; did you mean '--n-bins'?" spectrogram "$wav" -o "$work/x.npy" --n-binz 60
expect 2 "cqtcnn classify: unknown option '--zzzzzz' (see cqtcnn classify --help)" classify --zzzzzz "$wav"
expect 2 "cqtcnn classify: unknown option '-x' (see cqtcnn classify --help)" classify -x "$wav"
expect 2 "~cqtcnn classify: error: --threads: " classify -j 0 "$wav"
expect 2 "~cqtcnn classify: error: --window-hop: " classify --window-hop -1 "$wav"
expect 2 "~cqtcnn features: error: --window-hop: " features --window-hop -0.5 -o "$work/x.npy" "$wav"

# Classes: the valid ones are listed.
labels=$("$cqtcnn" inspect | sed -n 's/^labels ([0-9]*): //p' | sed 's/ /, /g')
[[ $labels == "0, 1, 2"* ]] || fail "the built-in model's labels: $labels"
expect 2 "~--class: \"ten\" is not one of the labels of built-in model ($labels)" explain "$wav" --class ten -o "$work/x.png"
printf 'path,label\n%s,ten\n' "$wav" > "$work/ten.csv"
expect 2 "~label \"ten\" (for $wav) is not one of the model's labels ($labels)" evaluate "$work/ten.csv"

# A CSV whose header names no path column is not read as data.
printf 'file,label\n%s,3\n' "$wav" > "$work/file.csv"
expect 2 "cqtcnn evaluate: error: $work/file.csv: line 1 names the columns (file,label) but none is \"path\": name the audio files' column path" \
  evaluate "$work/file.csv"

# Files: the reason one does not open; empty input says so.
expect 1 "cqtcnn classify: $work/missing.wav: cannot open: No such file or directory" classify "$work/missing.wav"
expect 1 "cqtcnn evaluate: error: $work/missing.csv: cannot open: No such file or directory" evaluate "$work/missing.csv"
expect 1 "cqtcnn classify: error: $work/no/out.csv: cannot open for writing: No such file or directory" classify -o "$work/no/out.csv" "$wav"
expect 1 "cqtcnn classify: error: $work/list.txt: cannot open the list of files: No such file or directory" classify --files-from "$work/list.txt"
: > "$work/empty.wav"
expect 1 "cqtcnn classify: $work/empty.wav: empty (0 bytes)" classify "$work/empty.wav"
set +e
: | "$cqtcnn" classify - > /dev/null 2> "$work/err"; code=${PIPESTATUS[1]}
set -e
[[ $code -eq 1 && $(cat "$work/err") == "cqtcnn classify: stdin: empty: nothing arrived" ]] || fail "empty stdin: exit $code: $(cat "$work/err")"
# A format libsndfile never reads: convert it.
printf '\0\0\0\x20ftypM4A \0\0\0\0' > "$work/voice.m4a"
expect 1 "cqtcnn classify: $work/voice.m4a: libsndfile does not read .m4a files: convert it first, e.g. ffmpeg -i 'voice.m4a' out.wav" \
  classify "$work/voice.m4a"
# Samples without a header on a pipe: --raw is what is missing (FLAC: stream.sh).
set +e
tail -c +45 "$wav" | "$cqtcnn" classify - > /dev/null 2> "$work/err"; code=${PIPESTATUS[1]}
set -e
[[ $code -eq 1 ]] && grep -qF "if it is headerless PCM, give its format: --raw RATE:ENCODING:CHANNELS" "$work/err" \
  || fail "headerless stdin: exit $code: $(cat "$work/err")"

# A --window-hop longer than the model's windows leaves audio out, and one longer than the file
# leaves one window: both said (the second in the row too), and the run goes on.
"$cqtcnn" classify --format jsonl --window-hop 5 "$wav" > "$work/hop.jsonl" 2> "$work/err" || fail "--window-hop 5: exit $?"
grep -qx "cqtcnn classify: note: --window-hop 5 s is longer than the model's windows (1.024 s): the 3.984 s after each window are not classified" "$work/err" \
  && grep -qx "cqtcnn classify: warning: $wav: --window-hop 5 s is longer than the recording (0.486 s): only its first window is classified" "$work/err" \
  || fail "--window-hop 5: $(cat "$work/err")"
grep -qF '"warning":"'"$wav"': --window-hop 5 s is longer than the recording' "$work/hop.jsonl" || fail "--window-hop 5 row: $(cat "$work/hop.jsonl")"
"$cqtcnn" classify --window-hop 0.25 "$wav" > /dev/null 2> "$work/err"
[[ ! -s "$work/err" ]] || fail "--window-hop 0.25: $(cat "$work/err")"

# Help: -k is -k,--top-k wherever it is; a flag with a negation reads without CLI11's "{false}".
for command in classify explain; do
  "$cqtcnn" $command --help | grep -q -- "^  -k,--top-k " || fail "$command --help: -k is not --top-k"
done
"$cqtcnn" spectrogram --help > "$work/help"
grep -q -- "^  --scale,--no-scale  " "$work/help" && ! grep -q "{false}\|{true}" "$work/help" \
  || fail "spectrogram --help: $(grep -- --scale "$work/help")"

# A batch whose results share the terminal with stderr shows each error once (in its row), not
# also as a message above it.
printf 'not audio' > "$work/bad.wav"
script -qec "'$cqtcnn' classify '$wav' '$work/bad.wav'" /dev/null > "$work/screen" || true
[[ $(grep -c "bad.wav: not a supported audio file" "$work/screen") -eq 1 ]] || fail "terminal: $(cat -v "$work/screen")"
echo "messages: OK"
