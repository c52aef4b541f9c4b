#!/usr/bin/env bash
# classify --stream keeps memory flat on endless input: one hour through a pipe peaks at the same
# resident size as six minutes (half of each under the sanitizers), and gives every window's line.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
export PYTHONPATH="$(dirname "$0")" HERE="$(dirname "$0")" CQTCNN="$cqtcnn" SRC="$src" WORK="$work"
# Under AddressSanitizer (CQTCNN_SANITIZE), freed memory waits in a quarantine of up to 256 MB
# before reuse, which a long run fills: no quarantine here, so RSS measures the program's own use.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"

/usr/bin/python3 - <<'PY' || fail "memory grows with the stream's length"
import os, subprocess, time, live_audio
cq, src, w = os.environ["CQTCNN"], os.environ["SRC"], os.environ["WORK"]
samples, _ = live_audio.sequence(src, ["1_george_4", "3_jackson_0", "5_nicolas_1", "7_theo_2", "9_yweweler_0"], gap_s=1.0)
block = live_audio.pcm(samples)  # about 7 s, repeated
block_s = len(samples) / live_audio.RATE

def peak_rss_kib(minutes):
    """Streams `minutes` of audio through a pipe; returns (peak RSS in KiB, lines, seconds)."""
    with open(w + "/out.csv", "wb") as out, open(w + "/err.txt", "w+") as errors:
        t = time.monotonic()
        # Through peak_rss.py: started from this Python (numpy loaded), cqtcnn's peak would
        # include this process's own size.
        p = subprocess.Popen(["/usr/bin/python3", "-I", "-S", os.path.join(os.environ["HERE"], "peak_rss.py"),
                              cq, "classify", "--stream", "--raw", "8000:s16le:1", "--format", "csv", "-"],
                             stdin=subprocess.PIPE, stdout=out, stderr=errors)
        blocks = int(minutes * 60 / block_s)
        for _ in range(blocks):
            p.stdin.write(block)
        p.stdin.close()
        status = p.wait()
        errors.seek(0)
        err = errors.read()
        assert status == 0, err
        peak = int(err.rsplit("peak_rss_kib ", 1)[1])
    lines = sum(1 for _ in open(w + "/out.csv")) - 1
    expected = (blocks * block_s - 64 * 128 / 8000) / (32 * 128 / 8000) + 1  # windows of 64 frames every 32
    assert abs(lines - expected) <= 2, (minutes, lines, expected)
    return peak, lines, time.monotonic() - t

# Under the sanitizers (CQTCNN_SANITIZED, set by CMake) every sample costs several times more:
# 3 and 30 minutes there, the same tenfold length.
minutes = 3 if os.environ.get("CQTCNN_SANITIZED") else 6
short, short_lines, short_s = peak_rss_kib(minutes)
long, long_lines, long_s = peak_rss_kib(10 * minutes)
print("peak RSS: %d min %d KiB (%d windows, %.1f s), %d min %d KiB (%d windows, %.1f s)"
      % (minutes, short, short_lines, short_s, 10 * minutes, long, long_lines, long_s))
assert long <= short + 1024, (short, long)  # not even 1 MiB more for ten times the audio
PY
