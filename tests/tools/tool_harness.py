"""What the tests of the Python tools share (imported by tests/tools/*_test.py; not a test itself).

ctest runs each test as `<test>.py <path-to-cqtcnn> <source-dir>` with the source's tools/ on
PYTHONPATH, where the package cqtcnn_train and the research scripts are (CMakeLists.txt; by hand:
`PYTHONPATH=tools /usr/bin/python3 tests/tools/x_test.py build/cqtcnn .`). Importing this
module reads those two arguments and, with
need_torch(), ends the test with exit code 77 (ctest: skipped) where Debian's torch is not installed
(tools/install-deps.sh --dev installs it). check() prints and counts one result; finish() exits 1 if
any check failed.
"""
import sys

SKIPPED = 77

cqtcnn, src = sys.argv[1], sys.argv[2]

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
