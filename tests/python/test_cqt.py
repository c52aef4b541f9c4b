"""cqtcnn.cqt, vqt and amplitude_to_db against librosa 0.10.1's reference vectors
(tests/data/cqt, made by librosa from ../shared/reference/cqt), their arguments and their threads."""
import concurrent.futures

import numpy as np
import pytest

import cqtcnn
from conftest import CQT_DATA, read_wav16, rel_frob


def transform(case, y):
    params = {k: v for k, v in case["params"].items()}
    function = cqtcnn.vqt if case["function"] == "librosa.vqt" else cqtcnn.cqt
    return function(y, **params)


def reference_cases(cases):
    return [(case, f) for case in cases for f in case["files"]]


def test_reference_vectors(cqt_cases):
    # Every case: the shape, librosa's dtype and the values, to float32 precision: the relative
    # Frobenius error is 3e-7 to 6e-7 in all cases but hop 1001 (1.4e-6 in |C|, 1.7e-6 complex),
    # whose frames sum the longest filters (no octave halving with an odd hop).
    for case, f in reference_cases(cqt_cases):
        y = read_wav16(CQT_DATA / case["input"])
        ours = transform(case, y)
        reference = np.load(CQT_DATA / f["file"])
        assert ours.dtype == np.complex64, case["id"]
        assert ours.shape == tuple(f["shape"]) == reference.shape, case["id"]
        got = ours if f["kind"] == "complex" else np.abs(ours)
        limit = 3e-6 if case["params"]["hop_length"] % 2 else 1e-6
        assert rel_frob(got, reference) < limit, (case["id"], f["file"], rel_frob(got, reference))


def test_signature_is_librosas():
    # pybind11 writes the signature as the docstring's first line: librosa 0.10's defaults.
    doc = cqtcnn.cqt.__doc__
    first = doc.splitlines()[0]
    for default in ("(y: object, *, sr: float = 22050.0", "hop_length: int = 512", "fmin: Optional[float] = None",
                    "n_bins: int = 84", "bins_per_octave: int = 12", "tuning: Optional[float] = 0.0",
                    "filter_scale: float = 1.0", "norm: object = 1", "sparsity: float = 0.01",
                    "window: object = 'hann'", "scale: bool = True", "pad_mode: object = 'constant'",
                    "res_type: Optional[str] = 'soxr_hq'", "dtype: object = None"):
        assert default in first, default
    for words in ("Brown", "Schoerkhuber", "Parameters", "Returns", "hop_length : int > 0"):
        assert words in doc
    assert "gamma: Optional[float] = None" in cqtcnn.vqt.__doc__.splitlines()[0]


@pytest.fixture(scope="module")
def chirp():
    return read_wav16(CQT_DATA / "chirp_22050.wav")


def test_float64_gives_complex128_of_the_same_values(chirp):
    single = cqtcnn.cqt(chirp, sr=22050)
    double = cqtcnn.cqt(chirp.astype(np.float64), sr=22050)
    assert double.dtype == np.complex128 and double.shape == single.shape
    np.testing.assert_array_equal(double, single.astype(np.complex128))
    assert cqtcnn.cqt(chirp, sr=22050, dtype=np.complex128).dtype == np.complex128
    assert cqtcnn.cqt(chirp.astype(np.float64), sr=22050, dtype="complex64").dtype == np.complex64


def test_multichannel_is_each_channel(chirp):
    # [2, 3, n]: every leading axis kept, each row its own transform; any memory order.
    rows = np.stack([chirp[:20000], -0.5 * chirp[20000:40000], chirp[40000:60000] ** 2,
                     chirp[:20000][::-1], np.zeros(20000, np.float32), chirp[1000:21000]]).reshape(2, 3, 20000)
    out = cqtcnn.cqt(np.asfortranarray(rows), sr=22050, hop_length=256)
    assert out.shape == (2, 3, 84, 1 + 20000 // 256)
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(out[i, j], cqtcnn.cqt(np.ascontiguousarray(rows[i, j]), sr=22050, hop_length=256))
    assert not np.any(out[1, 1])  # silence


def test_strided_input_equals_a_copy(chirp):
    np.testing.assert_array_equal(cqtcnn.cqt(chirp[::2], sr=11025), cqtcnn.cqt(chirp[::2].copy(), sr=11025))


def test_fmin_none_is_c1_and_tuning_moves_the_bins(chirp):
    y = chirp[:22050]
    np.testing.assert_array_equal(cqtcnn.cqt(y, fmin=None), cqtcnn.cqt(y, fmin=32.70319566257483))
    # tuning t is fmin * 2^(t / B) with tuning 0 (librosa: "fmin is modified").
    np.testing.assert_allclose(np.abs(cqtcnn.cqt(y, tuning=0.25)),
                               np.abs(cqtcnn.cqt(y, fmin=32.70319566257483 * 2 ** (0.25 / 12))), rtol=0, atol=1e-6)


def test_vqt_gamma_zero_is_the_cqt(chirp):
    y = chirp[:22050]
    np.testing.assert_array_equal(cqtcnn.vqt(y, gamma=0), cqtcnn.cqt(y))


@pytest.mark.parametrize("call, words", [
    (lambda y: cqtcnn.cqt(y, hop_length=0), "cqt: hop_length must be in [1, 1048576], got 0"),
    (lambda y: cqtcnn.cqt(y, n_bins=0), "cqt: n_bins must be in"),
    (lambda y: cqtcnn.cqt(y, sr=8000), "cqt: n_bins=84: the top bin (3951.066410 Hz) has a band reaching"),
    (lambda y: cqtcnn.cqt(y, tuning=None), "cqt: tuning=None (estimating the tuning from y) is not supported"),
    (lambda y: cqtcnn.cqt(y, norm=0), "cqt: norm=0"),
    (lambda y: cqtcnn.cqt(y, norm=-np.inf), "cqt: norm=-inf"),
    (lambda y: cqtcnn.cqt(y, norm=-2), "cqt: norm must be > 0, inf or none, got -2"),
    (lambda y: cqtcnn.cqt(y, window="kaiser"), "cqt: window \"kaiser\" is not one of: hann, hamming"),
    (lambda y: cqtcnn.cqt(y, window=("kaiser", 4.0)), "cqt: window must be one of the names"),
    (lambda y: cqtcnn.cqt(y, pad_mode="edge"), "cqt: pad_mode \"edge\" is not one of: constant, reflect"),
    (lambda y: cqtcnn.cqt(y, res_type="polyphase"), "cqt: res_type \"polyphase\" is not supported"),
    (lambda y: cqtcnn.cqt(y, dtype=np.float32), "cqt: dtype float32 is not supported"),
    (lambda y: cqtcnn.cqt(y, sparsity=1.0), "cqt: sparsity must be in [0, 1)"),
    (lambda y: cqtcnn.cqt((y * 32767).astype(np.int16)), "cqt: y must be floating-point audio, got dtype int16"),
    (lambda y: cqtcnn.cqt(np.float32(0.5)), "cqt: y must have at least one dimension"),
    (lambda y: cqtcnn.cqt(np.where(np.arange(y.size) == 7, np.nan, y)), "cqt: y is not finite everywhere"),
    (lambda y: cqtcnn.vqt(y, gamma=-1), "vqt: gamma must be >= 0, or None"),
    (lambda y: cqtcnn.vqt(y, intervals="ji5"), "vqt: intervals 'ji5' is not supported"),
    (lambda y: cqtcnn.vqt(y, hop_length=-3), "vqt: hop_length must be in"),
    (lambda y: cqtcnn.vqt(np.where(np.arange(y.size) == 7, np.inf, y)), "vqt: y is not finite everywhere"),
    (lambda y: cqtcnn.vqt(y.astype(np.int32)), "vqt: y must be floating-point audio, got dtype int32"),
    (lambda y: cqtcnn.amplitude_to_db(np.abs(y), amin=0), "amplitude_to_db: amin: must be strictly positive"),
    (lambda y: cqtcnn.amplitude_to_db(np.abs(y), top_db=-1), "amplitude_to_db: top_db: must be non-negative"),
])
def test_bad_arguments_raise_value_error_naming_them(chirp, call, words):
    with pytest.raises(ValueError) as error:
        call(chirp[:4096])
    message = str(error.value)
    function = words.split(":")[0]
    assert message.startswith(function + ": ") and words in message
    assert "\n" not in message and not message.startswith(f"{function}: {function}: ")


def test_threads_give_identical_results(chirp):
    # The GIL is released: 4 threads on different signals and parameters, each result bitwise
    # what the same call gives alone.
    jobs = [(chirp[i * 5000:i * 5000 + 30000], 256 * (1 + i % 2)) for i in range(8)]
    alone = [cqtcnn.cqt(y, sr=22050, hop_length=hop) for y, hop in jobs]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda job: cqtcnn.cqt(job[0], sr=22050, hop_length=job[1]), jobs * 2))
    for i, out in enumerate(together):
        np.testing.assert_array_equal(out, alone[i % len(jobs)])


def test_amplitude_to_db_reference(cqt_cases):
    # librosa.amplitude_to_db(|C|, ref=np.max, amin=1e-5, top_db=80) of the digit (tests/data/io/C_digit_db.npy).
    magnitude = np.load(CQT_DATA / "C_digit_mag.npy")
    reference = np.load(CQT_DATA.parent / "io" / "C_digit_db.npy")
    db = cqtcnn.amplitude_to_db(magnitude, ref=np.max)
    assert db.dtype == np.float32 and db.shape == reference.shape
    np.testing.assert_allclose(db, reference, rtol=0, atol=1e-4)
    assert db.max() == pytest.approx(0, abs=1e-5) and db.min() == pytest.approx(-80, abs=1e-4)


def test_amplitude_to_db_options():
    s = np.array([[1e-7, 1e-3, 0.5], [1.0, 2.0, 10.0]], np.float32)
    expected = 20 * np.log10(np.maximum(1e-5, s.astype(np.float64)))  # ref=1, top_db 80 below 20 dB
    np.testing.assert_allclose(cqtcnn.amplitude_to_db(s), np.maximum(expected, 20 - 80), atol=1e-4)
    np.testing.assert_allclose(cqtcnn.amplitude_to_db(s, top_db=None), expected, atol=1e-4)
    np.testing.assert_allclose(cqtcnn.amplitude_to_db(s, ref=2.0, top_db=None), expected - 20 * np.log10(2), atol=1e-4)
    assert cqtcnn.amplitude_to_db(s.astype(np.float64)).dtype == np.float64
    with pytest.warns(UserWarning, match="phase information will be discarded"):
        complex_db = cqtcnn.amplitude_to_db(s * np.exp(1j * 0.3).astype(np.complex64))
    np.testing.assert_allclose(complex_db, cqtcnn.amplitude_to_db(s), atol=1e-5)


def test_empty_and_long_signals():
    # librosa gives one silent frame for no samples; a long signal crosses the blocks the module
    # streams (65536 samples) and must equal the same samples transformed alone per channel.
    empty = cqtcnn.cqt(np.zeros(0, np.float32))
    assert empty.shape == (84, 1) and not np.any(empty)
    y = np.random.default_rng(5).normal(0, 0.1, 200_001).astype(np.float32)
    whole = cqtcnn.cqt(y, hop_length=256)
    assert whole.shape == (84, 1 + 200_001 // 256)
    halves = cqtcnn.cqt(np.stack([y[:100_000], y[:100_000]]), hop_length=256)
    np.testing.assert_array_equal(halves[0], halves[1])
    np.testing.assert_allclose(np.abs(halves[0][:, :300]), np.abs(whole[:, :300]), rtol=0, atol=1e-4 * np.abs(whole).max())


@pytest.mark.parametrize("case, sr, hop", [("C_digit", 8000, 64), ("A_chirp", 22050, 512)])
def test_pcen_reference(case, sr, hop):
    # librosa.pcen(|C| * 2**31, sr=sr, hop_length=hop) (tests/data/io, float64).
    magnitude = np.load(CQT_DATA.parent / "io" / f"{case}_mag.npy")
    reference = np.load(CQT_DATA.parent / "io" / f"{case}_pcen.npy")
    got = cqtcnn.pcen(magnitude * 2**31, sr=sr, hop_length=hop)
    assert got.dtype == np.float64 and got.shape == reference.shape
    np.testing.assert_allclose(got, reference, rtol=1e-6, atol=1e-7 * np.abs(reference).max())
    # Every row is its own smoother: the rows stacked under a leading axis give the same.
    stacked = cqtcnn.pcen(np.stack([magnitude, magnitude[::-1]]) * 2**31, sr=sr, hop_length=hop)
    np.testing.assert_array_equal(stacked[0], got)
    np.testing.assert_array_equal(stacked[1], got[::-1])


@pytest.mark.parametrize("kwargs, words", [
    ({"b": 0.1}, "pcen: b (the smoother's coefficient)"),
    ({"max_size": 3}, "pcen: max_size 3 (max-filtering)"),
    ({"axis": 0}, "pcen: axis 0"),
    ({"return_zf": True}, "pcen: zi or return_zf"),
    ({"gain": -1}, "pcen: gain must be in"),
    ({"time_constant": 0}, "pcen: time_constant must be in"),
])
def test_pcen_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=None) as error:
        cqtcnn.pcen(np.ones((3, 10), np.float32), **kwargs)
    assert words in str(error.value)
