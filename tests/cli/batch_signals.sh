#!/usr/bin/env bash
# A batch ended early keeps its promises (docs/cli.md, "Long recordings and streams"): Ctrl-C closes
# the output as its format needs (a JSON document gets its "]") and exits 130, for every -j;
# a reader that goes away (| head) ends the batch quietly with exit 0.
# A named pipe among the inputs holds the batch still at a known file: cqtcnn waits in its
# open() until something writes to it.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

mkfifo "$work/held.wav"
a="$src/data/1_george_4.wav" b="$src/data/3_jackson_0.wav" c="$src/data/5_nicolas_1.wav"

# Lets go of whoever waits on the named pipe: opening it read-write never blocks, and closing it
# at once gives the reader an empty file.
release() { exec 3<>"$work/held.wav"; sleep 0.2; exec 3>&-; }

# Waits until FILE holds at least N lines naming a data/ file.
wait_rows() {
  for _ in $(seq 100); do
    [[ $(grep -c 'data/' "$1" 2>/dev/null || true) -ge $2 ]] && return 0
    sleep 0.1
  done
  fail "no $2 rows in $1 after 10 s: $(cat "$1")"
}

# 1. Ctrl-C with the batch at its third file: the two before it, then the end of the document.
for format in json jsonl csv tsv text raven; do
  for threads in 1 2; do
    out="$work/out.$format.$threads"
    "$cqtcnn" classify -q -j "$threads" --format "$format" -o "$out" "$a" "$b" "$work/held.wav" "$c" "$a" &
    pid=$!
    wait_rows "$out" 2
    kill -INT "$pid"
    release
    code=0
    wait "$pid" || code=$?
    [[ $code -eq 130 ]] || fail "$format -j $threads: Ctrl-C exited $code"
    /usr/bin/python3 - "$format" "$out" "$a" "$b" <<'PY' || fail "$format -j $threads: $(cat "$out")"
import csv, json, sys
fmt, out, *want = sys.argv[1:]
text = open(out).read()
assert text.endswith("\n"), "the last line is not complete"
if fmt == "json":
    rows = [r["path"] for r in json.loads(text)]   # one valid document
elif fmt == "jsonl":
    rows = [json.loads(line)["path"] for line in text.splitlines()]
elif fmt in ("csv", "tsv"):
    table = list(csv.reader(text.splitlines(), delimiter="," if fmt == "csv" else "\t"))
    assert all(len(r) == len(table[0]) for r in table), table
    rows = [r[0] for r in table[1:]]
elif fmt == "raven":
    lines = [l.split("\t") for l in text.splitlines()]
    rows = [l[-1] for l in lines[1:]]
else:
    rows = [line.split("\t")[0] for line in text.splitlines()]
assert rows == want, rows  # the files before the one held, in order; nothing after it
PY
  done
done

# 2. The reader goes away after one line (| head -1): cqtcnn's next line (the second file's, or
#    the third's once it arrives) finds the pipe closed, and cqtcnn ends quietly with exit 0.
mkfifo "$work/results"
"$cqtcnn" classify -j 1 "$a" "$b" "$work/held.wav" "$c" > "$work/results" 2> "$work/stderr" &
pid=$!
head -1 < "$work/results" > "$work/first"
exec 3<>"$work/held.wav"  # the third file, for when cqtcnn gets that far (never blocks)
cat "$a" >&3
exec 3>&-
code=0
wait "$pid" || code=$?
[[ $code -eq 0 ]] || fail "classify | head -1 exited $code: $(cat "$work/stderr")"
[[ ! -s "$work/stderr" ]] || fail "classify | head -1 wrote to stderr: $(cat "$work/stderr")"
grep -q '1_george_4.wav' "$work/first" || fail "head -1 read: $(cat "$work/first")"

# The same through a shell pipeline with pipefail, as a script would run it.
set -o pipefail
"$cqtcnn" classify -j 2 "$src"/data/*.wav "$src"/data/*.wav "$src"/data/*.wav | head -1 > /dev/null \
  || fail "classify FILES | head -1 under pipefail exited ${PIPESTATUS[0]}"
echo "batch signals: OK"
