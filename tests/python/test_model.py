"""cqtcnn.Model and cqtcnn.Frontend against the built command line: features as `cqtcnn features`,
predict as `cqtcnn predict`, classify as `cqtcnn classify`, on models/digits.json (the built-in
model's file) and a spoken digit (tests/data/cqt/digit_8000.wav)."""
import json
import subprocess

import numpy as np
import pytest

import cqtcnn
from conftest import CQT_DATA, SOURCE, read_wav16

MODEL = SOURCE / "models" / "digits.json"
DIGIT = CQT_DATA / "digit_8000.wav"  # FSDD: "three"
CHIRP = CQT_DATA / "chirp_22050.wav"  # 22050 Hz: resampled to the model's 8000


@pytest.fixture(scope="module")
def model():
    return cqtcnn.Model(str(MODEL))


def run(binary, *args):
    done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_builtin_model_is_digits_json(model):
    builtin = cqtcnn.Model()
    assert builtin.name == "built-in model" and model.name == str(MODEL)
    document = json.loads(MODEL.read_text())
    assert builtin.labels == model.labels == document["labels"]
    assert builtin.input_shape == tuple(document["input_shape"]) == (1, 70, 64)
    assert builtin.frontend["cqt"]["hop_length"] == document["frontend"]["cqt"]["hop_length"]
    assert builtin.frontend["sample_rate"] == 8000


@pytest.mark.parametrize("wav", [DIGIT, CHIRP], ids=["digit", "chirp"])
def test_features_as_cqtcnn_features(model, cqtcnn_binary, tmp_path, wav):
    run(cqtcnn_binary, "features", "-m", MODEL, "-o", tmp_path / "x.npy", wav)
    expected = np.load(tmp_path / "x.npy")
    got = model.features(str(wav))
    assert got.dtype == np.float32 and got.shape == expected.shape and got.shape[1:] == model.input_shape
    np.testing.assert_array_equal(got, expected)
    # The same samples as an array: mixed and resampled as the file.
    rate = 8000 if wav == DIGIT else 22050
    np.testing.assert_array_equal(model.features(read_wav16(wav), rate), expected)
    np.testing.assert_array_equal(cqtcnn.Frontend(str(MODEL)).features(wav), expected)
    np.testing.assert_array_equal(cqtcnn.Frontend(model.frontend).features(wav), expected)


def test_features_of_a_stereo_array_are_its_mono_mix(model):
    y = read_wav16(CHIRP)[:30000]
    stereo = np.stack([y, 0.25 * y])
    np.testing.assert_array_equal(model.features(stereo, 22050), model.features(0.625 * y, 22050))


@pytest.mark.parametrize("logits", [False, True])
def test_predict_as_cqtcnn_predict(model, cqtcnn_binary, tmp_path, logits):
    x = np.concatenate([model.features(str(CHIRP), window_hop=0.1), model.features(str(DIGIT))])
    assert len(x) > 16  # more than one of predict's chunks
    np.save(tmp_path / "x.npy", x)
    run(cqtcnn_binary, "predict", "-m", MODEL, "-i", tmp_path / "x.npy", "-o", tmp_path / "p.npy",
        *(["--logits"] if logits else []))
    expected = np.load(tmp_path / "p.npy")
    got = model.predict(x, logits=logits)
    assert got.dtype == np.float32 and got.shape == expected.shape == (len(x), len(model.labels))
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(model.predict(x[0, 0], logits=logits), expected[:1])  # one [H, W] input
    np.testing.assert_array_equal(model.predict(x.astype(np.float64), logits=logits, threads=2), expected)


@pytest.mark.parametrize("segments", [False, True])
def test_classify_as_cqtcnn_classify(model, cqtcnn_binary, segments):
    args = ["classify", "-m", MODEL, "--format", "jsonl", "-k", 3, DIGIT] + (["--segments"] if segments else [])
    rows = [json.loads(line) for line in run(cqtcnn_binary, *args).splitlines()]
    got = model.classify(str(DIGIT), top_k=3, segments=segments)
    assert got["label"] == "3"  # FSDD's 3_theo_10
    listed = got["segments"] if segments else [got]
    assert len(listed) == len(rows)
    for ours, theirs in zip(listed, rows):
        assert ours["label"] == theirs["label"]
        assert [t["label"] for t in ours["top"]] == [t["label"] for t in theirs["top"]]
        np.testing.assert_allclose([t["score"] for t in ours["top"]], [t["score"] for t in theirs["top"]], atol=1e-6)
        if segments:
            assert ours["start_s"] == pytest.approx(theirs["start_s"]) and ours["end_s"] == pytest.approx(theirs["end_s"])
    assert sum(got["probabilities"].values()) == pytest.approx(1, abs=1e-5)
    assert got["duration_s"] == pytest.approx(1793 / 8000, abs=1e-6)
    assert model.classify(read_wav16(DIGIT), sr=8000, top_k=3, segments=segments) == got


def test_silence_has_no_class_as_cqtcnn_classify(model, cqtcnn_binary, tmp_path):
    # Two seconds of digital silence, then the digit: the first windows are silent.
    y = np.concatenate([np.zeros(16000, np.float32), read_wav16(DIGIT)])
    wav = tmp_path / "silence_then_three.wav"
    pcm = np.round(y * 32768).astype("<i2").tobytes()
    header = (b"RIFF" + (36 + len(pcm)).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little") +
              (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + (8000).to_bytes(4, "little") +
              (16000).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little") +
              b"data" + len(pcm).to_bytes(4, "little"))
    wav.write_bytes(header + pcm)
    rows = [json.loads(line) for line in run(cqtcnn_binary, "classify", "-m", MODEL, "--format", "jsonl",
                                                 "--segments", wav).splitlines()]
    got = model.classify(wav, segments=True)["segments"]
    assert len(got) == len(rows) and rows[0]["label"] == "(silent)"
    for ours, theirs in zip(got, rows):
        assert ours["silent"] == (theirs["label"] == "(silent)")
        assert ours["label"] == (None if ours["silent"] else theirs["label"])
    assert model.classify(np.zeros(8000, np.float32), sr=8000) | {"probabilities": None} == {
        "label": None, "score": None, "top": [], "silent": True, "probabilities": None, "duration_s": 1.0}


@pytest.mark.parametrize("call, error, words", [
    (lambda m: cqtcnn.Model("/nonexistent/model.json"), OSError, "/nonexistent/model.json"),
    (lambda m: cqtcnn.Model(str(CQT_DATA / "cases.json")), ValueError, "cases.json"),
    (lambda m: m.predict(np.zeros((2, 1, 70, 32), np.float32)), ValueError,
     "predict: x: input 1x70x32 does not match the model's input 1x70x64"),
    (lambda m: m.predict(np.zeros(5, np.float32)), ValueError, "expected an array of shape [N,C,H,W]"),
    (lambda m: m.classify(np.zeros(8000, np.float32)), ValueError, "classify: sr (the samples' rate, Hz) is required"),
    (lambda m: m.classify(str(DIGIT), sr=8000), ValueError, "classify: sr is for an array of samples"),
    (lambda m: m.classify(np.zeros(800, np.float32), sr=8000.5), ValueError, "sr must be a whole number"),
    (lambda m: m.classify(str(DIGIT), top_k=0), ValueError, "classify: top_k must be >= 1"),
    (lambda m: m.classify(np.zeros((8000, 2), np.float32), sr=8000), ValueError,
     "classify: y has 8000 channels; the layout is librosa's, [channels, n]"),
    (lambda m: m.classify("/nonexistent.wav"), OSError, "/nonexistent.wav"),
    (lambda m: m.features(np.full(800, np.inf, np.float32), 8000), ValueError, "not finite"),
    (lambda m: cqtcnn.Frontend({"sample_rate": 8000}), ValueError, "frontend"),
])
def test_errors_name_the_problem(model, call, error, words):
    with pytest.raises(error) as raised:
        call(model)
    assert words in str(raised.value) and "\n" not in str(raised.value)


def test_window_hop_as_cqtcnn_features(model, cqtcnn_binary, tmp_path):
    run(cqtcnn_binary, "features", "-m", MODEL, "--window-hop", 0.1, "-o", tmp_path / "x.npy", CHIRP)
    expected = np.load(tmp_path / "x.npy")
    assert len(expected) > 16
    np.testing.assert_array_equal(model.features(CHIRP, window_hop=0.1), expected)
