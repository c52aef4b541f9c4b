#!/usr/bin/env bash
# Progress and results on one terminal (under script(1), which gives the command a pseudo
# terminal): what the terminal finally shows is the result lines (a failed file's error row once,
# without a message repeating it), each on its own line, no progress text glued to them; with
# stdout or stderr redirected, the file gets no progress at all.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
command -v script >/dev/null || fail "script (util-linux) is not installed"

printf 'not audio' > "$work/bad.wav"
files=("$src"/data/*.wav "$work/bad.wav")
printf -v args '%q ' "$cqtcnn" classify -j 1 "${files[@]}"
"$cqtcnn" classify -q -j 1 "${files[@]}" > "$work/expected" || true

# The screen a terminal shows for the bytes in $1: carriage return, clear to end of line
# (ESC [ K) and newline are interpreted, the other characters overwrite the line from the cursor.
screen() {
  /usr/bin/python3 - "$1" <<'PY'
import re, sys
lines, line, col = [], [], 0
for token in re.findall(r"\x1b\[K|\r|\n|[^\r\n\x1b]+|\x1b", open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read()):
    if token == "\r":
        col = 0
    elif token == "\n":
        lines.append("".join(line)); line, col = [], 0
    elif token == "\x1b[K":
        del line[col:]
    else:
        for ch in token:
            if col < len(line): line[col] = ch
            else: line.append(ch)
            col += 1
if line: lines.append("".join(line))
print("\n".join(lines))
PY
}

# 1. stdout and stderr on the same terminal.
script -qec "$args" /dev/null > "$work/tty" || true
grep -q 'files/s' "$work/tty" || fail "no progress was drawn: $(cat -v "$work/tty")"
screen "$work/tty" | grep -v '^cqtcnn classify: ' > "$work/shown"
diff "$work/expected" "$work/shown" || fail "the terminal shows more than the results: $(screen "$work/tty" | cat -v)"
# The failed file is shown once, by its error row, not also by a message above it.
[[ $(screen "$work/tty" | grep -c 'bad.wav') -eq 1 ]] || fail "error shown other than once: $(screen "$work/tty" | cat -v)"

# 2. stdout to a file, stderr the terminal: the file holds the results alone; the progress ends
#    on its own line.
script -qec "$args > $work/out" /dev/null > "$work/tty" || true
cmp -s "$work/expected" "$work/out" || fail "stdout file: $(cat -v "$work/out")"
screen "$work/tty" | grep -qx '6/6 files .* files/s .* s left' || fail "final progress line: $(screen "$work/tty" | cat -v)"

# 3. stderr to a file: no progress anywhere.
script -qec "$args 2> $work/err" /dev/null > "$work/tty" || true
[[ $(cat "$work/err") == "cqtcnn classify: "*bad.wav* && $(wc -l < "$work/err") -eq 1 ]] || fail "stderr file: $(cat -v "$work/err")"
! grep -q 'files/s' "$work/tty" || fail "progress without a terminal on stderr: $(cat -v "$work/tty")"
screen "$work/tty" | diff "$work/expected" - || fail "stdout on the terminal"
echo "progress: all checks passed"
