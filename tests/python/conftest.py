"""What the tests of the Python module share (tests/python/test_*.py, run by ctest through pytest).

ctest puts the module built in the build tree on PYTHONPATH and names the built command line in the
CQTCNN environment variable (cmake/python.cmake); run by hand:
    PYTHONPATH=build/python CQTCNN=build/cqtcnn /usr/bin/python3 -m pytest tests/python
"""
import json
import os
import pathlib
import shutil
import sys

import numpy as np
import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
CQT_DATA = SOURCE / "tests" / "data" / "cqt"
# The real librosa, where this checkout has the shared peers beside it (never required).
PEERS = SOURCE.parent / "shared" / "peers" / "python"


def read_wav16(path):
    """The samples of a canonical mono 16-bit PCM WAV (the reference inputs), as soundfile reads
    them: int16 / 32768 in float32."""
    data = pathlib.Path(path).read_bytes()
    assert data[:4] == b"RIFF" and data[36:40] == b"data", f"{path}: not a canonical 44-byte-header WAV"
    return np.frombuffer(data[44:], "<i2").astype(np.float32) / np.float32(32768)


def rel_frob(ours, reference):
    """||ours - reference||_F / ||reference||_F, in float64."""
    ours, reference = np.asarray(ours, np.complex128), np.asarray(reference, np.complex128)
    return float(np.linalg.norm(ours - reference) / np.linalg.norm(reference))


@pytest.fixture(scope="session")
def cqt_cases():
    return json.loads((CQT_DATA / "cases.json").read_text())["cases"]


@pytest.fixture(scope="session")
def cqtcnn_binary():
    path = os.environ.get("CQTCNN") or shutil.which("cqtcnn")
    if not path:
        pytest.skip("the cqtcnn program is not known: set CQTCNN (ctest does)")
    return path


@pytest.fixture(scope="session")
def librosa():
    """librosa 0.10.1 from the shared peers, or a skip saying why not."""
    if not PEERS.is_dir():
        pytest.skip(f"no librosa to compare with: {PEERS} is not there")
    sys.path.insert(0, str(PEERS))
    try:
        import librosa as module
    except ImportError as e:
        pytest.skip(f"librosa in {PEERS} does not import ({e}): run ../shared/peers/setup.sh")
    return module
