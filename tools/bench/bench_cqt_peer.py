#!/usr/bin/env python3
"""Peer for tools/bench/bench_cqt.cpp: librosa 0.10.1's CQT pipeline re-implemented with NumPy,
SciPy and libsoxr (librosa itself is not installable here).

It follows librosa.cqt -> vqt step by step as a user's script runs it: the filters are built on
every call (filters.wavelet, numpy FFT, util.sparsify_rows into scipy.sparse), each octave is a
numpy rfft STFT (window "ones", centred, constant padding) times the sparse basis, and the signal
is halved between octaves with libsoxr at HQ quality through ctypes, as python-soxr does
(librosa.resample(res_type='soxr_hq', scale=True)).

First it checks itself against the librosa reference vectors (tests/data/cqt), so the peer is
known to compute what librosa computes; then it times 30 s of audio at the front end's rate with
its CQT parameters, 7 octaves at 12 and at 24 bins per octave, single thread, and prints
real-time factors. The parameters come from a front end's JSON (--frontend, a model file or its
`frontend` object), by default models/instruments.frontend.json, which holds librosa's defaults at
22050 Hz (84 bins / 12 bpo, hop 512), as build/bench_cqt times them.

    python3 tools/bench/bench_cqt_peer.py [--repeats N] [--frontend FRONTEND.json]
"""
import argparse
import ctypes
import inspect
import json
import os
import time

import numpy as np
import scipy.signal
import scipy.sparse

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "tests", "data", "cqt")
DEFAULT_FRONTEND = os.path.join(HERE, "..", "..", "models", "instruments.frontend.json")

# --- libsoxr through ctypes (python-soxr's soxr_hq: soxr_quality_spec(SOXR_HQ, 0), float32) ---
_soxr = ctypes.CDLL("libsoxr.so.0")


class _QualitySpec(ctypes.Structure):
    _fields_ = [("precision", ctypes.c_double), ("phase_response", ctypes.c_double),
                ("passband_end", ctypes.c_double), ("stopband_begin", ctypes.c_double),
                ("e", ctypes.c_void_p), ("flags", ctypes.c_ulong)]


class _IoSpec(ctypes.Structure):
    _fields_ = [("itype", ctypes.c_int), ("otype", ctypes.c_int), ("scale", ctypes.c_double),
                ("e", ctypes.c_void_p), ("flags", ctypes.c_ulong)]


_soxr.soxr_quality_spec.restype = _QualitySpec
_soxr.soxr_quality_spec.argtypes = [ctypes.c_ulong, ctypes.c_ulong]
_soxr.soxr_oneshot.restype = ctypes.c_char_p
_soxr.soxr_oneshot.argtypes = [ctypes.c_double, ctypes.c_double, ctypes.c_uint,
                               ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t),
                               ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t),
                               ctypes.POINTER(_IoSpec), ctypes.POINTER(_QualitySpec), ctypes.c_void_p]
_HQ = _soxr.soxr_quality_spec(4, 0)           # SOXR_HQ = SOXR_20_BITQ
_IO = _IoSpec(0, 0, 1.0, None, 0)             # SOXR_FLOAT32_I in and out


def soxr_resample(y, orig_sr, target_sr):
    y = np.ascontiguousarray(y, dtype=np.float32)
    olen = int(np.ceil(len(y) * target_sr / orig_sr))
    out = np.zeros(olen + 16, dtype=np.float32)
    idone, odone = ctypes.c_size_t(), ctypes.c_size_t()
    err = _soxr.soxr_oneshot(orig_sr, target_sr, 1, y.ctypes.data, len(y), ctypes.byref(idone),
                             out.ctypes.data, len(out), ctypes.byref(odone), ctypes.byref(_IO),
                             ctypes.byref(_HQ), None)
    if err:
        raise RuntimeError(err.decode())
    return out[:odone.value]


def resample(y, orig_sr, target_sr):
    """librosa.resample(y, orig_sr, target_sr, res_type='soxr_hq', scale=True)."""
    n_samples = int(np.ceil(y.shape[-1] * float(target_sr) / orig_sr))
    y_hat = soxr_resample(y, orig_sr, target_sr)
    y_hat = np.pad(y_hat, (0, max(0, n_samples - len(y_hat))))[:n_samples]  # util.fix_length
    y_hat /= np.sqrt(target_sr / orig_sr)
    return y_hat.astype(y.dtype, copy=False)


# --- filters (librosa.filters) ---
WINDOW_BANDWIDTHS = {"hann": 1.50018310546875, "hamming": 1.3629455320350348}


def relative_bandwidth(freqs):
    bpo = np.empty_like(freqs)
    logf = np.log2(freqs)
    bpo[0] = 1 / (logf[1] - logf[0])
    bpo[-1] = 1 / (logf[-1] - logf[-2])
    bpo[1:-1] = 2 / (logf[2:] - logf[:-2])
    return (2.0 ** (2 / bpo) - 1) / (2.0 ** (2 / bpo) + 1)


def wavelet_lengths(freqs, sr, window, filter_scale, gamma, alpha):
    gamma_ = alpha * 24.7 / 0.108 if gamma is None else gamma
    q = float(filter_scale) / alpha
    f_cutoff = max(freqs * (1 + 0.5 * WINDOW_BANDWIDTHS[window] / q) + 0.5 * gamma_)
    return q * sr / (freqs + gamma_ / alpha), f_cutoff


def normalize(s, norm):
    mag = np.abs(s)
    if norm is None:
        return s
    length = np.max(mag) if norm == np.inf else np.sum(mag ** norm) ** (1.0 / norm)
    return s / length if length > np.finfo(s.dtype).tiny else s


def wavelet(freqs, sr, window, filter_scale, norm, gamma, alpha):
    lengths, _ = wavelet_lengths(freqs, sr, window, filter_scale, gamma, alpha)
    filters = []
    for ilen, freq in zip(lengths, freqs):
        sig = np.exp(1j * np.arange(-ilen // 2, ilen // 2, dtype=float) * 2 * np.pi * freq / sr)
        sig *= scipy.signal.get_window(window, len(sig), fftbins=True)
        filters.append(normalize(sig, norm))
    max_len = int(2.0 ** (np.ceil(np.log2(max(lengths)))))
    padded = []
    for f in filters:
        lpad = (max_len - len(f)) // 2
        padded.append(np.pad(f, (lpad, max_len - len(f) - lpad)))
    return np.asarray(padded, dtype=np.complex64), lengths


def sparsify_rows(x, quantile, dtype):
    x_sparse = scipy.sparse.lil_matrix(x.shape, dtype=dtype)
    mags = np.abs(x)
    norms = np.sum(mags, axis=1, keepdims=True)
    mag_sort = np.sort(mags, axis=1)
    cumulative_mag = np.cumsum(mag_sort / norms, axis=1)
    threshold_idx = np.argmin(cumulative_mag < quantile, axis=1)
    for i, j in enumerate(threshold_idx):
        idx = np.where(mags[i] >= mag_sort[i, j])
        x_sparse[i, idx] = x[i, idx]
    return x_sparse.tocsr()


def vqt_filter_fft(sr, freqs, filter_scale, norm, sparsity, window, gamma, alpha):
    basis, lengths = wavelet(freqs, sr, window, filter_scale, norm, gamma, alpha)
    n_fft = basis.shape[1]
    basis *= lengths[:, np.newaxis] / float(n_fft)
    fft_basis = np.fft.fft(basis, n=n_fft, axis=1)[:, : (n_fft // 2) + 1]
    return sparsify_rows(fft_basis, sparsity, np.complex64), n_fft


# --- STFT and response (librosa.stft with window "ones", center=True, constant padding) ---
def stft_ones(y, n_fft, hop):
    y = np.pad(y, (n_fft // 2, n_fft // 2), mode="constant")
    n_frames = 1 + (len(y) - n_fft) // hop
    frames = np.lib.stride_tricks.as_strided(y, shape=(n_fft, n_frames),
                                             strides=(y.itemsize, hop * y.itemsize))
    return np.fft.rfft(frames, axis=0).astype(np.complex64)


def cqt(y, sr, hop_length, fmin, n_bins, bins_per_octave, filter_scale, norm, sparsity, window, scale, gamma):
    n_octaves = int(np.ceil(float(n_bins) / bins_per_octave))
    n_filters = min(bins_per_octave, n_bins)
    ratios = 2.0 ** (np.arange(0, bins_per_octave, dtype=float) / bins_per_octave)
    freqs = np.multiply.outer(2.0 ** np.arange(n_octaves), ratios).flatten()[:n_bins] * fmin
    alpha = relative_bandwidth(freqs)
    lengths, cutoff = wavelet_lengths(freqs, sr, window, filter_scale, gamma, alpha)
    nyquist = sr / 2.0
    if cutoff > nyquist:
        raise ValueError("Nyquist")
    # __early_downsample
    count1 = max(0, int(np.ceil(np.log2(nyquist / cutoff)) - 1) - 1)
    twos = 0
    h = hop_length
    while h % 2 == 0:
        twos, h = twos + 1, h // 2
    count = min(count1, max(0, twos - n_octaves + 1))
    if count > 0:
        factor = 2 ** count
        hop_length //= factor
        y = resample(y, factor, 1)
        if not scale:
            y *= np.sqrt(factor)
        sr = sr / float(factor)
    responses = []
    my_y, my_sr, my_hop = y, sr, hop_length
    for i in range(n_octaves):
        sl = slice(-n_filters, None) if i == 0 else slice(-n_filters * (i + 1), -n_filters * i)
        fft_basis, n_fft = vqt_filter_fft(my_sr, freqs[sl], filter_scale, norm, sparsity, window,
                                          gamma, alpha[sl])
        fft_basis[:] *= np.sqrt(sr / my_sr)
        responses.append(fft_basis.dot(stft_ones(my_y, n_fft, my_hop)))
        if my_hop % 2 == 0:
            my_hop //= 2
            my_sr /= 2.0
            my_y = resample(my_y, 2, 1)
    # __trim_stack
    max_col = min(c.shape[-1] for c in responses)
    out = np.empty((n_bins, max_col), dtype=np.complex64, order="F")
    end = n_bins
    for c in responses:
        n_oct = c.shape[0]
        if end < n_oct:
            out[:end] = c[-end:, :max_col]
        else:
            out[end - n_oct:end] = c[:, :max_col]
        end -= n_oct
    if scale:
        lengths, _ = wavelet_lengths(freqs, sr, window, filter_scale, gamma, alpha)
        out /= np.sqrt(lengths[:, np.newaxis])
    return out


def read_wav16(path):
    with open(path, "rb") as f:
        data = f.read()
    return (np.frombuffer(data[44:], dtype="<i2") / 32768.0).astype(np.float32)


def check_against_librosa():
    with open(os.path.join(DATA, "cases.json")) as f:
        cases = json.load(f)["cases"]
    worst = 0.0
    for c in cases:
        p = dict(c["params"])
        if p["pad_mode"] != "constant" or p["window"] not in WINDOW_BANDWIDTHS or p["tuning"] != 0:
            continue
        y = read_wav16(os.path.join(DATA, c["input"]))
        ours = np.abs(cqt(y, sr=p["sr"], hop_length=p["hop_length"], fmin=p["fmin"], n_bins=p["n_bins"],
                          bins_per_octave=p["bins_per_octave"], filter_scale=p["filter_scale"],
                          norm=p["norm"], sparsity=p["sparsity"], window=p["window"], scale=p["scale"],
                          gamma=p.get("gamma", 0.0)))
        ref = np.load(os.path.join(DATA, c["id"] + "_mag.npy"))
        err = np.linalg.norm(ours - ref) / np.linalg.norm(ref)
        print(f"  {c['id']:24s} rel_frob vs librosa {err:.2e}")
        worst = max(worst, err)
    if worst > 1e-4:
        raise SystemExit(f"peer does not reproduce librosa (worst rel_frob {worst:.2e})")
    return worst


def frontend_cqt_params(path):
    """The sample rate and cqt() keyword arguments of a front end (docs/model-format.md): its
    `cqt` object in librosa's terms (norm "inf" -> inf, null -> None; gamma < 0 -> None, ERB)."""
    with open(path) as f:
        frontend = json.load(f)
    frontend = frontend.get("frontend", frontend)
    c = dict(frontend["cqt"])
    if c.pop("pad_mode", "constant") != "constant" or c.pop("tuning", 0.0) != 0:
        raise SystemExit(f"{path}: the peer implements pad_mode constant and tuning 0 only")
    if c.get("window", "hann") not in WINDOW_BANDWIDTHS:
        raise SystemExit(f"{path}: the peer implements the windows {sorted(WINDOW_BANDWIDTHS)} only")
    needed = [name for name in inspect.signature(cqt).parameters if name not in ("y", "sr")]
    missing = [name for name in needed if name not in c]
    if missing:
        raise SystemExit(f"{path}: cqt lacks {', '.join(missing)} (the peer copies no defaults: write them out)")
    c["norm"] = np.inf if c["norm"] == "inf" else c["norm"]
    c["gamma"] = None if c["gamma"] < 0 else c["gamma"]
    return float(frontend["sample_rate"]), c


def bench_signal(sr, seconds=30.0):
    t = np.arange(int(sr * seconds)) / sr
    k = np.log(8000.0 / 40.0) / seconds
    rng = np.random.default_rng(1)
    return (0.5 * np.sin(2 * np.pi * 40.0 * (np.exp(k * t) - 1) / k)
            + rng.normal(0, 0.05, t.size)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--frontend", default=DEFAULT_FRONTEND,
                    help="front end (or model) JSON whose CQT parameters are timed (default: %(default)s)")
    args = ap.parse_args()
    sr, params = frontend_cqt_params(args.frontend)
    print("checking the peer against the librosa 0.10.1 reference vectors:")
    worst = check_against_librosa()
    print(f"  worst rel_frob {worst:.2e}")
    y = bench_signal(sr)
    seconds = len(y) / sr
    for bpo in (12, 24):
        p = dict(params, bins_per_octave=bpo, n_bins=7 * bpo)
        cpu = []
        for _ in range(args.repeats):
            t0 = time.process_time()
            cqt(y, sr, **p)
            cpu.append(time.process_time() - t0)
        best = min(cpu)
        print(f"peer librosa-equivalent cqt, {7 * bpo} bins / {bpo} bpo, hop {p['hop_length']}, "
              f"{seconds:g} s @ {sr:g} Hz: best CPU {best * 1e3:.1f} ms, median {np.median(cpu) * 1e3:.1f} ms, "
              f"x_realtime {seconds / best:.0f} (best) {seconds / np.median(cpu):.0f} (median)")


if __name__ == "__main__":
    main()
