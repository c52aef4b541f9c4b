#!/usr/bin/env bash
# A misspelt command gets the nearest command's name (exit 2, one line); a word near none gets
# the list of commands.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

expect() {  # MESSAGE ARGS...: exit 2 and exactly MESSAGE on stderr, nothing on stdout
  local want=$1 code
  shift
  set +e
  "$cqtcnn" "$@" > "$work/out" 2> "$work/err"; code=$?
  set -e
  [[ $code -eq 2 && $(cat "$work/err") == "$want" && ! -s "$work/out" ]] || fail "$*: exit $code: $(cat "$work/err" "$work/out")"
}
expect "cqtcnn: unknown command 'clasify'; did you mean 'classify'?" clasify x.wav
expect "cqtcnn: unknown command 'inspet'; did you mean 'inspect'?" inspet "$src/models/digits.json"
expect "cqtcnn: unknown command 'evalute'; did you mean 'evaluate'?" evalute --model m.json labels.csv
expect "cqtcnn: unknown command 'train' (commands: classify, spectrogram, evaluate, predict, explain, features, inspect)" train
"$cqtcnn" --version | grep -q '^cqtcnn ' || fail "--version"
"$cqtcnn" inspect "$src/models/digits.json" > /dev/null || fail "a known command"
echo "commands: all checks passed"
