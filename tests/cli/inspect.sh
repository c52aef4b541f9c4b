#!/usr/bin/env bash
# cqtcnn inspect: the summary of a fixture model (layers, shapes, parameter and multiply-add
# counts worked out here by hand), its test vectors pass; a model whose test vector was altered,
# and broken model files, give a one-line error naming the file and exit code 2.
# Usage: inspect.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
BIN=$1
SRC=$2
PY=/usr/bin/python3
DATA="$SRC/tests/data/nn"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$BIN" inspect "$DATA/basic.json") || fail "inspect basic.json exit $?"
echo "$out"
# conv2d 1->4 3x3: 4*9+4 = 40 params, 4*8*10*9 = 2880 MACs; dense 80->3: 243 params, 240 MACs.
grep -Eq '^0 +conv2d +1->4 3x3 s1 pad 1,1,1,1 +4x8x10 +40 +2,880' <<<"$out" || fail "conv2d row"
grep -Eq '^2 +max_pool2d +2x2 s2 +4x4x5 ' <<<"$out" || fail "max_pool2d row"
grep -Eq '^4 +dense +80->3 +3x1x1 +243 +240' <<<"$out" || fail "dense row"
grep -q 'total: 283 parameters' <<<"$out" || fail "total"
grep -q 'labels (3): c0 c1 c2' <<<"$out" || fail "labels"
grep -q 'name = basic' <<<"$out" || fail "metadata"
grep -q 'test vectors: 2 checked, 0 failed' <<<"$out" || fail "test vectors"

# Frontend keys are flattened with dots. The front end makes the network's 1x8x10 input.
"$PY" - "$DATA/basic.json" "$TMP" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["frontend"] = {"sample_rate": 22050, "window_frames": 10,
                 "cqt": {"hop_length": 64, "fmin": 100, "n_bins": 8, "bins_per_octave": 12, "window": "hann"}}
json.dump(m, open(sys.argv[2] + "/front.json", "w"))
m["frontend"]["cqt"]["n_bins"] = 9
json.dump(m, open(sys.argv[2] + "/shape.json", "w"))
m["frontend"]["cqt"]["n_bins"] = 8
m["frontend"]["cqt"]["fmin"] = "nan"
json.dump(m, open(sys.argv[2] + "/nan.json", "w"))
PYEOF
out=$("$BIN" inspect "$TMP/front.json")
grep -q 'cqt.hop_length = 64' <<<"$out" || fail "frontend flattening"
grep -q 'cqt.window = hann' <<<"$out" || fail "frontend string value"

# A front end that classify would refuse fails inspect too, with the same one-line message:
# one whose windows are not the network's input, one whose fmin is not a number.
for case in "shape:/input_shape: the front end makes 1x9x10 windows (1 x cqt.n_bins x window_frames) but the network takes 1x8x10" \
            "nan:/frontend/cqt/fmin: expected a number"; do
  f=${case%%:*} want="$TMP/${case%%:*}.json: ${case#*:}"
  set +e
  "$BIN" inspect "$TMP/$f.json" >"$TMP/out" 2>"$TMP/err"; rc=$?
  "$BIN" classify --model "$TMP/$f.json" "$SRC/data/3_jackson_0.wav" >/dev/null 2>"$TMP/classify_err"; crc=$?
  set -e
  [[ $rc -eq 2 && $(wc -l <"$TMP/err") -eq 1 ]] || fail "$f.json: exit $rc: $(cat "$TMP/err")"
  [[ $(cat "$TMP/err") == "cqtcnn inspect: error: $want" ]] || fail "$f.json: $(cat "$TMP/err")"
  [[ $crc -eq 2 && $(cat "$TMP/classify_err") == "cqtcnn classify: error: $want" ]] \
    || fail "$f.json: classify says $(cat "$TMP/classify_err")"
  grep -q 'test vectors: 2 checked, 0 failed' "$TMP/out" || fail "$f.json: summary"
done

# A test vector that does not match: exit 2 and a message naming the file.
"$PY" - "$DATA/basic.json" "$TMP/wrong.json" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["test_vectors"][1]["output"] = {"shape": [3], "data": [0.5, 0.25, 0.25]}
json.dump(m, open(sys.argv[2], "w"))
PYEOF
set +e
"$BIN" inspect "$TMP/wrong.json" >"$TMP/out" 2>"$TMP/err"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "mismatching test vector: exit $rc"
grep -q 'vector 1: .*FAILED' "$TMP/out" || fail "FAILED line"
grep -q "wrong.json: 1 of 2 test vectors differ" "$TMP/err" || fail "error message: $(cat "$TMP/err")"

# Broken files: exit 2 and exactly one line on stderr that names the file.
head -c 1000 "$DATA/basic.json" >"$TMP/truncated.json"
printf 'not json' >"$TMP/text.json"
: >"$TMP/empty.json"
"$PY" -c "print('[' * 100000 + ']' * 100000)" >"$TMP/deep.json"
sed 's/"relu"/"gelu"/' "$DATA/basic.json" >"$TMP/unknown.json"
for f in truncated text empty deep unknown missing; do
  set +e
  "$BIN" inspect "$TMP/$f.json" >/dev/null 2>"$TMP/err"; rc=$?
  set -e
  [[ $rc -eq 2 ]] || fail "$f.json: exit $rc, expected 2"
  [[ $(wc -l <"$TMP/err") -eq 1 ]] || fail "$f.json: expected one line: $(cat "$TMP/err")"
  grep -q "$f.json" "$TMP/err" || fail "$f.json: message does not name the file: $(cat "$TMP/err")"
done
grep -q '/layers/1/type: unknown layer type "gelu"' <(
  "$BIN" inspect "$TMP/unknown.json" 2>&1 || true) || fail "unknown type path"
echo "inspect: all checks passed"
