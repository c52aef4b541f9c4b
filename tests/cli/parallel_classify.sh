#!/usr/bin/env bash
# tools/parallel-classify.sh through GNU parallel on this machine: every example exactly once,
# with the same labels as a direct classify run, and a re-run resumes instead of redoing.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
command -v parallel >/dev/null || fail "GNU parallel is not installed (tools/install-deps.sh installs it)"

mkdir "$work/in" && cp "$src"/data/*.wav "$work/in/"
"$src/tools/parallel-classify.sh" -o "$work/all.jsonl" -j 2 -n 3 -b "$cqtcnn" "$work/in"
[[ $(wc -l < "$work/all.jsonl") -eq 5 ]] || fail "rows: $(cat "$work/all.jsonl")"
"$cqtcnn" classify -q --format jsonl "$work"/in/*.wav | sort > "$work/direct.jsonl"
sort "$work/all.jsonl" | diff - "$work/direct.jsonl" || fail "parallel rows differ from a direct run"

# Re-running skips the finished shards (the joblog) and merges the same rows again.
"$src/tools/parallel-classify.sh" -o "$work/all.jsonl" -j 2 -n 3 -b "$cqtcnn" "$work/in"
sort "$work/all.jsonl" | diff - "$work/direct.jsonl" || fail "re-run changed the rows"
[[ $(grep -c . "$work/all.jsonl.joblog") -eq 4 ]] || fail "re-run ran shards again: $(cat "$work/all.jsonl.joblog")"

# A bad file: its error row is merged and the script exits 1.
printf 'junk' > "$work/in/junk.wav"
rm -rf "$work/all.jsonl"*
set +e
"$src/tools/parallel-classify.sh" -o "$work/all.jsonl" -j 2 -n 2 -b "$cqtcnn" "$work/in" 2> "$work/err"
code=$?
set -e
[[ $code -eq 1 ]] || fail "exit $code with a bad file: $(cat "$work/err")"
[[ $(wc -l < "$work/all.jsonl") -eq 6 && $(grep -c '"error"' "$work/all.jsonl") -eq 1 ]] || fail "error row"
echo "parallel-classify: all checks passed"
