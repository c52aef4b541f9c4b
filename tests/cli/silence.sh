#!/usr/bin/env bash
# Silence gets no class (issue 30, item 4): a file of digital silence and one of a 440 Hz tone at
# -70 dBFS RMS (below the built-in model's floor of -60) say "(silent)" in every output format;
# silent windows in the middle of a recording say so with --segments and end events; -k with
# --events is refused (an event has one label).
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail

/usr/bin/python3 - "$work" "$src" <<'PY'
import math, os, sys, wave
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "cli"))
import live_audio
work, src = sys.argv[1], sys.argv[2]
live_audio.write_wav(work + "/silence.wav", [0] * 16000)
amplitude = 32768 * math.sqrt(2) * 10 ** (-70 / 20)  # 14.6: an RMS of -70 dBFS
live_audio.write_wav(work + "/quiet.wav", [round(amplitude * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(16000)])
# A digit, 3 s of digital silence, the digit again.
d = live_audio.digit(src, "3_jackson_0")
live_audio.write_wav(work + "/gap.wav", d + [0] * 24000 + d)
PY

for f in silence quiet; do
  line=$("$cqtcnn" classify "$work/$f.wav")
  [[ "$line" == "$work/$f.wav"$'\t(silent)' ]] || fail "text, $f: $line"
done
"$cqtcnn" classify --format csv "$work/silence.wav" | tail -1 | grep -q "^$work/silence.wav,(silent),,0.000,2.000," \
  || fail "csv: $("$cqtcnn" classify --format csv "$work/silence.wav")"
"$cqtcnn" classify --format tsv -k 2 "$work/quiet.wav" | tail -1 | grep -qP "^\Q$work/quiet.wav\E\t\(silent\)\t\t\t\t0.000\t2.000\t" \
  || fail "tsv: $("$cqtcnn" classify --format tsv -k 2 "$work/quiet.wav")"
for format in json jsonl; do
  "$cqtcnn" classify --format $format "$work/silence.wav" "$src/data/3_jackson_0.wav" > "$work/out.$format"
  /usr/bin/python3 - "$work/out.$format" $format <<'PY' || fail "$format: $(cat "$work/out.$format")"
import json, sys
text = open(sys.argv[1]).read()
rows = json.loads(text) if sys.argv[2] == "json" else [json.loads(l) for l in text.splitlines()]
silent, digit = rows
assert silent["label"] == "(silent)" and silent["score"] is None and silent["top"] == [], silent
assert list(silent) == list(digit) and digit["label"] == "3", (silent, digit)
PY
done
"$cqtcnn" classify --format audacity "$work/silence.wav" | grep -qxP '0.000000\t2.000000\t\(silent\)' || fail "audacity"
"$cqtcnn" classify --format raven "$work/silence.wav" | tail -1 \
  | grep -qxP "1\tSpectrogram 1\t1\t0.000000\t2.000000\t65.406\t3520.000\t\(silent\)\t\t\Q$work/silence.wav\E" \
  || fail "raven: $("$cqtcnn" classify --format raven "$work/silence.wav")"

# --resume reads a silent row back as done.
"$cqtcnn" classify --format jsonl -o "$work/resume.jsonl" "$work/silence.wav"
"$cqtcnn" classify -q --resume --format jsonl -o "$work/resume.jsonl" "$work/silence.wav" "$work/quiet.wav"
[[ $(wc -l < "$work/resume.jsonl") -eq 2 ]] || fail "resume: $(cat "$work/resume.jsonl")"

# Windows of 1.024 s every 0.512 s: the digit lasts 0.486 s, so windows 1-4 (0.512-3.072 s) lie
# wholly inside the 3 s gap and are silent (their rows say so); no event reaches into the time
# only they cover (1.024-2.560 s).
"$cqtcnn" classify --segments "$work/gap.wav" > "$work/segments.txt"
grep -c '(silent)' "$work/segments.txt" | grep -qx 4 || fail "segments: $(cat "$work/segments.txt")"
"$cqtcnn" classify --events --format csv "$work/gap.wav" > "$work/events.csv"
/usr/bin/python3 - "$work/events.csv" <<'PY' || fail "events over the gap: $(cat "$work/events.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    assert not (float(r["start_s"]) < 2.56 and float(r["end_s"]) > 1.024), r
assert all(float(a["end_s"]) <= float(b["start_s"]) for a, b in zip(rows, rows[1:])), rows  # no overlaps
PY
[[ -z $("$cqtcnn" classify --events "$work/silence.wav") ]] || fail "an event in silence"

# -k with --events: refused, exit 2, one line.
set +e
msg=$("$cqtcnn" classify --events -k 2 "$work/gap.wav" 2>&1)
code=$?
set -e
[[ $code -eq 2 && "$msg" == *"-k: an event has one label"* && $(wc -l <<< "$msg") -eq 1 ]] || fail "-k with --events ($code): $msg"
echo "silence: ok"
