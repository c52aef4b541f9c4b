#!/usr/bin/python3
"""Runs `cqtcnn classify` and `cqtcnn spectrogram` on a corpus made by make_corpus.py and
checks each file's outcome against the expectation in its manifest.tsv, and `cqtcnn inspect` on
each model of its models/ folder against models/models.tsv (standard library only).

Usage: check_outcomes.py CQTCNN CORPUS_DIR
Prints one line per check and 'N passed, N failed'; exits 1 if any check failed.
"""
import concurrent.futures
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

TIMEOUT_S = 300
CRASH_MARKS = ("Sanitizer", "runtime error:", "terminate called", "Segmentation fault", "Aborted")


def run(argv):
    p = subprocess.run(argv, capture_output=True, timeout=TIMEOUT_S)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def crashed(code, err):
    return code not in (0, 1, 2) or any(mark in err for mark in CRASH_MARKS)


def npy_finite(path):
    """(number of values, all finite) of a little-endian float32 NPY."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        return 0, False
    header_len = struct.unpack("<H", data[8:10])[0] if data[6] == 1 else struct.unpack("<I", data[8:12])[0]
    start = (10 if data[6] == 1 else 12) + header_len
    header = data[10 if data[6] == 1 else 12:start].decode("latin-1")
    if "'<f4'" not in header:
        return 0, False
    values = struct.unpack("<%df" % ((len(data) - start) // 4), data[start:])
    return len(values), all(math.isfinite(v) for v in values)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("ok   " if ok else "FAIL ") + what)


def one_error_line(err, name):
    lines = [l for l in err.splitlines() if l.strip()]
    return len(lines) == 1 and name in lines[0]


def check_classify(cqtcnn, corpus, cases, checks):
    paths = [os.path.join(corpus, c[0]) for c in cases]
    code, out, err = run([cqtcnn, "classify", "--format", "jsonl"] + paths)
    checks.check(not crashed(code, err), "classify batch: no crash (exit %d)" % code)
    want_failure = any(c[1] == "error" for c in cases)
    checks.check(code == (1 if want_failure else 0), "classify batch: exit code %d" % code)
    rows = {}
    for line in out.splitlines():
        row = json.loads(line)
        rows.setdefault(row["path"], []).append(row)
    err_lines = err.splitlines()
    for name, expect, _spec, *known in cases:
        path = os.path.join(corpus, name)
        got = rows.get(path, [])
        mentions = [l for l in err_lines if path in l]
        if not got:
            actual = "none"
        elif len(got) == 1 and got[0].get("error"):
            actual = "error"
        elif (len(got) == 1 and got[0]["label"] is not None and isinstance(got[0]["score"], float)
              and 0.0 <= got[0]["score"] <= 1.0):
            actual = "ok"
        elif len(got) == 1 and got[0]["label"] == "(silent)" and got[0]["score"] is None and got[0]["top"] == []:
            actual = "ok"  # below the silence floor: no class, said so (docs/streaming.md)
        else:
            actual = "malformed: " + json.dumps(got)[:200]
        if expect.endswith("~"):
            print("KNOWN classify %s: expected %s, got %s (%s)" % (name, expect[:-1], actual, known[0]))
            continue
        good = actual == expect
        if expect == "error":
            good = good and path in got[0]["error"] and len(mentions) == 1
        checks.check(good, "classify %s: expected %s, got %s" % (name, expect, actual))


def check_spectrogram(cqtcnn, corpus, index, case, scratch):
    name, _cls, expect, *known = case
    path = os.path.join(corpus, name)
    out = os.path.join(scratch, "%d.npy" % index)
    # 5 octaves from C1 fit every rate from 2 kHz up; at 1 Hz no bin can (exit 2).
    code, _out, err = run([cqtcnn, "spectrogram", path, "-o", out, "--n-bins", "60"])
    if crashed(code, err):
        return False, "spectrogram %s: crashed (exit %d): %s" % (name, code, err[-500:])
    if code == 0:
        n, finite = npy_finite(out)
        actual = "ok" if n > 0 and finite else "non-finite or empty output (%d values)" % n
    elif code == 1 and one_error_line(err, path):
        actual = "error"
    elif code == 2 and one_error_line(err, "error:"):  # names the parameter that cannot work
        actual = "error2"
    else:
        actual = "exit %d with stderr %r" % (code, err[-300:])
    if expect.endswith("~"):
        return None, "KNOWN spectrogram %s: expected %s, got %s (%s)" % (name, expect[:-1], actual, known[0])
    return actual == expect, "spectrogram %s: expected %s, got %s" % (name, expect, actual)


def check_model(cqtcnn, models, case):
    name, expect = case
    path = os.path.join(models, name)
    code, _out, err = run([cqtcnn, "inspect", path])
    if crashed(code, err):
        return False, "inspect %s: crashed (exit %d): %s" % (name, code, err[-500:])
    if code == 0:
        actual = "ok"
    elif code == 2 and one_error_line(err, path):
        actual = "error2"
    else:
        actual = "exit %d with stderr %r" % (code, err[-300:])
    detail = ": " + err.strip().split(path + ": ", 1)[-1] if actual == "error2" else ""
    return actual == expect, "inspect %s: expected %s, got %s%s" % (name, expect, actual, detail)


def main():
    cqtcnn, corpus = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as f:
        cases = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    checks = Checks()
    with tempfile.TemporaryDirectory() as scratch, concurrent.futures.ThreadPoolExecutor(2) as pool:
        spectrograms = [pool.submit(check_spectrogram, cqtcnn, corpus, i, c, scratch) for i, c in enumerate(cases)]
        check_classify(cqtcnn, corpus, cases, checks)
        for future in spectrograms:
            ok, what = future.result()
            if ok is None:
                print(what)
            else:
                checks.check(ok, what)
    models = os.path.join(corpus, "models")
    with open(os.path.join(models, "models.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                checks.check(*check_model(cqtcnn, models, line.rstrip("\n").split("\t")))
    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
