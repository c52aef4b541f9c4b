#!/usr/bin/env bash
# cqtcnn evaluate end to end: the shipped digits model on the bundled recordings listed in a
# path,label CSV, one of them labelled wrongly and one file that is not audio. The report is
# checked line by line against the confusion matrix worked out by hand (classify.sh checks that
# the model names all five recordings right); the failed file is said on stderr and gives exit 1.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

printf 'not audio' > "$work/junk.wav"
{
  echo "path,label"
  for f in 1_george_4 3_jackson_0 5_nicolas_1 7_theo_2 9_yweweler_0; do echo "$src/data/$f.wav,${f:0:1}"; done
  echo "$src/data/3_jackson_0.wav,8"
  echo "junk.wav,2"  # relative: taken from the CSV's folder
} > "$work/labels.csv"

set +e
"$cqtcnn" evaluate -j 2 --model "$src/models/digits.json" "$work/labels.csv" --confusion-png "$work/c.png" \
  > "$work/report" 2> "$work/err"
code=$?
set -e
[[ $code == 1 ]] || fail "exit $code (want 1: one file failed): $(cat "$work/err")"
[[ $(wc -l < "$work/err") == 1 ]] && grep -q "^cqtcnn evaluate: $work/junk.wav: " "$work/err" \
  || fail "stderr: $(cat "$work/err")"

# 6 files classified, 5 right. Class 3: predicted twice, right once (precision 0.5, recall 1,
# F1 2/3); class 8: one file, never predicted (0, 0, 0); 1, 5, 7, 9: all 1; 0, 2, 4, 6 and _none_
# (no digit): no files.
cat > "$work/want" <<EOF
model: $src/models/digits.json
files: 7 (1 failed)
accuracy: 83.33% (5/6)

class  precision    recall        f1 support
0         0.0000    0.0000    0.0000       0
1         1.0000    1.0000    1.0000       1
2         0.0000    0.0000    0.0000       0
3         0.5000    1.0000    0.6667       1
4         0.0000    0.0000    0.0000       0
5         1.0000    1.0000    1.0000       1
6         0.0000    0.0000    0.0000       0
7         1.0000    1.0000    1.0000       1
8         0.0000    0.0000    0.0000       1
9         1.0000    1.0000    1.0000       1
_none_    0.0000    0.0000    0.0000       0

confusion matrix (rows: true class, columns: predicted, in the order above)
0         0    0    0    0    0    0    0    0    0    0    0
1         0    1    0    0    0    0    0    0    0    0    0
2         0    0    0    0    0    0    0    0    0    0    0
3         0    0    0    1    0    0    0    0    0    0    0
4         0    0    0    0    0    0    0    0    0    0    0
5         0    0    0    0    0    1    0    0    0    0    0
6         0    0    0    0    0    0    0    0    0    0    0
7         0    0    0    0    0    0    0    1    0    0    0
8         0    0    0    1    0    0    0    0    0    0    0
9         0    0    0    0    0    0    0    0    0    1    0
_none_    0    0    0    0    0    0    0    0    0    0    0
EOF
diff "$work/want" "$work/report" || fail "report differs (above)"
[[ $(head -c 8 "$work/c.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "--confusion-png is not a PNG"

# A label the model does not have: exit 2 before any file is classified, naming the CSV.
printf '%s,ten\n' "$src/data/1_george_4.wav" > "$work/bad.csv"
set +e
"$cqtcnn" evaluate --model "$src/models/digits.json" "$work/bad.csv" > /dev/null 2> "$work/err"
code=$?
set -e
[[ $code == 2 ]] || fail "unknown label: exit $code"
grep -q "$work/bad.csv: label \"ten\" (for $src/data/1_george_4.wav) is not one of the model's labels" "$work/err" \
  || fail "unknown label: $(cat "$work/err")"
echo "evaluate: OK"
