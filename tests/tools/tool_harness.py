"""What the tests of the Python tools share (imported by tests/tools/*_test.py; not a test itself).

ctest runs each test as `<test>.py <path-to-cqtcnn> <source-dir>` (CMakeLists.txt). Importing this
module reads those two arguments, puts the source's tools/ on the import path, and, with
need_torch(), ends the test with exit code 77 (ctest: skipped) where Debian's torch is not installed
(tools/install-deps.sh --dev installs it). check() prints and counts one result; finish() exits 1 if
any check failed.
"""
import os
import sys

SKIPPED = 77

cqtcnn, src = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src, "tools"))

failures = 0


def need_torch():
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        print("torch is not installed: skipped")
        sys.exit(SKIPPED)


def check(what, ok, detail=""):
    """Prints `ok` or `FAIL` with what was checked; returns ok."""
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what} {detail}".rstrip(), flush=True)
    failures += not ok
    return ok


def finish():
    print(f"{failures} failed")
    sys.exit(1 if failures else 0)
