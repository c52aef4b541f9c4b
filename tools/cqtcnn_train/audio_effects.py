"""Signal effects that make synthetic audio look like a recording, and the test conditions of the
robustness tables: a simulated room, white or pink noise at a set SNR, silence trimming and level.

Used by synth_digits.py, synth_nondigits.py and synth_instruments.py (training data) and by the
training augmentation (augment.py). Every function takes a numpy Generator so a seed
gives the same audio.
"""
import numpy as np
from scipy.signal import fftconvolve


def room_impulse_response(rng, rate, rt60):
    """A simulated room: exponentially decaying Gaussian noise (the late reverberation of a diffuse
    field, Schroeder 1962) whose level falls 60 dB in rt60 seconds, after a unit direct path and a
    short pre-delay. Energy is normalised so the direct sound keeps its level."""
    n = max(1, int(rt60 * rate))
    t = np.arange(n) / rate
    tail = rng.normal(0.0, 1.0, n) * 10 ** (-3 * t / rt60)
    pre_delay = int(rng.uniform(0.002, 0.015) * rate)
    ir = np.concatenate([[1.0], np.zeros(pre_delay), tail / np.sqrt(np.sum(tail ** 2) + 1e-12)])
    return ir


def damped_room_impulse_response(rng, rate, rt60):
    """A room closer to a real one than room_impulse_response's: high frequencies die away faster
    than low ones (air and soft surfaces absorb them; rt60 is the decay of the lowest band, and the
    band at the Nyquist frequency decays 1.3 to 4 times faster), and the diffuse tail follows 3 to
    11 discrete early reflections (walls, floor, table: 2-40 ms after the direct sound, each
    weaker the later it comes). The tail is white noise split into eight bands of equal width, each
    with its own exponential decay; its energy is normalised as in room_impulse_response."""
    n = max(1, int(rt60 * rate))
    t = np.arange(n) / rate
    spectrum = np.fft.rfft(rng.normal(0.0, 1.0, n))
    edges = np.linspace(0, len(spectrum), 9).astype(int)
    damping = rng.uniform(0.3, 3.0)
    tail = np.zeros(n)
    for k in range(8):
        band = np.zeros_like(spectrum)
        band[edges[k]:edges[k + 1]] = spectrum[edges[k]:edges[k + 1]]
        band_rt60 = rt60 / (1 + damping * k / 7)
        tail += np.fft.irfft(band, n) * 10 ** (-3 * t / band_rt60)
    pre_delay = int(rng.uniform(0.002, 0.015) * rate)
    early = np.zeros(int(0.04 * rate) + 1)
    for _ in range(rng.integers(3, 12)):
        delay = rng.uniform(0.002, 0.04)
        early[int(delay * rate)] += rng.uniform(0.2, 0.7) * (1 - delay / 0.05)
    early[0] = 1.0
    ir = np.zeros(max(len(early), pre_delay + 1 + n))
    ir[: len(early)] = early
    ir[pre_delay + 1 : pre_delay + 1 + n] += tail / np.sqrt(np.sum(tail ** 2) + 1e-12)
    return ir


def reverberate(y, ir, wet):
    """y through the room ir, mixed with the dry signal (wet in [0, 1]) and scaled back to y's
    peak. The result is longer than y by the reverberation tail."""
    wet_signal = fftconvolve(y, ir)
    dry = np.concatenate([y, np.zeros(len(wet_signal) - len(y))])
    out = (1 - wet) * dry + wet * wet_signal
    return out * (np.max(np.abs(y)) / (np.max(np.abs(out)) + 1e-12))


def pink_noise(rng, n):
    """Unit-RMS noise with a 1/f power spectrum (white noise shaped by 1/sqrt(f) in frequency)."""
    spectrum = np.fft.rfft(rng.normal(0.0, 1.0, n))
    f = np.arange(len(spectrum), dtype=float)
    f[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(f), n)
    return noise / (np.sqrt(np.mean(noise ** 2)) + 1e-12)


def add_noise(rng, y, snr_db, colour="white"):
    """y plus white or pink noise whose RMS is snr_db below y's RMS over its active part (samples
    within 40 dB of the peak, so leading and trailing silence do not lower the signal level)."""
    active = y[np.abs(y) > np.max(np.abs(y)) * 1e-2]
    rms = np.sqrt(np.mean(active ** 2)) if len(active) else 0.0
    noise = pink_noise(rng, len(y)) if colour == "pink" else rng.normal(0.0, 1.0, len(y))
    return y + noise * rms / 10 ** (snr_db / 20)


def trim_silence(y, rate, threshold_db, margin_s=0.0):
    """Cuts leading and trailing 10 ms frames whose RMS is more than threshold_db (a positive
    number) below the loudest frame's, keeping margin_s seconds on either side."""
    frame = max(1, rate // 100)
    n = len(y) // frame
    if n == 0:
        return y
    rms = np.sqrt(np.mean(y[: n * frame].reshape(n, frame) ** 2, axis=1)) + 1e-12
    loud = np.where(20 * np.log10(rms / rms.max()) > -threshold_db)[0]
    margin = int(margin_s * rate)
    return y[max(0, loud[0] * frame - margin): min(len(y), (loud[-1] + 1) * frame + margin)]


def set_peak(y, dbfs):
    """y scaled so its peak is dbfs (<= 0) decibels below full scale."""
    return y * (10 ** (dbfs / 20) / (np.max(np.abs(y)) + 1e-12))
