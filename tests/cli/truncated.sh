#!/usr/bin/env bash
# A file cut short (its audio ends before its header says) is classified as far as it goes, and
# said so: a warning naming the file and both lengths on stderr, and in a batch a note in its row
# (the warning column or member), whose end_s is where the audio really ends.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

# 3 s of a spoken digit and noise at 8 kHz, 16-bit: 44 bytes of header + 48000 of samples; cut
# to 16044 bytes the header still says 3 s, the file holds 1 s. The AIFF the same, cut at its end.
/usr/bin/python3 - "$src/data/3_jackson_0.wav" "$work" <<'PY'
import random, struct, sys, wave
with wave.open(sys.argv[1]) as w:
    assert w.getframerate() == 8000 and w.getsampwidth() == 2 and w.getnchannels() == 1
    voice = w.readframes(w.getnframes())
random.seed(1)
noise = b"".join(random.randint(-300, 300).to_bytes(2, "little", signed=True) for _ in range(24000 - len(voice) // 2))
pcm = (voice + noise)[:48000]
with wave.open(f"{sys.argv[2]}/whole.wav", "wb") as w:
    w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000), w.writeframes(pcm)
big_endian = bytes(b for i in range(0, len(pcm), 2) for b in (pcm[i + 1], pcm[i]))
# AIFF: COMM (channels, frames, bits, the rate as an 80-bit float: 8000 = 2^12 x 1.953125), then
# SSND (offset, block size, samples).
comm = struct.pack(">hIh", 1, len(pcm) // 2, 16) + struct.pack(">HQ", 16383 + 12, 8000 << (63 - 12))
ssnd = struct.pack(">II", 0, 0) + big_endian
body = b"AIFF" + b"COMM" + struct.pack(">I", len(comm)) + comm + b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
open(f"{sys.argv[2]}/whole.aiff", "wb").write(b"FORM" + struct.pack(">I", len(body)) + body)
PY
head -c 16044 "$work/whole.wav" > "$work/cut.wav"
head -c "$(( $(stat -c %s "$work/whole.aiff") - 32000 ))" "$work/whole.aiff" > "$work/cut.aiff"
want='truncated: the audio ends at 1.000 s, but its header says 3.000 s'

# One file: classified, exit 0, the warning on stderr naming it and both lengths.
"$cqtcnn" classify "$work/cut.wav" > "$work/one.txt" 2> "$work/one.err" || fail "cut.wav: exit $?"
grep -qx "cqtcnn classify: warning: $work/cut.wav: $want" "$work/one.err" || fail "stderr: $(cat "$work/one.err")"
grep -qF "(warning: $work/cut.wav: $want)" "$work/one.txt" || fail "text row: $(cat "$work/one.txt")"
"$cqtcnn" classify "$work/cut.aiff" 2>&1 >/dev/null | grep -qF "cut.aiff: $want" || fail "AIFF: no warning"
# A whole file gets none.
"$cqtcnn" classify "$work/whole.wav" 2> "$work/whole.err" > /dev/null
[[ ! -s "$work/whole.err" ]] || fail "whole.wav: $(cat "$work/whole.err")"

# A batch: the cut file's row carries the warning, the whole file's does not; neither is an error.
for format in csv jsonl json; do
  "$cqtcnn" classify -q -j 2 --format "$format" -o "$work/batch.$format" "$work/whole.wav" "$work/cut.wav" \
    || fail "batch $format: exit $?"
  /usr/bin/python3 - "$format" "$work/batch.$format" "$want" <<'PY' || fail "batch $format: $(cat "$work/batch.$format")"
import csv, json, sys
fmt, out, want = sys.argv[1:]
if fmt == "csv":
    rows = list(csv.DictReader(open(out)))
elif fmt == "jsonl":
    rows = [json.loads(line) for line in open(out)]
else:
    rows = json.load(open(out))
whole, cut = rows
assert not whole.get("warning") and not whole.get("error") and not cut.get("error"), rows
assert cut["warning"].endswith("cut.wav: " + want), cut
assert abs(float(cut["end_s"]) - 1.0) < 0.05, cut        # what is there, not what the header says
assert abs(float(whole["end_s"]) - 3.0) < 0.05, whole
PY
done

# From a pipe the header's length is only known wrong at the end: the same warning, for stdin.
"$cqtcnn" classify --format jsonl - < <(cat "$work/cut.wav") > "$work/pipe.jsonl" 2> "$work/pipe.err"
grep -qx "cqtcnn classify: warning: stdin: $want" "$work/pipe.err" || fail "pipe stderr: $(cat "$work/pipe.err")"
grep -qF "\"warning\":\"stdin: $want\"" "$work/pipe.jsonl" || fail "pipe row: $(cat "$work/pipe.jsonl")"
"$cqtcnn" classify --stream - < <(cat "$work/cut.wav") 2>&1 >/dev/null | grep -qF "stdin: $want" \
  || fail "--stream: no warning"
echo "truncated: OK"
