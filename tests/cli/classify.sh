#!/usr/bin/env bash
# classify end to end with the built-in model: the bundled examples get their spoken digits, the
# output formats hold what they promise, a batch goes on past bad files, --resume and --shard work.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

# 1. The examples (FSDD test split, never trained on): the label is the file name's first digit.
"$cqtcnn" classify -j 2 --format csv -o "$work/out.csv" "$src"/data/*.wav
head -1 "$work/out.csv" | grep -qx 'path,label,score,start_s,end_s,error,warning' || fail "CSV header: $(head -1 "$work/out.csv")"
[[ $(wc -l < "$work/out.csv") -eq 6 ]] || fail "expected 5 rows"
while IFS=, read -r path label score _; do
  want=$(basename "$path" | cut -c1)
  [[ "$label" == "$want" ]] || fail "$path classified as $label"
  awk -v s="$score" 'BEGIN { exit !(s > 0.5 && s <= 1) }' || fail "$path score $score"
done < <(tail -n +2 "$work/out.csv")

# The shipped model's own test vectors (PyTorch's outputs) hold in this build.
"$cqtcnn" inspect "$src/models/digits.json" | grep -q 'test vectors: 3 checked, 0 failed' \
  || fail "models/digits.json test vectors"

# The built-in model (stored as CBOR, cmake/embed_model.cpp) is models/digits.json: the same
# scores to the last bit, for every class of every example.
"$cqtcnn" classify -k 10 --format jsonl "$src"/data/*.wav > "$work/builtin.jsonl"
"$cqtcnn" classify -k 10 --format jsonl --model "$src/models/digits.json" "$src"/data/*.wav > "$work/file.jsonl"
cmp -s "$work/builtin.jsonl" "$work/file.jsonl" || fail "the built-in model differs from models/digits.json"
[[ $(grep -c '"top":\[{' "$work/builtin.jsonl") -eq 5 ]] || fail "built-in: $(head -2 "$work/builtin.jsonl")"

# 2. Text output and top-k; JSON Lines carries path, label, score.
"$cqtcnn" classify "$src/data/3_jackson_0.wav" | grep -qP '^.*3_jackson_0.wav\t3 [01]\.\d{3}$' || fail "text output"
"$cqtcnn" classify -k 3 --format jsonl "$src/data/3_jackson_0.wav" > "$work/one.jsonl"
/usr/bin/python3 - "$work/one.jsonl" <<'PY' || fail "jsonl content"
import json, sys
row = json.loads(open(sys.argv[1]).read())
assert list(row)[:3] == ["path", "label", "score"], row
assert row["label"] == "3" and len(row["top"]) == 3, row
assert abs(sum(t["score"] for t in row["top"])) <= 1.0001
PY

# One shape for every -k: "top" is there for k = 1 too, in jsonl and json, and in error rows.
printf 'not audio' > "$work/junk.wav"
"$cqtcnn" classify -q --format jsonl "$src/data/3_jackson_0.wav" "$work/junk.wav" > "$work/k1.jsonl" || true
"$cqtcnn" classify -q --format json "$src/data/3_jackson_0.wav" > "$work/k1.json"
/usr/bin/python3 - "$work/k1.jsonl" "$work/k1.json" <<'PY' || fail "top for -k 1: $(cat "$work/k1.jsonl" "$work/k1.json")"
import json, sys
good, bad = [json.loads(line) for line in open(sys.argv[1])]
keys = ["path", "label", "score", "start_s", "end_s", "top"]
assert list(good) == keys and good["top"] == [{"label": "3", "score": good["score"]}], good
assert list(bad) == keys + ["error"] and bad["top"] == [] and bad["label"] is None, bad
[row] = json.load(open(sys.argv[2]))
assert list(row) == keys and len(row["top"]) == 1, row
PY

# JSON (with two threads finishing in any order) is one valid document, rows in input order.
"$cqtcnn" classify -j 2 --format json "$src"/data/*.wav > "$work/all.json"
/usr/bin/python3 - "$work/all.json" "$src"/data/*.wav <<'PY' || fail "json document: $(cat "$work/all.json")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["path"] for r in rows] == sys.argv[2:], rows
PY

# 3. A batch goes on past bad files, with error rows, and exits 1.
printf 'not audio' > "$work/bad.wav"
: > "$work/empty.wav"
set +e
"$cqtcnn" classify -q --format jsonl -o "$work/batch.jsonl" "$src/data/1_george_4.wav" "$work/bad.wav" \
  "$work/missing.wav" "$work/empty.wav" "$src/data/7_theo_2.wav"
code=$?
set -e
[[ $code -eq 1 ]] || fail "batch with bad files exited $code"
[[ $(wc -l < "$work/batch.jsonl") -eq 5 ]] || fail "batch rows"
[[ $(grep -c '"error"' "$work/batch.jsonl") -eq 3 ]] || fail "error rows"
grep -q 'bad.wav' "$work/batch.jsonl" || fail "bad file not named"

# 4. --resume after a killed run: a partial last line is dropped, every file ends up once.
head -c 200 "$work/out.csv" > "$work/resume.csv"   # header + part of the first rows
"$cqtcnn" classify -q --format csv --resume -o "$work/resume.csv" "$src"/data/*.wav
[[ $(tail -n +2 "$work/resume.csv" | cut -d, -f1 | sort | uniq | wc -l) -eq 5 ]] || fail "resume: files"
[[ $(wc -l < "$work/resume.csv") -eq 6 ]] || fail "resume: rows $(cat "$work/resume.csv")"

# --resume refuses an output whose columns differ from this run's (another -k, another shape),
# with one line naming the file and both column lists, and leaves the file as it was.
resume_refused() {  # FILE EXPECTED-TEXT CLASSIFY-ARGS...
  local file=$1 text=$2 code before
  shift 2
  before=$(md5sum < "$file")
  set +e
  "$cqtcnn" classify -q --resume -o "$file" "$@" "$src"/data/*.wav 2> "$work/err"; code=$?
  set -e
  [[ $code -eq 2 && $(wc -l < "$work/err") -eq 1 ]] || fail "resume $file $*: exit $code $(cat "$work/err")"
  grep -qF -- "$file: --resume: $text" "$work/err" || fail "resume $file $*: $(cat "$work/err")"
  [[ $(md5sum < "$file") == "$before" ]] || fail "resume $file $*: the file was changed"
}
cp "$work/resume.csv" "$work/k3.csv"
resume_refused "$work/k3.csv" "the file's columns (path, label, score, start_s, end_s, error, warning) differ from this run's (path, label, score, label_2, score_2, label_3, score_3, start_s, end_s, error, warning)" -k 3
"$cqtcnn" classify -q -o "$work/k1.jsonl" "$src/data/1_george_4.wav"
printf '{"path":"x.wav"' >> "$work/k1.jsonl"  # a killed run's partial row
resume_refused "$work/k1.jsonl" "line 1's columns (path, label, score, start_s, end_s, top[1]) differ from this run's (path, label, score, start_s, end_s, top[3])" -k 3
echo '{"path": "a.wav", "class": "3", "p": 0.9}' > "$work/other.jsonl"
resume_refused "$work/other.jsonl" "line 1's columns (path, class, p) differ"
cp "$work/resume.csv" "$work/csv.jsonl"
resume_refused "$work/csv.jsonl" "line 1 is not a JSON object with a \"path\""
# The same options resume; with --min-score a row may hold fewer than k classes.
"$cqtcnn" classify -q -k 3 --min-score 0.05 -o "$work/min.jsonl" "$src/data/1_george_4.wav"
"$cqtcnn" classify -q -k 3 --min-score 0.05 --resume -o "$work/min.jsonl" "$src"/data/*.wav
[[ $(wc -l < "$work/min.jsonl") -eq 5 ]] || fail "resume --min-score: $(cat "$work/min.jsonl")"

# 5. Shards are disjoint and cover everything.
for k in 1 2 3; do "$cqtcnn" classify -q --format csv --shard $k/3 "$src"/data/*.wav | tail -n +2; done | cut -d, -f1 | sort > "$work/shards"
[[ $(wc -l < "$work/shards") -eq 5 && $(uniq < "$work/shards" | wc -l) -eq 5 ]] || fail "shards"

# 6. Bad usage: exit 2 with a one-line message naming the problem.
set +e
msg=$("$cqtcnn" classify --model "$work/bad.wav" "$src/data/1_george_4.wav" 2>&1); code=$?
set -e
[[ $code -eq 2 && $(echo "$msg" | wc -l) -eq 1 && "$msg" == *bad.wav* ]] || fail "bad model: $code $msg"
# One long recording with -j 2 runs its CQT's lower octaves and its batches on two threads: every
# window's scores are the same as with -j 1 (both shipped models: 8 kHz with three networks,
# 22.05 kHz with one).
/usr/bin/python3 - "$work/long.wav" <<'PY'
import sys, wave
import numpy as np
rng = np.random.default_rng(7)
t = np.arange(22050 * 90) / 22050
x = 6000 * np.sin(2 * np.pi * 330 * t) * (np.sin(2 * np.pi * 0.3 * t) > 0) + rng.normal(0, 1500, t.size)
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
    w.writeframes(x.clip(-32768, 32767).astype("<i2").tobytes())
PY
for model in "$src/models/digits.json" "$src/models/instruments.json"; do
  "$cqtcnn" classify -q -m "$model" -j 1 --segments -k 20 --format jsonl "$work/long.wav" > "$work/j1.jsonl"
  "$cqtcnn" classify -q -m "$model" -j 2 --segments -k 20 --format jsonl "$work/long.wav" > "$work/j2.jsonl"
  [[ $(wc -l < "$work/j1.jsonl") -gt 50 ]] || fail "long recording: $(wc -l < "$work/j1.jsonl") windows"
  cmp -s "$work/j1.jsonl" "$work/j2.jsonl" || fail "-j 2 on one recording differs from -j 1 ($model)"
done

# A long recording that goes bad half-way (a NaN sample at 15 s of 20) fails with one line naming
# the file and the sample, on the threaded path too; spectrogram -j 2 as well, leaving no output.
/usr/bin/python3 - "$work/bad_long.wav" <<'PY'
import struct, sys
import numpy as np
x = (0.1 * np.sin(2 * np.pi * 440 * np.arange(22050 * 20) / 22050)).astype("<f4")
x[22050 * 15] = np.nan
data = x.tobytes()
fmt = struct.pack("<HHIIHH", 3, 1, 22050, 22050 * 4, 4, 32)
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)) + b"WAVE")
    f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data)
PY
for j in 1 2; do
  set +e
  msg=$("$cqtcnn" classify -j $j "$work/bad_long.wav" 2>&1 >/dev/null); code=$?
  set -e
  [[ $code -eq 1 && $(echo "$msg" | wc -l) -eq 1 && "$msg" == *bad_long.wav*"sample 330750"*"NaN"* ]] ||
    fail "classify -j $j of a recording bad at 15 s: exit $code: $msg"
  set +e
  msg=$("$cqtcnn" spectrogram -j $j "$work/bad_long.wav" -o "$work/bad_long.npy" 2>&1); code=$?
  set -e
  [[ $code -ne 0 && $(echo "$msg" | wc -l) -eq 1 && "$msg" == *bad_long.wav*"NaN"* ]] ||
    fail "spectrogram -j $j of a recording bad at 15 s: exit $code: $msg"
  [[ ! -e "$work/bad_long.npy" ]] || fail "spectrogram -j $j left an output after failing"
done

echo "classify: all checks passed"
