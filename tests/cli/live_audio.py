"""Helpers for the stream tests (tests/cli/stream*.sh): audio made from the bundled digit
recordings, fed to `cqtcnn classify -` through a pipe at a chosen pace, with the time each
output line arrives. Python's standard library only (CI has no numpy in this step)."""
import os
import random
import select
import struct
import subprocess
import time
import wave

RATE = 8000  # the built-in digit model's rate, and the recordings'


def digit(src, name):
    """The 16-bit samples of data/NAME.wav as a list of ints."""
    with wave.open(os.path.join(src, "data", name + ".wav")) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
    return list(struct.unpack("<%dh" % (len(frames) // 2), frames))


def noise(n, level, seed):
    rng = random.Random(seed)
    return [int(rng.gauss(0.0, level)) for _ in range(n)]


def sequence(src, parts, gap_s=1.5, seed=1):
    """The recordings `parts` (names in data/) end to end, each after gap_s of faint noise (-60 dB),
    and a last gap. Returns (samples, [(name, start_s, end_s)])."""
    samples, truth = [], []
    for i, name in enumerate(parts):
        samples += noise(int(gap_s * RATE), 30, seed + i)
        d = digit(src, name)
        truth.append((name, len(samples) / RATE, (len(samples) + len(d)) / RATE))
        samples += d
    samples += noise(int(gap_s * RATE), 30, seed + len(parts))
    return samples, truth


def pcm(samples):
    return struct.pack("<%dh" % len(samples), *[max(-32768, min(32767, s)) for s in samples])


def wav_header_unknown_length(rate=RATE):
    """A WAV header whose sizes say 'as long as it goes' (0xFFFFFFFF), as arecord writes to a pipe."""
    return (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", 0xFFFFFFFF))


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm(samples))


class Live:
    """cqtcnn reading a pipe that this object writes to; output lines are collected with the time
    (seconds since start) each arrived."""

    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.t0 = time.monotonic()
        self.lines = []  # (arrival_s, text)
        self._partial = b""
        os.set_blocking(self.proc.stdout.fileno(), False)

    def now(self):
        return time.monotonic() - self.t0

    def poll_output(self, timeout=0.0):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            return False
        self._partial += chunk
        while b"\n" in self._partial:
            line, self._partial = self._partial.split(b"\n", 1)
            self.lines.append((self.now(), line.decode()))
        return True

    def feed(self, data, seconds_of_audio=None):
        """Writes `data`; with seconds_of_audio, paces it so that it ends that long after it began
        (real time), collecting output meanwhile. Returns the time each piece of the data was
        written, in pieces of 20 ms, as (arrival_s, bytes_written_so_far) pairs."""
        marks = []
        step = max(2, int(len(data) * 0.02 / seconds_of_audio) // 2 * 2) if seconds_of_audio else max(1, len(data))
        start = self.now()
        for at in range(0, len(data), step):
            self.proc.stdin.write(data[at:at + step])
            self.proc.stdin.flush()
            marks.append((self.now(), at + len(data[at:at + step])))
            if seconds_of_audio:
                due = start + seconds_of_audio * (at + step) / len(data)
                while self.now() < due:
                    self.poll_output(max(0.0, due - self.now()))
        return marks

    def close_input_and_wait(self, timeout=60):
        self.proc.stdin.close()
        deadline = self.now() + timeout
        while self.proc.poll() is None and self.now() < deadline:
            self.poll_output(0.05)
        while self.poll_output(0.0):
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            raise AssertionError("cqtcnn did not end within %s s of its input's end" % timeout)
        return self.proc.returncode
