#!/usr/bin/env bash
# classify - and --stream: standard input decodes as the same file would, headerless PCM with
# --raw, lines come while a real-time pipe is still being fed, Ctrl-C and a closed stdout end
# cleanly, and --events finds the digits of a recording at the times they were put there.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
export PYTHONPATH="$(dirname "$0")" CQTCNN="$cqtcnn" SRC="$src" WORK="$work"
wav="$src/data/3_jackson_0.wav"

# 1. Standard input gives what the file gives: a pipe, a redirected file, and raw PCM.
"$cqtcnn" classify --format jsonl "$wav" > "$work/file.jsonl"
cat "$wav" | "$cqtcnn" classify --format jsonl - > "$work/pipe.jsonl"
"$cqtcnn" classify --format jsonl - < "$wav" > "$work/redirect.jsonl"
tail -c +45 "$wav" | "$cqtcnn" classify --format jsonl --raw 8000:S16_LE:1 - > "$work/raw.jsonl"
/usr/bin/python3 - <<'PY' || fail "stdin rows: $(cat "$work"/*.jsonl)"
import json, os
w = os.environ["WORK"]
[file] = [json.loads(l) for l in open(w + "/file.jsonl")]
for name in ("pipe", "redirect", "raw"):
    [row] = [json.loads(l) for l in open(w + "/" + name + ".jsonl")]
    assert row["path"] == "-", row
    assert row["label"] == file["label"] == "3" and row["score"] == file["score"], (name, row, file)
    assert row["end_s"] == file["end_s"], (name, row, file)
PY

# 2. What cannot work says so in one line.
set +e
cat "$src/data/cello-a-note-62.flac" | "$cqtcnn" classify - > /dev/null 2> "$work/err"; code=$?
set -e
[[ $code -eq 1 ]] && grep -q '^cqtcnn classify: stdin: not audio that libsndfile reads from a pipe.*FLAC' "$work/err" \
  || fail "FLAC on a pipe: exit $code, $(cat "$work/err")"
for args in "- $wav" "--raw 8000:s16le:1 $wav" "--raw 8000:s16:1 -" "--labels 3,x -" "--stream --resume -o $work/r.csv -"; do
  set +e
  "$cqtcnn" classify $args < "$wav" > /dev/null 2> "$work/err"; code=$?
  set -e
  [[ $code -eq 2 && $(wc -l < "$work/err") -eq 1 ]] || fail "classify $args: exit $code, $(cat "$work/err")"
done

# 3. --stream on a file read from a pipe: one line per window, the windows --segments gives.
/usr/bin/python3 - <<'PY' || fail "--stream rows"
import json, os, subprocess, live_audio
cq, src, w = os.environ["CQTCNN"], os.environ["SRC"], os.environ["WORK"]
samples, truth = live_audio.sequence(src, ["3_jackson_0", "7_theo_2"], gap_s=1.0)
live_audio.write_wav(w + "/two.wav", samples)
seg = [json.loads(l) for l in subprocess.run([cq, "classify", "--segments", "--format", "jsonl", w + "/two.wav"],
                                             capture_output=True, check=True).stdout.splitlines()]
data = open(w + "/two.wav", "rb").read()
out = subprocess.run([cq, "classify", "--stream", "--format", "jsonl", "-"], input=data, capture_output=True, check=True)
rows = [json.loads(l) for l in out.stdout.splitlines()]
assert len(rows) == len(seg) > 3, (len(rows), len(seg))
for a, b in zip(rows, seg):
    assert (a["start_s"], a["end_s"], a["label"]) == (b["start_s"], b["end_s"], b["label"]), (a, b)
    assert a["score"] is b["score"] is None or abs(a["score"] - b["score"]) < 1e-5, (a, b)  # None: silent
for fmt in ("text", "csv", "tsv", "json", "audacity", "raven"):
    out = subprocess.run([cq, "classify", "--stream", "--format", fmt, "-"], input=data, capture_output=True, check=True)
    lines = out.stdout.decode().splitlines()
    header = {"csv": 1, "tsv": 1, "raven": 1, "json": 2}.get(fmt, 0)  # json: "[" and "]"
    # Label tracks and selection tables hold no row for a silent window (the faint noise between
    # the digits is about -60 dBFS: some of its windows fall below the floor).
    rows_expected = len([r for r in seg if r["label"] != "(silent)"]) if fmt in ("audacity", "raven") else len(seg)
    assert len(lines) == rows_expected + header, (fmt, lines)
json.loads(subprocess.run([cq, "classify", "--stream", "--format", "json", "-"], input=data,
                          capture_output=True, check=True).stdout)
PY

# 4. Real time: 13 s of audio written at its own pace. Lines must come while the input is still
# arriving: most of them before it ends, each within 4 s of the moment its window's last sample
# was written (the look-ahead, docs/streaming.md, is under that; the time beyond it is printed).
/usr/bin/python3 - <<'PY' || fail "real-time stream"
import os, live_audio
cq, src = os.environ["CQTCNN"], os.environ["SRC"]
samples, _ = live_audio.sequence(src, ["1_george_4", "5_nicolas_1", "9_yweweler_0", "3_jackson_0"], gap_s=2.5)
seconds = len(samples) / live_audio.RATE
live = live_audio.Live([cq, "classify", "--stream", "--format", "csv", "-"])
live.feed(live_audio.wav_header_unknown_length())
feed_start = live.now()
live.feed(live_audio.pcm(samples), seconds_of_audio=seconds)
feed_end = live.now()
assert live.close_input_and_wait() == 0, live.proc.stderr.read()
rows = [(t, line.split(",")) for t, line in live.lines[1:]]
during = [(t, r) for t, r in rows if t < feed_end]
lags = sorted(t - (feed_start + float(r[4])) for t, r in during)  # after the window's end was written
print("window lines: %d, %d while input arrived (%.1f s); delay after the window's end: min %.2f s, "
      "median %.2f s, max %.2f s" % (len(rows), len(during), seconds, lags[0], lags[len(lags) // 2], lags[-1]))
assert len(during) >= len(rows) // 2, (len(during), len(rows))
assert lags[-1] < 4.0, lags
PY

# 5. Ctrl-C while input is still coming: the run stops within a second, exit 130, and the
# JSON document it wrote is complete.
/usr/bin/python3 - <<'PY' || fail "SIGINT"
import json, os, signal, live_audio
cq, src = os.environ["CQTCNN"], os.environ["SRC"]
samples, _ = live_audio.sequence(src, ["1_george_4", "5_nicolas_1"], gap_s=2.0)
live = live_audio.Live([cq, "classify", "--stream", "--format", "json", "-"])
live.feed(live_audio.wav_header_unknown_length())
live.feed(live_audio.pcm(samples[: 4 * live_audio.RATE]), seconds_of_audio=4.0)
while len(live.lines) < 3:
    assert live.poll_output(5.0), "no lines"
live.proc.send_signal(signal.SIGINT)  # cqtcnn alone: its input stays open
t = live.now()
while live.proc.poll() is None and live.now() < t + 5:
    live.poll_output(0.05)
assert live.proc.poll() == 130, live.proc.poll()
assert live.now() - t < 1.5, live.now() - t
while live.poll_output(0.0):
    pass
rows = json.loads("\n".join(l for _, l in live.lines))
assert len(rows) >= 2, rows
assert live.proc.stderr.read() == b""
live.proc.stdin.close()
PY

# 6. The reader of the output goes away (| head -n 2): cqtcnn ends at once, quietly, exit 0.
/usr/bin/python3 - <<'PY' || fail "closed stdout"
import os, live_audio
cq, src = os.environ["CQTCNN"], os.environ["SRC"]
samples, _ = live_audio.sequence(src, ["1_george_4"] * 4, gap_s=1.0)
live = live_audio.Live([cq, "classify", "--stream", "--format", "jsonl", "-"])
live.feed(live_audio.wav_header_unknown_length())
while len(live.lines) < 2:
    live.feed(live_audio.pcm(samples[:800]), seconds_of_audio=0.1)
    samples = samples[800:] + samples[:800]
live.proc.stdout.close()
t = live.now()
try:
    while live.proc.poll() is None and live.now() < t + 10:
        live.proc.stdin.write(live_audio.pcm(samples[:800]))
        live.proc.stdin.flush()
except BrokenPipeError:
    pass
live.proc.wait(5)
assert live.proc.returncode == 0, live.proc.returncode
assert live.proc.stderr.read() == b""
PY

# 7. Events: the digits put end to end with 2 s of faint noise between them come out as one event
# each, with their label, over the word and within the windows that touch it (the built-in
# model's "no digit" class takes the windows that hold mostly noise, so an event may be shorter
# than the windows that hold the whole word). --min-score 0.58 keeps uncertain windows out.
/usr/bin/python3 - <<'PY' || fail "events"
import csv, io, math, os, subprocess, live_audio
cq, src, w = os.environ["CQTCNN"], os.environ["SRC"], os.environ["WORK"]
names = ["1_george_4", "3_jackson_0", "5_nicolas_1", "7_theo_2"]
samples, truth = live_audio.sequence(src, names, gap_s=2.0)
live_audio.write_wav(w + "/digits.wav", samples)
hop, width = 0.256, 64 * 128 / 8000  # --window-hop 0.256: 16 frames; windows of 64 frames
common = ["classify", "--events", "--window-hop", str(hop), "--min-score", "0.58"]
rows = list(csv.DictReader(io.StringIO(subprocess.run(
    [cq] + common + ["--format", "csv", w + "/digits.wav"], capture_output=True, check=True, text=True).stdout)))
print("events:", [(r["label"], r["start_s"], r["end_s"], r["score"]) for r in rows])
for name, a, b in truth:
    mine = [r for r in rows if float(r["start_s"]) < b and float(r["end_s"]) > a]
    assert [r["label"] for r in mine] == [name[0]], (name, a, b, mine)
    # The windows that touch the word span [first * hop, last * hop + width]; the event lies inside
    # that span, and covers at least half of the word.
    first, last = math.floor((a - width) / hop + 1e-9) + 1, math.ceil(b / hop - 1e-9) - 1
    start, end = float(mine[0]["start_s"]), float(mine[0]["end_s"])
    assert start >= first * hop - 2e-3 and end <= last * hop + width + 2e-3, (name, a, b, start, end, first * hop)
    assert min(end, b) - max(start, a) >= 0.5 * (b - a), (name, a, b, start, end)
assert len(rows) == len(truth), rows  # nothing in the noise between the digits
stream = subprocess.run([cq] + common + ["--stream", "--format", "csv", "-"], input=open(w + "/digits.wav", "rb").read(),
                        capture_output=True, check=True).stdout.decode()
streamed = list(csv.DictReader(io.StringIO(stream)))
assert len(streamed) == len(rows), stream
for a, b in zip(streamed, rows):  # the network runs windows one by one here: scores to rounding
    assert a["path"] == "-" and [a[k] for k in ("label", "start_s", "end_s")] == [b[k] for k in ("label", "start_s", "end_s")], (a, b)
    assert abs(float(a["score"]) - float(b["score"])) < 1e-5 and abs(float(a["max_score"]) - float(b["max_score"])) < 1e-5, (a, b)
PY

# 8. Audacity's label track and Raven's selection table, read as their manuals describe them:
# Audacity "start<TAB>end<TAB>label" in seconds; Raven a tab-separated table whose header names
# Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz), High Freq (Hz), one
# selection per line numbered from 1. Both hold the events the CSV holds; --labels keeps classes.
/usr/bin/python3 - <<'PY' || fail "audacity / raven"
import csv, io, os, re, subprocess
cq, w = os.environ["CQTCNN"], os.environ["WORK"]
args = ["classify", "--events", "--window-hop", "0.256", "--min-score", "0.58"]
run = lambda *a: subprocess.run([cq] + args + list(a), capture_output=True, check=True, text=True).stdout
events = list(csv.DictReader(io.StringIO(run("--format", "csv", w + "/digits.wav"))))
assert len(events) == 4, events

labels = run("--format", "audacity", w + "/digits.wav").splitlines()
assert len(labels) == len(events), labels
for line, e in zip(labels, events):
    m = re.fullmatch(r"(\d+\.\d+)\t(\d+\.\d+)\t([^\t]+)", line)
    assert m, line
    start, end, text = float(m[1]), float(m[2]), m[3]
    assert start <= end and text == e["label"], (line, e)
    assert abs(start - float(e["start_s"])) < 1e-3 and abs(end - float(e["end_s"])) < 1e-3, (line, e)

lines = run("--format", "raven", w + "/digits.wav").splitlines()
header = lines[0].split("\t")
assert header[:7] == ["Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)",
                      "High Freq (Hz)"], header
table = [dict(zip(header, l.split("\t"))) for l in lines[1:]]
assert all(len(l.split("\t")) == len(header) for l in lines), lines
assert [int(r["Selection"]) for r in table] == list(range(1, len(events) + 1)), table
for r, e in zip(table, events):
    assert r["View"] == "Spectrogram 1" and r["Channel"] == "1", r
    assert abs(float(r["Begin Time (s)"]) - float(e["start_s"])) < 1e-3, (r, e)
    assert abs(float(r["End Time (s)"]) - float(e["end_s"])) < 1e-3, (r, e)
    assert abs(float(r["Low Freq (Hz)"]) - 65.406) < 1e-3 and abs(float(r["High Freq (Hz)"]) - 3520.0) < 1e-3, r
    assert r["Label"] == e["label"] and abs(float(r["Score"]) - float(e["score"])) < 1e-5, (r, e)
    assert r["Begin Path"] == w + "/digits.wav", r

# Selections are numbered through the whole table, across files.
two = subprocess.run([cq, "classify", "--format", "raven", w + "/digits.wav", w + "/two.wav"],
                     capture_output=True, check=True, text=True).stdout.splitlines()
assert [l.split("\t")[0] for l in two] == ["Selection", "1", "2"], two

# --labels: only these classes, everywhere.
kept = list(csv.DictReader(io.StringIO(run("--format", "csv", "--labels", "3,7", w + "/digits.wav"))))
assert {e["label"] for e in kept} == {"3", "7"}, kept
assert [e for e in events if e["label"] in ("3", "7")] == kept, (events, kept)
PY
