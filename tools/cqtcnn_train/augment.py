"""Augmentation: of the audio, before the C++ front end (augment_audio), and of the front end's
output, batch by batch while training (frequency_shift, colour, spec_augment)."""
import os

import numpy as np
import soundfile
import torch

from . import audio_effects


def augment_audio(paths, workdir, copies, rng, max_shift_s, noise_snr_db, max_speed, room=0.0,
                  room_model="diffuse", crop=None):
    """Writes `copies` augmented versions of every file as float WAVs; returns (paths, source index).

    Speed perturbation (Ko et al. 2015, Kaldi's speed perturbation): a copy's WAV header states a
    sample rate up to `max_speed` (a fraction) above or below the true one, so the front end's
    resampler plays it faster or slower, scaling tempo and every frequency (pitch and formants)
    by the same factor. A fraction `room` of the copies first pass through a simulated room
    (audio_effects.py: RT60 0.15-0.8 s, 10-50% wet): with room_model "diffuse", a flat
    exponentially decaying tail (room_impulse_response); with "damped", high frequencies decaying
    faster, after early reflections (damped_room_impulse_response). With `crop` (low, high
    seconds), each copy keeps a random low..high seconds from its start, ending in a 50 ms fade:
    a long sustained note becomes a short one, as another sample library plays it (crop_note)."""
    make_room = {"diffuse": audio_effects.room_impulse_response,
                 "damped": audio_effects.damped_room_impulse_response}[room_model]
    out, source = [], []
    for i, path in enumerate(paths):
        y, sr = soundfile.read(path, dtype="float32", always_2d=True)
        y = y.mean(axis=1)
        for c in range(copies):
            z = y.copy() if crop is None else crop_note(y, sr, rng.uniform(*crop))
            if room and rng.random() < room:
                ir = make_room(rng, sr, rng.uniform(0.15, 0.8))
                z = audio_effects.reverberate(z.astype(np.float64), ir, rng.uniform(0.1, 0.5)).astype(np.float32)
            shift = int(rng.uniform(-max_shift_s, max_shift_s) * sr)
            z = np.concatenate([np.zeros(shift, np.float32), z]) if shift > 0 else z[min(-shift, len(z) // 4):]
            z = z * np.float32(10 ** (rng.uniform(-10, 10) / 20))
            if rng.random() < 0.7:
                rms = float(np.sqrt(np.mean(z ** 2))) + 1e-9
                snr = rng.uniform(*noise_snr_db)
                z = z + rng.normal(0, rms / 10 ** (snr / 20), len(z)).astype(np.float32)
            z = np.clip(z, -1, 1)
            name = os.path.join(workdir, f"aug_{i}_{c}.wav")
            speed = rng.uniform(1 - max_speed, 1 + max_speed) if max_speed else 1.0
            soundfile.write(name, z, int(round(sr * speed)), subtype="FLOAT")
            out.append(name)
            source.append(i)
    return out, np.array(source)


def crop_note(y, sr, seconds, fade_s=0.05):
    """The first `seconds` of y, its last `fade_s` faded out linearly (a short note's release); y
    itself if it is no longer."""
    n = int(round(seconds * sr))
    if n >= len(y):
        return y.copy()
    z = y[:n].copy()
    fade = min(n, int(round(fade_s * sr)))
    z[n - fade:] *= np.linspace(1, 0, fade, dtype=z.dtype)
    return z


def frequency_shift(x, max_bins, pad_value, generator):
    """Shifts each example along the frequency axis by up to max_bins (a small pitch shift); the
    bins shifted in take pad_value."""
    if max_bins == 0:
        return x
    n, c, height, width = x.shape
    shifts = torch.randint(-max_bins, max_bins + 1, (n, 1), generator=generator)
    source = torch.arange(height)[None, :] - shifts  # output bin h comes from bin h - shift
    inside = (source >= 0) & (source < height)
    index = source.clamp(0, height - 1)[:, None, :, None].expand(n, c, height, width)
    return torch.where(inside[:, None, :, None], x.gather(2, index), torch.tensor(pad_value, dtype=x.dtype))


def random_span_mask(n, length, max_size, generator):
    """For each of n examples, a boolean row of `length` that is true on one random span of
    0..max_size consecutive positions (drawn uniformly in size, then in start)."""
    size = torch.randint(0, max_size + 1, (n, 1), generator=generator).clamp(max=length)
    start = (torch.rand(n, 1, generator=generator) * (length - size + 1)).floor().long()
    position = torch.arange(length)[None, :]
    return (position >= start) & (position < start + size)


def spec_augment(x, max_bins, max_frames, pad_value, generator):
    """SpecAugment (Park et al. 2019): silences one random band of up to max_bins bins and one
    random stretch of up to max_frames frames of each example."""
    if max_bins == 0 and max_frames == 0:
        return x
    n, _, height, width = x.shape
    masked = torch.zeros(n, 1, height, width, dtype=torch.bool)
    if max_bins:
        masked |= random_span_mask(n, height, max_bins, generator)[:, None, :, None]
    if max_frames:
        masked |= random_span_mask(n, width, max_frames, generator)[:, None, None, :]
    return x.masked_fill(masked, pad_value)


def colour(x, max_db, std, pad_value, generator):
    """Adds to each example a random smooth spectral colouring: a tilt of up to +-max_db across the
    bins plus two cosine ripples of up to +-max_db/2 (a different microphone or room), leaving
    silent (padding-valued) cells alone. `std` converts dB to network units."""
    if max_db == 0:
        return x
    n, _, height, _ = x.shape
    k = torch.linspace(0, 1, height)
    a = (torch.rand(n, 3, generator=generator) * 2 - 1) * max_db
    ripple = a[:, 1:2] * torch.cos(torch.pi * k) + a[:, 2:3] * torch.cos(2 * torch.pi * k)
    curve = a[:, :1] * (k - 0.5) + 0.5 * ripple
    return torch.where(x > pad_value + 1e-6, x + (curve / std)[:, None, :, None], x)

