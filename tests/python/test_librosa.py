"""cqtcnn.cqt and vqt against the real librosa 0.10.1 (../shared/peers), one argument varied at a time
from librosa's defaults; skipped, saying why, where librosa is not there. The first librosa call
compiles its numba code (seconds; ctest keeps numba's cache in the build tree)."""
import contextlib
import warnings

import numpy as np
import pytest

import cqtcnn
from conftest import CQT_DATA, read_wav16, rel_frob

VARIATIONS = [
    ("cqt", {}),
    ("cqt", {"sr": 16000}),
    ("cqt", {"sr": 44100}),  # librosa decimates early
    ("cqt", {"hop_length": 256}),
    ("cqt", {"hop_length": 1001}),  # odd: no octave halving
    ("cqt", {"fmin": 55.0, "n_bins": 60}),
    ("cqt", {"n_bins": 144, "bins_per_octave": 24}),
    ("cqt", {"tuning": 0.3}),
    ("cqt", {"tuning": -0.5}),
    ("cqt", {"filter_scale": 0.5}),
    ("cqt", {"norm": 2}),
    ("cqt", {"norm": np.inf}),
    ("cqt", {"norm": None}),
    ("cqt", {"sparsity": 0.0}),
    ("cqt", {"sparsity": 0.1}),
    ("cqt", {"window": "hamming"}),
    ("cqt", {"window": "blackman"}),
    ("cqt", {"window": "blackmanharris"}),
    ("cqt", {"window": "rectangular"}),
    ("cqt", {"scale": False}),
    ("cqt", {"pad_mode": "reflect"}),
    ("cqt", {"res_type": None}),
    ("cqt", {"dtype": np.complex128}),
    ("vqt", {}),  # gamma None: the ERB bandwidths
    ("vqt", {"gamma": 0}),
    ("vqt", {"gamma": 10.0}),
]


@pytest.fixture(scope="module")
def signal():
    # A chirp and noise: every bin carries energy.
    chirp = read_wav16(CQT_DATA / "chirp_22050.wav")[:24000]
    noise = np.random.default_rng(32).normal(0, 0.05, chirp.size).astype(np.float32)
    return chirp + noise


@pytest.mark.parametrize("function, kwargs", VARIATIONS, ids=[f"{f}-{k}" for f, k in VARIATIONS])
def test_as_librosa(librosa, signal, function, kwargs):
    with _quiet():
        expected = getattr(librosa, function)(signal, **kwargs)
    got = getattr(cqtcnn, function)(signal, **kwargs)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    # 4e-7 to 6e-7, but 1.9e-6 with hop 1001 (no octave halving: the longest filters' sums)
    limit = 3e-6 if kwargs.get("hop_length", 512) % 2 else 1e-6
    assert rel_frob(got, expected) < limit, rel_frob(got, expected)


def test_float64_and_multichannel_as_librosa(librosa, signal):
    y = np.stack([signal, signal[::-1] * 0.5]).astype(np.float64)
    with _quiet():
        expected = librosa.cqt(y, sr=22050)
    got = cqtcnn.cqt(y, sr=22050)
    assert got.dtype == expected.dtype == np.complex128 and got.shape == expected.shape == (2, 84, 47)
    for channel in range(2):
        assert rel_frob(got[channel], expected[channel]) < 1e-6


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa's FutureWarning for res_type=None
        yield


def test_empty_signal_as_librosa(librosa):
    with _quiet():
        expected = librosa.cqt(np.zeros(0, np.float32))
    got = cqtcnn.cqt(np.zeros(0, np.float32))
    assert got.shape == expected.shape == (84, 1) and got.dtype == expected.dtype
    assert not np.any(got) and not np.any(expected)


@pytest.mark.parametrize("kwargs", [{}, {"gain": 0.8, "bias": 10, "power": 0.25, "time_constant": 0.06},
                                    {"power": 0, "sr": 8000, "hop_length": 64}])
def test_pcen_as_librosa(librosa, signal, kwargs):
    magnitude = np.abs(cqtcnn.cqt(signal)) * 2**31
    with _quiet():
        expected = librosa.pcen(magnitude, **kwargs)
    got = cqtcnn.pcen(magnitude, **kwargs)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7 * np.abs(expected).max())
