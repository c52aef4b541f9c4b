#!/usr/bin/env bash
# The format of classify's output follows -o's extension unless --format is given: .csv, .tsv,
# .json, .jsonl and .txt write what they say, none writes text, an unknown one is refused,
# --resume needs no --format; spectrogram and predict choose the same way (predict.sh has its CSV).
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
wav="$src/data/3_jackson_0.wav"

"$cqtcnn" classify -q -o "$work/out.csv" "$wav"
head -1 "$work/out.csv" | grep -qx 'path,label,score,start_s,end_s,error,warning' || fail ".csv: $(cat "$work/out.csv")"
"$cqtcnn" classify -q -o "$work/OUT.CSV" "$wav"
cmp -s "$work/out.csv" "$work/OUT.CSV" || fail ".CSV: $(cat "$work/OUT.CSV")"
"$cqtcnn" classify -q -k 2 -o "$work/out.tsv" "$wav"
head -1 "$work/out.tsv" | grep -qxP 'path\tlabel\tscore\tlabel_2\tscore_2\tstart_s\tend_s\terror\twarning' || fail ".tsv header: $(cat "$work/out.tsv")"
tail -1 "$work/out.tsv" | grep -qP '^.*3_jackson_0.wav\t3\t[01]\.\d{6}\t\d\t0\.\d{6}\t0\.000\t\d\.\d{3}\t\t$' \
  || fail ".tsv row: $(cat "$work/out.tsv")"
"$cqtcnn" classify -q -o "$work/out.json" "$src/data/3_jackson_0.wav" "$src/data/7_theo_2.wav"
/usr/bin/python3 -c "import json, sys; assert len(json.load(open(sys.argv[1]))) == 2" "$work/out.json" \
  || fail ".json: $(cat "$work/out.json")"
"$cqtcnn" classify -q -o "$work/out.jsonl" "$src/data/3_jackson_0.wav" "$src/data/7_theo_2.wav"
/usr/bin/python3 -c "import json, sys; assert [json.loads(l)['label'] for l in open(sys.argv[1])] == ['3', '7']" \
  "$work/out.jsonl" || fail ".jsonl: $(cat "$work/out.jsonl")"
"$cqtcnn" classify -q -o "$work/out.txt" "$wav"
grep -qP '^.*3_jackson_0.wav\t3 [01]\.\d{3}$' "$work/out.txt" || fail ".txt: $(cat "$work/out.txt")"
# No extension: text. One that names no format we write (a spreadsheet) is refused, before any
# work, unless --format says what to write.
"$cqtcnn" classify -o "$work/results" "$wav" 2> "$work/err"
cmp -s "$work/out.txt" "$work/results" && [[ ! -s "$work/err" ]] || fail "no extension: $(cat "$work/results" "$work/err")"
set +e
"$cqtcnn" classify -o "$work/out.xlsx" "$wav" 2> "$work/err"; code=$?
set -e
[[ $code -eq 2 && ! -e "$work/out.xlsx" ]] && grep -qx "cqtcnn classify: error: $work/out.xlsx: cannot tell the output format from the extension \".xlsx\" (.txt, .csv, .tsv, .jsonl, .json); use --format text|csv|tsv|jsonl|json|audacity|raven" "$work/err" \
  || fail "-o out.xlsx: exit $code: $(cat "$work/err")"
"$cqtcnn" classify -q --format text -o "$work/out.results" "$wav"
cmp -s "$work/out.txt" "$work/out.results" || fail "--format text -o out.results: $(cat "$work/out.results")"
# --format wins over the extension, and takes the extension's name too.
"$cqtcnn" classify -q --format jsonl -o "$work/forced.csv" "$wav"
/usr/bin/python3 -c "import json, sys; json.loads(open(sys.argv[1]).read())" "$work/forced.csv" || fail "--format jsonl"
"$cqtcnn" classify -q --format txt -o "$work/forced.csv" "$wav"
cmp -s "$work/out.txt" "$work/forced.csv" || fail "--format txt"

# --resume takes the format from -o: a second run adds nothing.
"$cqtcnn" classify -q --resume -o "$work/out.jsonl" "$src/data/3_jackson_0.wav" "$src/data/7_theo_2.wav"
[[ $(wc -l < "$work/out.jsonl") -eq 2 ]] || fail "--resume .jsonl: $(cat "$work/out.jsonl")"
# TSV resumes too, with a path that needs escaping (a tab in the name).
cp "$wav" "$work/a	b.wav"
"$cqtcnn" classify -q -o "$work/tab.tsv" "$work/a	b.wav"
grep -qF 'a\tb.wav' "$work/tab.tsv" || fail "tab not escaped: $(cat "$work/tab.tsv")"
"$cqtcnn" classify -q --resume -o "$work/tab.tsv" "$work/a	b.wav" "$wav"
[[ $(wc -l < "$work/tab.tsv") -eq 3 ]] || fail "--resume .tsv: $(cat "$work/tab.tsv")"
set +e
"$cqtcnn" classify --resume -o "$work/out.txt" "$wav" 2> "$work/err"; code=$?
set -e
[[ $code -eq 2 && $(wc -l < "$work/err") -eq 1 ]] || fail "--resume .txt: exit $code $(cat "$work/err")"
grep -q "needs csv, tsv or jsonl output (-o $work/out.txt is written as text)" "$work/err" || fail "--resume .txt: $(cat "$work/err")"
set +e
"$cqtcnn" classify --format xml "$wav" 2> "$work/err"; code=$?
set -e
[[ $code -eq 2 ]] && grep -q -- '--format: unknown format "xml" (text|csv|tsv|jsonl|json|audacity|raven)' "$work/err" || fail "--format xml: $(cat "$work/err")"

# spectrogram refuses an extension it cannot tell, naming the file.
set +e
"$cqtcnn" spectrogram "$wav" -o "$work/cqt.bin" 2> "$work/err"; code=$?
set -e
[[ $code -eq 2 ]] && grep -q "cqt.bin: cannot tell the output format from the extension \".bin\" (.npy, .png, .svg, .pdf, .csv); use --format npy|png|svg|pdf|csv" \
  "$work/err" || fail "spectrogram .bin: exit $code $(cat "$work/err")"
echo "output_format: all checks passed"
