#!/usr/bin/env bash
# A reader of the output that goes away ends every command quietly with exit 0, as classify does
# (batch_signals.sh tests classify's batches): not killed by SIGPIPE (exit 141 breaks `set -o
# pipefail` scripts) and no "write failed" message. Each command writes into a pipe whose reading
# end is already closed, so that its first write fails every time; then the real `| head -1`.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

echo "path,label" > "$work/labels.csv"
echo "$src/data/3_jackson_0.wav,3" >> "$work/labels.csv"

# Runs the command with stdout on a pipe nobody reads; prints its exit status and stderr.
closed_pipe() {
  /usr/bin/python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
# restore_signals (the default) gives the child SIGPIPE default action, as a shell does.
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, text=True)
print(p.returncode, p.stderr.strip())' "$@"
}

for args in "inspect" "inspect --list" "inspect $src/models/instruments.json" \
            "evaluate --model $src/models/digits.json $work/labels.csv" \
            "classify $src/data/3_jackson_0.wav" "classify --help" "--help"; do
  # shellcheck disable=SC2086 # the words of $args are the arguments
  got=$(closed_pipe "$cqtcnn" $args)
  [[ $got == "0 " || $got == 0 ]] || fail "cqtcnn $args into a closed pipe: exit and stderr '$got' (want 0 and nothing)"
done

# The shell's own case: inspect writes more than a pipe's first read (9 kB), so head -1 is gone
# before the rest is written.
status=0
"$cqtcnn" inspect 2> "$work/err" | head -1 > "$work/first" || status=$?
[[ $status == 0 && ! -s $work/err ]] || fail "inspect | head -1: exit $status, stderr: $(cat "$work/err")"
grep -q "^model: " "$work/first" || fail "inspect | head -1 printed: $(cat "$work/first")"
echo "ok"
