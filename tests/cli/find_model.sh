#!/usr/bin/env bash
# Finding a model: evaluate and inspect without --model use the built-in model, as classify does;
# --model NAME finds NAME.json in $CQTCNN_MODEL_PATH's folders (then the installed models, which
# install.sh checks), and inspect --list shows what is there; a name found nowhere says where it
# looked and what is there.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
src=$(realpath "$src") work=$(realpath "$work")  # as cqtcnn names the folders it searches
wav="$src/data/3_jackson_0.wav"

# 1. inspect and evaluate without --model: the built-in model, the same as models/digits.json.
"$cqtcnn" inspect > "$work/builtin.txt" || fail "inspect without a model: exit $?"
head -1 "$work/builtin.txt" | grep -qx "model: built-in model" || fail "inspect: $(head -3 "$work/builtin.txt")"
"$cqtcnn" inspect "$src/models/digits.json" > "$work/file.txt"
diff <(tail -n +2 "$work/builtin.txt") <(tail -n +2 "$work/file.txt") > /dev/null \
  || fail "inspect: the built-in model differs from models/digits.json: $(diff "$work/builtin.txt" "$work/file.txt")"
grep -q 'test vectors: 3 checked, 0 failed' "$work/builtin.txt" || fail "inspect: built-in test vectors"
{
  echo "path,label"
  for f in 1_george_4 3_jackson_0 5_nicolas_1 7_theo_2 9_yweweler_0; do echo "$src/data/$f.wav,${f:0:1}"; done
} > "$work/labels.csv"
"$cqtcnn" evaluate "$work/labels.csv" > "$work/eval.txt" || fail "evaluate without a model: exit $?"
grep -qx "accuracy: 100.00% (5/5)" "$work/eval.txt" || fail "evaluate: $(cat "$work/eval.txt")"

# 2. --model NAME through CQTCNN_MODEL_PATH (colon-separated; an empty or missing folder is
#    passed over): the first folder that has NAME.json wins.
mkdir "$work/mine" "$work/theirs"
cp "$src/models/digits.json" "$work/theirs/talk.json"
cp "$src/models/digits.json" "$work/theirs/digits.frontend.json"  # a front end, not a model: not listed
export CQTCNN_MODEL_PATH="$work/missing::$work/mine:$work/theirs:$src/models"
"$cqtcnn" classify -k 3 --format jsonl --model talk "$wav" > "$work/by-name.jsonl"
"$cqtcnn" classify -k 3 --format jsonl --model "$src/models/digits.json" "$wav" > "$work/by-path.jsonl"
cmp -s "$work/by-name.jsonl" "$work/by-path.jsonl" || fail "--model talk: $(cat "$work/by-name.jsonl")"
out=$("$cqtcnn" classify --model instruments.json --format csv "$src/data/cello-a-note-62.flac")
grep -q ',cello,' <<< "$out" || fail "--model instruments.json: $out"
"$cqtcnn" inspect instruments > "$work/inspect.txt"
head -1 "$work/inspect.txt" | grep -qx "model: $src/models/instruments.json" || fail "inspect instruments: $(head -3 "$work/inspect.txt")"
"$cqtcnn" evaluate --model talk "$work/labels.csv" | grep -qx "accuracy: 100.00% (5/5)" || fail "evaluate --model talk"

# A file of that name in the working folder is a file, not a name.
(cd "$work" && cp "$src/models/instruments.json" talk && "$cqtcnn" inspect talk > inspect-talk.txt) \
  && [[ $(grep "^labels " "$work/inspect-talk.txt") == $("$cqtcnn" inspect "$src/models/instruments.json" | grep "^labels ") ]] \
  && ! grep -q "^labels (10): 0 1 2" "$work/inspect-talk.txt" || fail "a file named talk: $(grep labels "$work/inspect-talk.txt")"

# 3. inspect --list: each folder searched, and each model once (the first of a name).
"$cqtcnn" inspect --list > "$work/list"
grep -qx "  $work/theirs" "$work/list" && grep -qx "  $src/models" "$work/list" || fail "--list folders: $(cat "$work/list")"
! grep -q "missing" "$work/list" || fail "--list shows a folder that does not exist: $(cat "$work/list")"
grep -q "^  talk  *$work/theirs/talk.json$" "$work/list" || fail "--list talk: $(cat "$work/list")"
grep -q "^  instruments  *$src/models/instruments.json$" "$work/list" || fail "--list instruments: $(cat "$work/list")"
[[ $(grep -c "^  digits " "$work/list") -eq 1 ]] || fail "--list digits: $(cat "$work/list")"
! grep -q "frontend" "$work/list" || fail "--list shows a front end: $(cat "$work/list")"
grep -q "^ *bass-clarinet,.*,cello,.*,violin$" "$work/list" || fail "--list labels (the instruments model's, in order): $(cat "$work/list")"

# 4. A name found nowhere: exit 2, one line naming the folders searched and the models there.
set +e
"$cqtcnn" classify --model birds "$wav" > /dev/null 2> "$work/err"; code=$?
set -e
[[ $code -eq 2 && $(wc -l < "$work/err") -eq 1 ]] || fail "--model birds: exit $code: $(cat "$work/err")"
grep -qF "birds: no such model file, nor a model of that name in the model folders ($work/mine, $work/theirs, $src/models" "$work/err" \
  && grep -qF "models there: talk, digits, instruments" "$work/err" || fail "--model birds: $(cat "$work/err")"
echo "find_model: OK"
