#!/usr/bin/python3
"""The front-end defaults the training tools read (cqtcnn_train.data.frontend_defaults, from
`cqtcnn inspect --defaults`) are the ones cqtcnn applies: a front end that leaves out `db` and
`normalize` pads a recording shorter than one window with (-top_db - mean) / std of those
defaults, as `cqtcnn features` writes it; and every object of the front end is there.

  frontend_defaults_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's python3-numpy is not installed (tools/install-deps.sh)."""
import json
import os
import subprocess
import sys
import tempfile

from tool_harness import SKIPPED, check, cqtcnn, finish, src

try:
    import numpy as np
except ImportError:
    print("python3-numpy is not installed: skipped")
    sys.exit(SKIPPED)

from cqtcnn_train import data  # noqa: E402

defaults = data.frontend_defaults(cqtcnn)
check("every object of the front end has its defaults",
      all(isinstance(defaults.get(name), dict) for name in ("cqt", "db", "pcen", "normalize")), str(sorted(defaults)))
check("values defaults to db", defaults.get("values") == "db", str(defaults.get("values")))

frontend = json.load(open(os.path.join(src, "models", "digits.frontend.json")))
for left_out in ("db", "normalize"):
    frontend.pop(left_out)
recording = os.path.join(src, "data", "3_jackson_0.wav")  # 0.4 s: shorter than the 1 s window
with tempfile.TemporaryDirectory() as work:
    path, out = os.path.join(work, "frontend.json"), os.path.join(work, "x.npy")
    json.dump(frontend, open(path, "w"))
    subprocess.run([cqtcnn, "features", "--frontend", path, "-o", out, recording], check=True)
    last = np.load(out)[0, 0][:, -1]
silence = (-defaults["db"]["top_db"] - defaults["normalize"]["mean"]) / defaults["normalize"]["std"]
check("a padded frame is silence by the defaults read", bool((last == np.float32(silence)).all()),
      f"({last[:3]} against {silence})")
finish()
