#!/usr/bin/python3
"""The training tools' idea of silence (cqtcnn_train.fit.frontend_scaling, which augmentation pads
with) against cqtcnn's own (FrontendConfig::pad_value): `cqtcnn features` of a recording shorter
than one window pads its last frames with silence, and those must read as frontend_scaling says,
for a dB front end and a PCEN one.

  frontend_scaling_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's torch is not installed (tools/install-deps.sh --dev)."""
import json
import os
import subprocess
import tempfile

import tool_harness
from tool_harness import check, cqtcnn, src

tool_harness.need_torch()
import numpy as np  # noqa: E402

from cqtcnn_train import fit  # noqa: E402

base = json.load(open(os.path.join(src, "models", "digits.frontend.json")))
pcen = {key: value for key, value in base.items() if key != "db"}
pcen.update({"values": "pcen", "pcen": {"time_constant": 0.2}, "normalize": {"mean": 1.5, "std": 2.5}})
recording = os.path.join(src, "data", "3_jackson_0.wav")  # 0.4 s: shorter than the 1 s window

with tempfile.TemporaryDirectory() as work:
    for name, frontend in (("db", base), ("pcen", pcen)):
        path = os.path.join(work, name + ".json")
        json.dump(frontend, open(path, "w"))
        out = os.path.join(work, name + ".npy")
        subprocess.run([cqtcnn, "features", "--frontend", path, "-o", out, recording], check=True)
        x = np.load(out)[0, 0]  # [bins, frames]
        pad, _ = fit.frontend_scaling(frontend)
        last = x[:, -1]
        check(f"{name}: the padded frames hold frontend_scaling's silence", bool((last == np.float32(pad)).all()),
              f"({last[:3]} against {pad})")
        check(f"{name}: the recording's frames are not silence", bool((x[:, 0] != np.float32(pad)).any()))
tool_harness.finish()
