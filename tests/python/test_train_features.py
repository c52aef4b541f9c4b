"""tools/cqtcnn_train/data.py's features(): in-process through the module built beside the cqtcnn
binary, it gives the arrays and window owners `cqtcnn features` gives (its fall-back), and fails as
it does."""
import numpy as np
import pytest

import cqtcnn
from conftest import CQT_DATA, SOURCE

from cqtcnn_train import data  # on PYTHONPATH: tools/ (cmake/python.cmake)

FRONTENDS = [SOURCE / "models" / "digits.frontend.json", SOURCE / "models" / "instruments.frontend.json"]
FILES = [str(CQT_DATA / name) for name in
         ("digit_8000.wav", "chirp_22050.wav", "violin_44100.wav", "digit_8000.wav", "noise_16000.wav")]


@pytest.mark.parametrize("frontend", FRONTENDS, ids=["digits", "instruments"])
def test_in_process_equals_cqtcnn_features(cqtcnn_binary, tmp_path, frontend):
    x_cli, owner_cli = data.features_by_subprocess(cqtcnn_binary, str(frontend), FILES, str(tmp_path), "t", 2)
    x, owner = data.features_in_process(cqtcnn, str(frontend), FILES, 2)
    assert x.dtype == x_cli.dtype == np.float32 and x.shape == x_cli.shape and len(x) > len(FILES)
    np.testing.assert_array_equal(x, x_cli)
    np.testing.assert_array_equal(owner, owner_cli)  # a repeated path: its last row, both ways


def test_the_module_beside_the_binary_is_used(cqtcnn_binary, tmp_path):
    module = data.module_beside(cqtcnn_binary)
    assert module is not None and module.__file__ == cqtcnn.__file__
    assert data.module_beside(str(tmp_path / "cqtcnn")) is None  # no module there: the subprocess
    x, owner = data.features(cqtcnn_binary, str(FRONTENDS[0]), FILES[:2], str(tmp_path), "t", 1)
    assert not list(tmp_path.iterdir())  # nothing written: in-process
    np.testing.assert_array_equal(x, data.features_by_subprocess(cqtcnn_binary, str(FRONTENDS[0]), FILES[:2],
                                                                 str(tmp_path), "t", 1)[0])


def test_failures_end_the_program_as_cqtcnn_features(cqtcnn_binary, tmp_path, capsys):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF not really")
    paths = [FILES[0], str(broken)]
    with pytest.raises(SystemExit) as in_process:
        data.features_in_process(cqtcnn, str(FRONTENDS[0]), paths, 1)
    with pytest.raises(SystemExit) as subprocess:
        data.features_by_subprocess(cqtcnn_binary, str(FRONTENDS[0]), paths, str(tmp_path), "t", 1)
    assert in_process.value.code == subprocess.value.code == 1
    assert "cqtcnn features: 1 of 2 files failed; no output written" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_frontend:
        data.features_in_process(cqtcnn, str(CQT_DATA / "cases.json"), paths, 1)
    assert bad_frontend.value.code == 2
